// Whole Calls and Events in binary protobuf or Mesos JSON.
#include "mesos_actor/codec/message_codec.hpp"

#include <climits>
#include <memory>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/unknown_field_set.h>

#include "mesos_actor/codec/json.hpp"

namespace mesos_actor {

namespace {

// Unknown fields kept from a decoded message (a newer master's additions) anywhere
// in the tree.
bool has_unknown_fields(const google::protobuf::Message& msg) {
  const auto* r = msg.GetReflection();
  if (!r->GetUnknownFields(msg).empty())
    return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
      continue;
    if (!f->is_repeated()) {
      if (has_unknown_fields(r->GetMessage(msg, f)))
        return true;
      continue;
    }
    for (int i = 0, n = r->FieldSize(msg, f); i < n; ++i)
      if (has_unknown_fields(r->GetRepeatedMessage(msg, f, i)))
        return true;
  }
  return false;
}

} // namespace

void encode_append(std::string& out, const google::protobuf::Message& msg, content_type type) {
  if (type == content_type::json) {
    append_json(out, msg);
    return;
  }
  // We never send fields we do not know: a message built from parts of a decoded
  // event could otherwise echo a newer master's unknown fields back to it.
  // "Partial": a missing required field is the receiver's to report; protobuf would
  // otherwise log from inside the library.
  if (has_unknown_fields(msg)) {
    std::unique_ptr<google::protobuf::Message> known(msg.New());
    known->CopyFrom(msg);
    known->DiscardUnknownFields();
    known->AppendPartialToString(&out);
    return;
  }
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
