// The hand-over between a stream worker and the scheduler actor (src/scheduler/event_inbox.hpp):
// record order, one wake-up per idle inbox, the memory bound, and a prompt stop.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "scheduler/event_inbox.hpp"

using namespace std::chrono_literals;
using mesos_actor::content_type;
using mesos_actor::record_batch;
using mesos_actor::scheduler_event_inbox;

namespace {

record_batch batch_of(std::initializer_list<const char*> records) {
  record_batch b;
  for (auto r : records)
    b.append(r);
  return b;
}

} // namespace

TEST_CASE("record_batch keeps records apart, in order, also when batches are joined") {
  auto a = batch_of({"one", "", "three"});
  auto b = batch_of({"four"});
  a.append(b);
  REQUIRE(a.size() == 4);
  CHECK(a[0] == "one");
  CHECK(a[1] == "");
  CHECK(a[2] == "three");
  CHECK(a[3] == "four");
  CHECK(a.bytes() == 12);
  a.clear();
  CHECK(a.empty());
  CHECK(a.bytes() == 0);
}

TEST_CASE("the inbox asks for one wake-up while the actor has not taken yet") {
  scheduler_event_inbox inbox{1024};
  auto p1 = batch_of({"a", "b"});
  CHECK(inbox.put(p1, content_type::json));
  auto p2 = batch_of({"c"});
  CHECK_FALSE(inbox.put(p2, content_type::json)); // a message is on its way already
  record_batch taken;
  CHECK(inbox.take(taken) == content_type::json);
  REQUIRE(taken.size() == 3);
  CHECK(taken[0] == "a");
  CHECK(taken[2] == "c");
  taken.clear();
  auto p3 = batch_of({"d"});
  CHECK(inbox.put(p3, content_type::json)); // idle again: wake the actor
  inbox.take(taken);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0] == "d");
}

TEST_CASE("a full inbox holds the worker until the actor takes") {
  scheduler_event_inbox inbox{8};
  auto first = batch_of({"12345678"});
  inbox.put(first, content_type::protobuf);
  auto waiting = std::async(std::launch::async, [&] {
    auto more = batch_of({"9"});
    return inbox.put(more, content_type::protobuf);
  });
  CHECK(waiting.wait_for(50ms) == std::future_status::timeout);
  record_batch taken;
  inbox.take(taken);
  REQUIRE(waiting.wait_for(5s) == std::future_status::ready);
  CHECK(waiting.get()); // the inbox was idle after the take
  CHECK(taken.size() == 1);
  taken.clear();
  inbox.take(taken);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0] == "9");
}

TEST_CASE("closing the inbox releases a waiting worker at once and drops what it brought") {
  scheduler_event_inbox inbox{4};
  auto first = batch_of({"full"});
  inbox.put(first, content_type::protobuf);
  auto waiting = std::async(std::launch::async, [&] {
    auto more = batch_of({"late"});
    return inbox.put(more, content_type::protobuf);
  });
  CHECK(waiting.wait_for(50ms) == std::future_status::timeout);
  inbox.close();
  REQUIRE(waiting.wait_for(5s) == std::future_status::ready);
  CHECK_FALSE(waiting.get());
  auto after = batch_of({"after"});
  CHECK_FALSE(inbox.put(after, content_type::protobuf));
  record_batch taken;
  inbox.take(taken);
  REQUIRE(taken.size() == 1);
  CHECK(taken[0] == "full");
}

TEST_CASE("a batch does not keep the memory of a burst") {
  record_batch b;
  b.append(std::string(64 * 1024, 'x'));
  b.clear();
  CHECK(b.capacity() >= 64 * 1024); // an ordinary batch keeps its buffer for the next
  b.append(std::string(2 * 1024 * 1024, 'x'));
  b.clear();
  CHECK(b.capacity() < 1024 * 1024);
  b.append("small");
  CHECK(b.size() == 1);
  CHECK(b[0] == "small");
}
