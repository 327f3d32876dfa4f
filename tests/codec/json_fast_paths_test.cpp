// The shortcuts of the fast JSON paths against their references: the table writer
// against the reflection writer, and the wire reader's key matching, long nested
// values and base64 groups against the reflection reader.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include <google/protobuf/dynamic_message.h>

#include "codec/json_paths.hpp"
#include "support/sample_messages.hpp"
#include "mesos_actor/codec/json.hpp"

namespace {

using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;

template <class M>
void check_writers_agree(const std::vector<M>& messages) {
  for (const M& m : messages) {
    const std::string by_table = mesos_actor::to_json(m);
    CAPTURE(by_table);
    CHECK(by_table == mesos_actor::detail::to_json_by_reflection(m));
  }
}

// Both readers read `json` to the same message (the wire reader does not give up).
template <class M>
M read_alike(const std::string& json) {
  M by_wire;
  REQUIRE(mesos_actor::detail::from_json_by_wire(json, by_wire, {}));
  M by_reflection;
  auto err = mesos_actor::detail::from_json_by_reflection(json, by_reflection, {});
  REQUIRE_MESSAGE(!err, (err ? err->message : ""));
  CHECK(mesos_actor::to_json(by_wire) == mesos_actor::to_json(by_reflection));
  return by_wire;
}

} // namespace

TEST_CASE("json fast paths: the table writer writes what the reflection writer writes") {
  check_writers_agree(samples::every_scheduler_event());
  check_writers_agree(samples::every_scheduler_call());
  check_writers_agree(samples::every_executor_event());
  check_writers_agree(samples::every_executor_call());
  check_writers_agree(samples::event_stream(20, 2));
  // Defaults: written for unset fields that have one, unless deprecated.
  check_writers_agree(std::vector<mesos::v1::FrameworkInfo>{mesos::v1::FrameworkInfo{}});
  check_writers_agree(std::vector<mesos::v1::Resource>{mesos::v1::Resource{}});
}

TEST_CASE("json fast paths: a dynamic message of a generated type is written and read alike") {
  google::protobuf::DynamicMessageFactory factory;
  for (const Event& e : samples::event_stream(5, 2)) {
    std::unique_ptr<google::protobuf::Message> dynamic(factory.GetPrototype(Event::descriptor())->New());
    REQUIRE(dynamic->ParseFromString(e.SerializeAsString()));
    const std::string json = mesos_actor::to_json(e);
    CHECK(mesos_actor::to_json(*dynamic) == json);
    // Read into the dynamic message after a generated one on this thread, and back.
    Event generated;
    REQUIRE_FALSE(mesos_actor::from_json(json, generated));
    REQUIRE_FALSE(mesos_actor::from_json(json, *dynamic));
    CHECK(mesos_actor::to_json(*dynamic) == json);
    REQUIRE_FALSE(mesos_actor::from_json(json, generated));
    CHECK(mesos_actor::to_json(generated) == json);
  }
}

TEST_CASE("json fast paths: keys out of order, spaced or escaped are read alike") {
  const auto a = read_alike<Event>(
    R"({"message":{"data":"Zm9v","agent_id":{"value":"a"},"executor_id":{"value":"e"}},"type":"MESSAGE"})");
  CHECK(a.message().data() == "foo");
  const auto b = read_alike<Event>(
    R"({ "type" : "MESSAGE" , "message" :{"agent_id" :{"value":"a"}, "executor_id":{ "value":"e"},"data":""}})");
  CHECK(b.message().executor_id().value() == "e");
  const auto c = read_alike<Event>(R"({"typ\u0065":"MESSAGE","message":{"agent_\u0069d":{"value":"a\u00e9"}}})");
  CHECK(c.type() == Event::MESSAGE);
  CHECK(c.message().agent_id().value() == "a\xc3\xa9");
  // A key that is a prefix or an extension of a field name is no field.
  mesos_actor::json_read_options strict;
  strict.ignore_unknown_fields = false;
  Event e;
  CHECK_FALSE(mesos_actor::detail::from_json_by_wire(R"({"typ":"MESSAGE"})", e, strict));
  CHECK_FALSE(mesos_actor::detail::from_json_by_wire(R"({"types":"MESSAGE"})", e, strict));
}

TEST_CASE("json fast paths: nested values of 16 KiB and more keep their length") {
  // An OFFERS event with enough offers that the offers list is over 16 KiB of wire,
  // past the two bytes the wire reader keeps for a nested length.
  Event big;
  big.set_type(Event::OFFERS);
  for (const Event& e : samples::event_stream(200, 0))
    if (e.type() == Event::OFFERS)
      for (const auto& o : e.offers().offers())
        *big.mutable_offers()->add_offers() = o;
  REQUIRE(big.offers().ByteSizeLong() > (1u << 14));
  const std::string json = mesos_actor::to_json(big);
  const Event read = read_alike<Event>(json);
  CHECK(read.offers().offers_size() == big.offers().offers_size());
  CHECK(mesos_actor::to_json(read) == json);
}

TEST_CASE("json fast paths: base64 in whole groups, with a tail, spaces and padding") {
  auto uuid = [](const std::string& text) {
    return read_alike<Call::Acknowledge>(R"({"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":")" + text
                                         + R"("})")
      .uuid();
  };
  CHECK(uuid("Zm9vYmFyZm9v") == "foobarfoo");
  CHECK(uuid("Zm9vYmE") == "fooba");
  CHECK(uuid("Zm9vYmE=") == "fooba");
  CHECK(uuid("Zm9vYmFy\\nZm9v") == "foobarfoo"); // an escaped newline
  CHECK(uuid("Zm9vYm Fy") == "foobar");
  CHECK(uuid("Zm9vYmFy==Zm9v") == "foobar");
  CHECK(uuid("") == "");
}
