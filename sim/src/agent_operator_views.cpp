// One agent's operator API views (agent_operator_views.hpp).
#include "agent_operator_views.hpp"

#include <set>
#include <string>

#include "cluster_impl.hpp"
#include "operator_views.hpp"

namespace mesos_actor::sim {

namespace {

using AgentResponse = mesos::v1::agent::Response;

// The name Mesos's agent gives a command task's executor: the task and its command,
// the command cut after 12 characters.
std::string command_executor_name(const mesos::v1::TaskInfo& task) {
  const auto& cmd = task.command();
  auto shorten = [](const std::string& s) { return s.size() > 12 ? s.substr(0, 12) + "..." : s; };
  std::string name = "Command Executor (Task: " + task.task_id().value() + ") ";
  if (cmd.shell())
    return name + "(Command: sh -c '" + shorten(cmd.value()) + "')";
  std::string args;
  for (const auto& a : cmd.arguments())
    args += (args.empty() ? "" : ",") + a;
  return name + "(Command: [" + shorten(args) + "])";
}

bool on_agent(const task_entry& t, const agent_node& agent) { return t.agent_id == agent.id; }

void add_framework(const cluster::impl& c, const std::string& id,
                   google::protobuf::RepeatedPtrField<AgentResponse::GetFrameworks::Framework>& out) {
  auto fw = c.state_.frameworks.find(id);
  if (fw == c.state_.frameworks.end())
    return; // removed: the simulator no longer has its FrameworkInfo
  auto* f = out.Add();
  *f->mutable_framework_info() = fw->second.info;
  f->mutable_framework_info()->mutable_id()->set_value(id);
}

} // namespace

agent_executor_list agent_view_executor_list(const cluster::impl& c, const agent_node& agent,
                                             std::vector<executor_view> custom) {
  agent_executor_list out;
  out.custom = std::move(custom);
  for (const auto& [key, t] : c.state_.tasks) {
    if (!on_agent(t, agent) || t.terminal() || !t.executor_id.empty())
      continue;
    executor_view v;
    v.framework_id = t.framework_id;
    v.info.mutable_executor_id()->set_value(t.info.task_id().value());
    v.info.mutable_framework_id()->set_value(t.framework_id);
    v.info.set_name(command_executor_name(t.info));
    *v.info.mutable_command() = t.info.command();
    v.container.set_value(t.container_id);
    v.pid = t.pid;
    out.command.push_back(std::move(v));
  }
  return out;
}

AgentResponse::GetTasks agent_view_tasks(const cluster::impl& c, const agent_node& agent) {
  AgentResponse::GetTasks out;
  for (const auto& [key, t] : c.state_.tasks) {
    if (!on_agent(t, agent))
      continue;
    if (t.terminal())
      *out.add_terminated_tasks() = operator_task(t); // its last update not yet acknowledged
    else if (t.latest.state() == mesos::v1::TASK_STAGING && t.info.has_executor())
      *out.add_queued_tasks() = operator_task(t); // waiting for its executor
    else
      *out.add_launched_tasks() = operator_task(t);
  }
  for (const auto& t : c.state_.completed_task_records)
    if (t.agent_id().value() == agent.id)
      *out.add_completed_tasks() = t;
  return out;
}

AgentResponse::GetExecutors agent_view_executors(const agent_executor_list& e) {
  AgentResponse::GetExecutors out;
  for (const auto* list : {&e.custom, &e.command})
    for (const auto& v : *list)
      *out.add_executors()->mutable_executor_info() = v.info;
  return out;
}

AgentResponse::GetFrameworks agent_view_frameworks(const cluster::impl& c, const agent_node& agent,
                                              const agent_executor_list& e) {
  std::set<std::string> live, done;
  for (const auto& v : e.custom)
    live.insert(v.framework_id);
  for (const auto& [key, t] : c.state_.tasks)
    if (on_agent(t, agent))
      (t.terminal() ? done : live).insert(t.framework_id);
  for (const auto& t : c.state_.completed_task_records)
    if (t.agent_id().value() == agent.id)
      done.insert(t.framework_id().value());
  AgentResponse::GetFrameworks out;
  for (const auto& id : live)
    add_framework(c, id, *out.mutable_frameworks());
  for (const auto& id : done)
    if (!live.count(id))
      add_framework(c, id, *out.mutable_completed_frameworks());
  return out;
}

AgentResponse::GetContainers agent_view_containers(const agent_executor_list& e) {
  AgentResponse::GetContainers out;
  for (const auto* list : {&e.custom, &e.command})
    for (const auto& v : *list) {
      auto* ct = out.add_containers();
      ct->mutable_framework_id()->set_value(v.framework_id);
      *ct->mutable_executor_id() = v.info.executor_id();
      ct->set_executor_name(v.info.name());
      *ct->mutable_container_id() = v.container;
      auto* status = ct->mutable_container_status();
      *status->mutable_container_id() = v.container;
      if (v.pid > 0)
        status->set_executor_pid(static_cast<std::uint32_t>(v.pid));
    }
  return out;
}

AgentResponse::GetState agent_view_state(const cluster::impl& c, const agent_node& agent,
                                    const agent_executor_list& e) {
  AgentResponse::GetState out;
  *out.mutable_get_tasks() = agent_view_tasks(c, agent);
  *out.mutable_get_executors() = agent_view_executors(e);
  *out.mutable_get_frameworks() = agent_view_frameworks(c, agent, e);
  return out;
}

} // namespace mesos_actor::sim
