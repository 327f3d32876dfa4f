#pragma once
// The two ways through each direction of Mesos JSON. The reflection paths are the
// reference: they read and write any message and give every error text. The wire paths
// are the fast ones: JSON is transcoded to protobuf wire format and parsed by the
// generated code, and written from the generated serialization; they give up (return
// false) on anything they do not handle exactly as the reference does, errors included,
// and the public functions (json.hpp) then take the reflection path. The fuzz target
// checks that both agree.

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

/// append_json by reflection.
void append_json_by_reflection(std::string& out, const google::protobuf::Message& msg);

/// append_json from the serialized message: true when it appended the JSON; false
/// (nothing appended) when it gave up.
bool append_json_by_wire(std::string& out, const google::protobuf::Message& msg);

} // namespace mesos_actor::detail
