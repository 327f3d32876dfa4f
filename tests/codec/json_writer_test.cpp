// Writing Mesos JSON: names, enums, base64, 64-bit numbers, infinities, maps, defaults.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/json.hpp"

namespace v1 = mesos::v1;

TEST_CASE("json writer: unset optional fields with a proto default are written with it") {
  v1::FrameworkInfo f;
  f.set_user("u");
  f.set_name("n");
  // failover_timeout and checkpoint have defaults; the deprecated role (default "*") is not written.
  CHECK(mesos_actor::to_json(f)
        == R"({"user":"u","name":"n","failover_timeout":0,"checkpoint":false})");

  v1::AgentInfo a;
  a.set_hostname("h");
  CHECK(mesos_actor::to_json(a) == R"({"hostname":"h","port":5051})");

  v1::Filters filters;
  CHECK(mesos_actor::to_json(filters) == R"({"refuse_seconds":5})");

  v1::CommandInfo c;
  CHECK(mesos_actor::to_json(c) == R"({"shell":true})");

  v1::MasterInfo m; // required port with a default is written too
  CHECK(mesos_actor::to_json(m) == R"({"port":5050})");

  v1::Environment::Variable var; // enum default by name
  var.set_name("X");
  CHECK(mesos_actor::to_json(var) == R"({"name":"X","type":"VALUE"})");

  v1::Resource r; // deprecated role with default "*" stays out, unless set
  r.set_name("cpus");
  r.set_type(v1::Value::SCALAR);
  CHECK(mesos_actor::to_json(r) == R"({"name":"cpus","type":"SCALAR"})");
  // Through reflection: the generated setter is marked deprecated.
  r.GetReflection()->SetString(&r, r.GetDescriptor()->FindFieldByName("role"), "*");
  CHECK(mesos_actor::to_json(r) == R"({"name":"cpus","type":"SCALAR","role":"*"})");
}

TEST_CASE("json writer: unset fields without a default and empty repeated fields are left out") {
  mesos::v1::scheduler::Call call;
  CHECK(mesos_actor::to_json(call) == "{}");
  call.set_type(mesos::v1::scheduler::Call::REVIVE);
  call.mutable_revive(); // set but empty: an empty object, no "roles"
  CHECK(mesos_actor::to_json(call) == R"({"type":"REVIVE","revive":{}})");
}

TEST_CASE("json writer: bytes as padded standard base64") {
  mesos::v1::scheduler::Call::Acknowledge ack;
  ack.mutable_agent_id()->set_value("a");
  ack.mutable_task_id()->set_value("t");
  for (auto [raw, b64] : std::vector<std::pair<std::string, std::string>>{
         {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
         {std::string("\xfb\xff\xfe", 3), "+//+"}}) {
    ack.set_uuid(raw);
    CHECK(mesos_actor::to_json(ack)
          == R"({"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":")" + b64 + "\"}");
  }
}

TEST_CASE("json writer: 64-bit integers as bare numbers, every digit kept") {
  v1::Value::Range range;
  range.set_begin(0);
  range.set_end(std::numeric_limits<std::uint64_t>::max());
  CHECK(mesos_actor::to_json(range) == R"({"begin":0,"end":18446744073709551615})");
  v1::TimeInfo t;
  t.set_nanoseconds(std::numeric_limits<std::int64_t>::min());
  CHECK(mesos_actor::to_json(t) == R"({"nanoseconds":-9223372036854775808})");
}

TEST_CASE("json writer: doubles shortest exact, infinities quoted, NaN quoted defensively") {
  v1::Value::Scalar s;
  s.set_value(0.1);
  CHECK(mesos_actor::to_json(s) == R"({"value":0.1})");
  s.set_value(1e300);
  CHECK(mesos_actor::to_json(s) == R"({"value":1e+300})");
  s.set_value(std::numeric_limits<double>::infinity());
  CHECK(mesos_actor::to_json(s) == R"({"value":"Infinity"})");
  s.set_value(-std::numeric_limits<double>::infinity());
  CHECK(mesos_actor::to_json(s) == R"({"value":"-Infinity"})");
  s.set_value(std::nan(""));
  CHECK(mesos_actor::to_json(s) == R"({"value":"NaN"})");
}

TEST_CASE("json writer: strings escaped, UTF-8 passed through") {
  v1::Label l;
  l.set_key(std::string("q\"b\\n\nc\x01z\x7f", 10));
  l.set_value("h\xc3\xa9");
  CHECK(mesos_actor::to_json(l) == "{\"key\":\"q\\\"b\\\\n\\nc\\u0001z\x7f\",\"value\":\"h\xc3\xa9\"}");
}

TEST_CASE("json writer: maps are objects keyed by the key, message values stay objects") {
  v1::TaskInfo t;
  t.set_name("t");
  t.mutable_task_id()->set_value("1");
  t.mutable_agent_id()->set_value("a");
  (*t.mutable_limits())["cpus"].set_value(2);
  CHECK(mesos_actor::to_json(t)
        == R"({"name":"t","task_id":{"value":"1"},"agent_id":{"value":"a"},"limits":{"cpus":{"value":2}}})");
}

TEST_CASE("json writer: map entries are written sorted by key") {
  v1::OfferFilters::ResourceQuantities q;
  for (const char* name : {"mem", "cpus", "disk", "gpus"})
    (*q.mutable_quantities())[name].set_value(1);
  CHECK(mesos_actor::to_json(q)
        == R"({"quantities":{"cpus":{"value":1},"disk":{"value":1},"gpus":{"value":1},"mem":{"value":1}}})");
}

TEST_CASE("json writer: append_json appends") {
  std::string out = "[";
  mesos_actor::append_json(out, v1::Filters{});
  CHECK(out == R"([{"refuse_seconds":5})");
}
