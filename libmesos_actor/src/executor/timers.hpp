#pragma once
// The timers of an executor actor, sent as (executor_timer_atom, kind, token). CAF 0.17
// timers cannot be cancelled: each kind has a token that is bumped to disarm it.

#include <cstdint>

namespace mesos_actor::detail {

enum class timer : std::uint8_t {
  attempt,          ///< next (re-)subscription attempt after the random backoff
  subscribe_watch,  ///< SUBSCRIBED did not arrive in time on the current stream
  recovery,         ///< the one MESOS_RECOVERY_TIMEOUT of an outage (or the registration timeout)
  heartbeat,        ///< send the next HEARTBEAT call
  grace,            ///< MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD after SHUTDOWN
  drain,            ///< stop waiting for calls in flight
  update_retry,     ///< send again the updates the agent refused while we stay subscribed
};

} // namespace mesos_actor::detail
