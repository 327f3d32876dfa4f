// How an executor's start meets its init (OTP start_link / proc_lib:init_ack):
// start_executor_actor returns once init has run, or init's error with the actor gone.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;

namespace {


} // namespace

TEST_CASE_FIXTURE(agent_fixture, "start_executor_actor returns init's error: stop, stop(reason), a throw") {
  auto declines = std::make_unique<recording_executor>(log);
  declines->on_init = [](auto&, Call::Subscribe&) { return action::stop; };
  auto r1 = start_executor_actor(*sys, std::move(declines), options());
  REQUIRE_FALSE(r1);
  CHECK(error_code(r1.error()) == errc::init_failed);

  auto stops = std::make_unique<recording_executor>(log);
  stops->on_init = [](executor_context& ctx, Call::Subscribe&) {
    ctx.stop(make_error(errc::bad_environment, "no sandbox"));
    return action::keep;
  };
  auto r2 = start_executor_actor(*sys, std::move(stops), options());
  REQUIRE_FALSE(r2);
  CHECK(error_code(r2.error()) == errc::bad_environment);
  CHECK(error_detail(r2.error()) == "no sandbox");

  auto throws = std::make_unique<recording_executor>(log);
  throws->on_init = [](auto&, Call::Subscribe&) -> action { throw std::runtime_error("disk full"); };
  auto r3 = start_executor_actor(*sys, std::move(throws), options());
  REQUIRE_FALSE(r3);
  CHECK(error_code(r3.error()) == errc::callback_exception);
  CHECK(error_detail(r3.error()).find("disk full") != std::string::npos);

  CHECK(agent.calls().empty()); // no SUBSCRIBE went out
}

TEST_CASE_FIXTURE(agent_fixture, "start_executor_actor returns once init has run, and the executor subscribes") {
  auto b = std::make_unique<recording_executor>(log);
  auto started = start_executor_actor(*sys, std::move(b), options());
  REQUIRE(started);
  CHECK(log->wait("init", std::chrono::milliseconds{0})); // already, not eventually
  CHECK(log->wait("registered"));
  caf::anon_send_exit(*started, caf::exit_reason::user_shutdown);
  auto reason = wait_down(*started, std::chrono::seconds{5});
  REQUIRE(reason);
  CHECK(*reason == caf::exit_reason::user_shutdown);
}
