#pragma once
// How a simulated agent runs custom executors (tasks with an ExecutorInfo), with the
// Mesos 1.12 agent flags' defaults. Tests shorten the timeouts.

#include <chrono>
#include <cstddef>

namespace mesos_actor::sim {

/// How simulated agents launch and supervise custom executors.
struct executor_settings {
  /// --executor_registration_timeout: an executor that has not subscribed this long
  /// after its launch is killed (its tasks fail with REASON_EXECUTOR_REGISTRATION_TIMEOUT).
  std::chrono::milliseconds registration_timeout = std::chrono::minutes(1);
  /// --executor_shutdown_grace_period (ExecutorInfo.shutdown_grace_period wins): time
  /// between SHUTDOWN and SIGKILL; MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD.
  std::chrono::milliseconds shutdown_grace_period = std::chrono::seconds(5);
  /// --recovery_timeout: MESOS_RECOVERY_TIMEOUT of checkpointing executors.
  std::chrono::milliseconds recovery_timeout = std::chrono::minutes(15);
  /// MESOS_SUBSCRIPTION_BACKOFF_MAX of checkpointing executors.
  std::chrono::milliseconds subscription_backoff_max = std::chrono::seconds(2);
  /// --executor_reregistration_timeout: after an agent restart, how long it waits for
  /// executors to re-subscribe (answering other calls with 503 meanwhile) before it
  /// kills those that did not.
  std::chrono::milliseconds reregistration_timeout = std::chrono::seconds(2);
  /// Period of the HEARTBEAT events on executor streams (Mesos: 30 min, the first one
  /// a period after SUBSCRIBED).
  std::chrono::milliseconds heartbeat_interval = std::chrono::minutes(30);
  /// Terminal tasks each executor's record keeps (with the uuids of their updates, so
  /// a resent copy is acknowledged and not forwarded again); older ones are forgotten.
  /// Mesos's agent: MAX_COMPLETED_TASKS_PER_EXECUTOR, 200. 0 = forget at once.
  std::size_t max_completed_tasks = 200;
  /// --http_command_executor (MESOS_HTTP_COMMAND_EXECUTOR).
  bool http_command_executor = false;
  /// --authenticate_http_executors: each executor gets a token in
  /// MESOS_EXECUTOR_AUTHENTICATION_TOKEN and must send it as "Authorization: Bearer".
  bool authenticate = false;
};

} // namespace mesos_actor::sim
