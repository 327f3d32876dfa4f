// Whole Calls and Events in binary protobuf or Mesos JSON.
#include "mesos_actor/codec/message_codec.hpp"

#include <climits>

#include <google/protobuf/descriptor.h>

#include "mesos_actor/codec/json.hpp"

namespace mesos_actor {

void encode_append(std::string& out, const google::protobuf::Message& msg, content_type type) {
  if (type == content_type::json) {
    append_json(out, msg);
    return;
  }
  // "Partial": a missing required field is the receiver's to report; protobuf would
  // otherwise log from inside the library.
  msg.AppendPartialToString(&out);
}

std::string encode(const google::protobuf::Message& msg, content_type type) {
  std::string out;
  encode_append(out, msg, type);
  return out;
}

std::optional<codec_error> decode(std::string_view payload, content_type type,
                                  google::protobuf::Message& out) {
  if (type == content_type::json)
    return from_json(payload, out);
  const auto& name = out.GetDescriptor()->full_name();
  if (payload.size() > static_cast<std::size_t>(INT_MAX))
    return codec_error{name + ": payload of " + std::to_string(payload.size())
                       + " bytes is too large for protobuf"};
  // Unknown fields are kept aside by protobuf itself, so newer masters do not break us.
  if (!out.ParsePartialFromArray(payload.data(), static_cast<int>(payload.size())))
    return codec_error{name + ": malformed protobuf (" + std::to_string(payload.size()) + " bytes)"};
  if (!out.IsInitialized())
    return codec_error{name + ": missing required field(s): " + out.InitializationErrorString()};
  return std::nullopt;
}

} // namespace mesos_actor
