// A master that answers SUBSCRIBED and then breaks the stream at once, for ever: the
// scheduler must back off between its resubscriptions and give up after
// max_num_resubscribe of them (it used to resubscribe thousands of times a second).
#include <doctest/doctest.h>

#include <algorithm>

#include "hostile/hostile_fixture.hpp"

using namespace hostile;
using mesos_actor::errc;

namespace {

// Backoff of these options: 100, 200, 400, 400 ms, shortened by up to half.
mesos_actor::scheduler_options backoff_options(scheduler_run& run, const scripted_peer& peer,
                                               content_type ct) {
  auto o = run.options(peer, ct);
  o.backoff_initial = 100ms;
  o.backoff_max = 400ms;
  o.backoff_jitter = 0.5;
  o.max_num_resubscribe = 4;
  o.min_stable_subscription = 3s;
  return o;
}

// Runs the scheduler against a master breaking every stream with `after` (+ `ending`)
// and checks the backoff and the end; returns the exit reason's text.
std::string expect_backoff_then_give_up(content_type ct, std::string after,
                                        then ending = then::hold) {
  scripted_peer peer{master(ct, std::move(after), ending)};
  scheduler_run run;
  auto o = backoff_options(run, peer, ct);
  auto started = steady::now();
  run.spawn(o);
  auto reason = run.wait_end(15s);
  auto took = steady::now() - started;
  REQUIRE(reason);
  CHECK(mesos_actor::error_code(*reason) == errc::resubscribe_exhausted);
  auto subs = subscribes(peer.requests());
  // The first subscription and one more after each failure but the last.
  CHECK(subs.size() == o.max_num_resubscribe);
  // Attempt n waits at least (1 - jitter) * min(initial * 2^(n-1), max).
  auto g = gaps(subs);
  std::chrono::milliseconds floor{0};
  for (std::size_t n = 1; n <= g.size(); ++n) {
    auto base = std::min<long long>(o.backoff_initial.count() << (n - 1), o.backoff_max.count());
    auto least = std::chrono::milliseconds{static_cast<long long>(base * (1 - o.backoff_jitter))};
    CAPTURE(n);
    CHECK(g[n - 1] >= least);
    floor += least;
  }
  CHECK(took >= floor);
  CHECK(took < 10s);
  // Each broken subscription is a disconnection the behaviour heard of.
  CHECK(run.log->count("disconnected") == subs.size());
  CHECK(run.logs.count("scheduler", "gave_up") == 1);
  return mesos_actor::describe(*reason);
}

} // namespace

TEST_CASE("a record length beyond any limit after SUBSCRIBED: backoff, then resubscribe_exhausted") {
  auto why = expect_backoff_then_give_up(content_type::protobuf,
                                         chunk("99999999999999999999999\n"));
  CHECK(why.find("min_stable_subscription") != std::string::npos);
}

TEST_CASE("a negative record length after SUBSCRIBED: backoff, then resubscribe_exhausted") {
  expect_backoff_then_give_up(content_type::protobuf, chunk("-5\nhello"));
}

TEST_CASE("a record cut by FIN after SUBSCRIBED: backoff, then resubscribe_exhausted") {
  expect_backoff_then_give_up(content_type::protobuf, chunk("100\nonly a few bytes"), then::fin);
}

TEST_CASE("a stream reset after SUBSCRIBED: backoff, then resubscribe_exhausted") {
  expect_backoff_then_give_up(content_type::protobuf, "", then::rst);
}

TEST_CASE("a missing CRLF after chunk data after SUBSCRIBED: backoff, then give up") {
  expect_backoff_then_give_up(content_type::protobuf, "5\r\nhelloXX5\r\nhello\r\n");
}

TEST_CASE("a JSON scalar resource without a value after SUBSCRIBED: backoff, then give up") {
  std::string offers =
    R"({"type":"OFFERS","offers":{"offers":[{"id":{"value":"o1"},)"
    R"("framework_id":{"value":"hostile-fw"},"agent_id":{"value":"a1"},"hostname":"h",)"
    R"("resources":[{"name":"cpus","type":"SCALAR","scalar":{}}]}]}})";
  auto why = expect_backoff_then_give_up(content_type::json,
                                         chunk(std::to_string(offers.size()) + "\n" + offers));
  CHECK(why.find("record") != std::string::npos);
}

TEST_CASE("garbage instead of records after SUBSCRIBED: backoff, then resubscribe_exhausted") {
  expect_backoff_then_give_up(content_type::protobuf,
                              chunk("<html><body>surprise</body></html>\r\n"));
}

TEST_CASE("a subscription that lasts min_stable_subscription resets the attempt count") {
  // Every stream breaks 400 ms after SUBSCRIBED, which is stable for a 200 ms limit:
  // the scheduler keeps resubscribing (resubscribe_interval, no backoff) and never
  // gives up, although there are more breaks than max_num_resubscribe.
  scripted_peer peer{[](peer_connection& c) {
    while (auto r = c.read_request()) {
      if (scheduler_call(*r) != mesos::v1::scheduler::Call::SUBSCRIBE) {
        c.write(call_answer());
        continue;
      }
      c.write(stream_head(content_type::protobuf)
              + chunk(record(subscribed(1.0), content_type::protobuf)));
      c.pause(400ms);
      c.rst();
      return;
    }
  }};
  scheduler_run run;
  auto o = backoff_options(run, peer, content_type::protobuf);
  o.min_stable_subscription = 200ms;
  o.max_num_resubscribe = 2;
  run.spawn(o);
  REQUIRE(peer.wait_until([](auto& rs) { return subscribes(rs).size() >= 5; }, 10s));
  CHECK_FALSE(run.wait_end(10ms));
  CHECK(run.logs.count("scheduler", "gave_up") == 0);
}
