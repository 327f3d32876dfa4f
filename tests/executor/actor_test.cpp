// The executor actor against a fake agent (loopback HTTP): subscription, calls,
// acknowledgements, recovery, shutdown, and how it ends.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;
using mesos::v1::executor::Event;

namespace {

struct actor_fixture : agent_fixture {
  caf::actor spawn(recording_executor* behaviour, executor_options o) {
    return spawn_executor(*sys, std::unique_ptr<executor>{behaviour}, std::move(o));
  }
  recording_executor* make() { return new recording_executor{log}; }
};

Event launch_event(const std::string& task) {
  Event e;
  e.set_type(Event::LAUNCH);
  *e.mutable_launch()->mutable_task() = task_info(task);
  return e;
}

Event ack_event(const std::string& task, const std::string& uuid) {
  Event e;
  e.set_type(Event::ACKNOWLEDGED);
  e.mutable_acknowledged()->mutable_task_id()->set_value(task);
  e.mutable_acknowledged()->set_uuid(uuid);
  return e;
}

Event simple_event(Event::Type type) {
  Event e;
  e.set_type(type);
  return e;
}

} // namespace

TEST_CASE_FIXTURE(actor_fixture, "executor subscribes with its ids on the agent's PID path") {
  auto a = spawn(make(), options(false));
  REQUIRE(log->wait("registered"));
  auto subs = agent.calls_of(Call::SUBSCRIBE);
  REQUIRE(subs.size() == 1);
  CHECK(subs[0].path == "/slave(1)/api/v1/executor");
  CHECK(subs[0].call.executor_id().value() == "exec-1");
  CHECK(subs[0].call.framework_id().value() == "fw-1");
  CHECK(subs[0].authorization.empty());
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(*reason == caf::exit_reason::user_shutdown);
  CHECK(log->wait("terminate"));
}

TEST_CASE_FIXTURE(actor_fixture, "launch, update and acknowledgement") {
  auto* b = make();
  std::string uuid;
  b->on_launch = [&](auto& ctx, const Event::Launch& l) {
    uuid = ctx.update(status_of(l.task().task_id().value(), mesos::v1::TASK_RUNNING));
    CHECK(ctx.unacknowledged_tasks().size() == 1);
    CHECK(ctx.unacknowledged_updates().size() == 1);
    return action::keep;
  };
  auto a = spawn(b, options(true));
  REQUIRE(log->wait("registered"));
  agent.push(launch_event("t1"));
  REQUIRE(log->wait("launch_task", 5s, "t1"));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 1; }, 5s));
  auto update = agent.calls_of(Call::UPDATE)[0].call;
  const auto& s = update.update().status();
  CHECK(update.executor_id().value() == "exec-1");
  CHECK(update.framework_id().value() == "fw-1");
  CHECK(s.uuid().size() == 16);
  CHECK(s.uuid() == uuid);
  CHECK(s.source() == mesos::v1::TaskStatus::SOURCE_EXECUTOR);
  CHECK(s.state() == mesos::v1::TASK_RUNNING);
  CHECK(s.executor_id().value() == "exec-1");
  CHECK(s.agent_id().value() == "agent-1");
  CHECK(s.timestamp() > 1.5e9);

  agent.push(ack_event("t1", s.uuid()));
  REQUIRE(log->wait("acknowledged", 5s, "t1"));
  // After the ack both lists are empty: a disconnection now re-subscribes with nothing.
  agent.close_stream();
  auto rereg = log->wait("reregister", 5s);
  REQUIRE(rereg);
  CHECK(rereg->detail == "0 tasks, 0 updates");
  REQUIRE(log->wait("reregistered"));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "two updates get distinct random uuids") {
  auto* b = make();
  b->on_launch = [&](auto& ctx, const Event::Launch& l) {
    auto u1 = ctx.update(status_of(l.task().task_id().value(), mesos::v1::TASK_STARTING));
    auto u2 = ctx.update(status_of(l.task().task_id().value(), mesos::v1::TASK_RUNNING));
    CHECK(u1 != u2);
    return action::keep;
  };
  auto a = spawn(b, options(false));
  REQUIRE(log->wait("registered"));
  agent.push(launch_event("t1"));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 2; }, 5s));
  auto ups = agent.calls_of(Call::UPDATE);
  CHECK(ups[0].call.update().status().state() == mesos::v1::TASK_STARTING); // in order
  CHECK(ups[1].call.update().status().state() == mesos::v1::TASK_RUNNING);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "launch group, kill default and framework messages both ways") {
  auto* b = make();
  b->on_message = [](auto& ctx, const Event::Message& m) {
    ctx.message("echo:" + m.data());
    return action::keep;
  };
  auto a = spawn(b, options(false));
  REQUIRE(log->wait("registered"));
  Event group;
  group.set_type(Event::LAUNCH_GROUP);
  *group.mutable_launch_group()->mutable_task_group()->add_tasks() = task_info("g1");
  *group.mutable_launch_group()->mutable_task_group()->add_tasks() = task_info("g2");
  agent.push(group);
  auto launched = log->wait("launch_task_group", 5s);
  REQUIRE(launched);
  CHECK(launched->detail == "g1 g2 ");
  // The recording executor has no group hook: nothing is sent for the group.
  Event kill;
  kill.set_type(Event::KILL);
  kill.mutable_kill()->mutable_task_id()->set_value("g1");
  agent.push(kill);
  REQUIRE(log->wait("kill_task", 5s, "g1"));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 1; }, 5s));
  CHECK(agent.calls_of(Call::UPDATE)[0].call.update().status().state()
        == mesos::v1::TASK_KILLED);

  Event msg;
  msg.set_type(Event::MESSAGE);
  msg.mutable_message()->set_data("ping");
  agent.push(msg);
  REQUIRE(log->wait("framework_message", 5s, "ping"));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::MESSAGE).size() == 1; }, 5s));
  CHECK(agent.calls_of(Call::MESSAGE)[0].call.message().data() == "echo:ping");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "default launch_task reports TASK_FAILED") {
  struct plain : executor {};
  auto a = spawn_executor(*sys, std::make_unique<plain>(), options(false));
  REQUIRE(agent.wait_for([&] { return agent.streams() == 1; }, 5s));
  agent.push(launch_event("t9"));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 1; }, 5s));
  auto s = agent.calls_of(Call::UPDATE)[0].call.update().status();
  CHECK(s.state() == mesos::v1::TASK_FAILED);
  CHECK(s.task_id().value() == "t9");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "SHUTDOWN: the executor ends after the callback's stop") {
  auto a = spawn(make(), options(false));
  REQUIRE(log->wait("registered"));
  agent.push(simple_event(Event::SHUTDOWN));
  REQUIRE(log->wait("shutdown"));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK_FALSE(*reason); // normal
}

TEST_CASE_FIXTURE(actor_fixture, "SHUTDOWN: the grace period ends an executor that keeps going") {
  auto* b = make();
  b->on_shutdown = [](auto& ctx) {
    // A terminal update on the way out is still delivered.
    ctx.update(status_of("t1", mesos::v1::TASK_KILLED));
    return action::keep;
  };
  auto o = options(false);
  o.environment->at("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD") = "300ms";
  auto a = spawn(b, o);
  REQUIRE(log->wait("registered"));
  auto before = std::chrono::steady_clock::now();
  agent.push(simple_event(Event::SHUTDOWN));
  auto reason = wait_down(a, 5s);
  auto took = std::chrono::steady_clock::now() - before;
  REQUIRE(reason);
  CHECK_FALSE(*reason);
  CHECK(took >= 250ms);
  CHECK(took < 3s);
  CHECK(agent.calls_of(Call::UPDATE).size() == 1);
}

TEST_CASE_FIXTURE(actor_fixture, "checkpointing: an update made while disconnected goes with the re-SUBSCRIBE") {
  auto* b = make();
  b->on_disconnected = [](auto& ctx) {
    ctx.update(status_of("t1", mesos::v1::TASK_FINISHED));
    return action::keep;
  };
  auto a = spawn(b, options(true));
  REQUIRE(log->wait("registered"));
  agent.push(launch_event("t1"));
  REQUIRE(log->wait("launch_task"));
  agent.stop();
  REQUIRE(log->wait("disconnected"));
  agent.start();
  REQUIRE(log->wait("reregistered", 10s));
  auto subs = agent.calls_of(Call::SUBSCRIBE);
  REQUIRE(subs.size() >= 2);
  const auto& sub = subs.back().call.subscribe();
  REQUIRE(sub.unacknowledged_tasks_size() == 1);
  CHECK(sub.unacknowledged_tasks(0).task_id().value() == "t1");
  REQUIRE(sub.unacknowledged_updates_size() == 1);
  CHECK(sub.unacknowledged_updates(0).status().state() == mesos::v1::TASK_FINISHED);
  // It was not also sent as an UPDATE call: the SUBSCRIBE carries it exactly once.
  CHECK(agent.calls_of(Call::UPDATE).empty());
  CHECK(log->count("disconnected") == 1);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "checkpointing: recovery gives up after MESOS_RECOVERY_TIMEOUT") {
  auto o = options(true);
  o.environment->at("MESOS_RECOVERY_TIMEOUT") = "600ms";
  o.environment->at("MESOS_SUBSCRIPTION_BACKOFF_MAX") = "20ms";
  auto a = spawn(make(), o);
  REQUIRE(log->wait("registered"));
  agent.stop();
  auto before = std::chrono::steady_clock::now();
  auto reason = wait_down(a, 10s);
  auto took = std::chrono::steady_clock::now() - before;
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::recovery_timed_out);
  CHECK(describe(*reason).find("MESOS_RECOVERY_TIMEOUT=600ms") != std::string::npos);
  CHECK(took >= 550ms);
  CHECK(took < 5s);
  CHECK(log->count("disconnected") == 1); // once per outage, not per retry
  CHECK(log->count("reregister") >= 2);   // it kept trying
  CHECK(log->wait("shutdown"));           // injected SHUTDOWN
}

TEST_CASE_FIXTURE(actor_fixture, "checkpointing: 503 while the agent recovers is retried") {
  agent.set_subscribe_status(503);
  auto a = spawn(make(), options(true));
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::SUBSCRIBE).size() >= 3; }, 5s));
  agent.set_subscribe_status(200);
  REQUIRE(log->wait("registered", 5s));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "an UPDATE answered 503 on an open stream is sent again until acknowledged") {
  // An agent recovering after a restart takes our SUBSCRIBE and keeps the stream open,
  // but answers calls 503: no new SUBSCRIBE will carry the update, so it is resent.
  agent.set_call_status(503);
  auto* b = make();
  std::string uuid;
  b->on_registered = [&](auto& ctx, const Event::Subscribed&) {
    uuid = ctx.update(status_of("t1", mesos::v1::TASK_FINISHED));
    return action::keep;
  };
  auto o = options(true);
  o.update_retry_interval = 100ms;
  auto a = spawn(b, o);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() >= 3; }, 5s));
  agent.set_call_status(202);
  REQUIRE(agent.wait_for([&] {
    auto u = agent.calls_of(Call::UPDATE);
    return !u.empty() && u.back().status == 202;
  }, 5s));
  for (const auto& c : agent.calls_of(Call::UPDATE))
    CHECK(c.call.update().status().uuid() == uuid); // the same update, not a new one
  CHECK(agent.streams() == 1);                        // no re-subscription was needed
  CHECK(log->count("call_failed") == 0);              // a 503 is not the behaviour's business
  // Once acknowledged it is not sent again (four retry intervals pass).
  agent.push(ack_event("t1", uuid));
  REQUIRE(log->wait("acknowledged", 5s, "t1"));
  auto sent = agent.calls_of(Call::UPDATE).size();
  agent.set_call_status(503);
  CHECK_FALSE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() > sent; }, 400ms));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "without checkpointing a disconnection shuts the executor down") {
  auto a = spawn(make(), options(false));
  REQUIRE(log->wait("registered"));
  agent.close_stream();
  REQUIRE(log->wait("disconnected"));
  REQUIRE(log->wait("shutdown"));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::agent_disconnected);
  CHECK(agent.calls_of(Call::SUBSCRIBE).size() == 1);
}

TEST_CASE_FIXTURE(actor_fixture, "a refused SUBSCRIBE ends the executor with the status") {
  agent.set_subscribe_status(401);
  auto a = spawn(make(), options(true));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::unauthorized);
  CHECK(describe(*reason).find("401") != std::string::npos);
}

TEST_CASE_FIXTURE(actor_fixture, "the authentication token is sent as a Bearer header") {
  auto o = options(false);
  (*o.environment)["MESOS_EXECUTOR_AUTHENTICATION_TOKEN"] = "jwt-abc";
  auto* b = make();
  b->on_registered = [](auto& ctx, const Event::Subscribed&) {
    ctx.message("hello");
    return action::keep;
  };
  auto a = spawn(b, o);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::MESSAGE).size() == 1; }, 5s));
  CHECK(agent.calls_of(Call::SUBSCRIBE)[0].authorization == "Bearer jwt-abc");
  CHECK(agent.calls_of(Call::MESSAGE)[0].authorization == "Bearer jwt-abc");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "heartbeat calls carry the placeholder ids like Mesos's library") {
  auto o = options(false);
  o.heartbeat_interval = 100ms;
  auto a = spawn(make(), o);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::HEARTBEAT).size() >= 2; }, 5s));
  auto hb = agent.calls_of(Call::HEARTBEAT)[0].call;
  CHECK(hb.executor_id().value() == "unused");
  CHECK(hb.framework_id().value() == "unused");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "calls that fail are reported to call_failed") {
  agent.set_call_status(400);
  auto* b = make();
  b->on_registered = [](auto& ctx, const Event::Subscribed&) {
    ctx.update(status_of("t1", mesos::v1::TASK_RUNNING));
    ctx.update(status_of("t1", mesos::v1::TASK_STAGING)); // refused locally
    return action::keep;
  };
  auto a = spawn(b, options(false));
  auto local = log->wait("call_failed", 5s, "TASK_STAGING");
  REQUIRE(local);
  CHECK(error_code(local->reason) == errc::rejected);
  CHECK(local->result == mesos_actor::call_status::not_sent);
  auto remote = log->wait("call_failed", 5s, "400");
  REQUIRE(remote);
  CHECK(remote->call.type() == Call::UPDATE);
  CHECK(remote->result == mesos_actor::call_status::rejected);
  CHECK(remote->http_status == 400);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "unknown events and other messages go to handle_info") {
  auto a = spawn(make(), options(false));
  REQUIRE(log->wait("registered"));
  agent.push(simple_event(Event::UNKNOWN));
  REQUIRE(log->wait("handle_info", 5s));
  caf::anon_send(a, std::string{"custom"});
  REQUIRE(log->wait("handle_info", 5s, "custom"));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "a throwing callback stops the executor with the reason") {
  auto* b = make();
  b->on_launch = [](auto&, const Event::Launch&) -> action {
    throw std::runtime_error("boom");
  };
  auto a = spawn(b, options(false));
  REQUIRE(log->wait("registered"));
  agent.push(launch_event("t1"));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::callback_exception);
  CHECK(describe(*reason).find("launch_task: boom") != std::string::npos);
}

TEST_CASE_FIXTURE(actor_fixture, "init may decline to start") {
  auto* b = make();
  b->on_init = [](auto&, Call::Subscribe&) { return action::stop; };
  auto a = spawn(b, options(false));
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::init_failed);
  CHECK(agent.calls().empty());
}

TEST_CASE_FIXTURE(actor_fixture, "a bad environment is a start error naming the variable") {
  auto o = options(true);
  o.environment->erase("MESOS_RECOVERY_TIMEOUT");
  auto started = start_executor_actor(*sys, std::make_unique<recording_executor>(log), o);
  REQUIRE_FALSE(started);
  CHECK(error_code(started.error()) == errc::bad_environment);
  CHECK(describe(started.error()).find("MESOS_RECOVERY_TIMEOUT") != std::string::npos);
  // spawn_executor reports the same as the actor's exit reason.
  auto a = spawn(make(), o);
  auto reason = wait_down(a, 5s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::bad_environment);
}

TEST_CASE_FIXTURE(actor_fixture, "bad options are refused") {
  auto o = options(false);
  o.heartbeat_interval = std::chrono::milliseconds{0};
  auto started = start_executor_actor(*sys, std::make_unique<recording_executor>(log), o);
  REQUIRE_FALSE(started);
  CHECK(error_code(started.error()) == errc::bad_option);
  CHECK(describe(started.error()).find("heartbeat_interval") != std::string::npos);
}

TEST_CASE_FIXTURE(actor_fixture, "updates beyond max_unacknowledged_updates fail with queue_full") {
  auto o = options(false);
  o.max_unacknowledged_updates = 1;
  auto* b = make();
  b->on_registered = [](auto& ctx, const Event::Subscribed&) {
    ctx.update(status_of("t1", mesos::v1::TASK_RUNNING));
    ctx.update(status_of("t1", mesos::v1::TASK_FINISHED));
    return action::keep;
  };
  auto a = spawn(b, o);
  auto failed = log->wait("call_failed", 5s, "queue_full");
  REQUIRE(failed);
  CHECK(failed->call.update().status().state() == mesos::v1::TASK_FINISHED);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 1; }, 5s));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(actor_fixture, "a MESSAGE while not subscribed fails with not_subscribed") {
  auto* b = make();
  b->on_disconnected = [](auto& ctx) {
    ctx.message("lost");
    return action::keep;
  };
  auto a = spawn(b, options(true));
  REQUIRE(log->wait("registered"));
  agent.close_stream();
  auto failed = log->wait("call_failed", 5s, "not_subscribed");
  REQUIRE(failed);
  CHECK(failed->call.type() == Call::MESSAGE);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}
