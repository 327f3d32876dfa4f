// The "lost" host event and metric end to end: a host runs a ref whose owner node
// vanishes under it (here an operator deletes it; in production another host's claim
// after a lost session). The host stops the ref with `lost`, counts it, claims the ref
// again and starts it with the same framework id.
#include <doctest/doctest.h>

#include <mutex>

#include <mesos_actor/host.hpp>
#include <mesos_actor/scheduler.hpp>
#include <mesos_actor/sim/cluster.hpp>

#include "fleet/plain_scheduler.hpp"
#include "fleet/zk_client.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor;
using fleet_test::register_plain;

namespace {

struct event_list {
  std::mutex mtx;
  std::vector<host_event_kind> kinds;
  std::size_t count(host_event_kind k) {
    std::lock_guard<std::mutex> lk(mtx);
    std::size_t n = 0;
    for (auto x : kinds)
      n += x == k ? 1 : 0;
    return n;
  }
};

} // namespace

TEST_CASE("a host whose owner node goes stops the ref as lost, then owns it again") {
  zk_test::zk_server zk;
  sim::cluster_options so;
  so.agents = 1;
  so.heartbeat_interval = 1s;
  sim::cluster sim{so};
  sim.start();
  event_list events;
  host_options o;
  o.fleet.zookeeper = zk.url("/unused");
  o.fleet.path = "/fleet";
  o.fleet.host_name = "a";
  o.fleet.session_timeout = 2000ms;
  o.logging.min_level = log_level::error;
  o.on_event = [&events](const host_event& e) {
    std::lock_guard<std::mutex> lk(events.mtx);
    events.kinds.push_back(e.what);
  };
  host a{o};
  register_plain(a, sim.master_urls()[0]);
  restart_policy policy;
  policy.restart = supervisor::restart_type::permanent;
  REQUIRE_FALSE(a.start_scheduler("one", "plain", {}, policy));
  auto subscribed = [&] {
    auto fws = sim.frameworks();
    return fws.size() == 1 && fws[0].subscribed;
  };
  REQUIRE(sim.wait_for(subscribed, 30s));
  auto id = sim.frameworks()[0].id;
  fleet_test::zk_client raw{zk.address()};
  // Stored right after the first SUBSCRIBED (the master's record of it comes first).
  CHECK(sim.wait_for([&] { return raw.get("/fleet/refs/one/framework_id") == id; }, 10s));
  REQUIRE(raw.get("/fleet/refs/one/owner") == "a");

  REQUIRE(raw.remove("/fleet/refs/one/owner") == ZOK);
  CHECK(sim.wait_for([&] { return events.count(host_event_kind::lost) == 1; }, 10s));
  CHECK(sim.wait_for([&] { return a.metrics().fleet && a.metrics().fleet->lost == 1; }, 5s));
  // Nobody else wants it: the host claims it again and fails it over to itself.
  CHECK(sim.wait_for([&] { return a.metrics().fleet->acquired == 2 && subscribed(); }, 30s));
  CHECK(raw.get("/fleet/refs/one/owner") == "a");
  auto fws = sim.frameworks();
  REQUIRE(fws.size() == 1);
  CHECK(fws[0].id == id);
  CHECK(events.count(host_event_kind::fenced) == 0);
}
