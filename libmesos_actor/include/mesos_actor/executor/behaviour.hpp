#pragma once
// The executor behaviour: one virtual function per Mesos executor event, in the shape of
// erl_mesos_executor. Every callback has a default and returns action::keep or
// action::stop. A callback that throws stops the executor with errc::callback_exception.

#include <string>

#include <caf/error.hpp>
#include <caf/message.hpp>

#include <mesos/v1/executor/executor.pb.h>

#include "mesos_actor/action.hpp"
#include "mesos_actor/executor/call_outcome.hpp"
#include "mesos_actor/executor/context.hpp"

namespace mesos_actor {

/// The executor behaviour: override the callbacks of the events you handle.
class executor {
public:
  /// The Mesos v1 executor event.
  using event = mesos::v1::executor::Event;
  /// The Mesos v1 executor call.
  using call = mesos::v1::executor::Call;

  virtual ~executor() = default;

  /// Before the first SUBSCRIBE; may fill in `subscribe` (unacknowledged tasks and
  /// updates known from an earlier life of the process). stop = do not start.
  virtual action init(executor_context&, call::Subscribe& subscribe);

  /// The first SUBSCRIBED.
  virtual action registered(executor_context&, const event::Subscribed&);
  /// SUBSCRIBED after a re-subscription (checkpointing frameworks only).
  virtual action reregistered(executor_context&, const event::Subscribed&);
  /// The connection to the agent is lost. With checkpointing the library re-subscribes
  /// within MESOS_RECOVERY_TIMEOUT; without, it shuts the executor down.
  virtual action disconnected(executor_context&);
  /// Before each re-subscription attempt; `subscribe` already lists the library's
  /// unacknowledged tasks and updates and may be adjusted.
  virtual action reregister(executor_context&, call::Subscribe& subscribe);

  /// LAUNCH. Default: reports TASK_FAILED (this executor runs no tasks).
  virtual action launch_task(executor_context&, const event::Launch&);
  /// LAUNCH_GROUP. Default: reports TASK_FAILED for every task of the group.
  virtual action launch_task_group(executor_context&, const event::LaunchGroup&);
  /// KILL. Default: reports TASK_KILLED.
  virtual action kill_task(executor_context&, const event::Kill&);
  /// ACKNOWLEDGED (the library has already dropped the update from its list).
  virtual action acknowledged(executor_context&, const event::Acknowledged&);
  /// MESSAGE from the scheduler.
  virtual action framework_message(executor_context&, const event::Message&);
  /// ERROR from the agent. Default: keep.
  virtual action error(executor_context&, const event::Error&);
  /// SHUTDOWN from the agent, or injected by the library (lost connection without
  /// checkpointing, recovery timeout). Kill the tasks and send terminal updates; the
  /// executor ends when this returns stop, or at the latest after
  /// MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD. Default: stop.
  virtual action shutdown(executor_context&);

  /// Any other message the actor receives (down_msg of actors monitored through
  /// self() included), and events of an unknown type (as a message holding the
  /// mesos::v1::executor::Event). Default: keep (dropped).
  virtual action handle_info(executor_context&, caf::message& msg);
  /// A call failed, as scheduler::call_failed: rejected by the agent (4xx: http_status,
  /// body), transport error, timeout, or not sendable (errc::not_subscribed,
  /// errc::queue_full, errc::stopped) - `outcome.error` says which, `outcome.call` is
  /// the call. An UPDATE that failed only for the moment (no answer, 503, 403 "not
  /// subscribed") is not reported: it stays unacknowledged and goes out with the next
  /// SUBSCRIBE.
  virtual action call_failed(executor_context&, const executor_call_outcome& outcome);

  /// The executor is about to end with `reason` (empty = normal).
  virtual void terminate(executor_context&, const caf::error& reason);
};

} // namespace mesos_actor
