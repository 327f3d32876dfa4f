// host::call_scheduler: calls by ref from plain threads reach the master in order,
// follow the framework's disconnected-call policy, and an unknown or ended ref is an
// error at once.

#include <doctest/doctest.h>

#include <map>

#include <caf/send.hpp>

#include <mesos_actor/errors.hpp>
#include <supervisor/errors.hpp>

#include "host/host_fixture.hpp"

using namespace host_test;
using mesos::v1::scheduler::Call;
using mesos_actor::errc;

namespace {

Call revive(const std::string& role) {
  Call call;
  call.set_type(Call::REVIVE);
  call.mutable_revive()->add_roles(role);
  return call;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "calls by ref reach the master in the order they were made") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  REQUIRE(h.start_scheduler("alpha", factory_for(j), options(), fast_policy()));
  auto id = wait_subscribed(h, "alpha");
  REQUIRE_FALSE(id.empty());
  for (int i = 0; i < 10; ++i) {
    auto r = h.call_scheduler("alpha", revive("r" + std::to_string(i)));
    REQUIRE(r);
    CHECK(r->http_status == 202);
  }
  Call suppress;
  suppress.set_type(Call::SUPPRESS);
  REQUIRE(h.call_scheduler("alpha", suppress, 5s));
  auto revives = test::calls_of(cluster, Call::REVIVE);
  REQUIRE(revives.size() == 10);
  for (int i = 0; i < 10; ++i) {
    CHECK(revives[i].call->revive().roles(0) == "r" + std::to_string(i));
    CHECK(revives[i].call->framework_id().value() == id);
  }
  REQUIRE(test::calls_of(cluster, Call::SUPPRESS).size() == 1);
}

TEST_CASE_FIXTURE(fixture, "a call by ref while disconnected follows the fail_fast policy") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  auto opts = options();
  opts.max_num_resubscribe = 1000;
  REQUIRE(h.start_scheduler("alpha", factory_for(j), opts, fast_policy()));
  auto id = wait_subscribed(h, "alpha");
  REQUIRE_FALSE(id.empty());
  cluster.faults().no_leader();
  cluster.faults().close_stream(id, mesos_actor::sim::close_mode::clean);
  // Fails fast until the scheduler notices; then with not_subscribed.
  caf::expected<mesos_actor::call_outcome> r{caf::error{}};
  REQUIRE(cluster.wait_for(
    [&] {
      r = h.call_scheduler("alpha", revive("down"), 5s);
      return !r && mesos_actor::error_code(r.error()) == errc::not_subscribed;
    },
    10s));
  CHECK(mesos_actor::error_detail(r.error()).find("state") != std::string::npos);
}

TEST_CASE_FIXTURE(fixture, "a call to an unknown, stopped or shut down ref is an error at once") {
  mesos_actor::host h{host_opts()};
  auto started = std::chrono::steady_clock::now();
  auto unknown = h.call_scheduler("nobody", revive("x"), 30s);
  REQUIRE_FALSE(unknown);
  CHECK(supervisor::is(unknown.error(), supervisor::sup_error::not_found));

  // A temporary framework that ended on its own stays listed as stopped.
  auto j = std::make_shared<journal>();
  auto policy = fast_policy();
  policy.restart = supervisor::restart_type::temporary;
  auto a = h.start_scheduler("once", factory_for(j), options(), policy);
  REQUIRE(a);
  REQUIRE_FALSE(wait_subscribed(h, "once").empty());
  caf::anon_send(*a, stop_now);
  REQUIRE(events.wait_count("once", mesos_actor::host_event_kind::exited, 1));
  auto ended = h.call_scheduler("once", revive("x"), 30s);
  REQUIRE_FALSE(ended);
  CHECK(mesos_actor::error_code(ended.error()) == errc::stopped);

  h.shutdown();
  auto after = h.call_scheduler("once", revive("x"), 30s);
  REQUIRE_FALSE(after);
  CHECK(mesos_actor::error_code(after.error()) == errc::stopped);
  CHECK(std::chrono::steady_clock::now() - started < 20s);
  CHECK(test::calls_of(cluster, Call::REVIVE).empty());
}

TEST_CASE_FIXTURE(fixture, "executor calls by ref: kept UPDATE, not_subscribed MESSAGE, unknown ref") {
  mesos_actor::host h{host_opts()};
  // An agent nobody serves: the executor keeps trying to subscribe.
  auto agent_port = [&] {
    auto o = fast_cluster();
    o.agents = 1;
    mesos_actor::sim::cluster gone{o};
    gone.start();
    return gone.agents().at(0).port;
  }();
  mesos_actor::executor_options o;
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", "fw-call-test"},
    {"MESOS_EXECUTOR_ID", "exec-1"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + std::to_string(agent_port)},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:" + std::to_string(agent_port)},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1secs"},
  };
  o.registration_timeout = 60s;
  o.registration_backoff_max = 20ms;
  o.connect_timeout = 200ms;
  o.logging.min_level = mesos_actor::log_level::off;
  auto started = h.start_executor("exec", [] { return std::make_unique<mesos_actor::executor>(); },
                                  o, fast_policy());
  REQUIRE_MESSAGE(started, mesos_actor::describe(started.error()));
  mesos::v1::TaskStatus status;
  status.mutable_task_id()->set_value("t1");
  status.set_state(mesos::v1::TASK_RUNNING);
  auto uuid = h.update_executor("exec", status, 10s);
  REQUIRE(uuid);
  CHECK(uuid->size() == 16);
  CHECK(mesos_actor::error_code(h.message_executor("exec", "hello", 10s)) == errc::not_subscribed);
  auto unknown = h.update_executor("nobody", status);
  REQUIRE_FALSE(unknown);
  CHECK(supervisor::is(unknown.error(), supervisor::sup_error::not_found));
  CHECK(supervisor::is(h.message_executor("nobody", "x"), supervisor::sup_error::not_found));
  REQUIRE_FALSE(h.stop_executor("exec"));
  CHECK(supervisor::is(h.message_executor("exec", "x"), supervisor::sup_error::not_found));
}
