// The agent's ERROR event reaches executor::error with its message; by default the
// executor carries on, and a callback that returns stop ends it normally.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Event;

namespace {


Event error_event(const std::string& message) {
  Event e;
  e.set_type(Event::ERROR);
  e.mutable_error()->set_message(message);
  return e;
}

Event message_event(const std::string& data) {
  Event e;
  e.set_type(Event::MESSAGE);
  e.mutable_message()->set_data(data);
  return e;
}

} // namespace

TEST_CASE_FIXTURE(agent_fixture, "an ERROR event is handed to error(); the executor carries on by default") {
  auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), options());
  REQUIRE(log->wait("registered"));
  agent.push(error_event("Executor is not registered"));
  auto err = log->wait("error", 5s);
  REQUIRE(err);
  CHECK(err->detail == "Executor is not registered");
  // Still subscribed on the same stream: the next event arrives, nothing ended.
  agent.push(message_event("after the error"));
  REQUIRE(log->wait("framework_message", 5s, "after the error"));
  CHECK(log->count("terminate") == 0);
  CHECK(log->count("disconnected") == 0);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(agent_fixture, "error() returning stop ends the executor normally, terminate first") {
  auto b = std::make_unique<recording_executor>(log);
  b->on_error = [](auto&, const Event::Error&) { return action::stop; };
  auto a = spawn_executor(*sys, std::move(b), options());
  REQUIRE(log->wait("registered"));
  agent.push(error_event("fatal"));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK_FALSE(*reason); // normal
  auto terminate = log->wait("terminate", 0s);
  REQUIRE(terminate);
  CHECK_FALSE(terminate->reason);
  CHECK(log->count("error") == 1);
}
