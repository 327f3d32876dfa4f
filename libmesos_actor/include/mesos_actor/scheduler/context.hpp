#pragma once
// The context handed to every scheduler callback: connection state and every call of
// the Mesos v1 scheduler API (SUBSCRIBE is the library's own business). Calls never
// block: they are queued in order on one keep-alive connection with the current
// Mesos-Stream-Id and framework id; each returns a call_id and reports its outcome
// to the optional continuation, or (when it failed and none was given) to
// scheduler::call_failed. Only use a context inside callbacks, on the actor's thread;
// from other actors and threads, use mesos_actor/scheduler/external_call.hpp.

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <mesos/v1/mesos.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/action.hpp"
#include "mesos_actor/scheduler/call_outcome.hpp"
#include "mesos_actor/metrics/snapshot.hpp"

namespace caf {
class actor;
class local_actor;
} // namespace caf

namespace mesos_actor {

class scheduler_context;

/// Receives one call's outcome; its action is obeyed like a callback's.
using call_continuation = std::function<action(scheduler_context&, const call_outcome&)>;

/// Connection state of a scheduler actor.
enum class scheduler_state { subscribing, subscribed, disconnected, resubscribing, stopped };
/// The state's name, e.g. "subscribed".
const char* to_string(scheduler_state s);
/// Writes to_string(s).
std::ostream& operator<<(std::ostream& out, scheduler_state s);

/// What a scheduler callback can ask and do: subscription state and every v1 scheduler call.
class scheduler_context {
public:
  virtual ~scheduler_context() = default;

  // --- state -----------------------------------------------------------------
  /// Where the scheduler's state machine is.
  virtual scheduler_state state() const = 0;
  /// True while a subscription is open.
  bool subscribed() const { return state() == scheduler_state::subscribed; }
  /// Empty before the first SUBSCRIBED (unless known from a previous run).
  virtual const std::string& framework_id() const = 0;
  /// URL of the master currently (or last) subscribed to / being tried.
  virtual std::string master_url() const = 0;
  /// Mesos-Stream-Id of the current subscription; empty when none.
  virtual const std::string& stream_id() const = 0;
  /// From SUBSCRIBED (zero before).
  virtual std::chrono::milliseconds heartbeat_interval() const = 0;
  /// The FrameworkInfo subscribed with (as returned by init, id filled in).
  virtual const mesos::v1::FrameworkInfo& framework_info() const = 0;
  /// The scheduler actor itself (e.g. to delayed_send reminders to handle_info).
  virtual caf::local_actor* self() = 0;
  /// This framework's counters and gauges now (see mesos_actor/metrics/snapshot.hpp).
  virtual metrics::framework_snapshot metrics() const = 0;
  /// Ends the scheduler with `reason` (empty = normal) once the callback returns, as
  /// returning action::stop does but with a reason; terminate runs first. The same as
  /// executor_context::stop.
  virtual void stop(caf::error reason) = 0;

  // --- calls -------------------------------------------------------------------
  /// Sends any call; framework_id is filled in when missing. A call of type UNKNOWN is
  /// never sent (a Mesos 1.12 master aborts on it): its outcome is not_sent, bad_option.
  virtual call_id send(mesos::v1::scheduler::Call call, call_continuation k = nullptr) = 0;

  /// TEARDOWN: ends the framework (its tasks are killed); the actor then stops normally.
  call_id teardown(call_continuation k = nullptr);
  /// ACCEPT: uses offers for these operations (launch, reserve, ...).
  call_id accept(const std::vector<mesos::v1::OfferID>& offer_ids,
                 const std::vector<mesos::v1::Offer::Operation>& operations,
                 const std::optional<mesos::v1::Filters>& filters = std::nullopt,
                 call_continuation k = nullptr);
  /// DECLINE: returns offers, optionally refusing them for a while.
  call_id decline(const std::vector<mesos::v1::OfferID>& offer_ids,
                  const std::optional<mesos::v1::Filters>& filters = std::nullopt,
                  call_continuation k = nullptr);
  /// ACCEPT_INVERSE_OFFERS: agrees to release resources for maintenance.
  call_id accept_inverse_offers(const std::vector<mesos::v1::OfferID>& inverse_offer_ids,
                                const std::optional<mesos::v1::Filters>& filters = std::nullopt,
                                call_continuation k = nullptr);
  /// DECLINE_INVERSE_OFFERS: refuses to release them.
  call_id decline_inverse_offers(const std::vector<mesos::v1::OfferID>& inverse_offer_ids,
                                 const std::optional<mesos::v1::Filters>& filters = std::nullopt,
                                 call_continuation k = nullptr);
  /// Empty roles = all roles.
  call_id revive(const std::vector<std::string>& roles = {}, call_continuation k = nullptr);
  /// Empty roles = all roles.
  call_id suppress(const std::vector<std::string>& roles = {}, call_continuation k = nullptr);
  /// KILL: kills a task (optionally naming its agent and a kill policy).
  call_id kill(const mesos::v1::TaskID& task_id,
               const std::optional<mesos::v1::AgentID>& agent_id = std::nullopt,
               const std::optional<mesos::v1::KillPolicy>& kill_policy = std::nullopt,
               call_continuation k = nullptr);
  /// SHUTDOWN: stops an executor on an agent.
  call_id shutdown(const mesos::v1::ExecutorID& executor_id, const mesos::v1::AgentID& agent_id,
                   call_continuation k = nullptr);
  /// ACKNOWLEDGE: confirms a status update by its uuid.
  call_id acknowledge(const mesos::v1::AgentID& agent_id, const mesos::v1::TaskID& task_id,
                      const std::string& uuid, call_continuation k = nullptr);
  /// Acknowledges `status` when it carries a uuid (and an agent id); returns 0 otherwise.
  call_id acknowledge(const mesos::v1::TaskStatus& status, call_continuation k = nullptr);
  /// ACKNOWLEDGE_OPERATION_STATUS: confirms an operation status update.
  call_id acknowledge_operation_status(const mesos::v1::AgentID& agent_id,
                                       const mesos::v1::ResourceProviderID* resource_provider_id,
                                       const std::string& uuid,
                                       const mesos::v1::OperationID& operation_id,
                                       call_continuation k = nullptr);
  /// Empty = implicit reconciliation (all tasks).
  call_id reconcile(const std::vector<mesos::v1::scheduler::Call::Reconcile::Task>& tasks = {},
                    call_continuation k = nullptr);
  /// Convenience: explicit reconciliation of (task id, optional agent id) pairs.
  call_id reconcile_tasks(const std::vector<std::pair<mesos::v1::TaskID,
                                                      std::optional<mesos::v1::AgentID>>>& tasks,
                          call_continuation k = nullptr);
  /// RECONCILE_OPERATIONS: asks for the state of operations (all when empty).
  call_id reconcile_operations(
    const std::vector<mesos::v1::scheduler::Call::ReconcileOperations::Operation>& ops = {},
    call_continuation k = nullptr);
  /// MESSAGE: sends data to one of the framework's executors.
  call_id message(const mesos::v1::AgentID& agent_id, const mesos::v1::ExecutorID& executor_id,
                  const std::string& data, call_continuation k = nullptr);
  /// REQUEST: asks the allocator for resources.
  call_id request(const std::vector<mesos::v1::Request>& requests, call_continuation k = nullptr);
  /// UPDATE_FRAMEWORK: changes the FrameworkInfo (and suppressed roles) without resubscribing.
  call_id update_framework(const mesos::v1::FrameworkInfo& info,
                           const std::vector<std::string>& suppressed_roles = {},
                           call_continuation k = nullptr);
};

} // namespace mesos_actor
