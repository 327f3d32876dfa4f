#pragma once
// Protobuf <-> JSON in Mesos's own dialect (stout jsonify/protobuf, PROTOCOL.md section 8),
// which is NOT proto3 canonical JSON: snake_case proto names, enum names, base64 bytes,
// int64 as bare numbers, unset fields with a proto default written with that default.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "mesos_actor/codec/codec_error.hpp"

namespace mesos_actor {

/// Writes `msg` as Mesos writes it.
std::string to_json(const google::protobuf::Message& msg);
/// Appends the JSON of `msg` to `out`.
void append_json(std::string& out, const google::protobuf::Message& msg);

/// How strict reading is. The defaults are Mesos's own reading rules.
struct json_read_options {
  /// Unknown keys are ignored (Mesos does; and newer masters add fields).
  bool ignore_unknown_fields = true;
  /// Missing required fields are an error (Mesos enforces them after parsing).
  bool check_required = true;
  /// Deepest nesting of objects and arrays accepted, so hostile input cannot
  /// exhaust the stack (the deepest v1 message needs far fewer levels).
  std::size_t max_depth = 100;
};

/// Reads JSON into `out` (cleared first) with Mesos's reading rules: `null` means
/// unset, strings accepted for numbers and bools, a single value where an array is
/// expected, enum names only (unknown names dropped for optional enums), lenient
/// base64, numbers converted by truncation. The top level must be an object. The
/// error names the message type and field path.
std::optional<codec_error> from_json(std::string_view json, google::protobuf::Message& out,
                                     const json_read_options& opts = {});

} // namespace mesos_actor
