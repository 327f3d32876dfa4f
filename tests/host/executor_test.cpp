// Executors under the host: start/stop/which keyed by ref, environment errors up
// front, and restarts per policy when the agent cannot be reached.

#include <doctest/doctest.h>

#include <atomic>
#include <map>

#include <mesos_actor/errors.hpp>
#include <supervisor/errors.hpp>

#include "host/host_fixture.hpp"

using namespace host_test;
using mesos_actor::framework_status;
using mesos_actor::host_event_kind;

namespace {

struct counting_executor : mesos_actor::executor {
  explicit counting_executor(std::shared_ptr<std::atomic<int>> terminated)
    : terminated_(std::move(terminated)) {}
  void terminate(mesos_actor::executor_context&, const caf::error&) override { ++*terminated_; }
  std::shared_ptr<std::atomic<int>> terminated_;
};

// The MESOS_* variables of an executor whose agent is at `port` (nobody listens).
mesos_actor::executor_options unreachable_agent(std::uint16_t port,
                                                std::chrono::milliseconds give_up_after) {
  mesos_actor::executor_options o;
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", "fw-exec-test"},
    {"MESOS_EXECUTOR_ID", "exec-1"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + std::to_string(port)},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:" + std::to_string(port)},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1secs"},
  };
  o.registration_timeout = give_up_after;
  o.registration_backoff_max = 20ms;
  o.connect_timeout = 200ms;
  o.logging.min_level = mesos_actor::log_level::off;
  return o;
}

// A port that was just an agent's and is closed now.
std::uint16_t dead_port() {
  auto o = fast_cluster();
  o.agents = 1;
  mesos_actor::sim::cluster gone{o};
  gone.start();
  REQUIRE(gone.agents().size() == 1);
  return gone.agents()[0].port;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "executors: start, already_started, which, stop, not_found, bad environment") {
  mesos_actor::host h{host_opts()};
  auto terminated = std::make_shared<std::atomic<int>>(0);
  auto factory = [terminated] { return std::make_unique<counting_executor>(terminated); };
  auto port = dead_port();

  auto bad = unreachable_agent(port, 30s);
  bad.environment->erase("MESOS_EXECUTOR_ID");
  auto r = h.start_executor("broken-env", factory, bad);
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::bad_environment);
  CHECK(mesos_actor::describe(r.error()).find("MESOS_EXECUTOR_ID") != std::string::npos);

  auto e = h.start_executor("worker", factory, unreachable_agent(port, 30s), fast_policy());
  REQUIRE(e);
  auto again = h.start_executor("worker", factory, unreachable_agent(port, 30s), fast_policy());
  REQUIRE_FALSE(again);
  CHECK(supervisor::is(again.error(), supervisor::sup_error::already_started));
  CHECK(supervisor::running_child(again.error()) == *e);

  auto rows = h.which_executors();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].ref == "worker");
  CHECK(rows[0].actor == *e);
  CHECK(rows[0].status == framework_status::running);
  CHECK(rows[0].framework_id == "fw-exec-test");
  CHECK(h.which_schedulers().empty()); // separate subtrees

  REQUIRE_FALSE(h.stop_executor("worker"));
  CHECK(terminated->load() == 1);
  CHECK(h.which_executors().empty());
  CHECK(supervisor::is(h.stop_executor("worker"), supervisor::sup_error::not_found));
}

TEST_CASE_FIXTURE(fixture, "an executor that cannot register is restarted per policy, then given up; schedulers unaffected") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  REQUIRE(h.start_scheduler("steady", factory_for(j), options(), fast_policy()));
  auto id = wait_subscribed(h, "steady");
  REQUIRE_FALSE(id.empty());
  auto stream = cluster.framework(id).value().stream_id;

  auto terminated = std::make_shared<std::atomic<int>>(0);
  auto factory = [terminated] { return std::make_unique<counting_executor>(terminated); };
  REQUIRE(h.start_executor("orphan", factory, unreachable_agent(dead_port(), 300ms),
                           fast_policy(supervisor::restart_type::transient, 1)));
  REQUIRE(events.wait_count("orphan", host_event_kind::gave_up, 1, 20s));
  CHECK(events.count("orphan", host_event_kind::restarted) == 1);
  auto row = row_of(h.which_executors(), "orphan");
  REQUIRE(row);
  CHECK(row->status == framework_status::failed);
  CHECK(mesos_actor::error_code(row->last_exit_reason) == mesos_actor::errc::recovery_timed_out);

  auto fw = cluster.framework(id);
  REQUIRE(fw);
  CHECK(fw->subscribed);
  CHECK(fw->stream_id == stream);
  CHECK(events.count("steady", host_event_kind::exited) == 0);
}
