// Issue 7's "done when" for ZooKeeper: the example scheduler (examples/launch_tasks)
// runs against zk:// with three simulated masters registered in a real ZooKeeper,
// survives two leader changes and a ZooKeeper restart, and every task finishes.
#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <httplib.h>

#include "support/line_process.hpp"
#include "support/zk_server.hpp"

using namespace std::chrono_literals;

namespace {

// The example as a child process, its stdout read line by line.
using example_process = testkit::line_process;

// The URL after " at " / " on " at the end of a line.
std::string last_word(const std::string& line) {
  return line.substr(line.rfind(' ') + 1);
}

void set_leader(const std::string& master_url, int master) {
  httplib::Client cli(master_url);
  cli.set_connection_timeout(5);
  auto res = cli.Post("/sim/faults/set_leader?master=" + std::to_string(master), "", "text/plain");
  REQUIRE(res);
  REQUIRE(res->status / 100 == 2);
}

/// A private directory under the system's temp dir, removed with everything in it.
class scratch_dir {
public:
  scratch_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "mesos-actor-gate-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace

TEST_CASE("example launch_tasks via zk://: two leader changes and a ZooKeeper restart, all tasks finish") {
  zk_test::zk_server zk;
  // The tasks run until the test opens the gate: a slow ZooKeeper restart (a JVM start
  // on a loaded machine) cannot let them finish before the second leader change.
  scratch_dir gate_dir;
  auto gate = (gate_dir.path() / "open").string();
  std::string example = std::string{MESOS_ACTOR_BUILD_DIR} + "/examples/launch_tasks";
  REQUIRE(::access(example.c_str(), X_OK) == 0);
  example_process run({example, "--tasks", "4", "--command",
                      "while [ ! -e '" + gate + "' ]; do sleep 0.1; done; echo done", "--sim-masters",
                     "3", "--sim-zookeeper", zk.url("/mesos"), "--sim-control",
                     "--failover-timeout", "60", "--timeout", "80"});
  std::vector<std::string> masters;
  auto first = run.wait_line("started an embedded simulated Mesos cluster at", 20s);
  REQUIRE(first);
  masters.push_back(last_word(*first));
  for (int i = 1; i < 3; ++i) {
    auto line = run.wait_line("simulated master " + std::to_string(i) + " at", 5s);
    REQUIRE(line);
    masters.push_back(last_word(*line));
  }
  CAPTURE(run.output());
  auto registered = run.wait_line("registered as framework", 20s);
  REQUIRE(registered);
  CHECK(registered->find(masters[0]) != std::string::npos);
  REQUIRE(run.wait_line("launching", 20s));

  // Leader change 1 (ZooKeeper decides: master 0's node goes behind master 1's).
  set_leader(masters[0], 1);
  REQUIRE(run.wait_line("on " + masters[1], 20s));

  // ZooKeeper restarts (same port, same data): sessions and nodes survive.
  zk.kill();
  zk.start();

  // Leader change 2, after the restart.
  set_leader(masters[1], 2);
  REQUIRE(run.wait_line("on " + masters[2], 20s));

  std::ofstream{gate};
  REQUIRE(run.wait_line("all 4 task(s) ended, 0 failed", 60s));
  CHECK(run.wait_exit(30s) == 0);
  CHECK(run.wait_line("success", 1s));
}
