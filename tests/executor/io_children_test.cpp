// The executor actor's I/O children, the event stream worker and the call channel, are
// linked to it: which_children lists them, one that dies is replaced (a dead stream
// means subscribing again, a dead channel a new one for the next calls), and the
// executor's end takes both down. Against a fake agent on loopback HTTP.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"
#include "mesos_actor/executor/external_call.hpp"
#include "support/io_children.hpp"
#include "support/recording_executor.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;

namespace {

struct io_children_fixture : agent_fixture {
  std::vector<caf::actor> spawned;

  caf::actor spawn_subscribed(bool checkpoint = false) {
    auto o = options(checkpoint);
    auto from = log->size();
    auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), std::move(o));
    spawned.push_back(a);
    REQUIRE(log->wait("registered", 10s, {}, from));
    return a;
  }

  // The row of child `id`; fails the test when there is none.
  supervisor::child_info child(const caf::actor& a, const std::string& id) {
    auto row = child_of(*sys, a, id);
    REQUIRE(row);
    return *row;
  }

  ~io_children_fixture() {
    for (auto& a : spawned) {
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      wait_down(a, 5s);
    }
  }
};

} // namespace

TEST_CASE_FIXTURE(io_children_fixture, "a killed call channel is replaced and the next UPDATE goes out") {
  auto a = spawn_subscribed();
  auto old = child(a, "call_channel").actor;
  REQUIRE(old);
  caf::anon_send_exit(old, caf::exit_reason::kill);
  auto row = wait_replaced(*sys, a, "call_channel", old);
  REQUIRE(row);
  CHECK(row->restart_count == 1);
  CHECK(describe(row->last_exit_reason).find("killed") != std::string::npos);
  auto uuid = update_executor(*sys, a, status_of("t1", mesos::v1::TASK_RUNNING), 10s);
  REQUIRE(uuid);
  auto updates = agent.calls_of(Call::UPDATE);
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].call.update().status().uuid() == *uuid);
  CHECK(agent.calls_of(Call::SUBSCRIBE).size() == 1); // the subscription stood
}

TEST_CASE_FIXTURE(io_children_fixture, "a killed stream worker makes a checkpointing executor subscribe again") {
  auto a = spawn_subscribed(true); // without checkpointing, a lost connection ends it
  auto old = child(a, "event_stream").actor;
  REQUIRE(old);
  caf::anon_send_exit(old, caf::exit_reason::user_shutdown);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::SUBSCRIBE).size() >= 2; }, 10s));
  auto row = wait_replaced(*sys, a, "event_stream", old);
  REQUIRE(row);
  CHECK(row->status == supervisor::child_status::running);
}

TEST_CASE_FIXTURE(io_children_fixture, "the executor's end takes its children down, also when it is killed") {
  for (auto reason : {caf::exit_reason::user_shutdown, caf::exit_reason::kill}) {
    CAPTURE(caf::to_string(reason));
    auto a = spawn_subscribed();
    auto stream = child(a, "event_stream").actor;
    auto channel = child(a, "call_channel").actor;
    caf::anon_send_exit(a, reason);
    CHECK(wait_down(a, 5s).has_value());
    CHECK(wait_down(stream, 3s).has_value());
    CHECK(wait_down(channel, 3s).has_value());
  }
}
