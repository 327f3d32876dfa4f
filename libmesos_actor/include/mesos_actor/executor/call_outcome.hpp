#pragma once
// What became of one call made through the executor context: the executor's
// counterpart of the scheduler's call_outcome, given to executor::call_failed.

#include <string>

#include <caf/error.hpp>

#include <mesos/v1/executor/executor.pb.h>

#include "mesos_actor/call_status.hpp"

namespace mesos_actor {

/// How one executor call ended: rejected by the agent, failed in transport, or never sent.
struct executor_call_outcome {
  /// The kind of outcome (call_status, as call_outcome::status).
  using status = call_status;

  /// The call itself: an UPDATE's status (with the uuid the library gave it), a
  /// MESSAGE's data.
  mesos::v1::executor::Call call;
  /// The kind of outcome.
  status result = status::accepted;
  int http_status = 0;  ///< 0 unless the agent answered
  std::string body;     ///< the answer's body (4xx: the reason)
  caf::error error;     ///< empty when accepted; otherwise a "mesos" error saying why

  /// True when the agent accepted the call.
  bool ok() const { return result == status::accepted; }
};

} // namespace mesos_actor
