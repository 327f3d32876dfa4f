#pragma once
// What became of one call made through the scheduler context.

#include <cstdint>
#include <string>

#include <caf/error.hpp>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/call_status.hpp"

namespace mesos_actor {

/// Identifies a call for its outcome (unique per scheduler actor, never 0).
using call_id = std::uint64_t;

/// How one call ended: accepted, rejected by the master, failed in transport, or never sent.
struct call_outcome {
  /// The kind of outcome (call_status, shared with executor_call_outcome): accepted
  /// is 202, or 200 for UPDATE_FRAMEWORK / RECONCILE_OPERATIONS.
  using status = call_status;

  /// The id the context returned when the call was made.
  call_id id = 0;
  /// The call's type.
  mesos::v1::scheduler::Call::Type type = mesos::v1::scheduler::Call::UNKNOWN;
  /// The kind of outcome.
  status result = status::accepted;
  int http_status = 0;  ///< 0 unless the master answered
  std::string body;     ///< the answer's body (200 answers carry data, 4xx the reason)
  caf::error error;     ///< empty when accepted; otherwise a "mesos" error saying why

  /// True when the master accepted the call.
  bool ok() const { return result == status::accepted; }
};

} // namespace mesos_actor
