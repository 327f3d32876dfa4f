// ZooKeeper itself failing under a running fleet (docs/fleet.md, "ZooKeeper down or
// restarted"): a restart with the same data dir shorter than T/2 moves and restarts
// nothing; an outage longer than T makes every host fence its frameworks, and when
// ZooKeeper is back they are owned and subscribed again with the same framework ids.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>

#include <mesos_actor/sim/cluster.hpp>

#include "fleet/host_process.hpp"
#include "fleet/trace_check.hpp"
#include "support/sim_views.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using fleet_test::host_process;

namespace {

std::vector<std::string> host_args(const zk_test::zk_server& zk, const std::string& master,
                                   const std::string& name, std::chrono::milliseconds t,
                                   std::vector<std::string> extra = {}) {
  std::vector<std::string> args{std::string{MESOS_ACTOR_BUILD_DIR} + "/tests/test_fleet_host",
                                "--zk", zk.url("/unused"), "--path", "/fleet", "--name", name,
                                "--master", master, "--session-timeout-ms",
                                std::to_string(t.count())};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

mesos_actor::sim::cluster_options sim_options() {
  mesos_actor::sim::cluster_options o;
  o.agents = 2;
  o.heartbeat_interval = 1s;
  return o;
}

std::size_t subscribe_calls(const mesos_actor::sim::cluster& sim) {
  std::size_t n = 0;
  for (auto& r : sim.requests())
    n += r.call && r.call->type() == mesos::v1::scheduler::Call::SUBSCRIBE ? 1 : 0;
  return n;
}

// ref -> host, from the "SUBSCRIBED <ref> <id> <host>" lines from index `from` (newest wins).
std::map<std::string, std::string> owners(std::vector<host_process*> hosts, std::size_t from = 0) {
  std::map<std::string, std::string> out;
  for (auto* h : hosts)
    for (auto& line : h->lines_with("SUBSCRIBED ", from)) {
      std::istringstream in{line};
      std::string tag, ref, id, host;
      in >> tag >> ref >> id >> host;
      out[ref] = host;
    }
  return out;
}

// The fleet's events a host printed from line `from` (acquired, lost, fenced, ...).
std::vector<std::string> fleet_events(host_process& h, std::size_t from) {
  std::vector<std::string> out;
  for (auto& line : h.lines_with("EVENT ", from))
    out.push_back(line);
  return out;
}

} // namespace

TEST_CASE("ZooKeeper restarted (same data) within T/2: no ref moves, no framework restarts") {
  constexpr std::size_t n = 4;
  // T/2 = 10 s: room for a JVM restart on a busy machine.
  constexpr auto t = 20000ms;
  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{sim_options()};
  sim.start();
  auto master = sim.master_urls()[0];
  host_process b{host_args(zk, master, "b", t)};
  REQUIRE(b.wait_line("fleet_joined", 20s));
  host_process a{host_args(zk, master, "a", t, {"--declare", std::to_string(n)})};
  CAPTURE(a.output());
  CAPTURE(b.output());
  REQUIRE(a.wait_line("READY", 20s));
  REQUIRE(sim.wait_for([&] { return test::all_subscribed(sim, n); }, 60s));
  REQUIRE(sim.wait_for([&] { return owners({&a, &b}).size() == n; }, 10s));
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
  constexpr std::size_t n = 4;
  constexpr auto t = 2000ms;
  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{sim_options()};
  sim.start();
  auto master = sim.master_urls()[0];
  host_process b{host_args(zk, master, "b", t)};
  REQUIRE(b.wait_line("fleet_joined", 20s));
  host_process a{host_args(zk, master, "a", t, {"--declare", std::to_string(n)})};
  CAPTURE(a.output());
  CAPTURE(b.output());
  REQUIRE(a.wait_line("READY", 20s));
  REQUIRE(sim.wait_for([&] { return test::all_subscribed(sim, n); }, 60s));
  REQUIRE(sim.wait_for([&] { return owners({&a, &b}).size() == n; }, 10s));
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
