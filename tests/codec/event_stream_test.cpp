// The property that matters on the wire: a real-looking event stream decodes to the
// same events however it is cut into pieces (HTTP chunk boundaries mean nothing).
#include <doctest/doctest.h>

#include <google/protobuf/util/message_differencer.h>

#include "support/sample_messages.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

using google::protobuf::util::MessageDifferencer;
using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

namespace {

std::vector<Event> stream_events() {
  return {samples::subscribed(), samples::offers(0, 3), samples::update(1), samples::heartbeat(),
          samples::update(3), samples::offers(3, 2), samples::heartbeat()};
}

std::string encode_stream(const std::vector<Event>& events, content_type type) {
  std::string stream;
  for (const auto& e : events)
    mesos_actor::recordio_append(stream, mesos_actor::encode(e, type));
  return stream;
}

// Decodes `stream` given as the pieces [0,cut1) [cut1,cut2) [cut2,end).
std::vector<Event> decode_cut(std::string_view stream, std::size_t cut1, std::size_t cut2,
                              content_type type) {
  std::vector<Event> events;
  mesos_actor::recordio_decoder dec;
  auto on_record = [&](std::string_view record) {
    Event& e = events.emplace_back();
    auto err = mesos_actor::decode(record, type, e);
    REQUIRE_MESSAGE(!err, (err ? err->message : ""));
    return true;
  };
  REQUIRE_FALSE(dec.feed(stream.substr(0, cut1), on_record));
  REQUIRE_FALSE(dec.feed(stream.substr(cut1, cut2 - cut1), on_record));
  REQUIRE_FALSE(dec.feed(stream.substr(cut2), on_record));
  REQUIRE_FALSE(dec.finish());
  return events;
}

void check_every_split(content_type type) {
  const auto events = stream_events();
  const std::string stream = encode_stream(events, type);
  CAPTURE(stream.size());
  // Every single cut position, and pairs of cuts at a coarser stride.
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    auto got = decode_cut(stream, cut, cut, type);
    REQUIRE(got.size() == events.size());
    for (std::size_t i = 0; i < events.size(); ++i)
      REQUIRE(MessageDifferencer::Equivalent(got[i], events[i]));
  }
  for (std::size_t cut1 = 0; cut1 <= stream.size(); cut1 += 37)
    for (std::size_t cut2 = cut1; cut2 <= stream.size(); cut2 += 53) {
      auto got = decode_cut(stream, cut1, cut2, type);
      REQUIRE(got.size() == events.size());
      REQUIRE(MessageDifferencer::Equivalent(got.back(), events.back()));
    }
  // And one byte at a time.
  mesos_actor::recordio_decoder dec;
  std::size_t n = 0;
  for (char c : stream)
    REQUIRE_FALSE(dec.feed(std::string_view(&c, 1), [&](std::string_view record) {
      Event e;
      REQUIRE_FALSE(mesos_actor::decode(record, type, e));
      CHECK(MessageDifferencer::Equivalent(e, events[n++]));
      return true;
    }));
  CHECK(n == events.size());
}

} // namespace

TEST_CASE("event stream: split at every byte position, protobuf") {
  check_every_split(content_type::protobuf);
}

TEST_CASE("event stream: split at every byte position, JSON") {
  check_every_split(content_type::json);
}

TEST_CASE("event stream: the sample UPDATE really carries binary data and a 16-byte uuid") {
  const auto status = samples::update(1).update().status();
  CHECK(status.uuid().size() == 16);
  CHECK(status.data().find('\n') != std::string::npos);
  CHECK(status.data().find('\0') != std::string::npos);
  // The binary payload contains '\n', so splitting on newlines would break it.
  CHECK(mesos_actor::encode(samples::update(1), content_type::protobuf).find('\n') != std::string::npos);
}
