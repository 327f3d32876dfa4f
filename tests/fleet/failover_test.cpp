// Issue 16's failover, fencing and takeover, end to end: a real ZooKeeper server on
// loopback, the simulator as Mesos (in this process), fleet hosts as child processes
// (tests/fleet_host) so that they can be killed and stopped.
#include <doctest/doctest.h>

#include <csignal>
#include <map>
#include <set>
#include <sstream>

#include <mesos_actor/sim/cluster.hpp>

#include "fleet/fleet_hosts.hpp"
#include "fleet/trace_check.hpp"
#include "support/sim_views.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using fleet_test::host_args;
using fleet_test::host_process;
using fleet_test::owners;

namespace {

constexpr auto session_timeout = 2000ms;

mesos_actor::sim::cluster_options sim_options() {
  mesos_actor::sim::cluster_options o;
  o.agents = 3;
  o.heartbeat_interval = 1s;
  return o;
}

// Every framework and task the leading master knows, for failure messages.
std::string describe_cluster(const mesos_actor::sim::cluster& sim) {
  std::string out;
  for (auto& f : sim.frameworks())
    out += "framework " + f.id + " " + f.info.name() + (f.subscribed ? " subscribed" : " away") + "\n";
  for (auto& t : sim.tasks())
    out += "task " + t.task_id + " of " + t.framework_id + " "
           + mesos::v1::TaskState_Name(t.state) + "\n";
  return out;
}

} // namespace

TEST_CASE("kill -9 of one of three hosts: its frameworks run again elsewhere, same ids, no task lost") {
  constexpr std::size_t n = 30;
  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{sim_options()};
  sim.start();
  auto master = sim.master_urls()[0];
  // b and c join first, so that a's placement sees all three when it declares.
  host_process b{host_args(zk, master, "b", session_timeout)};
  host_process c{host_args(zk, master, "c", session_timeout)};
  REQUIRE(b.wait_line("fleet_joined", 20s));
  REQUIRE(c.wait_line("fleet_joined", 20s));
  host_process a{host_args(zk, master, "a", session_timeout, {"--declare", std::to_string(n)})};
  CAPTURE(a.output());
  REQUIRE(a.wait_line("READY", 20s));
  bool up = sim.wait_for([&] { return test::all_subscribed(sim, n); }, 90s);
  CAPTURE(b.output());
  CAPTURE(c.output());
  REQUIRE(up);
  auto before = test::frameworks_by_name(sim);
  REQUIRE(sim.wait_for([&] { return owners({&a, &b, &c}).size() == n; }, 10s));
  auto owner = owners({&a, &b, &c});
  std::map<std::string, std::size_t> per_host;
  for (auto& [ref, h] : owner)
    ++per_host[h];
  // Least loaded placement spreads them over the three hosts.
  CHECK(per_host.size() == 3);
  host_process* victim = &b;
  std::string victim_name = "b";
  REQUIRE(per_host[victim_name] > 0);
  std::set<std::string> moved;
  for (auto& [ref, h] : owner)
    if (h == victim_name)
      moved.insert(ref);

  auto killed_at = std::chrono::steady_clock::now();
  victim->process().kill();
  bool resubscribed = sim.wait_for(
    [&] {
      auto now = test::frameworks_by_name(sim);
      for (auto& ref : moved) {
        auto i = now.find(ref);
        if (i == now.end() || !i->second.subscribed
            || i->second.stream_id == before[ref].stream_id)
          return false;
      }
      return true;
    },
    session_timeout + 20s);
  auto took = std::chrono::steady_clock::now() - killed_at;
  MESSAGE("moved " << moved.size() << " framework(s) in "
                   << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                   << " ms");
  REQUIRE(resubscribed);
  auto after = test::frameworks_by_name(sim);
  CHECK(after.size() == n);
  for (auto& [name, f] : after) {
    CAPTURE(name);
    CHECK(f.id == before[name].id); // Mesos saw a failover, not a new framework
    CHECK(f.subscribed);
  }
  // Every task still runs, and none was launched again.
  CHECK(test::running_tasks(sim) == n);
  CHECK(sim.tasks().size() == n);
  // Never two subscribed instances of one framework, from the first start on, except
  // the killed host's streams, which the master may hold open (half-open, until a write
  // fails) until the new owner's SUBSCRIBE: the fencing window of the moved ones.
  fleet_test::fencing_window window{{}, killed_at, std::chrono::steady_clock::now()};
  for (auto& ref : moved)
    window.framework_ids.insert(before[ref].id);
  auto doubles = fleet_test::double_subscriptions(sim.events());
  auto bad = fleet_test::outside(doubles, {window});
  INFO(fleet_test::describe(doubles));
  CHECK(bad.empty());
  // The hosts print SUBSCRIBED from the behaviour's callback, which runs once the
  // framework id is stored in ZooKeeper: a little after the master saw the subscription.
  auto moved_to_survivors = [&] {
    auto now_owner = owners({&a, &c});
    for (auto& ref : moved)
      if (now_owner[ref] != "a" && now_owner[ref] != "c")
        return false;
    return true;
  };
  CHECK(sim.wait_for(moved_to_survivors, 10s));
}

TEST_CASE("SIGSTOP past the session timeout: frameworks move; SIGCONT: the host fences itself") {
  constexpr std::size_t n = 6;
  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{sim_options()};
  sim.start();
  auto master = sim.master_urls()[0];
  host_process b{host_args(zk, master, "b", session_timeout)};
  REQUIRE(b.wait_line("fleet_joined", 20s));
  host_process a{host_args(zk, master, "a", session_timeout, {"--declare", std::to_string(n)})};
  REQUIRE(a.wait_line("READY", 20s));
  bool up = sim.wait_for([&] { return test::all_subscribed(sim, n); }, 60s);
  CAPTURE(a.output());
  CAPTURE(b.output());
  REQUIRE(up);
  REQUIRE(sim.wait_for([&] { return owners({&a, &b}).size() == n; }, 10s));
  auto before = test::frameworks_by_name(sim);
  std::set<std::string> moved;
  for (auto& [ref, h] : owners({&a, &b}))
    if (h == "b")
      moved.insert(ref);
  REQUIRE_FALSE(moved.empty());

  auto stopped_at = std::chrono::steady_clock::now();
  b.process().signal_group(SIGSTOP);
  bool resubscribed = sim.wait_for(
    [&] {
      auto now = test::frameworks_by_name(sim);
      for (auto& ref : moved)
        if (!now[ref].subscribed || now[ref].stream_id == before[ref].stream_id)
          return false;
      return true;
    },
    session_timeout + 20s);
  REQUIRE(resubscribed);
  auto moved_state = test::frameworks_by_name(sim);
  auto mark = b.line_count();
  b.process().signal_group(SIGCONT);
  // It notices (its lease ran out while it was stopped) and stops them...
  auto fenced = b.wait_line("EVENT fenced", 10s, mark);
  if (!fenced)
    fenced = b.wait_line("EVENT lost", 1s, mark);
  CHECK(fenced);
  // ...and never wins a subscription back: every stream stays the new owner's.
  bool changed = sim.wait_for(
    [&] {
      for (auto& [name, f] : test::frameworks_by_name(sim))
        if (f.stream_id != moved_state[name].stream_id || !f.subscribed)
          return true;
      return false;
    },
    3 * session_timeout);
  CHECK_FALSE(changed);
  CHECK(b.lines_with("SUBSCRIBED ", mark).empty());
  // The stopped host's streams were still open when the new owner subscribed (the
  // check sees it: Mesos's half of the fence), and only then, only for those moved.
  fleet_test::fencing_window window{{}, stopped_at, std::chrono::steady_clock::now()};
  for (auto& ref : moved)
    window.framework_ids.insert(before[ref].id);
  auto doubles = fleet_test::double_subscriptions(sim.events());
  INFO(fleet_test::describe(doubles));
  CHECK_FALSE(doubles.empty());
  CHECK(fleet_test::outside(doubles, {window}).empty());
  INFO(describe_cluster(sim));
  INFO(a.output());
  INFO(b.output());
  CHECK(test::running_tasks(sim) == n);
  CHECK(sim.tasks().size() == n);
}

TEST_CASE("takeover: a preferred host that joins takes its ref back, same framework id") {
  zk_test::zk_server zk;
  mesos_actor::sim::cluster sim{sim_options()};
  sim.start();
  auto master = sim.master_urls()[0];
  host_process a{host_args(zk, master, "a", session_timeout, {"--prefer", "pref-0=b,a"})};
  auto ready = a.wait_line("READY", 20s);
  CAPTURE(a.output());
  REQUIRE(ready);
  REQUIRE(sim.wait_for([&] { return test::all_subscribed(sim, 1); }, 30s));
  REQUIRE(a.wait_line("SUBSCRIBED pref-0", 5s));
  auto before = test::frameworks_by_name(sim)["pref-0"];

  host_process b{host_args(zk, master, "b", session_timeout)};
  CAPTURE(a.output());
  auto line = b.wait_line("SUBSCRIBED pref-0", 30s);
  CAPTURE(b.output());
  REQUIRE(line);
  CHECK(line->find(before.id) != std::string::npos);
  CHECK(a.wait_line("EVENT taken_over pref-0", 1s));
  REQUIRE(sim.wait_for(
    [&] {
      auto f = test::frameworks_by_name(sim)["pref-0"];
      return f.subscribed && f.stream_id != before.stream_id;
    },
    10s));
  CHECK(test::frameworks_by_name(sim)["pref-0"].id == before.id);
  CHECK(test::running_tasks(sim) == 1);
  CHECK(sim.tasks().size() == 1);
}
