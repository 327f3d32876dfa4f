// reconciler: explicit reconciliation with backoff until confirmed, then implicit.
#include "mesos_actor/reconciliation.hpp"

#include <algorithm>
#include <cmath>

#include <caf/actor_cast.hpp>
#include <caf/atom.hpp>
#include <caf/local_actor.hpp>
#include <caf/message.hpp>
#include <caf/send.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler/context.hpp"
#include "mesos_actor/task_state.hpp"

namespace mesos_actor {

using mesos::v1::TaskState;
using mesos::v1::TaskStatus;

namespace {
using reconcile_timer_atom = caf::atom_constant<caf::atom("reconcile")>;
constexpr std::uint64_t explicit_timer = 1;
constexpr std::uint64_t implicit_timer = 2;

bool unknown_to_master(TaskState s) {
  return s == mesos::v1::TASK_LOST || s == mesos::v1::TASK_UNKNOWN || s == mesos::v1::TASK_GONE ||
         s == mesos::v1::TASK_DROPPED;
}
} // namespace

std::string reconciliation_options::validate() const {
  if (backoff_initial.count() <= 0)
    return "backoff_initial must be positive";
  if (backoff_max < backoff_initial)
    return "backoff_max must be at least backoff_initial";
  if (!(backoff_factor >= 1) || !std::isfinite(backoff_factor))
    return "backoff_factor must be a finite number >= 1";
  if (implicit_interval.count() < 0)
    return "implicit_interval must not be negative";
  if (max_tasks_per_call == 0)
    return "max_tasks_per_call must be at least 1";
  return {};
}

caf::expected<reconciler> reconciler::make(reconciliation_options opts,
                                           reconciliation_callbacks callbacks) {
  if (auto err = opts.validate(); !err.empty())
    return make_error(errc::bad_option, "reconciliation_options: " + err);
  return reconciler(opts, std::move(callbacks));
}

void reconciler::track(const std::string& task_id, const std::optional<mesos::v1::AgentID>& agent_id) {
  states_.emplace(task_id, std::nullopt);
  if (agent_id)
    agents_[task_id] = *agent_id;
}

void reconciler::untrack(const std::string& task_id) {
  states_.erase(task_id);
  agents_.erase(task_id);
  pending_.erase(task_id);
}

void reconciler::start(scheduler_context& ctx) {
  ++generation_;
  rounds_ = 0;
  pending_.clear();
  for (const auto& [id, state] : states_)
    pending_.insert(id);
  if (pending_.empty()) {
    begin_implicit(ctx);
    return;
  }
  phase_ = phase::explicit_phase;
  send_explicit(ctx);
}

void reconciler::stop() {
  ++generation_;
  phase_ = phase::idle;
  pending_.clear();
}

void reconciler::send_explicit(scheduler_context& ctx) {
  std::vector<std::pair<mesos::v1::TaskID, std::optional<mesos::v1::AgentID>>> batch;
  auto flush = [&] {
    if (!batch.empty())
      ctx.reconcile_tasks(batch);
    batch.clear();
  };
  for (const auto& id : pending_) {
    mesos::v1::TaskID tid;
    tid.set_value(id);
    auto agent = agents_.find(id);
    batch.emplace_back(tid, agent == agents_.end() ? std::nullopt
                                                   : std::optional<mesos::v1::AgentID>(agent->second));
    if (batch.size() == opts_.max_tasks_per_call)
      flush();
  }
  flush();
  // Truncated exponential backoff: initial * factor^round, at most backoff_max.
  double wait = static_cast<double>(opts_.backoff_initial.count()) *
                std::pow(opts_.backoff_factor, static_cast<double>(rounds_));
  auto delay = std::chrono::milliseconds(static_cast<std::int64_t>(
    std::min(wait, static_cast<double>(opts_.backoff_max.count()))));
  ++rounds_;
  schedule(ctx, delay, explicit_timer);
}

void reconciler::begin_implicit(scheduler_context& ctx) {
  phase_ = phase::implicit_phase;
  ++generation_; // the explicit phase's timer is stale now
  ctx.reconcile({});
  if (opts_.implicit_interval.count() > 0)
    schedule(ctx, opts_.implicit_interval, implicit_timer);
}

void reconciler::schedule(scheduler_context& ctx, std::chrono::milliseconds delay, std::uint64_t kind) {
  caf::delayed_anon_send(caf::actor_cast<caf::actor>(ctx.self()), delay, reconcile_timer_atom::value,
                         generation_, kind);
}

void reconciler::on_update(scheduler_context& ctx, const TaskStatus& status) {
  const auto& id = status.task_id().value();
  auto it = states_.find(id);
  bool answer = status.reason() == TaskStatus::REASON_RECONCILIATION;
  if (it == states_.end()) {
    if (answer && !is_terminal(status.state()) && status.state() != mesos::v1::TASK_UNKNOWN &&
        callbacks_.untracked)
      callbacks_.untracked(ctx, status);
    return;
  }
  it->second = status.state();
  if (status.has_agent_id())
    agents_[id] = status.agent_id();
  bool was_pending = pending_.erase(id) > 0;
  if (answer && unknown_to_master(status.state())) {
    untrack(id);
    if (callbacks_.unknown)
      callbacks_.unknown(ctx, status);
  } else if (is_terminal(status.state())) {
    untrack(id);
  }
  if (was_pending && pending_.empty() && phase_ == phase::explicit_phase) {
    if (callbacks_.confirmed)
      callbacks_.confirmed(ctx);
    begin_implicit(ctx);
  }
}

bool reconciler::on_info(scheduler_context& ctx, const caf::message& msg) {
  if (!msg.match_elements<reconcile_timer_atom, std::uint64_t, std::uint64_t>())
    return false;
  if (msg.get_as<std::uint64_t>(1) != generation_)
    return true; // a timer of an earlier phase
  auto kind = msg.get_as<std::uint64_t>(2);
  if (kind == explicit_timer && phase_ == phase::explicit_phase) {
    if (pending_.empty())
      begin_implicit(ctx);
    else
      send_explicit(ctx);
  } else if (kind == implicit_timer && phase_ == phase::implicit_phase) {
    ctx.reconcile({});
    schedule(ctx, opts_.implicit_interval, implicit_timer);
  }
  return true;
}

} // namespace mesos_actor
