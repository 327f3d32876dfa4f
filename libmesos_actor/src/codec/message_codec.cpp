// Whole Calls and Events in binary protobuf or Mesos JSON.
#include "mesos_actor/codec/message_codec.hpp"

#include <climits>
#include <memory>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/unknown_field_set.h>

#include "codec/json_plan.hpp"
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

// has_unknown_fields over the field tables (json_plan.hpp) of a generated message:
// only its message-typed fields are visited, and no submessage is asked for its
// reflection (the walk is on every protobuf encode).
bool has_unknown_fields(const google::protobuf::Message& msg, const detail::message_plan& plan) {
  const auto* r = plan.reflection != nullptr ? plan.reflection : msg.GetReflection();
  if (!r->GetUnknownFields(msg).empty())
    return true;
  for (const std::uint32_t i : plan.message_fields) {
    const auto& fp = plan.fields[i];
    if (!fp.repeated) {
      if (r->HasField(msg, fp.descriptor) && has_unknown_fields(r->GetMessage(msg, fp.descriptor), *fp.message))
        return true;
      continue;
    }
    for (int k = 0, n = r->FieldSize(msg, fp.descriptor); k < n; ++k)
      if (has_unknown_fields(r->GetRepeatedMessage(msg, fp.descriptor, k), *fp.message))
        return true;
  }
  return false;
}

bool has_any_unknown_fields(const google::protobuf::Message& msg) {
  if (const auto* plan = detail::generated_plan_for(msg))
    return has_unknown_fields(msg, *plan);
  return has_unknown_fields(msg);
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
  if (has_any_unknown_fields(msg)) {
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
