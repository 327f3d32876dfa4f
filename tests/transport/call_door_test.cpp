// The call channel's door (call_door.hpp) against scripted loopback peers: the owner's
// own writes reach the peer while the channel's thread sleeps, their answers come back
// as call_results in call order, a call sent by message is never overtaken by one
// written through the door, and an idle connection the peer closed takes nothing.
#include <doctest/doctest.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/call_channel.hpp"
#include "transport/call_door.hpp"
#include "transport/channel_support.hpp"
#include "transport/test_peer.hpp"

using namespace std::chrono_literals;
using namespace mesos_actor::transport;
using namespace transport_test;

namespace {

call_request numbered(std::uint64_t id) {
  return call_request{id, "{\"n\":" + std::to_string(id) + "}", "s-1"};
}

// The number in a request's body; -1 when there is none.
long number_in(const std::string& req) {
  auto at = req.find("{\"n\":");
  return at == std::string::npos ? -1 : std::stol(req.substr(at + 5));
}

// Whether `holds()` comes true within 5 s.
template <class Pred>
bool within_5s(Pred holds) {
  auto until = std::chrono::steady_clock::now() + 5s;
  while (!holds()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::yield();
  }
  return true;
}

// Whether the channel sleeps with its door open within 5 s.
bool door_opens(call_door& door) {
  return within_5s([&] { return door.is_open(); });
}

} // namespace

TEST_CASE("call door: calls written to an idle channel reach the peer before the channel wakes") {
  system_fixture f;
  std::atomic<int> seen{0};
  std::atomic<bool> answer{false};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    if (read_request(fd).empty())
      return;
    send_text(fd, accepted);
    for (int i = 0; i < 3; ++i)
      if (number_in(read_request(fd)) == i + 2)
        ++seen;
    if (!within_5s([&] { return answer.load(); }))
      return;
    send_text(fd, std::string{accepted} + accepted + "HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nno4");
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto door = std::make_shared<call_door>();
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8), door);
  door->by_mail([&] { self->send(channel, numbered(1)); }); // opens the connection
  REQUIRE(results(self, 1).size() == 1);
  REQUIRE(door_opens(*door));
  call_requests calls{numbered(2), numbered(3), numbered(4)};
  CHECK(door->try_write(calls) == call_door::outcome::written_wake);
  CHECK(calls.empty());
  // The channel was not told yet, so the owner's write is what the peer read.
  CHECK(within_5s([&] { return seen.load() == 3; }));
  answer = true;
  self->send(channel, door_used_atom::value);
  auto got = results(self, 3);
  REQUIRE(got.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(got[i].call_id == i + 2);
    CHECK(got[i].status == (i == 2 ? 400 : 202));
  }
  CHECK(got[2].body == "no4");
  CHECK(p.accepted() == 1);
  door->by_mail([&] { self->send(channel, mesos_actor::stop_atom::value); });
}

TEST_CASE("call door: calls written while the channel reads an answer go out behind it") {
  system_fixture f;
  std::atomic<int> before_first_answer{0};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    if (number_in(read_request(fd)) != 1)
      return;
    for (int i = 0; i < 2; ++i)
      if (number_in(read_request(fd)) == i + 2)
        ++before_first_answer;
    send_text(fd, std::string{accepted} + accepted + accepted);
    if (number_in(read_request(fd)) == 4)
      ::shutdown(fd, SHUT_RDWR); // call 4 is never answered
  }};
  caf::scoped_actor self{f.sys};
  auto door = std::make_shared<call_door>();
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 3), door);
  door->by_mail([&] { self->send(channel, numbered(1)); });
  REQUIRE(door_opens(*door)); // it reads call 1's answer, with room for two more
  call_requests calls{numbered(2), numbered(3), numbered(4)};
  CHECK(door->try_write(calls) == call_door::outcome::written);
  REQUIRE(calls.size() == 1); // max_pipelined 3: no room for call 4
  CHECK_FALSE(door->is_open());
  door->by_mail([&] { self->send(channel, std::move(calls.front())); });
  auto got = results(self, 4);
  REQUIRE(got.size() == 4);
  CHECK(before_first_answer.load() == 2);
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(got[i].call_id == i + 1);
  }
  CHECK(got[3].status == 0); // the peer answered three calls, read the fourth and closed
  CHECK_FALSE(got[3].transport_error.empty());
  CHECK(p.accepted() == 1);
  door->by_mail([&] { self->send(channel, mesos_actor::stop_atom::value); });
}

TEST_CASE("call door: calls sent by message and written through the door reach the peer in order") {
  system_fixture f;
  constexpr int total = 400;
  std::atomic<int> in_order{0};
  std::atomic<int> out_of_order{0};
  test_peer p{[&](int fd, int) {
    bound_reads(fd);
    for (int next = 1; next <= total;) {
      auto req = read_request(fd);
      if (req.empty())
        return;
      (number_in(req) == next ? in_order : out_of_order)++;
      next = static_cast<int>(number_in(req)) + 1;
      send_text(fd, accepted);
    }
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto door = std::make_shared<call_door>();
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 4), door);
  std::mt19937 rng{7};
  std::size_t through_door = 0;
  for (std::uint64_t id = 1; id <= total;) {
    call_requests calls;
    auto n = std::min<std::uint64_t>(1 + rng() % 5, total + 1 - id);
    for (std::uint64_t i = 0; i < n; ++i)
      calls.push_back(numbered(id++));
    auto before = calls.size();
    // Half the groups wait for the door, so both ways carry calls.
    if (rng() % 2 == 0 && door_opens(*door)
        && door->try_write(calls) == call_door::outcome::written_wake)
      self->send(channel, door_used_atom::value);
    through_door += before - calls.size();
    if (!calls.empty())
      door->by_mail([&] { self->send(channel, std::move(calls)); });
  }
  auto got = results(self, total);
  CHECK(got.size() == total);
  std::size_t first_wrong = got.size();
  for (std::size_t i = 0; i < got.size() && first_wrong == got.size(); ++i)
    if (got[i].call_id != i + 1 || got[i].status != 202)
      first_wrong = i;
  CHECK(first_wrong == got.size());
  CHECK(in_order.load() == total);
  CHECK(out_of_order.load() == 0);
  CHECK(through_door > 0);
  MESSAGE(through_door << " of " << total << " calls went through the door");
  door->by_mail([&] { self->send(channel, mesos_actor::stop_atom::value); });
}

TEST_CASE("call door: an idle connection the peer closed takes nothing; the call goes on a new one") {
  system_fixture f;
  std::atomic<bool> closed{false};
  test_peer p{[&](int fd, int index) {
    bound_reads(fd);
    if (read_request(fd).empty())
      return;
    send_text(fd, accepted);
    if (index == 0) {
      ::shutdown(fd, SHUT_RDWR);
      closed = true;
      return;
    }
    wait_client_close(fd, 10s);
  }};
  caf::scoped_actor self{f.sys};
  auto door = std::make_shared<call_door>();
  auto channel = spawn_call_channel(f.sys, self, config_for(p.port(), 8), door);
  door->by_mail([&] { self->send(channel, numbered(1)); });
  REQUIRE(results(self, 1).size() == 1);
  REQUIRE(within_5s([&] { return closed.load(); }));
  REQUIRE(door_opens(*door));
  call_requests calls{numbered(2)};
  // The peer's close is readable on the socket at once (loopback): the door sees it.
  CHECK(door->try_write(calls) == call_door::outcome::none);
  REQUIRE(calls.size() == 1);
  door->by_mail([&] { self->send(channel, std::move(calls.front())); });
  auto got = results(self, 1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].call_id == 2);
  CHECK(got[0].status == 202);
  CHECK(got[0].transport_error.empty());
  CHECK(p.accepted() == 2);
  door->by_mail([&] { self->send(channel, mesos_actor::stop_atom::value); });
}
