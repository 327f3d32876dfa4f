// The scheduler calls other than SUBSCRIBE and ACCEPT: what each does to the master's
// state and which events it produces.
#include "cluster_impl.hpp"

#include <algorithm>
#include <map>

#include "call_validation.hpp"

namespace mesos_actor::sim {

namespace {
using Call = mesos::v1::scheduler::Call;
using Event = mesos::v1::scheduler::Event;
using mesos::v1::TaskStatus;
} // namespace

// One handler per call type; a type without one is answered 501.
std::pair<int, std::string> cluster::impl::handle_call(framework_entry& fw, const Call& call) {
  using handler = call_result (impl::*)(framework_entry&, const Call&);
  static const std::map<Call::Type, handler> handlers{
    {Call::TEARDOWN, &impl::on_teardown},
    {Call::ACCEPT, &impl::on_accept},
    {Call::DECLINE, &impl::on_decline},
    {Call::REVIVE, &impl::on_revive},
    {Call::SUPPRESS, &impl::on_suppress},
    {Call::KILL, &impl::on_kill},
    {Call::SHUTDOWN, &impl::on_shutdown},
    {Call::ACKNOWLEDGE, &impl::on_acknowledge},
    {Call::RECONCILE, &impl::on_reconcile},
    {Call::MESSAGE, &impl::on_message},
    {Call::REQUEST, &impl::on_ignored},
    {Call::ACCEPT_INVERSE_OFFERS, &impl::on_ignored},
    {Call::DECLINE_INVERSE_OFFERS, &impl::on_ignored},
    {Call::ACKNOWLEDGE_OPERATION_STATUS, &impl::on_ignored},
    {Call::RECONCILE_OPERATIONS, &impl::on_reconcile_operations},
    {Call::UPDATE_FRAMEWORK, &impl::on_update_framework},
  };
  auto it = handlers.find(call.type());
  if (it == handlers.end())
    return {501, ""};
  return (this->*(it->second))(fw, call);
}

cluster::impl::call_result cluster::impl::on_teardown(framework_entry& fw, const Call&) {
  log("framework " + fw.id + " tears itself down");
  teardown_framework(fw.id);
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_accept(framework_entry& fw, const Call& call) {
  accept(fw, call.accept());
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_decline(framework_entry& fw, const Call& call) {
  for (const auto& oid : call.decline().offer_ids()) {
    auto it = state_.offers.find(oid.value());
    if (it == state_.offers.end() || it->second.framework_id != fw.id)
      continue; // Mesos ignores unknown offers in DECLINE
    auto agent = it->second.agent_id;
    allocator_.remove_offer(oid.value(), false);
    allocator_.add_filter(fw, agent,
               call.decline().has_filters() && call.decline().filters().has_refuse_seconds()
                 ? std::optional<double>(call.decline().filters().refuse_seconds())
                 : std::nullopt);
  }
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_revive(framework_entry& fw, const Call& call) {
  std::vector<std::string> roles(call.revive().roles().begin(), call.revive().roles().end());
  if (roles.empty())
    roles = fw.roles();
  for (const auto& r : roles)
    fw.suppressed.erase(r);
  fw.filters.clear();
  allocator_.mark_dirty();
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_suppress(framework_entry& fw, const Call& call) {
  std::vector<std::string> roles(call.suppress().roles().begin(), call.suppress().roles().end());
  if (roles.empty())
    roles = fw.roles();
  for (const auto& r : roles)
    fw.suppressed.insert(r);
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_kill(framework_entry& fw, const Call& call) {
  kill_task(fw, call.kill());
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_shutdown(framework_entry& fw, const Call& call) {
  const auto& sd = call.shutdown();
  auto* agent = agents_.find(sd.agent_id().value());
  if (!agent)
    return {202, ""};
  // A command task's executor id is its task id.
  auto it = state_.tasks.find({fw.id, sd.executor_id().value()});
  if (it != state_.tasks.end() && it->second.executor_id.empty() && it->second.pid > 0) {
    kill_command_task(it->second, opts_.kill_grace_period);
    return {202, ""};
  }
  auto* mgr = agent->executors.get();
  auto fid = fw.id;
  auto eid = sd.executor_id().value();
  defer([mgr, fid, eid] { mgr->shutdown_executor(fid, eid); });
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_acknowledge(framework_entry& fw, const Call& call) {
  acknowledge(fw, call.acknowledge());
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_reconcile(framework_entry& fw, const Call& call) {
  reconcile(fw, call.reconcile());
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_message(framework_entry& fw, const Call& call) {
  const auto& m = call.message();
  auto* agent = agents_.find(m.agent_id().value());
  if (!agent || !agent->running) {
    log("MESSAGE from " + fw.id + " to unknown agent " + m.agent_id().value() + " dropped");
    return {202, ""};
  }
  auto* mgr = agent->executors.get();
  auto fid = fw.id;
  auto eid = m.executor_id().value();
  auto data = m.data();
  defer([this, mgr, fid, eid, data] {
    if (!mgr->message(fid, eid, data))
      log("MESSAGE for unknown executor " + eid + " of " + fid + " dropped");
  });
  return {202, ""};
}

// REQUEST: like Mesos's built-in allocator, accepted and ignored. ACCEPT_/
// DECLINE_INVERSE_OFFERS: no maintenance schedules here, so never an inverse offer to
// act on. ACKNOWLEDGE_OPERATION_STATUS: no operations with feedback run here.
cluster::impl::call_result cluster::impl::on_ignored(framework_entry&, const Call&) {
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_reconcile_operations(framework_entry& fw,
                                                                  const Call& call) {
  for (const auto& op : call.reconcile_operations().operations()) {
    Event e;
    e.set_type(Event::UPDATE_OPERATION_STATUS);
    auto* st = e.mutable_update_operation_status()->mutable_status();
    *st->mutable_operation_id() = op.operation_id();
    if (op.has_agent_id())
      *st->mutable_agent_id() = op.agent_id();
    auto* agent = op.has_agent_id() ? agents_.find(op.agent_id().value()) : nullptr;
    st->set_state(agent && !agent->running ? mesos::v1::OPERATION_UNREACHABLE
                                           : mesos::v1::OPERATION_UNKNOWN);
    send_event(fw, e);
  }
  return {202, ""};
}

cluster::impl::call_result cluster::impl::on_update_framework(framework_entry& fw,
                                                              const Call& call) {
  const auto& uf = call.update_framework();
  auto info = uf.framework_info();
  if (info.user() != fw.info.user())
    return {400, "FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported;"
                 " attempted to update from '" + fw.info.user() + "' to '" + info.user() + "'"};
  if (info.checkpoint() != fw.info.checkpoint())
    return {400, "Updating 'FrameworkInfo.checkpoint' is unsupported"};
  // An omitted principal keeps the one the master knows (possibly filled in from
  // authentication); a different one is refused.
  if (!info.has_principal() && fw.info.has_principal())
    info.set_principal(fw.info.principal());
  if (info.principal() != fw.info.principal())
    return {400, "Changing framework's principal is not allowed"};
  std::vector<std::string> suppressed(uf.suppressed_roles().begin(), uf.suppressed_roles().end());
  if (auto err = validate_framework_info(info, suppressed))
    return {400, *err};
  fw.info = info;
  fw.suppressed = {suppressed.begin(), suppressed.end()};
  // Offers for roles the framework left are rescinded.
  auto roles = fw.roles();
  std::vector<std::string> stale;
  for (const auto& [id, o] : state_.offers)
    if (o.framework_id == fw.id && std::find(roles.begin(), roles.end(), o.role) == roles.end())
      stale.push_back(id);
  for (const auto& id : stale)
    allocator_.remove_offer(id, true);
  allocator_.mark_dirty();
  log("framework " + fw.id + " updated its FrameworkInfo");
  return {200, ""};
}

void cluster::impl::teardown_framework(std::string framework_id) {
  // By value: callers often pass the id of the entry erased below.
  auto it = state_.frameworks.find(framework_id);
  if (it == state_.frameworks.end())
    return;
  allocator_.remove_offers_of(framework_id, false);
  operator_framework_removed(it->second.info);
  for (auto& agent : agents_.nodes) {
    auto* mgr = agent->executors.get();
    defer([mgr, framework_id] { mgr->framework_removed(framework_id); });
  }
  // Its tasks are killed at once and leave the master as TASK_KILLED; nobody is
  // told (the framework is gone).
  for (auto t = state_.tasks.begin(); t != state_.tasks.end();) {
    if (t->first.first != framework_id) {
      ++t;
      continue;
    }
    auto& task = t->second;
    if (task.pid > 0) {
      kill_command_task(task, std::chrono::milliseconds(0));
      agents_.orphans.push_back(task.pid);
      task.pid = 0;
    }
    if (!task.terminal())
      task.latest.set_state(mesos::v1::TASK_KILLED);
    settle_task(task);
    t = state_.tasks.erase(t);
  }
  for (auto u = state_.updates.begin(); u != state_.updates.end();)
    u = u->first.first == framework_id ? state_.updates.erase(u) : std::next(u);
  if (it->second.stream)
    it->second.stream->close(close_mode::clean);
  state_.frameworks.erase(it);
  state_.removed_frameworks.insert(framework_id);
  allocator_.mark_dirty();
  log("framework " + framework_id + " removed");
}

void cluster::impl::kill_task(framework_entry& fw, const Call::Kill& k) {
  auto it = state_.tasks.find({fw.id, k.task_id().value()});
  if (it == state_.tasks.end() || it->second.terminal()) {
    // Mesos answers a kill of an unknown task with a reconciliation of it.
    Call::Reconcile r;
    auto* t = r.add_tasks();
    *t->mutable_task_id() = k.task_id();
    if (k.has_agent_id())
      *t->mutable_agent_id() = k.agent_id();
    reconcile(fw, r);
    return;
  }
  auto& task = it->second;
  std::optional<std::chrono::milliseconds> grace;
  auto policy_grace = [](const mesos::v1::KillPolicy& p) -> std::optional<std::chrono::milliseconds> {
    if (p.has_grace_period())
      return std::chrono::milliseconds(p.grace_period().nanoseconds() / 1000000);
    return std::nullopt;
  };
  if (k.has_kill_policy())
    grace = policy_grace(k.kill_policy());
  else if (task.info.has_kill_policy())
    grace = policy_grace(task.info.kill_policy());
  if (task.executor_id.empty()) {
    if (fw.has_capability(mesos::v1::FrameworkInfo::Capability::TASK_KILLING_STATE) &&
        !task.kill_requested && task.pid > 0)
      agent_status_update(fw.id, [&] {
        auto s = make_status(task, mesos::v1::TASK_KILLING, TaskStatus::SOURCE_EXECUTOR,
                             std::nullopt, "");
        return s;
      }());
    kill_command_task(task, grace.value_or(opts_.kill_grace_period));
    return;
  }
  auto* agent = agents_.find(task.agent_id);
  if (!agent)
    return;
  auto* mgr = agent->executors.get();
  auto fid = fw.id;
  auto tid = k.task_id().value();
  std::optional<mesos::v1::KillPolicy> policy;
  if (k.has_kill_policy())
    policy = k.kill_policy();
  defer([mgr, fid, tid, policy] { mgr->kill_task(fid, tid, policy); });
}

void cluster::impl::reconcile(framework_entry& fw, const Call::Reconcile& r) {
  auto reply = [&](TaskStatus s) {
    s.set_reason(TaskStatus::REASON_RECONCILIATION);
    s.clear_uuid();
    s.set_timestamp(now_seconds());
    master_status_update(fw.id, std::move(s));
  };
  bool pa = fw.partition_aware();
  if (r.tasks_size() == 0) {
    for (const auto& [key, t] : state_.tasks)
      if (key.first == fw.id) {
        auto s = t.latest;
        s.set_source(TaskStatus::SOURCE_MASTER);
        s.set_message("Reconciliation: Latest task state");
        reply(s);
      }
    return;
  }
  for (const auto& rt : r.tasks()) {
    auto it = state_.tasks.find({fw.id, rt.task_id().value()});
    if (it != state_.tasks.end()) {
      auto s = it->second.latest;
      s.set_source(TaskStatus::SOURCE_MASTER);
      s.set_message("Reconciliation: Latest task state");
      reply(s);
      continue;
    }
    TaskStatus s;
    *s.mutable_task_id() = rt.task_id();
    s.set_source(TaskStatus::SOURCE_MASTER);
    if (rt.has_agent_id())
      *s.mutable_agent_id() = rt.agent_id();
    auto* agent = rt.has_agent_id() ? agents_.find(rt.agent_id().value()) : nullptr;
    if (agent && agent->running) {
      s.set_state(pa ? mesos::v1::TASK_GONE : mesos::v1::TASK_LOST);
      s.set_message("Reconciliation: Task is unknown to the agent");
    } else if (agent) {
      s.set_state(pa ? mesos::v1::TASK_UNREACHABLE : mesos::v1::TASK_LOST);
      s.set_message("Reconciliation: Task is unreachable");
    } else {
      s.set_state(pa ? mesos::v1::TASK_UNKNOWN : mesos::v1::TASK_LOST);
      s.set_message("Reconciliation: Task is unknown");
    }
    reply(s);
  }
}

} // namespace mesos_actor::sim
