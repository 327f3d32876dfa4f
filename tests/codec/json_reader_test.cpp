// Reading Mesos JSON: the leniencies Mesos has, the errors it gives, hostile input.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/json.hpp"
#include "support/text.hpp"

namespace v1 = mesos::v1;
using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;

namespace {

template <class M>
M read_ok(std::string_view json, const mesos_actor::json_read_options& opts = {}) {
  M m;
  auto err = mesos_actor::from_json(json, m, opts);
  INFO(json);
  CHECK_MESSAGE(!err, (err ? err->message : ""));
  return m;
}

template <class M>
std::string read_error(std::string_view json, const mesos_actor::json_read_options& opts = {}) {
  M m;
  auto err = mesos_actor::from_json(json, m, opts);
  INFO(json);
  REQUIRE(err.has_value());
  return err->message;
}

using testkit::contains;

} // namespace

TEST_CASE("json reader: names, enums, nested messages, whitespace") {
  auto e = read_ok<Event>(" {\n \"type\" : \"RESCIND\", \"rescind\": {\"offer_id\": {\"value\": \"o-1\"}}}\t");
  CHECK(e.type() == Event::RESCIND);
  CHECK(e.rescind().offer_id().value() == "o-1");
}

TEST_CASE("json reader: null means unset") {
  auto e = read_ok<Event>(R"({"type":"HEARTBEAT","subscribed":null,"offers":null})");
  CHECK(e.type() == Event::HEARTBEAT);
  CHECK_FALSE(e.has_subscribed());
  CHECK_FALSE(e.has_offers());
  auto r = read_ok<v1::Value::Ranges>(R"({"range":null})");
  CHECK(r.range_size() == 0);
}

TEST_CASE("json reader: strings accepted for numbers, bools and doubles") {
  auto s = read_ok<v1::Value::Scalar>(R"({"value":"2.5"})");
  CHECK(s.value() == 2.5);
  auto inf = read_ok<v1::Filters>(R"({"refuse_seconds":"Infinity"})");
  CHECK(inf.refuse_seconds() == std::numeric_limits<double>::infinity());
  auto ninf = read_ok<v1::Filters>(R"({"refuse_seconds":"-Infinity"})");
  CHECK(ninf.refuse_seconds() == -std::numeric_limits<double>::infinity());
  auto nan = read_ok<v1::Filters>(R"({"refuse_seconds":"NaN"})");
  CHECK(nan.refuse_seconds() != nan.refuse_seconds());
  auto f = read_ok<v1::FrameworkInfo>(R"({"user":"u","name":"n","checkpoint":"true","failover_timeout":"10"})");
  CHECK(f.checkpoint());
  CHECK(f.failover_timeout() == 10);
  auto r = read_ok<v1::Value::Range>(R"({"begin":"18446744073709551615","end":"1"})");
  CHECK(r.begin() == std::numeric_limits<std::uint64_t>::max());
  CHECK(contains(read_error<v1::Value::Range>(R"({"begin":"12abc","end":1})"), "field 'begin'"));
  CHECK(contains(read_error<v1::FrameworkInfo>(R"({"user":"u","name":"n","checkpoint":"yes"})"),
                 "expected true or false"));
  CHECK(contains(read_error<v1::FrameworkInfo>(R"({"user":"u","name":"n","checkpoint":1})"),
                 "expected true or false"));
}

TEST_CASE("json reader: 64-bit integers keep every digit; out of range is an error") {
  auto r = read_ok<v1::Value::Range>(R"({"begin":18446744073709551615,"end":9007199254740993})");
  CHECK(r.begin() == std::numeric_limits<std::uint64_t>::max());
  CHECK(r.end() == 9007199254740993ull); // 2^53+1: lost by a double-based parser
  auto t = read_ok<v1::TimeInfo>(R"({"nanoseconds":-9223372036854775808})");
  CHECK(t.nanoseconds() == std::numeric_limits<std::int64_t>::min());
  CHECK(contains(read_error<v1::Value::Range>(R"({"begin":18446744073709551616,"end":1})"),
                 "mesos.v1.Value.Range: field 'begin': number 18446744073709551616 is out of range"));
  CHECK(contains(read_error<v1::Value::Range>(R"({"begin":-1,"end":1})"), "field 'begin'"));
  CHECK(contains(read_error<v1::AgentInfo>(R"({"hostname":"h","port":2147483648})"), "out of range"));
  CHECK(contains(read_error<v1::AgentInfo>(R"({"hostname":"h","port":1e400})"), "field 'port'"));
  CHECK(contains(read_error<v1::Value::Scalar>(R"({"value":1e400})"), "out of range"));
  const std::string many_digits(5000, '7');
  CHECK(contains(read_error<v1::TimeInfo>(R"({"nanoseconds":)" + many_digits + "}"), "out of range"));
}

TEST_CASE("json reader: fractions for integer fields are truncated as Mesos does") {
  auto a = read_ok<v1::AgentInfo>(R"({"hostname":"h","port":5051.9})");
  CHECK(a.port() == 5051);
  auto t = read_ok<v1::TimeInfo>(R"({"nanoseconds":-1.5e3})");
  CHECK(t.nanoseconds() == -1500);
}

TEST_CASE("json reader: enums must be names") {
  CHECK(contains(read_error<Event>(R"({"type":8})"),
                 "mesos.v1.scheduler.Event: field 'type': an enum must be given by name"));
  // Unknown name in an optional enum: dropped (newer masters add event types).
  auto e = read_ok<Event>(R"({"type":"SOMETHING_NEW","heartbeat_extra":{"x":[1,2,{"y":null}]}})");
  CHECK_FALSE(e.has_type());
  // Unknown name in a required enum: an error.
  CHECK(contains(read_error<v1::TaskStatus>(R"({"task_id":{"value":"t"},"state":"TASK_EXPLODED"})"),
                 "mesos.v1.TaskStatus: field 'state': unknown mesos.v1.TaskState name 'TASK_EXPLODED'"));
  // Unknown names inside a repeated optional enum are dropped too.
  auto caps = read_ok<v1::MasterInfo>(
    R"({"id":"m","ip":1,"port":5050,"capabilities":[{"type":"AGENT_UPDATE"},{"type":"FUTURE"}]})");
  REQUIRE(caps.capabilities_size() == 2);
  CHECK(caps.capabilities(0).type() == v1::MasterInfo::Capability::AGENT_UPDATE);
  CHECK_FALSE(caps.capabilities(1).has_type());
}

TEST_CASE("json reader: a single value where an array is expected; an array for a singular field is an error") {
  auto revive = read_ok<Call::Revive>(R"({"roles":"analytics"})");
  REQUIRE(revive.roles_size() == 1);
  CHECK(revive.roles(0) == "analytics");
  auto offers = read_ok<Event::Offers>(
    R"({"offers":{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h"}})");
  CHECK(offers.offers_size() == 1);
  auto ranges = read_ok<v1::HealthCheck::HTTPCheckInfo>(R"({"port":80,"statuses":200})");
  CHECK(ranges.statuses_size() == 1);
  CHECK(contains(read_error<Event>(R"({"type":["HEARTBEAT"]})"),
                 "mesos.v1.scheduler.Event: field 'type': an array for a singular field"));
  CHECK(contains(read_error<Call::Revive>(R"({"roles":["a",null]})"), "field 'roles[1]': null inside an array"));
}

TEST_CASE("json reader: lenient base64") {
  auto ack = [](std::string_view uuid_json) {
    return std::string(R"({"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":)") + std::string(uuid_json) + "}";
  };
  CHECK(read_ok<Call::Acknowledge>(ack(R"("Zm8=")")).uuid() == "fo");
  CHECK(read_ok<Call::Acknowledge>(ack(R"("Zm8")")).uuid() == "fo");          // padding optional
  CHECK(read_ok<Call::Acknowledge>(ack(R"("Zm 9v\nYmFy")")).uuid() == "foobar"); // whitespace ignored
  CHECK(read_ok<Call::Acknowledge>(ack(R"("Zg==Zm9v")")).uuid() == "f");      // stops at first '='
  CHECK(read_ok<Call::Acknowledge>(ack(R"("+//+")")).uuid() == "\xfb\xff\xfe");
  CHECK(contains(read_error<Call::Acknowledge>(ack(R"("Zm9v-_")")),
                 "mesos.v1.scheduler.Call.Acknowledge: field 'uuid': invalid base64"));
}

TEST_CASE("json reader: required fields enforced unless check_required is off") {
  auto msg = read_error<Event>(R"({"type":"RESCIND","rescind":{}})");
  CHECK(contains(msg, "mesos.v1.scheduler.Event: missing required field(s): rescind.offer_id"));
  mesos_actor::json_read_options lax;
  lax.check_required = false;
  CHECK(read_ok<Event>(R"({"type":"RESCIND","rescind":{}})", lax).has_rescind());
  CHECK(contains(read_error<mesos::v1::executor::Call>(R"({"type":"HEARTBEAT"})"), "executor_id"));
}

TEST_CASE("json reader: unknown keys ignored by default, rejected on request") {
  auto e = read_ok<Event>(R"({"type":"HEARTBEAT","brand_new":{"deep":[1,"x",true,null]}})");
  CHECK(e.type() == Event::HEARTBEAT);
  mesos_actor::json_read_options strict;
  strict.ignore_unknown_fields = false;
  CHECK(contains(read_error<Event>(R"({"type":"HEARTBEAT","rescind":{"offer_idd":1}})", strict),
                 "mesos.v1.scheduler.Event: field 'rescind.offer_idd': unknown field in mesos.v1.scheduler.Event.Rescind"));
}

TEST_CASE("json reader: maps") {
  auto t = read_ok<v1::TaskInfo>(
    R"({"name":"t","task_id":{"value":"1"},"agent_id":{"value":"a"},"limits":{"cpus":{"value":2},"mem":{"value":"64"},"gone":null}})");
  REQUIRE(t.limits().size() == 2);
  CHECK(t.limits().at("cpus").value() == 2);
  CHECK(t.limits().at("mem").value() == 64);
  CHECK(contains(read_error<v1::TaskInfo>(
                   R"({"name":"t","task_id":{"value":"1"},"agent_id":{"value":"a"},"limits":{"cpus":2}})"),
                 "field 'limits.cpus': expected an object"));
  CHECK(contains(read_error<v1::TaskInfo>(R"({"name":"t","limits":[1]})"), "expected an object for a map"));
}

TEST_CASE("json reader: error paths name the field") {
  auto msg = read_error<Event>(
    R"({"type":"OFFERS","offers":{"offers":[{"id":{"value":"o"},"framework_id":{"value":"f"},"agent_id":{"value":"a"},"hostname":"h","resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":"lots"}}]}]}})");
  CHECK(contains(msg, "mesos.v1.scheduler.Event: field 'offers.offers[0].resources[0].scalar.value': expected a number"));
  CHECK(contains(read_error<Event>(R"({"error":{"message":5}})"), "field 'error.message': expected a string"));
  CHECK(contains(read_error<Event>(R"({"rescind":"o-1"})"), "field 'rescind': expected an object"));
}

TEST_CASE("json reader: the top level must be an object") {
  for (std::string bad : std::initializer_list<std::string>{"[]", "\"x\"", "5", "null", "", "   ", "true"}) {
    CAPTURE(bad);
    CHECK(contains(read_error<Event>(bad), "mesos.v1.scheduler.Event: the top level must be a JSON object"));
  }
}

TEST_CASE("json reader: hostile and malformed input gets an error, never a crash") {
  // Deep nesting, in a known and in an unknown field.
  std::string deep_unknown = R"({"x":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  CHECK(contains(read_error<Event>(deep_unknown), "nesting deeper than 100 levels"));
  std::string deep_known = "{";
  for (int i = 0; i < 5000; ++i)
    deep_known += R"("parent":{)";
  CHECK(contains(read_error<v1::ContainerID>(deep_known), "nesting deeper than 100 levels"));
  mesos_actor::json_read_options shallow;
  shallow.max_depth = 2;
  CHECK(contains(read_error<Event>(R"({"rescind":{"offer_id":{"value":"o"}}})", shallow), "nesting deeper than 2"));

  for (std::string bad : std::initializer_list<std::string>{
         R"({"type":"HEARTBEAT")",            // truncated
         R"({"type":"HEARTBEAT",})",          // trailing comma
         R"({"type":"HEART)",                 // unterminated string
         R"({"type" "HEARTBEAT"})",           // missing colon
         R"({type:"HEARTBEAT"})",             // unquoted key
         R"({"type":"HEARTBEAT"} x)",         // trailing garbage
         R"({"type":"HEARTBEAT"}{})",         // two objects
         R"({"error":{"message":"a\qb"}})",   // invalid escape
         R"({"error":{"message":"\u12"}})",   // truncated \u
         R"({"error":{"message":"\uZZZZ"}})", // bad hex
         R"({"error":{"message":"\ud800"}})", // lone high surrogate
         R"({"error":{"message":"\udc00x"}})", // lone low surrogate
         "{\"error\":{\"message\":\"a\x01\"}}", // raw control character
         R"({"failure":{"status":01}})",      // leading zero
         R"({"failure":{"status":-}})",
         R"({"failure":{"status":1.}})",
         R"({"failure":{"status":.5}})",
         R"({"failure":{"status":1e}})",
         R"({"failure":{"status":NaN}})",     // bare NaN is not JSON
         R"({"failure":{"status":Infinity}})",
         R"({"x":tru})",
         R"({"x":nul})",
         std::string("{\"x\":\0}", 7),
       }) {
    CAPTURE(bad);
    Event e;
    auto err = mesos_actor::from_json(bad, e);
    CHECK(err.has_value());
  }
}

TEST_CASE("json reader: escapes and UTF-8") {
  auto e = read_ok<Event>(R"({"error":{"message":"q\"b\\s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 \u0000"}})");
  CHECK(e.error().message() == std::string("q\"b\\s/ \b\f\n\r\t \xc3\xa9 \xf0\x9f\x98\x80 \0", 22));
  // Bytes that are not valid UTF-8 are kept as they are (Mesos does not validate either).
  auto raw = read_ok<Event>("{\"error\":{\"message\":\"\xff\xfe\"}}");
  CHECK(raw.error().message() == "\xff\xfe");
}

TEST_CASE("json reader: the output message is cleared first and later keys win") {
  Event e;
  e.set_type(Event::ERROR);
  e.mutable_error()->set_message("old");
  CHECK_FALSE(mesos_actor::from_json(R"({"rescind":{"offer_id":{"value":"a"}},"rescind":{"offer_id":{"value":"b"}}})", e));
  CHECK_FALSE(e.has_type());
  CHECK_FALSE(e.has_error());
  CHECK(e.rescind().offer_id().value() == "b");
}
