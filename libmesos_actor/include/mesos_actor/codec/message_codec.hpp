#pragma once
// Encodes and decodes whole Calls and Events in either content type.

#include <optional>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "mesos_actor/codec/codec_error.hpp"
#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor {

/// Serializes `msg` as `type` (binary protobuf or Mesos JSON). Unknown fields kept
/// from a decoded message are never written.
std::string encode(const google::protobuf::Message& msg, content_type type);
/// Appends the serialization of `msg` to `out`.
void encode_append(std::string& out, const google::protobuf::Message& msg, content_type type);

/// Parses `payload` into `out`. Unknown fields are tolerated (newer masters add them);
/// a failure names the message type and the reason.
std::optional<codec_error> decode(std::string_view payload, content_type type,
                                  google::protobuf::Message& out);

} // namespace mesos_actor
