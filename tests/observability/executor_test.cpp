// An executor under a host logs its attempts with the host's sink and ref, counts
// them in its metrics, and logs giving up once.

#include <doctest/doctest.h>

#include <map>

#include "observability/obs_fixture.hpp"

using namespace obs_test;

namespace {

struct idle_executor : mesos_actor::executor {};

// A port that was just an agent's and is closed now.
std::uint16_t dead_port() {
  mesos_actor::sim::cluster gone{fast_cluster(1)};
  gone.start();
  REQUIRE(gone.agents().size() == 1);
  return gone.agents()[0].port;
}

} // namespace

TEST_CASE("an executor that cannot reach its agent logs and counts its attempts, then gives up") {
  auto port = std::to_string(dead_port());
  mesos_actor::executor_options o;
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", "fw-obs"},
    {"MESOS_EXECUTOR_ID", "exec-obs"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + port},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:" + port},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "100ms"},
  };
  o.registration_timeout = 500ms;
  o.registration_backoff_max = 20ms;
  o.connect_timeout = 200ms;

  capture_sink cap;
  mesos_actor::host_options ho;
  ho.logging.sink = cap.sink();
  mesos_actor::host h{ho};
  mesos_actor::restart_policy temporary;
  temporary.restart = supervisor::restart_type::temporary;
  REQUIRE(h.start_executor("exec", [] { return std::make_unique<idle_executor>(); }, o,
                           temporary));
  REQUIRE(cap.wait_count("executor", "gave_up", 1));
  REQUIRE(cap.wait_count("executor", "stopped", 1));

  auto entries = cap.of("executor");
  REQUIRE_FALSE(entries.empty());
  CHECK(entries.front().event == "subscribing");
  for (auto& e : entries) {
    CHECK(e.framework == "exec");
    CHECK(e.level != mesos_actor::log_level::debug);
  }
  // The same failure repeats every few ms: it is logged once at warning (repeats are
  // debug), and so is the first retry.
  CHECK(cap.count("executor", "attempt_failed") == 1);
  CHECK(cap.count("executor", "gave_up") == 1);

  auto snap = h.metrics();
  REQUIRE(snap.frameworks.size() == 1);
  auto& f = snap.frameworks[0];
  CHECK(f.ref == "exec");
  CHECK(f.kind == "executor");
  CHECK(f.subscribe_attempts >= 2);
  CHECK(f.events_received.empty());
  CHECK(f.state == "stopped");
}
