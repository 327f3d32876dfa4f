// The fleet's metrics (host::metrics().fleet, the Prometheus families) and the
// negotiated session timeout, with hosts in this process against a real ZooKeeper
// whose maxSessionTimeout is below what the hosts ask for.
#include <doctest/doctest.h>

#include <mutex>

#include <mesos_actor/host.hpp>
#include <mesos_actor/metrics/prometheus.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/sim/cluster.hpp>

#include "fleet/plain_scheduler.hpp"
#include "fleet/zk_client.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor;
using fleet_test::register_plain;

namespace {

// The fleet component's log entries, for the checks on what was logged.
struct fleet_log {
  std::mutex mtx;
  std::vector<log_entry> entries;
  log_sink sink() {
    return [this](const log_entry& e) {
      if (e.component != "fleet")
        return;
      std::lock_guard<std::mutex> lk(mtx);
      entries.push_back(e);
    };
  }
  std::vector<std::string> messages(const std::string& event) {
    std::lock_guard<std::mutex> lk(mtx);
    std::vector<std::string> out;
    for (auto& e : entries)
      if (e.event == event)
        out.push_back(e.message);
    return out;
  }
};

host_options fleet_host(const zk_test::zk_server& zk, const std::string& name, fleet_log& log,
                        std::chrono::milliseconds t) {
  host_options o;
  o.fleet.zookeeper = zk.url("/unused");
  o.fleet.path = "/fleet";
  o.fleet.host_name = name;
  o.fleet.session_timeout = t;
  o.logging.min_level = log_level::info;
  o.logging.sink = log.sink();
  return o;
}

// Zeros when the host has no fleet section (checked once per host below).
metrics::fleet_snapshot fleet_metrics(host& h) {
  auto snap = h.metrics();
  return snap.fleet ? *snap.fleet : metrics::fleet_snapshot{};
}

} // namespace

TEST_CASE("a host outside a fleet has no fleet metrics; the Prometheus text has them only in one") {
  host plain_host;
  CHECK_FALSE(plain_host.metrics().fleet);
  CHECK(metrics::render_prometheus(plain_host.metrics()).find("mesos_actor_fleet_") ==
        std::string::npos);
  metrics::host_snapshot snap;
  snap.fleet = metrics::fleet_snapshot{};
  snap.fleet->acquired = 3;
  snap.fleet->fenced = 2;
  snap.fleet->owned_refs = 1;
  snap.fleet->session_timeout_seconds = 1.5;
  auto text = metrics::render_prometheus(snap);
  CHECK(text.find("# TYPE mesos_actor_fleet_acquired_total counter\nmesos_actor_fleet_acquired_total 3\n")
        != std::string::npos);
  CHECK(text.find("mesos_actor_fleet_fenced_total 2\n") != std::string::npos);
  CHECK(text.find("# TYPE mesos_actor_fleet_owned_refs gauge\nmesos_actor_fleet_owned_refs 1\n")
        != std::string::npos);
  CHECK(text.find("mesos_actor_fleet_session_timeout_seconds 1.5\n") != std::string::npos);
  for (auto name : {"lost_total", "taken_over_total", "malformed_nodes_total",
                    "zookeeper_requests_total", "zookeeper_writes_total", "live_hosts"})
    CHECK(text.find(std::string("mesos_actor_fleet_") + name + " 0\n") != std::string::npos);
}

TEST_CASE("fleet metrics count acquisitions, malformed nodes, fencing and takeover; the "
          "negotiated session timeout is used") {
  // The server grants at most 1 s; the hosts ask for 2 s.
  zk_test::zk_server zk{1000ms};
  sim::cluster_options so;
  so.agents = 1;
  so.heartbeat_interval = 1s;
  sim::cluster sim{so};
  sim.start();
  auto master = sim.master_urls()[0];
  fleet_log log_a, log_b;
  host a{fleet_host(zk, "a", log_a, 2000ms)};
  REQUIRE(a.metrics().fleet);
  register_plain(a, master);
  restart_policy policy;
  policy.restart = supervisor::restart_type::permanent;
  REQUIRE_FALSE(a.start_scheduler("one", "plain", {}, policy));
  REQUIRE_FALSE(a.start_scheduler("pref", "plain", {}, policy, {"b", "a"}));
  auto subscribed = [&](std::size_t n) {
    auto fws = sim.frameworks();
    std::size_t up = 0;
    for (auto& f : fws)
      up += f.subscribed ? 1 : 0;
    return up == n;
  };
  REQUIRE(sim.wait_for([&] { return subscribed(2); }, 30s));
  REQUIRE(sim.wait_for([&] { return fleet_metrics(a).owned_refs == 2; }, 10s));

  auto m = fleet_metrics(a);
  CHECK(m.acquired == 2);
  CHECK(m.live_hosts == 1);
  CHECK(m.fenced == 0);
  CHECK(m.zk_writes > 0);
  CHECK(m.zk_requests > m.zk_writes);
  // The negotiated T, not the requested one, and the host said so.
  CHECK(m.session_timeout_seconds == doctest::Approx(1.0));
  auto said = log_a.messages("zk_session_timeout");
  REQUIRE_FALSE(said.empty());
  CHECK(said.front().find("1000 ms (requested 2000 ms)") != std::string::npos);
  CHECK(said.front().find("fenced 500 ms after") != std::string::npos);

  // A malformed node under the fleet path: counted once, skipped.
  {
    fleet_test::zk_client raw{zk.address()};
    REQUIRE(raw.create("/fleet/hosts/bogus", "{not json") == 0);
    CHECK(sim.wait_for([&] { return fleet_metrics(a).malformed_nodes == 1; }, 10s));
    REQUIRE(raw.create("/fleet/hosts/bogus2", "{\"name\":\"other\"}") == 0);
    CHECK(sim.wait_for([&] { return fleet_metrics(a).malformed_nodes == 2; }, 10s));
  }
  CHECK(fleet_metrics(a).owned_refs == 2); // nothing else changed

  // A preferred host joins: a hands "pref" over.
  host b{fleet_host(zk, "b", log_b, 2000ms)};
  register_plain(b, master);
  CHECK(sim.wait_for([&] { return fleet_metrics(b).acquired == 1; }, 20s));
  CHECK(sim.wait_for([&] { return fleet_metrics(a).taken_over == 1; }, 5s));
  CHECK(sim.wait_for([&] { return fleet_metrics(a).owned_refs == 1; }, 5s));
  CHECK(sim.wait_for([&] { return fleet_metrics(a).live_hosts == 2; }, 5s));
  CHECK(fleet_metrics(b).owned_refs == 1);

  // ZooKeeper stops answering: each host fences within T/2 of its last answer (the
  // negotiated 1 s: 500 ms), so the counters move well before the 2 s asked for.
  auto paused_at = std::chrono::steady_clock::now();
  zk.pause();
  bool fenced = sim.wait_for(
    [&] { return fleet_metrics(a).fenced == 1 && fleet_metrics(b).fenced == 1; }, 5s);
  auto took = std::chrono::steady_clock::now() - paused_at;
  zk.resume();
  REQUIRE(fenced);
  CHECK(took < 1500ms);
  // Back: both refs are owned and subscribed again.
  CHECK(sim.wait_for([&] {
    return fleet_metrics(a).owned_refs + fleet_metrics(b).owned_refs == 2 && subscribed(2);
  }, 30s));
}
