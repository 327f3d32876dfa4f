// Whole messages in either content type; decode failures name the type.
#include <doctest/doctest.h>

#include <google/protobuf/unknown_field_set.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "support/sample_messages.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"

using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

TEST_CASE("message codec: protobuf decode tolerates unknown fields") {
  std::string payload = mesos_actor::encode(samples::heartbeat(), content_type::protobuf);
  // Field 99, varint 7, and field 100, length-delimited "new": a newer master's additions.
  payload += std::string("\x98\x06\x07\xa2\x06\x03new", 9);
  Event e;
  auto err = mesos_actor::decode(payload, content_type::protobuf, e);
  CHECK_FALSE(err);
  CHECK(e.type() == Event::HEARTBEAT);
}

TEST_CASE("message codec: unknown fields are never encoded again") {
  Event e = samples::offers(0, 1);
  std::string payload = mesos_actor::encode(e, content_type::protobuf);
  const std::size_t known_size = payload.size();
  Event with_unknown;
  // An unknown field inside the offer (field 99, varint 7), as a newer master might send.
  mesos::v1::Offer offer = e.offers().offers(0);
  std::string offer_bytes = offer.SerializePartialAsString() + std::string("\x98\x06\x07", 3);
  REQUIRE(with_unknown.mutable_offers()->add_offers()->ParsePartialFromString(offer_bytes));
  with_unknown.set_type(Event::OFFERS);
  REQUIRE(with_unknown.offers().offers(0).GetReflection()->GetUnknownFields(with_unknown.offers().offers(0)).field_count() == 1);
  const std::string reencoded = mesos_actor::encode(with_unknown, content_type::protobuf);
  CHECK(reencoded.size() == known_size);
  CHECK(reencoded == payload);
  CHECK(mesos_actor::to_json(with_unknown) == mesos_actor::to_json(e));
}

TEST_CASE("message codec: an unknown enum number in protobuf reads as unset") {
  const std::string payload("\x08\x63", 2); // type = 99
  Event e;
  CHECK_FALSE(mesos_actor::decode(payload, content_type::protobuf, e));
  CHECK_FALSE(e.has_type());
}

TEST_CASE("message codec: malformed protobuf and missing required fields name the type") {
  Event e;
  auto bad = mesos_actor::decode(std::string("\x0a\xff\xff", 3), content_type::protobuf, e);
  REQUIRE(bad);
  CHECK(bad->message == "mesos.v1.scheduler.Event: malformed protobuf (3 bytes)");

  Event rescind;
  rescind.set_type(Event::RESCIND);
  rescind.mutable_rescind(); // offer_id is required
  const std::string partial = mesos_actor::encode(rescind, content_type::protobuf);
  auto missing = mesos_actor::decode(partial, content_type::protobuf, e);
  REQUIRE(missing);
  CHECK(missing->message == "mesos.v1.scheduler.Event: missing required field(s): rescind.offer_id");

  auto json = mesos_actor::decode("{\"type\":", content_type::json, e);
  REQUIRE(json);
  CHECK(json->message.rfind("mesos.v1.scheduler.Event: ", 0) == 0);
}

TEST_CASE("message codec: encode_append appends in both content types") {
  std::string out = "prefix";
  mesos_actor::encode_append(out, samples::heartbeat(), content_type::json);
  CHECK(out == "prefix{\"type\":\"HEARTBEAT\"}");
  out = "p";
  mesos_actor::encode_append(out, samples::heartbeat(), content_type::protobuf);
  CHECK(out == std::string("p\x08\x08", 3));
}

TEST_CASE("message codec: decode reuses the output message without leftovers") {
  Event e;
  REQUIRE_FALSE(mesos_actor::decode(mesos_actor::encode(samples::offers(0, 2), content_type::protobuf),
                                    content_type::protobuf, e));
  REQUIRE_FALSE(mesos_actor::decode(mesos_actor::encode(samples::heartbeat(), content_type::protobuf),
                                    content_type::protobuf, e));
  CHECK_FALSE(e.has_offers());
  REQUIRE_FALSE(mesos_actor::decode(mesos_actor::encode(samples::update(1), content_type::json),
                                    content_type::json, e));
  CHECK(e.type() == Event::UPDATE);
  CHECK(e.update().status().uuid().size() == 16);
}
