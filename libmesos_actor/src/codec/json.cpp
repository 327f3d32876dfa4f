// from_json: the fast wire path first, the reflection reader when it gives up
// (json_paths.hpp).
#include "mesos_actor/codec/json.hpp"

#include "codec/json_paths.hpp"

namespace mesos_actor {

std::optional<codec_error> from_json(std::string_view json, google::protobuf::Message& out,
                                     const json_read_options& opts) {
  if (!detail::from_json_by_wire(json, out, opts))
    if (auto err = detail::from_json_by_reflection(json, out, opts))
      return err;
  if (opts.check_required && !out.IsInitialized())
    return codec_error{out.GetDescriptor()->full_name()
                       + ": missing required field(s): " + out.InitializationErrorString()};
  return std::nullopt;
}

} // namespace mesos_actor
