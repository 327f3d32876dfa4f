// ACCEPT: offer validation, LAUNCH and LAUNCH_GROUP with Mesos's task validation and
// the updates Mesos produces for bad launches (TASK_ERROR, TASK_DROPPED/TASK_LOST).
#include "cluster_impl.hpp"

#include <filesystem>

#include "ids.hpp"

namespace mesos_actor::sim {

namespace {
using Call = mesos::v1::scheduler::Call;
using mesos::v1::Offer;
using mesos::v1::TaskInfo;
using mesos::v1::TaskStatus;

TaskStatus master_update(const TaskInfo& task, mesos::v1::TaskState state,
                         TaskStatus::Reason reason, const std::string& message) {
  TaskStatus s;
  *s.mutable_task_id() = task.task_id();
  if (task.has_agent_id())
    *s.mutable_agent_id() = task.agent_id();
  s.set_state(state);
  s.set_source(TaskStatus::SOURCE_MASTER);
  s.set_reason(reason);
  s.set_message(message);
  s.set_timestamp(now_seconds());
  return s;
}

std::vector<TaskInfo> tasks_of(const Offer::Operation& op) {
  if (op.type() == Offer::Operation::LAUNCH)
    return {op.launch().task_infos().begin(), op.launch().task_infos().end()};
  if (op.type() == Offer::Operation::LAUNCH_GROUP)
    return {op.launch_group().task_group().tasks().begin(),
            op.launch_group().task_group().tasks().end()};
  return {};
}
} // namespace

void cluster::impl::accept(framework_entry& fw, const Call::Accept& a) {
  std::string invalid;
  std::string agent_id;
  resource_set offered;
  std::vector<std::string> used_offers;
  if (a.offer_ids_size() == 0)
    invalid = "No offers specified";
  for (const auto& oid : a.offer_ids()) {
    auto it = state_.offers.find(oid.value());
    if (it == state_.offers.end() || it->second.framework_id != fw.id) {
      invalid = "Offer " + oid.value() + " is no longer valid";
      continue;
    }
    if (!agent_id.empty() && it->second.agent_id != agent_id)
      invalid = "Aggregated offers must belong to one single agent";
    agent_id = it->second.agent_id;
    offered.add(it->second.resources);
    used_offers.push_back(oid.value());
  }
  for (const auto& id : used_offers)
    allocator_.remove_offer(id, false);

  auto* agent = agents_.find(agent_id);
  if (invalid.empty() && (!agent || !agent->running))
    invalid = "Agent " + agent_id + " is not available";
  if (!invalid.empty()) {
    log("ACCEPT from " + fw.id + " with invalid offers: " + invalid);
    auto state = fw.partition_aware() ? mesos::v1::TASK_DROPPED : mesos::v1::TASK_LOST;
    for (const auto& op : a.operations())
      for (const auto& task : tasks_of(op))
        master_status_update(fw.id, master_update(task, state, TaskStatus::REASON_INVALID_OFFERS,
                                                  "Task launched with invalid offers: " + invalid));
    return;
  }

  auto remaining = offered;
  auto validate = [&](const TaskInfo& task, resource_set& needs) -> std::optional<std::string> {
    if (task.task_id().value().empty())
      return std::string("Task ID must not be empty");
    auto existing = state_.tasks.find({fw.id, task.task_id().value()});
    if (existing != state_.tasks.end() && !existing->second.terminal())
      return "Task has duplicate ID: " + task.task_id().value();
    if (task.agent_id().value() != agent_id)
      return "Task uses invalid agent: " + task.agent_id().value();
    std::string err;
    needs = resource_set::from_proto(task.resources(), err);
    if (!err.empty())
      return err;
    if (task.has_executor()) {
      auto exec = resource_set::from_proto(task.executor().resources(), err);
      if (!err.empty())
        return err;
      needs.add(exec);
    }
    if (!remaining.contains(needs))
      return "Task uses more resources " + needs.to_string() + " than available " +
             remaining.to_string();
    return std::nullopt;
  };
  auto make_task = [&](const TaskInfo& info, const resource_set& needs,
                       const std::string& executor_id) -> task_entry& {
    task_entry t;
    t.framework_id = fw.id;
    t.agent_id = agent_id;
    t.executor_id = executor_id;
    t.info = info;
    t.resources = needs;
    t.sandbox = (std::filesystem::path(work_dir_) / agent_id / fw.id /
                 (executor_id.empty() ? info.task_id().value() : executor_id) / info.task_id().value())
                  .string();
    if (executor_id.empty())
      t.container_id = random_uuid_text();
    t.latest = make_status(t, mesos::v1::TASK_STAGING, TaskStatus::SOURCE_MASTER, std::nullopt, "");
    auto key = std::make_pair(fw.id, info.task_id().value());
    state_.tasks.erase(key);
    auto& entry = state_.tasks.emplace(key, std::move(t)).first->second;
    operator_task_added(entry);
    return entry;
  };

  for (const auto& op : a.operations()) {
    if (op.type() == Offer::Operation::LAUNCH) {
      for (const auto& task : op.launch().task_infos()) {
        resource_set needs;
        std::optional<std::string> err;
        if (task.has_command() == task.has_executor())
          err = "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        else
          err = validate(task, needs);
        if (err) {
          master_status_update(fw.id, master_update(task, mesos::v1::TASK_ERROR,
                                                    TaskStatus::REASON_TASK_INVALID, *err));
          continue;
        }
        remaining.subtract(needs);
        if (task.has_command()) {
          auto& t = make_task(task, needs, "");
          launch_command_task(t);
        } else {
          make_task(task, needs, task.executor().executor_id().value());
          launch_executor_tasks(fw.id, *agent, task.executor(), {task}, false);
        }
      }
    } else if (op.type() == Offer::Operation::LAUNCH_GROUP) {
      const auto& lg = op.launch_group();
      std::optional<std::string> err;
      std::vector<resource_set> needs(static_cast<std::size_t>(lg.task_group().tasks_size()));
      std::string rerr;
      auto exec_needs = resource_set::from_proto(lg.executor().resources(), rerr);
      if (!rerr.empty())
        err = rerr;
      else if (!remaining.contains(exec_needs))
        err = "Executor uses more resources than available";
      else
        remaining.subtract(exec_needs);
      auto budget = remaining;
      for (int i = 0; !err && i < lg.task_group().tasks_size(); ++i) {
        const auto& task = lg.task_group().tasks(i);
        if (task.has_executor())
          err = "'TaskInfo.executor' must not be set in a task group";
        else if ((err = validate(task, needs[static_cast<std::size_t>(i)])))
          break;
        else
          remaining.subtract(needs[static_cast<std::size_t>(i)]);
      }
      if (err) {
        remaining = budget;
        remaining.add(exec_needs);
        for (const auto& task : lg.task_group().tasks())
          master_status_update(fw.id, master_update(task, mesos::v1::TASK_ERROR,
                                                    TaskStatus::REASON_TASK_GROUP_INVALID, *err));
        continue;
      }
      std::vector<TaskInfo> group;
      for (int i = 0; i < lg.task_group().tasks_size(); ++i) {
        auto& t = make_task(lg.task_group().tasks(i), needs[static_cast<std::size_t>(i)],
                            lg.executor().executor_id().value());
        if (i == 0)
          t.resources.add(exec_needs);
        group.push_back(lg.task_group().tasks(i));
      }
      launch_executor_tasks(fw.id, *agent, lg.executor(), std::move(group), true);
    } else {
      log("ACCEPT from " + fw.id + ": operation type " +
          Offer::Operation::Type_Name(op.type()) + " is not simulated; ignored");
    }
  }
  // What the ACCEPT left unused counts as declined (with the call's filters).
  if (!remaining.empty())
    allocator_.add_filter(fw, agent_id,
               a.has_filters() && a.filters().has_refuse_seconds()
                 ? std::optional<double>(a.filters().refuse_seconds())
                 : std::nullopt);
}

} // namespace mesos_actor::sim
