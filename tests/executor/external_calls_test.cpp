// The executor's calls (UPDATE, MESSAGE) made from outside its callbacks: from another
// actor (executor_update_atom / executor_message_atom requests) and from a plain thread
// (update_executor / message_executor), against a fake agent on loopback HTTP.
#include <doctest/doctest.h>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"
#include "mesos_actor/executor/external_call.hpp"
#include "support/recording_executor.hpp"
#include "support/wait.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;

namespace {

struct external_calls_fixture : agent_fixture {

  caf::actor spawn_subscribed(bool checkpoint) {
    auto o = options(checkpoint);
    auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), std::move(o));
    REQUIRE(log->wait("registered"));
    return a;
  }

  ~external_calls_fixture() {
    for (auto& a : spawned) {
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
      wait_down(a, 5s);
    }
  }
  std::vector<caf::actor> spawned;
};

// What a requesting actor got back.
struct answer : waitable {
  bool done = false;
  std::string uuid;
  caf::error error;
};

} // namespace

TEST_CASE_FIXTURE(external_calls_fixture, "an UPDATE from another actor is stamped, sent, and answered with its uuid") {
  auto a = spawn_subscribed(false);
  spawned.push_back(a);
  auto got = std::make_shared<answer>();
  // a and got go in as spawn arguments: CAF 0.17 dereferences a null argument tuple when a
  // function actor gets none (UBSan reports it).
  sys->spawn(
    [](caf::event_based_actor* self, const caf::actor& a, const std::shared_ptr<answer>& got) {
      self->request(a, std::chrono::seconds(10), executor_update_atom::value,
                    status_of("t1", mesos::v1::TASK_RUNNING))
        .then([got](std::string& uuid) { got->update([&] { got->uuid = uuid; got->done = true; }); },
              [got](caf::error& e) { got->update([&] { got->error = e; got->done = true; }); });
    },
    a, got);
  REQUIRE(got->wait_for([&] { return got->done; }));
  REQUIRE_FALSE(got->error);
  CHECK(got->uuid.size() == 16);
  auto updates = agent.calls_of(Call::UPDATE);
  REQUIRE(updates.size() == 1); // answered after the agent accepted it
  const auto& s = updates[0].call.update().status();
  CHECK(s.uuid() == got->uuid);
  CHECK(s.source() == mesos::v1::TaskStatus::SOURCE_EXECUTOR);
  CHECK(s.executor_id().value() == "exec-1");
  CHECK(s.agent_id().value() == "agent-1");
}

TEST_CASE_FIXTURE(external_calls_fixture, "UPDATE and MESSAGE from a thread: accepted, checked, rejected") {
  auto a = spawn_subscribed(false);
  spawned.push_back(a);
  auto uuid = update_executor(*sys, a, status_of("t1", mesos::v1::TASK_RUNNING), 10s);
  REQUIRE(uuid);
  CHECK(agent.calls_of(Call::UPDATE).size() == 1);
  CHECK_FALSE(message_executor(*sys, a, "hello", 10s));
  auto messages = agent.calls_of(Call::MESSAGE);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0].call.message().data() == "hello");

  // The checks of a callback's update.
  auto staging = update_executor(*sys, a, status_of("t1", mesos::v1::TASK_STAGING), 10s);
  REQUIRE_FALSE(staging);
  CHECK(error_code(staging.error()) == errc::rejected);
  auto no_task = update_executor(*sys, a, mesos::v1::TaskStatus{}, 10s);
  REQUIRE_FALSE(no_task);
  CHECK(error_code(no_task.error()) == errc::rejected);

  // The agent's refusal is the answer, not a call_failed.
  agent.set_call_status(400);
  auto refused = message_executor(*sys, a, "refused", 10s);
  CHECK(error_code(refused) == errc::rejected);
  auto refused_update = update_executor(*sys, a, status_of("t2", mesos::v1::TASK_RUNNING), 10s);
  REQUIRE_FALSE(refused_update);
  CHECK(error_code(refused_update.error()) == errc::rejected);
  CHECK(log->count("call_failed") == 0);
}

TEST_CASE_FIXTURE(external_calls_fixture, "while not subscribed: MESSAGE fails, UPDATE is kept for the next SUBSCRIBE") {
  auto a = spawn_subscribed(true);
  spawned.push_back(a);
  agent.set_auto_subscribed(false); // streams open, but no SUBSCRIBED
  agent.close_stream();
  REQUIRE(log->wait("disconnected"));
  auto lost = message_executor(*sys, a, "lost", 10s);
  CHECK(error_code(lost) == errc::not_subscribed);
  auto uuid = update_executor(*sys, a, status_of("t1", mesos::v1::TASK_FINISHED), 10s);
  REQUIRE(uuid);
  CHECK(agent.calls_of(Call::UPDATE).empty());
  CHECK(agent.calls_of(Call::MESSAGE).empty());
  agent.set_auto_subscribed(true);
  agent.close_stream();
  REQUIRE(log->wait("reregistered"));
  // The SUBSCRIBE the agent answered carries the update, unless it left before the update
  // was made (a retry in flight when the agent began answering): then the update follows
  // SUBSCRIBED as an UPDATE call. Either way the agent gets it.
  auto reached = [&] {
    auto subs = agent.calls_of(Call::SUBSCRIBE);
    if (!subs.empty()) {
      const auto& carried = subs.back().call.subscribe().unacknowledged_updates();
      if (carried.size() == 1 && carried[0].status().uuid() == *uuid)
        return true;
    }
    for (const auto& u : agent.calls_of(Call::UPDATE))
      if (u.call.update().status().uuid() == *uuid)
        return true;
    return false;
  };
  REQUIRE(agent.wait_for(reached, 10s));
}

TEST_CASE_FIXTURE(external_calls_fixture, "calls to an ended executor are an error at once") {
  auto a = spawn_subscribed(false);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  REQUIRE(wait_down(a, 5s));
  auto started = std::chrono::steady_clock::now();
  auto u = update_executor(*sys, a, status_of("t1", mesos::v1::TASK_RUNNING), 30s);
  REQUIRE_FALSE(u);
  CHECK(error_code(u.error()) == errc::stopped);
  CHECK(error_code(message_executor(*sys, a, "late", 30s)) == errc::stopped);
  CHECK(error_code(message_executor(*sys, caf::actor{}, "nobody", 30s)) == errc::stopped);
  CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE_FIXTURE(external_calls_fixture, "updates issued in sequence from one thread reach the agent in that order") {
  auto a = spawn_subscribed(false);
  spawned.push_back(a);
  constexpr int n = 20;
  caf::scoped_actor self{*sys};
  using handle = decltype(self->request(a, 10s, executor_update_atom::value,
                                        mesos::v1::TaskStatus{}));
  std::vector<handle> handles;
  for (int i = 0; i < n; ++i)
    handles.push_back(self->request(a, 10s, executor_update_atom::value,
                                    status_of("t" + std::to_string(i), mesos::v1::TASK_RUNNING)));
  int answered = 0;
  for (auto& h : handles)
    h.receive([&](std::string&) { ++answered; },
              [&](caf::error& e) { FAIL("update failed: " << describe(e)); });
  CHECK(answered == n);
  auto updates = agent.calls_of(Call::UPDATE);
  REQUIRE(updates.size() == n);
  for (int i = 0; i < n; ++i)
    CHECK(updates[i].call.update().status().task_id().value() == "t" + std::to_string(i));
}
