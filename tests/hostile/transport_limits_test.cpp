// Hostile bytes the HTTP client itself must refuse: endless header lines and headers,
// broken chunk framing, an endless answer to a call. The limits are the defaults of
// mesos_actor/transport/http_limits.hpp (max_header_line 8 KiB, max_header_count 100,
// max_head_size 64 KiB, max_call_response_body 1 MiB). Test suite "transport_limits".
#include <doctest/doctest.h>

#include <memory>

#include "hostile/hostile_fixture.hpp"

using namespace hostile;
using mesos_actor::errc;

namespace {

// Generous: the limits are at most 64 KiB per head and 1 MiB per call body.
constexpr std::size_t rss_slack = 8u * 1024u * 1024u;

// Writes `piece` over and over (up to 256 MiB) until the client hangs up.
void endless(peer_connection& c, const std::string& piece) {
  for (std::size_t sent = 0; sent < 256u * 1024u * 1024u && c.write(piece); sent += piece.size())
    ;
}

// A scheduler with two subscription attempts against `peer`: it must give up within
// `within`, naming `expected` in its exit reason, and its RSS must stay bounded.
void expect_refused_head(scripted_peer& peer, const std::string& expected,
                         std::chrono::milliseconds within = 5s) {
  scheduler_run run;
  auto o = run.options(peer, content_type::protobuf);
  o.max_num_subscribe = 2;
  auto rss_before = resident_bytes();
  auto started = steady::now();
  run.spawn(o);
  auto reason = run.wait_end(within + 5s);
  REQUIRE(reason);
  auto took = steady::now() - started;
  CHECK(took < within);
  CHECK(mesos_actor::error_code(*reason) == errc::no_master_reachable);
  auto why = mesos_actor::describe(*reason);
  CAPTURE(why);
  CHECK(why.find(expected) != std::string::npos);
  CHECK(resident_bytes() < rss_before + rss_slack);
  MESSAGE("ended after " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                         << " ms: " << why << "; RSS grew by "
                         << (static_cast<long long>(resident_bytes()) - static_cast<long long>(rss_before)) / 1024
                         << " KiB");
}

// A master breaking every subscription right after SUBSCRIBED with `after`: the
// scheduler backs off and gives up with resubscribe_exhausted.
void expect_resubscribe_exhausted(const std::string& after, const std::string& expected) {
  scripted_peer peer{master(content_type::protobuf, after)};
  scheduler_run run;
  auto o = run.options(peer, content_type::protobuf);
  o.backoff_initial = 100ms;
  o.backoff_max = 400ms;
  o.max_num_resubscribe = 3;
  run.spawn(o);
  auto reason = run.wait_end(15s);
  REQUIRE(reason);
  CHECK(mesos_actor::error_code(*reason) == errc::resubscribe_exhausted);
  auto why = mesos_actor::describe(*reason);
  CAPTURE(why);
  CHECK(why.find(expected) != std::string::npos);
  auto subs = subscribes(peer.requests());
  CHECK(subs.size() == o.max_num_resubscribe);
  for (auto g : gaps(subs))
    CHECK(g >= 50ms);
}

} // namespace

TEST_SUITE("transport_limits") {

TEST_CASE("an endless header line fails the attempt at max_header_line, memory bounded") {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write("HTTP/1.1 200 OK\r\nX-Endless: ");
    endless(c, std::string(64 * 1024, 'a'));
  }};
  expect_refused_head(peer, "header");
}

TEST_CASE("endless headers fail the attempt at max_header_count, memory bounded") {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write("HTTP/1.1 200 OK\r\n");
    std::string many;
    for (int i = 0; i < 1000; ++i)
      many += "X-H" + std::to_string(i) + ": v\r\n";
    endless(c, many);
  }};
  expect_refused_head(peer, "header");
}

TEST_CASE("a head larger than max_head_size fails the attempt, memory bounded") {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write("HTTP/1.1 200 OK\r\n");
    std::string big;
    for (int i = 0; i < 90; ++i)
      big += "X-H" + std::to_string(i) + ": " + std::string(4000, 'v') + "\r\n";
    c.write(big);
    c.wait_closed(10s);
  }};
  expect_refused_head(peer, "head");
}

TEST_CASE("slow-loris on the status line is bounded by subscribe_timeout") {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    c.drip(std::string(100000, 'H'), 20ms);
  }};
  scheduler_run run;
  auto o = run.options(peer, content_type::protobuf);
  o.max_num_subscribe = 2;
  o.subscribe_timeout = 500ms;
  auto started = steady::now();
  run.spawn(o);
  auto reason = run.wait_end(10s);
  REQUIRE(reason);
  CHECK(steady::now() - started < 3s);
  CHECK(mesos_actor::error_code(*reason) == errc::no_master_reachable);
}

TEST_CASE("a chunk size of -2 on an open stream: protocol error, backoff, give up") {
  expect_resubscribe_exhausted("-2\r\nxx\r\n", "chunk");
}

TEST_CASE("a missing CRLF after chunk data on an open stream: protocol error, backoff") {
  // The chunk carries a valid length prefix, so only the framing is wrong.
  expect_resubscribe_exhausted("3\r\n10\nXX3\r\nabc\r\n", "chunk");
}

TEST_CASE("an oversized answer to a call fails the call, memory bounded") {
  auto ct = content_type::protobuf;
  scripted_peer peer{[ct](peer_connection& c) {
    while (auto r = c.read_request()) {
      if (scheduler_call(*r) == mesos::v1::scheduler::Call::SUBSCRIBE) {
        c.write(stream_head(ct) + chunk(record(subscribed(1.0), ct)));
        while (!c.stopping() && c.write(chunk(record(heartbeat(), ct))))
          c.pause(200ms);
        return;
      }
      c.write("HTTP/1.1 200 OK\r\nContent-Length: 268435456\r\n\r\n");
      endless(c, std::string(64 * 1024, 'x'));
      return;
    }
  }};
  scheduler_run run;
  auto b = run.behaviour();
  b->on_registered = [](auto& ctx, auto&) {
    ctx.revive();
    return mesos_actor::action::keep;
  };
  auto rss_before = resident_bytes();
  auto started = steady::now();
  run.spawn(run.options(peer, ct), std::move(b));
  auto failed = run.log->wait("call_failed", 10s);
  REQUIRE(failed);
  auto took = steady::now() - started;
  CHECK(took < 5s);
  CAPTURE(failed->detail);
  CHECK(failed->detail.find("REVIVE") != std::string::npos);
  CHECK(failed->detail.find("body") != std::string::npos);
  CHECK(resident_bytes() < rss_before + rss_slack);
  // The subscription itself is unharmed.
  CHECK(run.log->count("disconnected") == 0);
  MESSAGE("call failed after " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                               << " ms: " << failed->detail);
}

} // TEST_SUITE
