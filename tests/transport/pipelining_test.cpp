// The call channel's pipelining against scripted loopback peers: calls go out before
// the earlier answers came, answers are matched to calls in order, no more than
// max_pipelined are unanswered on the wire, and when the connection breaks (the peer
// goes away, or sends "Connection: close" on an earlier answer) every unanswered call
// gets exactly one transport error, in order, none is resent, and later calls use a new
// connection. An unknown message blocks nothing; stop_atom waits for the answers.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/call_channel.hpp"
#include "transport/channel_support.hpp"
#include "transport/test_peer.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor::transport;
using namespace transport_test;

namespace {

// Whether the client sends any byte within `bound`.
bool more_within(int fd, std::chrono::milliseconds bound) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(bound.count())) > 0;
}

} // namespace

TEST_CASE("call channel: pipelined calls all go out before the first answer; answers match in order") {
  system_fixture f;
  std::atomic<int> read_before_answering{0};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    // Nothing is answered until all five requests are here: a channel that waited for
    // each answer would leave this peer with one request.
    for (int i = 0; i < 5; ++i) {
      auto req = read_request(fd);
      if (req.empty())
        return;
      CHECK(req.find("\r\n\r\n{\"n\":" + std::to_string(i + 1) + "}") != std::string::npos);
      ++read_before_answering;
    }
    send_text(fd, std::string{accepted}
                    + "HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\nbad-2"
                    + accepted
                    + "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nbusy4\r\n0\r\n\r\n"
                    + accepted);
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8));
  for (std::uint64_t id = 1; id <= 5; ++id)
    self->send(channel, call_request{id, "{\"n\":" + std::to_string(id) + "}", "s-1"});
  auto got = results(self, 5);
  REQUIRE(got.size() == 5);
  CHECK(read_before_answering.load() == 5);
  int expected[] = {202, 400, 202, 503, 202};
  for (std::size_t i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(got[i].call_id == i + 1);
    CHECK(got[i].status == expected[i]);
    CHECK(got[i].transport_error.empty());
  }
  CHECK(got[1].body == "bad-2");
  CHECK(got[3].body == "busy4");
  CHECK(p.accepted() == 1);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: no more than max_pipelined calls are unanswered on the wire") {
  system_fixture f;
  std::atomic<int> over_limit{0};
  std::atomic<int> requests{0};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    int unanswered = 0;
    for (int total = 0; total < 6;) {
      if (read_request(fd).empty())
        return;
      ++total, ++requests, ++unanswered;
      if (unanswered < 2 && total < 6)
        continue;
      if (more_within(fd, 100ms)) // a third call before an answer: over the limit
        ++over_limit;
      send_text(fd, accepted);
      --unanswered;
    }
    for (; unanswered > 0; --unanswered)
      send_text(fd, accepted);
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 2));
  for (std::uint64_t id = 1; id <= 6; ++id)
    self->send(channel, call_request{id, "{}", ""});
  auto got = results(self, 6);
  REQUIRE(got.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(got[i].call_id == i + 1);
    CHECK(got[i].status == 202);
  }
  CHECK(over_limit.load() == 0);
  CHECK(requests.load() == 6);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: a disconnect amid pipelined calls fails each unanswered one once; none is resent") {
  system_fixture f;
  std::atomic<int> requests{0};
  test_peer p{[&](int fd, int index) {
    bound_reads(fd);
    if (index == 0) {
      // Four calls arrive, one is answered, then the peer goes away (the answer is
      // delivered before the end of the stream, unlike with a reset).
      for (int i = 0; i < 4; ++i)
        if (!read_request(fd).empty())
          ++requests;
      send_text(fd, accepted);
      ::shutdown(fd, SHUT_RDWR);
      return;
    }
    while (!read_request(fd).empty()) {
      ++requests;
      send_text(fd, accepted);
    }
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8));
  for (std::uint64_t id = 1; id <= 4; ++id)
    self->send(channel, call_request{id, "{}", ""});
  auto got = results(self, 4);
  REQUIRE(got.size() == 4);
  CHECK(got[0].call_id == 1);
  CHECK(got[0].status == 202);
  for (std::size_t i = 1; i < 4; ++i) {
    CAPTURE(i);
    CHECK(got[i].call_id == i + 1);
    CHECK(got[i].status == 0);
    CHECK_FALSE(got[i].transport_error.empty());
    CHECK_FALSE(got[i].timed_out);
  }
  CHECK(got[2].transport_error.find("sent behind an earlier one") != std::string::npos);
  // Nothing more arrives for the four, and the next call goes out on a new connection.
  self->receive([](call_result&) { FAIL("a second outcome"); },
                [](call_results&) { FAIL("a second outcome"); }, caf::after(100ms) >> [] {});
  self->send(channel, call_request{5, "{}", ""});
  auto next = results(self, 1);
  REQUIRE(next.size() == 1);
  CHECK(next[0].call_id == 5);
  CHECK(next[0].status == 202);
  CHECK(requests.load() == 5);
  CHECK(p.accepted() == 2);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: \"Connection: close\" on an earlier answer fails the later pipelined calls") {
  system_fixture f;
  std::atomic<int> requests{0};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    for (int i = 0; i < 3; ++i)
      if (!read_request(fd).empty())
        ++requests;
    send_text(fd, "HTTP/1.1 202 Accepted\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    ::shutdown(fd, SHUT_RDWR);
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8));
  for (std::uint64_t id = 1; id <= 3; ++id)
    self->send(channel, call_request{id, "{}", ""});
  auto got = results(self, 3);
  REQUIRE(got.size() == 3);
  CHECK(got[0].status == 202);
  for (std::size_t i = 1; i < 3; ++i) {
    CAPTURE(i);
    CHECK(got[i].call_id == i + 1);
    CHECK(got[i].status == 0);
    CHECK(got[i].transport_error.find("closed the connection after answering an earlier call")
          != std::string::npos);
  }
  CHECK(requests.load() == 3);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: a message it does not know neither blocks it nor the calls behind it") {
  system_fixture f;
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    while (!read_request(fd).empty())
      send_text(fd, accepted);
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8));
  self->send(channel, call_request{1, "{}", ""});
  self->send(channel, std::string{"not a call"});
  self->send(channel, call_request{2, "{}", ""});
  auto got = results(self, 2);
  REQUIRE(got.size() == 2);
  CHECK(got[0].call_id == 1);
  CHECK(got[1].call_id == 2);
  self->send(channel, std::string{"again"});
  self->send(channel, call_request{3, "{}", ""});
  auto third = results(self, 1);
  REQUIRE(third.size() == 1);
  CHECK(third[0].status == 202);
  self->send(channel, mesos_actor::stop_atom::value);
}

TEST_CASE("call channel: stop_atom behind pipelined calls ends it after their answers") {
  system_fixture f;
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    for (int i = 0; i < 3; ++i)
      if (read_request(fd).empty())
        return;
    send_text(fd, std::string{accepted} + accepted + accepted);
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8));
  self->monitor(channel);
  for (std::uint64_t id = 1; id <= 3; ++id)
    self->send(channel, call_request{id, "{}", ""});
  self->send(channel, mesos_actor::stop_atom::value);
  auto got = results(self, 3);
  REQUIRE(got.size() == 3);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(got[i].status == 202);
  bool down = false;
  self->receive([&](caf::down_msg& m) { down = !m.reason; }, caf::after(5s) >> [] {});
  CHECK(down);
}
