#pragma once
// Task reconciliation as Mesos documents it: after every (re)subscription, explicit
// reconciliation of every task the framework believes non-terminal, repeated with
// truncated exponential backoff for the tasks that have no answer yet, until every one
// has a confirmed state; then implicit reconciliation (once at once, then on a period)
// to learn of tasks the framework does not know. Tasks the master does not know
// (answers TASK_LOST, TASK_UNKNOWN, TASK_GONE, TASK_DROPPED) and tasks the framework
// does not know are reported to the behaviour. It sits on top of the scheduler layer:
// the behaviour owns it and forwards a few callbacks to it.
//
//   auto rec = reconciler::make({}, {.unknown = [](auto& ctx, auto& s) { relaunch(s); }});
//   registered / reregistered:  rec->start(ctx);
//   disconnected:               rec->stop();
//   status_update:              rec->on_update(ctx, u.status());   (all of them)
//   handle_info:                if (rec->on_info(ctx, msg)) return action::keep;
//   after a LAUNCH:             rec->track(task_id, agent_id);

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include <caf/expected.hpp>
#include <caf/fwd.hpp>
#include <mesos/v1/mesos.pb.h>

namespace mesos_actor {

class scheduler_context;

/// How a reconciler paces itself.
struct reconciliation_options {
  /// Wait for answers this long after the first explicit RECONCILE before asking again
  /// for the tasks still unconfirmed.
  std::chrono::milliseconds backoff_initial = std::chrono::seconds(2);
  /// The wait grows by `backoff_factor` per round, up to this.
  std::chrono::milliseconds backoff_max = std::chrono::minutes(1);
  /// Growth of the wait per round (>= 1).
  double backoff_factor = 2;
  /// Period of implicit reconciliation once explicit reconciliation is done; 0 = only
  /// the one right after it.
  std::chrono::milliseconds implicit_interval = std::chrono::minutes(10);
  /// Most tasks named in one explicit RECONCILE call (more are split over several).
  std::size_t max_tasks_per_call = 1000;

  /// Empty when valid; otherwise names the bad option.
  std::string validate() const;
};

/// What a reconciler tells the behaviour; empty members are not called.
struct reconciliation_callbacks {
  /// Called on the scheduler actor with the status that told.
  using status_callback = std::function<void(scheduler_context&, const mesos::v1::TaskStatus&)>;
  /// A tracked task the master does not know (LOST, UNKNOWN, GONE, DROPPED as an
  /// answer to reconciliation). The task is no longer tracked.
  status_callback unknown;
  /// A non-terminal task the master reports that this framework does not track.
  status_callback untracked;
  /// Every tracked task has a confirmed state (end of an explicit phase).
  std::function<void(scheduler_context&)> confirmed;
};

/// Task reconciliation for one framework; owned and fed by its behaviour (see the file
/// comment), used on the scheduler actor only.
class reconciler {
public:
  /// errc::bad_option names an invalid option.
  static caf::expected<reconciler> make(reconciliation_options opts = {},
                                        reconciliation_callbacks callbacks = {});

  /// Tracks a launched task (the agent id makes explicit reconciliation precise).
  void track(const std::string& task_id, const std::optional<mesos::v1::AgentID>& agent_id = {});
  /// Stops tracking a task (e.g. one the behaviour gave up on).
  void untrack(const std::string& task_id);
  /// Starts an explicit phase for every tracked task (call after SUBSCRIBED).
  void start(scheduler_context& ctx);
  /// Stops (timers already set are ignored when they fire); call when disconnected.
  void stop();
  /// Every status update, reconciliation answers or not.
  void on_update(scheduler_context& ctx, const mesos::v1::TaskStatus& status);
  /// Messages reaching handle_info; true when it was this reconciler's timer.
  bool on_info(scheduler_context& ctx, const caf::message& msg);

  /// idle (not started or stopped), explicit rounds running, or implicit ones.
  enum class phase { idle, explicit_phase, implicit_phase };
  /// Where it is now.
  phase current_phase() const { return phase_; }
  /// Tasks tracked and their last known state (nullopt: none seen yet).
  const std::map<std::string, std::optional<mesos::v1::TaskState>>& states() const { return states_; }
  /// Tasks of the current explicit phase without an answer yet.
  const std::set<std::string>& pending() const { return pending_; }
  /// Explicit RECONCILE rounds sent in the current phase.
  std::size_t rounds() const { return rounds_; }

private:
  reconciler(reconciliation_options opts, reconciliation_callbacks callbacks)
    : opts_(opts), callbacks_(std::move(callbacks)) {}
  void send_explicit(scheduler_context& ctx);
  void begin_implicit(scheduler_context& ctx);
  void schedule(scheduler_context& ctx, std::chrono::milliseconds delay, std::uint64_t kind);

  reconciliation_options opts_;
  reconciliation_callbacks callbacks_;
  phase phase_ = phase::idle;
  std::uint64_t generation_ = 0; // timers of an older generation are stale
  std::size_t rounds_ = 0;
  std::map<std::string, std::optional<mesos::v1::TaskState>> states_;
  std::map<std::string, mesos::v1::AgentID> agents_;
  std::set<std::string> pending_;
};

} // namespace mesos_actor
