// ZooKeeper itself failing under a running fleet (docs/fleet.md, "ZooKeeper down or
// restarted"): a restart with the same data dir shorter than T/2 moves and restarts
// nothing; an outage longer than T makes every host fence its frameworks, and when
// ZooKeeper is back they are owned and subscribed again with the same framework ids.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <mesos_actor/sim/cluster.hpp>

#include "fleet/fleet_hosts.hpp"
#include "fleet/trace_check.hpp"
#include "support/sim_views.hpp"
#include "support/wait.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using fleet_test::host_args;
using fleet_test::host_process;
using fleet_test::owners;

namespace {

mesos_actor::sim::cluster_options outage_sim_options() {
  mesos_actor::sim::cluster_options o;
  o.agents = 2;
  o.heartbeat_interval = 1s;
  return o;
}

std::size_t subscribe_calls(const mesos_actor::sim::cluster& sim) {
  return test::calls_of(sim, mesos::v1::scheduler::Call::SUBSCRIBE).size();
}

// The fleet's events a host printed from line `from` (acquired, lost, fenced, ...).
std::vector<std::string> fleet_events(host_process& h, std::size_t from) {
  std::vector<std::string> out;
  for (auto& line : h.lines_with("EVENT ", from))
    out.push_back(line);
  return out;
}

// ZooKeeper, the simulator and two hosts, b then a; a declares n refs. Ready when all n
// are subscribed, each with a running task, and both hosts' output names their owners.
struct two_hosts {
  static constexpr std::size_t n = 4;

  explicit two_hosts(std::chrono::milliseconds t) {
    sim.start();
    auto master = sim.master_urls()[0];
    b.emplace(host_args(zk, master, "b", t));
    CAPTURE(b->output());
    REQUIRE(b->wait_line("fleet_joined", 20s));
    a.emplace(host_args(zk, master, "a", t, {"--declare", std::to_string(n)}));
    CAPTURE(a->output());
    REQUIRE(a->wait_line("READY", 20s));
    REQUIRE(sim.wait_for([&] { return test::all_subscribed(sim, n); }, 60s));
    REQUIRE(sim.wait_for([&] { return owners({&*a, &*b}).size() == n; }, 10s));
  }

  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{outage_sim_options()};
  std::optional<host_process> b, a; // a ends first, then b, the simulator, ZooKeeper
};

} // namespace

TEST_CASE("ZooKeeper restarted (same data) within T/2: no ref moves, no framework restarts") {
  constexpr std::size_t n = two_hosts::n;
  // T/2 = 10 s: room for a JVM restart on a busy machine.
  constexpr auto t = 20000ms;
  two_hosts fleet{t};
  auto& zk = fleet.zk;
  auto& sim = fleet.sim;
  auto& a = *fleet.a;
  auto& b = *fleet.b;
  CAPTURE(a.output());
  CAPTURE(b.output());
  auto before = test::frameworks_by_name(sim);
  auto owner_before = owners({&a, &b});
  auto subscribes = subscribe_calls(sim);
  auto mark_a = a.line_count(), mark_b = b.line_count();

  auto down_at = std::chrono::steady_clock::now();
  zk.kill();
  zk.start();
  auto down_for = std::chrono::steady_clock::now() - down_at;
  MESSAGE("ZooKeeper was down for "
          << std::chrono::duration_cast<std::chrono::milliseconds>(down_for).count() << " ms");
  REQUIRE(down_for < t / 2);
  // Both hosts noticed and got their sessions back...
  CHECK(a.wait_line("zk_connected", t, mark_a));
  CHECK(b.wait_line("zk_connected", t, mark_b));
  // ...and for the rest of T nothing happens: no stream changes, no new SUBSCRIBE.
  bool changed = sim.wait_for(
    [&] {
      if (subscribe_calls(sim) != subscribes)
        return true;
      for (auto& [name, f] : test::frameworks_by_name(sim))
        if (!f.subscribed || f.stream_id != before[name].stream_id)
          return true;
      return false;
    },
    t / 2);
  CHECK_FALSE(changed);
  CHECK(subscribe_calls(sim) == subscribes);
  CHECK(fleet_events(a, mark_a).empty());
  CHECK(fleet_events(b, mark_b).empty());
  CHECK(a.lines_with("fleet_fenced", mark_a).empty());
  CHECK(b.lines_with("fleet_fenced", mark_b).empty());
  CHECK(owners({&a, &b}) == owner_before);
  CHECK(test::running_tasks(sim) == n);
  CHECK(sim.tasks().size() == n);
}

TEST_CASE("ZooKeeper down longer than T: every host fences; back, the refs run again, same ids") {
  constexpr std::size_t n = two_hosts::n;
  constexpr auto t = 2000ms;
  two_hosts fleet{t};
  auto& zk = fleet.zk;
  auto& sim = fleet.sim;
  auto& a = *fleet.a;
  auto& b = *fleet.b;
  CAPTURE(a.output());
  CAPTURE(b.output());
  auto before = test::frameworks_by_name(sim);
  auto owner_before = owners({&a, &b});
  std::map<std::string, std::size_t> per_host;
  for (auto& [ref, h] : owner_before)
    ++per_host[h];
  auto mark_a = a.line_count(), mark_b = b.line_count();

  auto down_at = std::chrono::steady_clock::now();
  zk.kill();
  // Each host fences every framework it runs within T/2 (+ one tick) of its last answer,
  // and the frameworks' streams close.
  auto fenced = [&](host_process& h, std::size_t mark) {
    return h.lines_with("EVENT fenced", mark).size();
  };
  bool all_fenced = sim.wait_for(
    [&] { return fenced(a, mark_a) == per_host["a"] && fenced(b, mark_b) == per_host["b"]; },
    2 * t);
  CHECK(all_fenced);
  CHECK(std::chrono::steady_clock::now() - down_at < t);
  // The master notices a closed stream when a write to it fails (heartbeats every 1 s).
  CHECK(sim.wait_for(
    [&] {
      for (auto& f : sim.frameworks())
        if (f.subscribed)
          return false;
      return true;
    },
    5s));
  // Nobody subscribes while ZooKeeper is away (past T: no session can be trusted).
  auto subscribes = subscribe_calls(sim);
  bool resubscribed = sim.wait_for([&] { return subscribe_calls(sim) != subscribes; },
                                   t + 500ms);
  CHECK_FALSE(resubscribed);
  REQUIRE(std::chrono::steady_clock::now() - down_at > t);

  auto back_at = std::chrono::steady_clock::now();
  zk.start();
  bool up = sim.wait_for(
    [&] {
      auto now = test::frameworks_by_name(sim);
      if (now.size() != n)
        return false;
      for (auto& [name, f] : now)
        if (!f.subscribed || f.stream_id == before[name].stream_id)
          return false;
      return true;
    },
    30s);
  MESSAGE("all subscribed again "
          << std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now() - back_at)
               .count()
          << " ms after ZooKeeper's restart");
  REQUIRE(up);
  for (auto& [name, f] : test::frameworks_by_name(sim)) {
    CAPTURE(name);
    CHECK(f.id == before[name].id); // a failover in Mesos, not a new framework
  }
  CHECK(test::running_tasks(sim) == n);
  CHECK(sim.tasks().size() == n);
  // Never two subscribed instances, before, during or after the outage.
  auto doubles = fleet_test::double_subscriptions(sim.events());
  INFO(fleet_test::describe(doubles));
  CHECK(doubles.empty());
}
