#pragma once
// What an executor callback can see and do. Handed to every callback; valid only
// during the call. All methods run inside the executor actor: no locks needed, and
// none of them blocks.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/executor/environment.hpp"
#include "mesos_actor/metrics/snapshot.hpp"

namespace mesos_actor {

/// What an executor callback can ask and do: the environment, state and the executor calls.
class executor_context {
public:
  virtual ~executor_context() = default;

  /// What the agent said in the environment (ids, endpoint, checkpointing, timeouts).
  virtual const executor_environment& environment() const = 0;
  /// This executor's counters and gauges now (see mesos_actor/metrics/snapshot.hpp).
  virtual metrics::framework_snapshot metrics() const = 0;
  /// MESOS_FRAMEWORK_ID.
  const std::string& framework_id() const { return environment().framework_id; }
  /// MESOS_EXECUTOR_ID.
  const std::string& executor_id() const { return environment().executor_id; }
  /// MESOS_SLAVE_ID: the agent running this executor.
  const std::string& agent_id() const { return environment().agent_id; }

  /// True while a subscription stream is open and SUBSCRIBED has arrived.
  virtual bool subscribed() const = 0;
  /// The last SUBSCRIBED event (executor_info, framework_info, agent_info,
  /// container_id); empty before the first one.
  virtual const mesos::v1::executor::Event::Subscribed& subscription() const = 0;

  // --- calls (asynchronous; failures come back through executor::call_failed) ------

  /// Sends an UPDATE for `status`. The library sets a fresh random 16-byte uuid,
  /// source = SOURCE_EXECUTOR, the timestamp (if unset), the executor id and the agent
  /// id, and keeps the update until the agent ACKNOWLEDGEs it: while disconnected it
  /// is not sent but goes out with the next SUBSCRIBE. Returns the uuid.
  virtual std::string update(mesos::v1::TaskStatus status) = 0;
  /// Sends a MESSAGE with `data` to the scheduler (through the agent and the master).
  virtual void message(std::string data) = 0;

  /// Launched tasks without an acknowledged update yet.
  virtual std::vector<mesos::v1::TaskInfo> unacknowledged_tasks() const = 0;
  /// Updates sent and not acknowledged yet, oldest first.
  virtual std::vector<mesos::v1::executor::Call::Update> unacknowledged_updates() const = 0;

  /// The actor that runs the executor: for self-sends, timers (delayed_send) and
  /// spawning workers; messages it receives that are not Mesos events go to
  /// executor::handle_info.
  virtual caf::event_based_actor* self() = 0;

  /// Ends the executor with `reason` once the callback returns (calls already made are
  /// flushed first, bounded by executor_options::drain_timeout).
  virtual void stop(caf::error reason) = 0;
};

} // namespace mesos_actor
