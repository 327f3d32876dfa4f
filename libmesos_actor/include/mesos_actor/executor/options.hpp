#pragma once
// Options of an executor actor. What the agent decides (ids, endpoint, checkpointing,
// timeouts) comes from the MESOS_* environment; `overrides` replaces any of it. The
// rest are client-side limits, each with a sane default.

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <caf/error.hpp>

#include "mesos_actor/executor/environment.hpp"
#include "mesos_actor/log.hpp"
#include "mesos_actor/transport/connection_options.hpp"

namespace mesos_actor {

namespace metrics {
class framework_metrics;
} // namespace metrics

/// Options of an executor actor; every member has a sane default. The connection
/// settings (encoding, connect and request timeouts, extra headers, proxy, auth,
/// max_record_size, max_error_body, http_limits) come from connection_options, shared
/// with scheduler_options.
struct executor_options : connection_options {
  /// Values that win over the environment.
  executor_environment_overrides overrides;
  /// When set, the MESOS_* variables are read from this map instead of the process
  /// environment (embedding several executors in one process, tests).
  std::optional<std::map<std::string, std::string>> environment;

  /// Period of the HEARTBEAT call (Mesos's executor library: 30 min).
  millis heartbeat_interval{std::chrono::minutes{30}};
  /// Time between the 200 answer to SUBSCRIBE and the SUBSCRIBED event.
  millis subscribe_timeout{20000};
  /// An event stream silent for this long is treated as broken. The agent sends a
  /// HEARTBEAT event every 30 min, so this must exceed that.
  millis stream_read_timeout{std::chrono::minutes{35}};
  /// Without checkpointing: how long the first subscription may keep failing with a
  /// transient answer (503, 404, connection refused) before the executor gives up
  /// (the agent's own --executor_registration_timeout is 1 min).
  millis registration_timeout{std::chrono::minutes{1}};
  /// Without checkpointing: upper bound of the random wait between those attempts.
  millis registration_backoff_max{1000};
  /// With checkpointing: a subscription that breaks within this long of SUBSCRIBED
  /// (e.g. an agent that sends a bad record at once) does not end the outage: the
  /// attempts keep counting and MESOS_RECOVERY_TIMEOUT keeps running, so a broken
  /// agent ends the executor instead of being resubscribed to for ever.
  millis min_stable_subscription{5000};
  /// Longest wait of a start (start_executor_actor, host::start_executor, each
  /// restart) for the behaviour's init; past it the start fails and the actor is killed.
  millis init_timeout{60000};
  /// On stop: how long calls already sent (terminal updates!) may take to be answered
  /// before the actor ends anyway.
  millis drain_timeout{5000};
  /// An UPDATE the agent answers 503 (still recovering after a restart: it keeps our
  /// stream open) or whose call fails in transport while the executor stays subscribed
  /// is sent again after this long, until acknowledged. Without it such an update would
  /// wait for a re-subscription that may never come.
  millis update_retry_interval{1000};

  /// Updates not acknowledged yet; one more fails with errc::queue_full.
  std::size_t max_unacknowledged_updates = 65536;
  /// Calls sent and not answered yet; one more fails with errc::queue_full.
  std::size_t max_calls_in_flight = 65536;

  /// Logging of this executor: minimum level, sink (default stderr), framework ref.
  logging_options logging;
  /// Where this executor's counters go; nullptr = a fresh set of its own. A host sets
  /// one per framework ref.
  std::shared_ptr<metrics::framework_metrics> metrics;
};

/// The first problem with `opts` as errc::bad_option naming the option, or none.
caf::error validate(const executor_options& opts);

} // namespace mesos_actor
