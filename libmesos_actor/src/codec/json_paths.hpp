#pragma once
// The two JSON readers. The reflection reader is the reference: it reads any message
// and words every error. The wire reader is the fast one: JSON is transcoded to
// protobuf wire format and parsed by the generated code; it gives up (returns false)
// on anything it does not handle exactly as the reference does, errors included, and
// from_json (json.hpp) then takes the reflection reader. The fuzz target checks that
// both agree.

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "mesos_actor/codec/json.hpp"

namespace mesos_actor::detail {

/// from_json by reflection: clears `out` and reads (required fields not yet checked).
std::optional<codec_error> from_json_by_reflection(std::string_view json,
                                                   google::protobuf::Message& out,
                                                   const json_read_options& opts);

/// from_json through protobuf wire format: true when `out` holds the message read
/// (required fields not yet checked); false when it gave up (`out` is then cleared or
/// partly filled, and the reflection path must read it again).
bool from_json_by_wire(std::string_view json, google::protobuf::Message& out,
                       const json_read_options& opts);

/// to_json by reflection alone, without the field tables: the writer for messages the
/// tables do not serve (dynamic messages), and the reference the tests hold the table
/// writer to.
std::string to_json_by_reflection(const google::protobuf::Message& msg);

} // namespace mesos_actor::detail
