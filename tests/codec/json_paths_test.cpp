// The fast JSON reader (through protobuf wire format) against the reflection reader:
// it takes every real message and reads it alike, and it gives up, leaving the
// reflection reader to decide and word the error, wherever the two could differ.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "codec/json_paths.hpp"
#include "support/sample_messages.hpp"
#include "mesos_actor/codec/json.hpp"

namespace {

using mesos::v1::scheduler::Event;

// The wire reader's verdict on `json`: whether it read it, and (if so) that the
// reflection reader read the same message.
template <class M>
bool wire_reads_alike(std::string_view json, const mesos_actor::json_read_options& opts = {}) {
  M by_wire;
  if (!mesos_actor::detail::from_json_by_wire(json, by_wire, opts))
    return false;
  M by_reflection;
  auto err = mesos_actor::detail::from_json_by_reflection(json, by_reflection, opts);
  REQUIRE_MESSAGE(!err, (err ? err->message : ""));
  const std::string a = mesos_actor::to_json(by_wire);
  const std::string b = mesos_actor::to_json(by_reflection);
  CHECK(a == b);
  return true;
}

template <class M>
void check_all_read_by_wire(const std::vector<M>& messages) {
  for (const M& m : messages) {
    const std::string json = mesos_actor::to_json(m);
    CAPTURE(json);
    CHECK(wire_reads_alike<M>(json));
  }
}

} // namespace

TEST_CASE("json paths: every scheduler and executor message is read by the wire path, alike") {
  check_all_read_by_wire(samples::every_scheduler_event());
  check_all_read_by_wire(samples::every_scheduler_call());
  check_all_read_by_wire(samples::every_executor_event());
  check_all_read_by_wire(samples::every_executor_call());
  check_all_read_by_wire(samples::event_stream(20, 2));
}

TEST_CASE("json paths: Mesos's leniencies are read by the wire path, alike") {
  CHECK(wire_reads_alike<Event>(
    R"( {"type":"UPDATE","update":{"status":{"task_id":{"value":"t"},"state":"TASK_RUNNING",)"
    R"("uuid":"Zm 9v\nYmFy","timestamp":"1.5e3","healthy":"true","agent_id":null}},"brand_new":[1,{"x":null}]} )"));
  CHECK(wire_reads_alike<Event>(R"({"type":"SOMETHING_NEW","error":{"message":"q\"\u00e9\ud83d\ude00\u0000"}})"));
  CHECK(wire_reads_alike<mesos::v1::Value::Range>(R"({"begin":18446744073709551615,"end":-0.5e1})") == false);
  CHECK(wire_reads_alike<mesos::v1::Value::Range>(R"({"begin":"18446744073709551615","end":5.9})"));
  CHECK(wire_reads_alike<mesos::v1::TaskInfo>(
    R"({"name":"t","task_id":{"value":"1"},"agent_id":{"value":"a"},"limits":{"cpus":{"value":2},"mem":{"value":"64"},"gone":null}})"));
  CHECK(wire_reads_alike<mesos::v1::scheduler::Call::Revive>(R"({"roles":"a","roles":["b","c"]})"));
  CHECK(wire_reads_alike<mesos::v1::TimeInfo>(R"({"nanoseconds":-9223372036854775808})"));
}

TEST_CASE("json paths: the wire path gives up where it could differ, and on every error") {
  // A singular message given twice: the reflection reader keeps the last one whole.
  CHECK_FALSE(wire_reads_alike<Event>(
    R"({"rescind":{"offer_id":{"value":"a"}},"rescind":{"offer_id":{"value":"b"}}})"));
  // Not UTF-8: the generated parser would log about it.
  CHECK_FALSE(wire_reads_alike<Event>("{\"error\":{\"message\":\"\xff\xfe\"}}"));
  CHECK_FALSE(wire_reads_alike<Event>("{\"error\":{\"message\":\"\xed\xa0\x80\"}}")); // a surrogate
  for (std::string bad : std::initializer_list<std::string>{
         R"({"type":8})", R"({"type":["HEARTBEAT"]})", R"({"error":{"message":5}})",
         R"({"type":"HEARTBEAT",})", R"({"type":"HEARTBEAT"} x)", "[]", "",
         R"({"failure":{"status":01}})", R"({"failure":{"status":"12abc"}})",
         R"({"update":{"status":{"task_id":{"value":"t"},"state":"TASK_EXPLODED"}}})",
         R"({"update":{"status":{"uuid":"Zm9v-_"}}})", R"({"x":)" + std::string(200, '[') + std::string(200, ']') + "}"}) {
    CAPTURE(bad);
    CHECK_FALSE(wire_reads_alike<Event>(bad));
    Event e;
    CHECK(mesos_actor::from_json(bad, e).has_value());
  }
  mesos_actor::json_read_options strict;
  strict.ignore_unknown_fields = false;
  CHECK_FALSE(wire_reads_alike<Event>(R"({"type":"HEARTBEAT","brand_new":1})", strict));
  mesos_actor::json_read_options shallow;
  shallow.max_depth = 2;
  CHECK_FALSE(wire_reads_alike<Event>(R"({"rescind":{"offer_id":{"value":"o"}}})", shallow));
  CHECK(wire_reads_alike<Event>(R"({"rescind":{"offer_id":{}}})", shallow) == false);
  shallow.max_depth = 3;
  CHECK(wire_reads_alike<Event>(R"({"rescind":{"offer_id":{"value":"o"}}})", shallow));
}
