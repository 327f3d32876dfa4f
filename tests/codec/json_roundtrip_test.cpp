// JSON and protobuf round trips of every scheduler and executor Call and Event type.
#include <doctest/doctest.h>

#include <set>

#include <google/protobuf/util/message_differencer.h>

#include "support/sample_messages.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"

namespace {

using google::protobuf::util::MessageDifferencer;
using mesos_actor::content_type;

// JSON writes unset defaults, so the reread message equals the original with unset
// defaults counted as their default values (MessageDifferencer::Equivalent).
template <class M>
void check_round_trips(const std::vector<M>& messages) {
  std::set<int> types;
  for (const M& original : messages) {
    CAPTURE(original.ShortDebugString());
    REQUIRE(original.IsInitialized());
    types.insert(original.type());

    const std::string json = mesos_actor::encode(original, content_type::json);
    M from_json;
    auto err = mesos_actor::decode(json, content_type::json, from_json);
    REQUIRE_MESSAGE(!err, (err ? err->message : ""));
    CHECK(MessageDifferencer::Equivalent(original, from_json));
    CHECK(mesos_actor::to_json(from_json) == json);

    const std::string binary = mesos_actor::encode(original, content_type::protobuf);
    M from_binary;
    auto err2 = mesos_actor::decode(binary, content_type::protobuf, from_binary);
    REQUIRE_MESSAGE(!err2, (err2 ? err2->message : ""));
    CHECK(MessageDifferencer::Equals(original, from_binary));
  }
  // Every type but UNKNOWN is covered.
  CHECK(types.size() + 1 == static_cast<std::size_t>(M::Type_descriptor()->value_count()));
}

} // namespace

TEST_CASE("round trip: every scheduler Event type") {
  check_round_trips(samples::every_scheduler_event());
}

TEST_CASE("round trip: every scheduler Call type") {
  check_round_trips(samples::every_scheduler_call());
}

TEST_CASE("round trip: every executor Call type") {
  check_round_trips(samples::every_executor_call());
}

TEST_CASE("round trip: every executor Event type") {
  check_round_trips(samples::every_executor_event());
}
