// How a host reads the fleet: a ref it claims starts with the framework id stored in
// ZooKeeper even when its last read predates the store (the id is read with the
// claim). A host in this process, a real ZooKeeper.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>

#include <mesos_actor/host.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/sim/cluster.hpp>

#include "fleet/nodes.hpp"
#include "fleet/plain_scheduler.hpp"
#include "fleet/zk_client.hpp"
#include "support/wait.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor;

namespace {

// The fleet component's log: every read of the fleet logs one entry (fleet_scan, debug)
// once the host adopted it, so the test thread wakes at each read instead of polling.
struct reads_fleet_log {
  test::waitable changed;
  std::size_t entries = 0;
  std::vector<std::string> acquired; // fleet_acquired messages
  std::vector<std::string> scans;    // fleet_scan messages

  log_sink sink() {
    return [this](const log_entry& e) {
      if (e.component != "fleet")
        return;
      changed.update([&] {
        ++entries;
        if (e.event == "fleet_acquired")
          acquired.push_back(e.message);
        if (e.event == "fleet_scan")
          scans.push_back(e.message);
      });
    };
  }

  // Evaluates `pred` after each fleet log entry (outside the lock), for at most `limit`.
  template <class Pred>
  bool until(Pred pred, std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      auto seen = changed.read([&] { return entries; });
      if (pred())
        return true;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline)
        return false;
      changed.wait_for([&] { return entries != seen; },
                       std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
    }
  }

  std::vector<std::string> acquired_messages() {
    return changed.read([&] { return acquired; });
  }

  std::vector<std::string> scan_messages() {
    return changed.read([&] { return scans; });
  }
};

// A long T: no periodic full read of the fleet during the test.
host_options reads_fleet_host(const zk_test::zk_server& zk, reads_fleet_log& log) {
  host_options o;
  o.fleet.zookeeper = zk.url("/unused");
  o.fleet.path = "/fleet";
  o.fleet.host_name = "a";
  o.fleet.session_timeout = 20s;
  o.logging.min_level = log_level::debug;
  o.logging.sink = log.sink();
  return o;
}

// The fleet refs in the host's last read, and their owners ("" = none).
std::map<std::string, std::string> fleet_refs(const host& h) {
  std::map<std::string, std::string> out;
  for (auto& row : h.which_schedulers())
    if (row.fleet)
      out[row.ref] = row.owner_host;
  return out;
}

restart_policy permanent() {
  restart_policy p;
  p.restart = supervisor::restart_type::permanent;
  return p;
}

} // namespace

TEST_CASE("a ref claimed after its owner went starts with the framework id stored since "
          "the host's last read") {
  zk_test::zk_server zk;
  sim::cluster_options so;
  so.agents = 1;
  sim::cluster sim{so};
  sim.start();
  reads_fleet_log log;
  host a{reads_fleet_host(zk, log)};
  fleet_test::register_plain(a, sim.master_urls()[0]);
  fleet_test::zk_client raw{zk.address()};
  REQUIRE(log.until([&] { return fleet_refs(a).empty() && a.metrics().fleet->live_hosts == 1; }));
  REQUIRE(raw.create("/fleet/refs/r", "") == 0);
  // Owned by "z", a host that is not live: `a` leaves it alone while the node is there.
  REQUIRE(raw.create("/fleet/refs/r/owner", "z") == 0);
  REQUIRE_FALSE(a.start_scheduler("r", "plain", {}, permanent()));
  REQUIRE(log.until([&] { return fleet_refs(a)["r"] == "z"; }));
  // z's framework registered; its id is stored. The id's node has no watch, so a's
  // last read does not have it.
  REQUIRE(raw.create("/fleet/refs/r/framework_id", "fid-from-zk") == 0);
  REQUIRE(raw.remove("/fleet/refs/r/owner") == 0);
  REQUIRE(log.until([&] { return !log.acquired_messages().empty(); }));
  auto said = log.acquired_messages().front();
  INFO(said);
  CHECK(said.find("owns r; starting it with framework id fid-from-zk") != std::string::npos);
}

TEST_CASE("once it has read the fleet, a host reads only the refs whose nodes changed") {
  zk_test::zk_server zk;
  sim::cluster_options so;
  so.agents = 1;
  sim::cluster sim{so};
  sim.start();
  fleet_test::zk_client raw{zk.address()};
  // Refs owned by "z", a host that is not live: `a` leaves them alone. The first five
  // are there before `a` starts, so no watch of theirs fires while the test counts.
  fleet::ref_spec spec;
  spec.factory = "plain";
  auto declare_elsewhere = [&](const std::string& ref) {
    REQUIRE(raw.create("/fleet/refs/" + ref, "") == 0);
    REQUIRE(raw.create("/fleet/refs/" + ref + "/owner", "z") == 0);
    REQUIRE(raw.create("/fleet/refs/" + ref + "/spec", fleet::encode_spec(spec)) == 0);
  };
  REQUIRE(raw.create("/fleet", "") == 0);
  REQUIRE(raw.create("/fleet/refs", "") == 0);
  for (auto ref : {"r0", "r1", "r2", "r3", "r4"})
    declare_elsewhere(ref);
  reads_fleet_log log;
  host a{reads_fleet_host(zk, log)};
  fleet_test::register_plain(a, sim.master_urls()[0]);
  REQUIRE(log.until([&] { return fleet_refs(a).size() == 5 && a.metrics().fleet->live_hosts == 1; }));
  auto before = log.scan_messages().size();
  declare_elsewhere("r5");
  REQUIRE(log.until([&] { return fleet_refs(a)["r5"] == "z"; }));
  auto scans = log.scan_messages();
  REQUIRE(scans.size() > before);
  // "read <refs read> of <refs listed> ref(s) and ...": T is long, so no full read is due.
  for (auto i = before; i < scans.size(); ++i) {
    INFO(scans[i]);
    unsigned read = 99, listed = 0;
    REQUIRE(std::sscanf(scans[i].c_str(), "read %u of %u", &read, &listed) == 2);
    CHECK(read <= 1);
  }
}
