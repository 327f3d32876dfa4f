// Masters whose answer to SUBSCRIBE is wrong: each attempt fails with a reason naming
// the problem, attempts back off, and the scheduler gives up after max_num_subscribe
// (errc::no_master_reachable) within a bounded time.
#include <doctest/doctest.h>

#include <memory>

#include "hostile/hostile_fixture.hpp"

using namespace hostile;
using mesos_actor::errc;

namespace {

constexpr std::size_t attempts = 3;

// Runs a scheduler with `attempts` subscription attempts against `peer`; returns the
// exit reason's text after checking how it ended.
std::string expect_no_master(scripted_peer& peer, std::chrono::milliseconds within,
                             std::size_t subscribes_per_attempt = 1,
                             std::chrono::milliseconds subscribe_timeout = 2000ms) {
  scheduler_run run;
  auto o = run.options(peer, content_type::protobuf);
  o.max_num_subscribe = attempts;
  o.subscribe_timeout = subscribe_timeout;
  auto started = steady::now();
  run.spawn(o);
  auto reason = run.wait_end(within + 5s);
  REQUIRE(reason);
  CHECK(steady::now() - started < within);
  CHECK(mesos_actor::error_code(*reason) == errc::no_master_reachable);
  CHECK(subscribes(peer.requests()).size() == attempts * subscribes_per_attempt);
  CHECK(run.log->count("registered") == 0);
  CHECK(run.logs.count("scheduler", "attempt_failed") == attempts);
  return mesos_actor::describe(*reason);
}

} // namespace

TEST_CASE("a stream of the wrong Content-Type fails the attempt, naming it") {
  scripted_peer peer{answer_with("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                                 "Mesos-Stream-Id: s\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 + chunk("<html></html>"))};
  auto why = expect_no_master(peer, 3s);
  CHECK(why.find("Content-Type") != std::string::npos);
  CHECK(why.find("text/html") != std::string::npos);
}

TEST_CASE("a 200 without Mesos-Stream-Id fails the attempt, naming the header") {
  auto ct = content_type::protobuf;
  scripted_peer peer{answer_with(stream_head(ct, "") + chunk(record(subscribed(), ct)))};
  auto why = expect_no_master(peer, 3s);
  CHECK(why.find("Mesos-Stream-Id") != std::string::npos);
}

TEST_CASE("a 307 loop is followed max_redirects times per attempt, then the attempt fails") {
  auto location = std::make_shared<std::string>();
  scripted_peer peer{[location](peer_connection& c) {
    if (!c.read_request())
      return;
    c.write("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + *location
            + "\r\nContent-Length: 0\r\n\r\n");
    c.wait_closed(5s);
  }};
  *location = "http://" + peer.address() + "/api/v1/scheduler";
  // fast_options: max_redirects 5, so 6 SUBSCRIBEs per attempt.
  auto why = expect_no_master(peer, 4s, 6);
  CHECK(why.find("redirects") != std::string::npos);
}

TEST_CASE("garbage instead of RecordIO before SUBSCRIBED fails the attempt") {
  auto ct = content_type::protobuf;
  scripted_peer peer{answer_with(stream_head(ct) + chunk("<html>not recordio</html>\r\n"))};
  auto why = expect_no_master(peer, 3s);
  CHECK(why.find("record") != std::string::npos);
}

TEST_CASE("a stream cut by FIN before SUBSCRIBED fails the attempt") {
  auto ct = content_type::protobuf;
  scripted_peer peer{answer_with(stream_head(ct) + chunk("40\nshort"), then::fin)};
  expect_no_master(peer, 3s);
}

TEST_CASE("a connection reset instead of an answer fails the attempt") {
  scripted_peer peer{answer_with("", then::rst)};
  expect_no_master(peer, 3s);
}

TEST_CASE("slow-loris: a head dripped one byte at a time is bounded by subscribe_timeout") {
  scripted_peer peer{[](peer_connection& c) {
    if (!c.read_request())
      return;
    std::string endless = "HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nX-Slow: ";
    endless.append(100000, 'a');
    c.drip(endless, 20ms); // ends when the client hangs up
  }};
  // Three attempts of 600 ms each plus two short backoffs.
  auto why = expect_no_master(peer, 3s, 1, 600ms);
  CHECK(why.find("subscribe_timeout") != std::string::npos);
}
