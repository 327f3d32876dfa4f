// The fleet example (examples/fleet) end to end, as the README walks through it: two
// hosts on a real ZooKeeper and the simulator; kill -9 of the host running the
// frameworks, and the other host subscribes them again with the same framework ids
// while their tasks keep running (no task launched again).
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include <mesos_actor/sim/cluster.hpp>

#include "fleet/host_process.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;
using fleet_test::host_process;

namespace {

constexpr auto session_timeout = 2000ms;

// "<id>" of the first "<host>: <ref> subscribed as <id> (...)" line, "" when none came.
std::string framework_id(host_process& h, const std::string& host, const std::string& ref,
                         std::chrono::milliseconds limit, std::size_t from = 0) {
  auto line = h.wait_line(host + ": " + ref + " subscribed as ", limit, from);
  if (!line)
    return {};
  auto start = line->find(" as ") + 4;
  return line->substr(start, line->find(' ', start) - start);
}

} // namespace

TEST_CASE("example fleet: kill -9 of the owner, the other host takes over with the same ids") {
  zk_test::zk_server zk;
  mesos_actor::sim::cluster_options so;
  so.agents = 1;
  mesos_actor::sim::cluster sim{so};
  sim.start();
  auto args = [&](const std::string& name, const std::string& declare) {
    return std::vector<std::string>{std::string{MESOS_ACTOR_BUILD_DIR} + "/examples/fleet",
                                    "--zk", zk.url("/x"), "--path", "/example", "--name", name,
                                    "--master", sim.master_urls()[0], "--session-timeout-ms",
                                    std::to_string(session_timeout.count()), "--declare", declare};
  };
  // a alone when it declares: both frameworks go to it.
  host_process a{args("a", "2")};
  CAPTURE(a.output());
  REQUIRE(a.wait_line("a: ready", 30s));
  std::map<std::string, std::string> ids;
  for (std::string ref : {"demo-0", "demo-1"}) {
    ids[ref] = framework_id(a, "a", ref, 30s);
    REQUIRE_FALSE(ids[ref].empty());
  }
  auto tasks_running = [&] {
    auto tasks = sim.tasks();
    std::size_t running = 0;
    for (auto& t : tasks)
      running += t.state == mesos::v1::TASK_RUNNING ? 1 : 0;
    return tasks.size() == 2 && running == 2;
  };
  REQUIRE(sim.wait_for(tasks_running, 30s));

  // b joins (declaring them again changes nothing), then a dies.
  host_process b{args("b", "2")};
  CAPTURE(b.output());
  REQUIRE(b.wait_line("b: ready", 30s));
  REQUIRE(b.wait_line("fleet_joined", 10s));
  a.process().kill();
  for (auto& [ref, id] : ids) {
    CAPTURE(ref);
    CHECK(framework_id(b, "b", ref, session_timeout + 30s) == id);
    // Its reconciliation finds the task still running.
    CHECK(b.wait_line("b: " + ref + " task " + ref + "-task TASK_RUNNING", 10s));
  }
  CHECK(b.lines_with("(failover: same framework id)").size() == 2);
  CHECK(sim.frameworks().size() == 2); // no new framework at the master
  CHECK(tasks_running());              // none lost, none launched again
}
