#include <doctest/doctest.h>

#include <random>
#include <set>

#include "executor/unacknowledged.hpp"
#include "executor/update_stamp.hpp"

using namespace mesos_actor::detail;

namespace {

mesos::v1::TaskInfo task(const std::string& id) {
  mesos::v1::TaskInfo t;
  t.mutable_task_id()->set_value(id);
  return t;
}

mesos::v1::executor::Call::Update update(const std::string& task, const std::string& uuid) {
  mesos::v1::executor::Call::Update u;
  u.mutable_status()->mutable_task_id()->set_value(task);
  u.mutable_status()->set_uuid(uuid);
  return u;
}

} // namespace

TEST_CASE("unacknowledged: a task stays until one of its updates is acknowledged") {
  unacknowledged u;
  u.add_task(task("a"));
  u.add_task(task("b"));
  u.add_update(update("a", "u1"));
  u.add_update(update("a", "u2"));
  CHECK(u.task_count() == 2);
  CHECK(u.update_count() == 2);
  CHECK_FALSE(u.acknowledge("a", "nope"));
  CHECK_FALSE(u.acknowledge("b", "u1")); // uuid of another task
  CHECK(u.acknowledge("a", "u1"));
  CHECK(u.task_count() == 1);
  CHECK(u.tasks()[0].task_id().value() == "b");
  CHECK(u.update_count() == 1);
  CHECK(u.updates()[0].status().uuid() == "u2");
  CHECK_FALSE(u.acknowledge("a", "u1")); // a duplicate acknowledgement
}

TEST_CASE("unacknowledged: duplicates are kept once, order is kept, fill replaces") {
  unacknowledged u;
  u.add_task(task("a"));
  u.add_task(task("a"));
  u.add_update(update("a", "u1"));
  u.add_update(update("a", "u1"));
  u.add_update(update("a", "u2"));
  CHECK(u.task_count() == 1);
  CHECK(u.update_count() == 2);
  mesos::v1::executor::Call::Subscribe s;
  *s.add_unacknowledged_tasks() = task("stale");
  u.fill(s);
  REQUIRE(s.unacknowledged_tasks_size() == 1);
  CHECK(s.unacknowledged_tasks(0).task_id().value() == "a");
  REQUIRE(s.unacknowledged_updates_size() == 2);
  CHECK(s.unacknowledged_updates(0).status().uuid() == "u1");
  CHECK(s.unacknowledged_updates(1).status().uuid() == "u2");
  u.forget_update("u1");
  CHECK_FALSE(u.has_update("u1"));
  CHECK(u.has_update("u2"));
}

TEST_CASE("update stamp: 16 random bytes with the version 4 bits, distinct") {
  std::mt19937_64 rng{42};
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto u = random_uuid_bytes(rng);
    REQUIRE(u.size() == 16);
    CHECK((static_cast<unsigned char>(u[6]) >> 4) == 4);
    CHECK((static_cast<unsigned char>(u[8]) & 0xc0) == 0x80);
    seen.insert(u);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("update stamp: the library's fields win, a caller's timestamp is kept") {
  mesos::v1::TaskStatus s;
  s.set_uuid("caller's");
  s.set_source(mesos::v1::TaskStatus::SOURCE_MASTER);
  s.mutable_executor_id()->set_value("wrong");
  stamp_status(s, "exec", "agent", std::string(16, 'x'), 1234.5);
  CHECK(s.uuid() == std::string(16, 'x'));
  CHECK(s.source() == mesos::v1::TaskStatus::SOURCE_EXECUTOR);
  CHECK(s.executor_id().value() == "exec");
  CHECK(s.agent_id().value() == "agent");
  CHECK(s.timestamp() == 1234.5);
  s.set_timestamp(7);
  stamp_status(s, "exec", "", std::string(16, 'y'), 99);
  CHECK(s.timestamp() == 7);
}
