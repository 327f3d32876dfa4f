// libFuzzer target: bytes -> RecordIO decoder (in fuzzer-chosen piece sizes) -> each
// record decoded as a scheduler Event, both as protobuf and as Mesos JSON; whatever
// decodes is encoded again both ways and must read back to the same JSON. The fast JSON
// reader (through protobuf wire format) must read exactly what the reflection reader
// reads, under the default, a strict and a shallow set of options, and never accept
// what that reader refuses; the table writer must write what the reflection writer
// writes.
//
// Input layout: byte 0 seeds the piece sizes, the rest is the stream.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "codec/json_paths.hpp"
#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace {

using mesos::v1::scheduler::Event;
using mesos_actor::content_type;

// Small records keep the fuzzer fast; the limit itself is exercised too.
constexpr std::size_t max_record_size = 1 << 20;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_event_stream: %s: %s\n", what, detail.c_str());
  std::abort();
}

// A message that decoded must survive encode/decode in both content types.
void check_reencodes(const Event& event) {
  const std::string json = mesos_actor::encode(event, content_type::json);
  // The table writer must write what the reflection writer writes.
  if (mesos_actor::detail::to_json_by_reflection(event) != json)
    fail("the JSON writers disagree", json);
  Event from_json;
  if (auto err = mesos_actor::decode(json, content_type::json, from_json))
    fail("own JSON does not read back", err->message + " in " + json);
  if (mesos_actor::to_json(from_json) != json)
    fail("JSON round trip changed the message", json);

  const std::string binary = mesos_actor::encode(event, content_type::protobuf);
  Event from_binary;
  if (auto err = mesos_actor::decode(binary, content_type::protobuf, from_binary))
    fail("own protobuf does not read back", err->message);
  if (mesos_actor::to_json(from_binary) != json)
    fail("protobuf round trip changed the message", json);
}

void check_json_readers_agree(std::string_view record) {
  mesos_actor::json_read_options strict;
  strict.ignore_unknown_fields = false;
  mesos_actor::json_read_options shallow;
  shallow.max_depth = 3;
  for (const auto& opts : {mesos_actor::json_read_options{}, strict, shallow}) {
    Event by_wire;
    if (!mesos_actor::detail::from_json_by_wire(record, by_wire, opts))
      continue; // it gave up: the reflection reader alone decides
    Event by_reflection;
    if (auto err = mesos_actor::detail::from_json_by_reflection(record, by_reflection, opts))
      fail("the wire reader accepted what the reflection reader refuses", err->message);
    const std::string a = mesos_actor::to_json(by_wire);
    const std::string b = mesos_actor::to_json(by_reflection);
    if (a != b)
      fail("the JSON readers disagree", a + " vs " + b);
  }
}

void decode_record(std::string_view record) {
  check_json_readers_agree(record);
  Event event;
  if (!mesos_actor::decode(record, content_type::protobuf, event))
    check_reencodes(event);
  if (!mesos_actor::decode(record, content_type::json, event))
    check_reencodes(event);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::uint32_t seed = data[0] * 2654435761u + 1;
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  mesos_actor::recordio_decoder decoder(max_record_size);
  auto on_record = [](std::string_view record) {
    decode_record(record);
    return true;
  };
  std::size_t at = 0;
  while (at < stream.size()) {
    seed = seed * 1103515245u + 12345u;
    // Mostly tiny pieces (splits everywhere), sometimes large ones (zero-copy path).
    const std::size_t piece = (seed >> 16) % 4 == 0 ? 1 + (seed >> 8) % 4096 : 1 + (seed >> 20) % 8;
    const auto err = decoder.feed(stream.substr(at, piece), on_record);
    at += piece;
    if (err) {
      if (!decoder.broken() || err->message().empty())
        fail("error without a broken stream", err->message());
      // A broken stream stays broken.
      if (!decoder.feed("1\nx", on_record))
        fail("broken stream accepted more input", err->message());
      return 0;
    }
  }
  decoder.finish();
  return 0;
}
