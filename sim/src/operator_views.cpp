// The operator API's views of the master's records (operator_views.hpp).
#include "operator_views.hpp"

#include <map>
#include <set>

#include "cluster_impl.hpp"

namespace mesos_actor::sim {

namespace {

using MasterResponse = mesos::v1::master::Response;

// The role a task's resources are allocated to: their allocation_info (MULTI_ROLE
// frameworks) or the framework's single role.
std::string task_role(const task_entry& t, const framework_entry* fw) {
  for (const auto& r : t.info.resources())
    if (r.has_allocation_info() && r.allocation_info().has_role())
      return r.allocation_info().role();
  return fw ? fw->roles().front() : std::string{"*"};
}

} // namespace

mesos::v1::Task operator_task(const task_entry& t) {
  mesos::v1::Task out;
  const auto& info = t.info;
  out.set_name(info.name());
  *out.mutable_task_id() = info.task_id();
  out.mutable_framework_id()->set_value(t.framework_id);
  if (!t.executor_id.empty())
    out.mutable_executor_id()->set_value(t.executor_id);
  out.mutable_agent_id()->set_value(t.agent_id);
  out.set_state(t.latest.has_state() ? t.latest.state() : mesos::v1::TASK_STAGING);
  *out.mutable_resources() = info.resources();
  // Mesos keeps one status per state change; the simulator's master keeps the latest.
  if (t.latest.has_state())
    *out.add_statuses() = t.latest;
  if (info.has_labels())
    *out.mutable_labels() = info.labels();
  if (info.has_discovery())
    *out.mutable_discovery() = info.discovery();
  if (info.has_container())
    *out.mutable_container() = info.container();
  if (info.has_command() && info.command().has_user())
    out.set_user(info.command().user());
  if (info.has_health_check())
    *out.mutable_health_check() = info.health_check();
  if (info.has_kill_policy())
    *out.mutable_kill_policy() = info.kill_policy();
  *out.mutable_limits() = info.limits();
  return out;
}

MasterResponse::GetTasks operator_tasks(const cluster::impl& c) {
  MasterResponse::GetTasks out;
  for (const auto& [key, t] : c.state_.tasks)
    *(t.terminal() ? out.add_completed_tasks() : out.add_tasks()) = operator_task(t);
  for (const auto& t : c.state_.completed_task_records)
    *out.add_completed_tasks() = t;
  return out;
}

MasterResponse::GetFrameworks operator_frameworks(const cluster::impl& c) {
  MasterResponse::GetFrameworks out;
  for (const auto& [id, fw] : c.state_.frameworks) {
    auto* f = out.add_frameworks();
    *f->mutable_framework_info() = fw.info;
    f->mutable_framework_info()->mutable_id()->set_value(id);
    // A framework without its stream is failing over: inactive and disconnected.
    f->set_active(fw.stream != nullptr);
    f->set_connected(fw.stream != nullptr);
    f->set_recovered(false);
    std::map<std::string, resource_set> offered, allocated;
    for (const auto& [oid, o] : c.state_.offers)
      if (o.framework_id == id) {
        *f->add_offers() = o.offer;
        offered[o.role].add(o.resources);
      }
    for (const auto& [key, t] : c.state_.tasks)
      if (t.framework_id == id && !t.terminal())
        allocated[task_role(t, &fw)].add(t.resources);
    for (const auto& [role, r] : offered)
      r.to_proto(*f->mutable_offered_resources(), role);
    for (const auto& [role, r] : allocated)
      r.to_proto(*f->mutable_allocated_resources(), role);
  }
  return out;
}

MasterResponse::GetAgents operator_agents(const cluster::impl& c) {
  MasterResponse::GetAgents out;
  for (const auto& node : c.agents_.nodes) {
    if (!node->running || node->id.empty())
      continue; // a stopped agent has left the master (Mesos: removed or unreachable)
    auto* a = out.add_agents();
    *a->mutable_agent_info() = node->info_locked();
    a->set_active(true);
    a->set_version(c.opts_.version);
    a->set_pid("slave(1)@" + c.opts_.bind_address + ":" + std::to_string(node->port));
    node->total.to_proto(*a->mutable_total_resources());
    std::map<std::string, resource_set> offered, allocated;
    for (const auto& [oid, o] : c.state_.offers)
      if (o.agent_id == node->id)
        offered[o.role].add(o.resources);
    for (const auto& [key, t] : c.state_.tasks)
      if (t.agent_id == node->id && !t.terminal()) {
        auto fw = c.state_.frameworks.find(t.framework_id);
        allocated[task_role(t, fw == c.state_.frameworks.end() ? nullptr : &fw->second)]
          .add(t.resources);
      }
    for (const auto& [role, r] : offered)
      r.to_proto(*a->mutable_offered_resources(), role);
    for (const auto& [role, r] : allocated)
      r.to_proto(*a->mutable_allocated_resources(), role);
  }
  return out;
}

MasterResponse::GetExecutors operator_executors(const cluster::impl& c) {
  MasterResponse::GetExecutors out;
  std::set<std::pair<std::string, std::string>> seen; // (framework, executor)
  for (const auto& [key, t] : c.state_.tasks) {
    if (t.terminal() || !t.info.has_executor())
      continue; // command tasks' executors are the agent's own business
    if (!seen.emplace(t.framework_id, t.info.executor().executor_id().value()).second)
      continue;
    auto* e = out.add_executors();
    *e->mutable_executor_info() = t.info.executor();
    e->mutable_executor_info()->mutable_framework_id()->set_value(t.framework_id);
    e->mutable_agent_id()->set_value(t.agent_id);
  }
  return out;
}

MasterResponse::GetRoles operator_roles(const cluster::impl& c) {
  // Roles with a framework subscribed to them, or with a quota (as Mesos lists them).
  std::map<std::string, std::vector<std::string>> frameworks;
  for (const auto& [id, fw] : c.state_.frameworks)
    for (const auto& role : fw.roles())
      frameworks[role].push_back(id);
  for (const auto& [role, quota] : c.state_.quotas)
    frameworks[role];
  std::map<std::string, resource_set> allocated;
  for (const auto& [key, t] : c.state_.tasks)
    if (!t.terminal()) {
      auto fw = c.state_.frameworks.find(t.framework_id);
      allocated[task_role(t, fw == c.state_.frameworks.end() ? nullptr : &fw->second)]
        .add(t.resources);
    }
  MasterResponse::GetRoles out;
  for (const auto& [role, ids] : frameworks) {
    auto* r = out.add_roles();
    r->set_name(role);
    r->set_weight(1.0); // the simulator has no --weights
    for (const auto& id : ids)
      r->add_frameworks()->set_value(id);
    if (auto it = allocated.find(role); it != allocated.end())
      it->second.to_proto(*r->mutable_resources(), role);
  }
  return out;
}

MasterResponse::GetState operator_state(const cluster::impl& c) {
  MasterResponse::GetState out;
  *out.mutable_get_tasks() = operator_tasks(c);
  *out.mutable_get_executors() = operator_executors(c);
  *out.mutable_get_frameworks() = operator_frameworks(c);
  *out.mutable_get_agents() = operator_agents(c);
  return out;
}

} // namespace mesos_actor::sim
