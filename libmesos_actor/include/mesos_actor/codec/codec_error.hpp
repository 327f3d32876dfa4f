#pragma once

#include <string>

namespace mesos_actor {

/// Why a payload could not be encoded or decoded. The message names the protobuf
/// message type and the reason, e.g. "mesos.v1.scheduler.Event: field 'type': ...".
struct codec_error {
  /// What failed and why.
  std::string message;
};

} // namespace mesos_actor
