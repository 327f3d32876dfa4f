// A scripted agent against the real executor actor: an agent that breaks every
// subscription right after SUBSCRIBED must not keep the executor alive for ever (the
// recovery timeout keeps running, the attempts keep counting), and durations from the
// agent that no timer can hold are clamped with a warning.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "hostile/hostile_fixture.hpp"

using namespace hostile;
using mesos_actor::errc;
using ExecutorCall = mesos::v1::executor::Call;

namespace {

// Answers SUBSCRIBE with SUBSCRIBED and then `after`; calls get 202.
script agent(std::string after) {
  return [=](peer_connection& c) {
    auto ct = content_type::protobuf;
    while (auto r = c.read_request()) {
      if (executor_call(*r) != ExecutorCall::SUBSCRIBE) {
        if (!c.write(call_answer()))
          return;
        continue;
      }
      c.write(stream_head(ct) + chunk(record(executor_subscribed(), ct)) + after);
      c.wait_closed(30s);
      return;
    }
  };
}

struct executor_run {
  test::capture_sink logs;  // first: it outlives the actor system that logs into it
  test::system_fixture system;
  std::shared_ptr<test::callback_log> log = std::make_shared<test::callback_log>();
  caf::actor actor;

  std::optional<caf::error> wait_down(const caf::actor& a, std::chrono::milliseconds timeout) {
    return system.wait_down(a, timeout);
  }

  mesos_actor::executor_options options(const scripted_peer& peer) {
    mesos_actor::executor_options o;
    o.environment = agent_environment(peer);
    o.logging.min_level = mesos_actor::log_level::debug;
    o.logging.sink = logs.sink();
    o.min_stable_subscription = 2s;
    return o;
  }
  void spawn(mesos_actor::executor_options o) {
    actor = mesos_actor::spawn_executor(
      *system.sys, std::unique_ptr<mesos_actor::executor>{new test::recording_executor{log}}, std::move(o));
  }
  ~executor_run() {
    if (actor) {
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
      wait_down(actor, 5s);
    }
  }
};

} // namespace

TEST_CASE("an agent breaking every subscription at once: the recovery timeout still ends it") {
  scripted_peer peer{agent(chunk("-5\nhello"))};
  executor_run run;
  auto started = steady::now();
  run.spawn(run.options(peer));
  // MESOS_RECOVERY_TIMEOUT=1500ms, then the 100 ms grace period.
  auto reason = run.wait_down(run.actor, 6s);
  auto took = steady::now() - started;
  REQUIRE(reason);
  run.actor = nullptr;
  CHECK(mesos_actor::error_code(*reason) == errc::recovery_timed_out);
  CHECK(took >= 1500ms);
  CHECK(took < 4s);
  auto subs = subscribes(peer.requests(), true);
  // MESOS_SUBSCRIPTION_BACKOFF_MAX=100ms: a random wait of 50 ms on average, so about
  // 30 SUBSCRIBEs in 1.5 s; 100 would take an absurd run of short draws.
  CHECK(subs.size() >= 3);
  CHECK(subs.size() <= 100);
  CHECK(run.logs.count("executor", "unstable_subscription") >= 2);
  MESSAGE(subs.size() << " SUBSCRIBEs in "
                      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                      << " ms: " << mesos_actor::describe(*reason));
}

TEST_CASE("the executor's attempt counter advances on every retry") {
  scripted_peer peer{agent(chunk("-5\nhello"))};
  executor_run run;
  run.spawn(run.options(peer));
  REQUIRE(peer.wait_until([](auto& rs) { return subscribes(rs, true).size() >= 5; }, 5s));
  REQUIRE(run.logs.wait_count("executor", "resubscribing", 4, 5s));
  std::vector<int> announced;
  for (auto& e : run.logs.of("executor"))
    if (e.event == "resubscribing")
      if (auto* a = e.field("attempt"))
        announced.push_back(std::stoi(*a));
  REQUIRE(announced.size() >= 4);
  for (std::size_t i = 0; i < announced.size(); ++i) {
    CAPTURE(i);
    CHECK(announced[i] == static_cast<int>(i) + 2);
  }
}

TEST_CASE("an agent duration beyond any timer is clamped with a warning naming it") {
  scripted_peer peer{[](peer_connection& c) {
    auto ct = content_type::protobuf;
    while (auto r = c.read_request()) {
      if (executor_call(*r) != ExecutorCall::SUBSCRIBE) {
        if (!c.write(call_answer()))
          return;
        continue;
      }
      mesos::v1::executor::Event shutdown;
      shutdown.set_type(mesos::v1::executor::Event::SHUTDOWN);
      c.write(stream_head(ct) + chunk(record(executor_subscribed(), ct)) + chunk(record(shutdown, ct)));
      c.wait_closed(30s);
      return;
    }
  }};
  executor_run run;
  auto o = run.options(peer);
  (*o.environment)["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = "15000weeks";
  run.spawn(o);
  REQUIRE(run.log->wait("shutdown", 5s));
  REQUIRE(run.logs.wait_count("executor", "duration_clamped", 1, 5s));
  for (auto& e : run.logs.of("executor"))
    if (e.event == "duration_clamped") {
      CHECK(e.level == mesos_actor::log_level::warning);
      CHECK(e.message.find("15000weeks") != std::string::npos);
      CHECK(e.message.find("grace") != std::string::npos);
    }
}

TEST_CASE("an agent with an endless header line: each attempt refused, memory bounded"
          * doctest::test_suite("transport_limits")) {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write("HTTP/1.1 200 OK\r\nX-Endless: ");
    std::string piece(64 * 1024, 'a');
    for (int i = 0; i < 4096 && c.write(piece); ++i)
      ;
  }};
  executor_run run;
  auto rss_before = resident_bytes();
  auto started = steady::now();
  run.spawn(run.options(peer));
  auto reason = run.wait_down(run.actor, 8s);
  auto took = steady::now() - started;
  REQUIRE(reason);
  run.actor = nullptr;
  CHECK(mesos_actor::error_code(*reason) == errc::recovery_timed_out);
  auto why = mesos_actor::describe(*reason);
  CAPTURE(why);
  CHECK(why.find("max_header_line") != std::string::npos);
  CHECK(took < 5s);
  CHECK(resident_bytes() < rss_before + 8u * 1024u * 1024u);
  MESSAGE("ended after " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                         << " ms: " << why);
}
