#pragma once
// How one call of a scheduler or an executor ended: the `result` of call_outcome and
// executor_call_outcome.

namespace mesos_actor {

/// The kind of outcome of one call.
enum class call_status {
  accepted,         ///< 202 (or 200 for calls that answer with data)
  rejected,         ///< the peer answered another HTTP status (see http_status, body)
  transport_error,  ///< no HTTP answer (refused, reset, timeout)
  not_sent,         ///< never sent: not subscribed, queue full, stopping, a bad call
};

/// The enumerator's name, e.g. "accepted".
const char* to_string(call_status s);

} // namespace mesos_actor
