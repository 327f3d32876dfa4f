#include "mesos_actor/executor/options.hpp"

#include <string>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

caf::error not_positive(const char* name) {
  return make_error(errc::bad_option, std::string{name} + " must be positive");
}

} // namespace

caf::error validate(const executor_options& opts) {
  using zero = std::chrono::milliseconds;
  if (auto err = validate(static_cast<const connection_options&>(opts)))
    return err;
  if (opts.heartbeat_interval <= zero{0})
    return not_positive("heartbeat_interval");
  if (opts.subscribe_timeout <= zero{0})
    return not_positive("subscribe_timeout");
  if (opts.stream_read_timeout <= zero{0})
    return not_positive("stream_read_timeout");
  if (opts.registration_timeout <= zero{0})
    return not_positive("registration_timeout");
  if (opts.registration_backoff_max < zero{0})
    return make_error(errc::bad_option, "registration_backoff_max must not be negative");
  if (opts.min_stable_subscription < zero{0})
    return make_error(errc::bad_option, "min_stable_subscription must not be negative");
  if (opts.init_timeout <= zero{0})
    return not_positive("init_timeout");
  if (opts.drain_timeout < zero{0})
    return make_error(errc::bad_option, "drain_timeout must not be negative");
  if (opts.update_retry_interval <= zero{0})
    return not_positive("update_retry_interval");
  if (opts.max_unacknowledged_updates == 0)
    return not_positive("max_unacknowledged_updates");
  if (opts.max_calls_in_flight == 0)
    return not_positive("max_calls_in_flight");
  const auto& o = opts.overrides;
  using ns = std::chrono::nanoseconds;
  if (o.shutdown_grace_period && *o.shutdown_grace_period < ns{0})
    return make_error(errc::bad_option, "overrides.shutdown_grace_period must not be negative");
  if (o.recovery_timeout && *o.recovery_timeout <= ns{0})
    return not_positive("overrides.recovery_timeout");
  if (o.subscription_backoff_max && *o.subscription_backoff_max < ns{0})
    return make_error(errc::bad_option, "overrides.subscription_backoff_max must not be negative");
  if (o.agent && (o.agent->host.empty() || o.agent->port < 1 || o.agent->port > 65535
                  || o.agent->path.empty() || o.agent->path.front() != '/'))
    return make_error(errc::bad_option,
                      "overrides.agent needs a host, a port in 1..65535 and a path from '/'");
  return {};
}

} // namespace mesos_actor
