// ACCEPT: offer validation, LAUNCH and LAUNCH_GROUP with Mesos's task validation and
// the updates Mesos produces for bad launches (TASK_ERROR, TASK_DROPPED/TASK_LOST).
// Resources are validated, upgraded and given the offer's role first (resource_format).
#include "cluster_impl.hpp"

#include <filesystem>

#include "ids.hpp"
#include "resource_format.hpp"

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
  std::string role; ///< the offers' allocation role
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
    // Mesos's text, unbalanced quotes included.
    if (!used_offers.empty() && it->second.role != role)
      invalid = "Aggregated offers must be allocated to the same role. Offer " + oid.value() +
                " uses role '" + it->second.role + " but another is using role '" + role;
    if (!agent_id.empty() && it->second.agent_id != agent_id)
      invalid = "Aggregated offers must belong to one single agent";
    agent_id = it->second.agent_id;
    if (used_offers.empty())
      role = it->second.role;
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
  // Mesos's checks of one task before the amounts: id, agent, one allocation role for
  // the task's and for its executor's resources; `asked` gets both as sent, `needs` what
  // the simulator counts of them.
  auto validate = [&](const TaskInfo& task, resource_list& asked,
                      resource_set& needs) -> std::optional<std::string> {
    if (task.task_id().value().empty())
      return std::string("Task ID must not be empty");
    auto existing = state_.tasks.find({fw.id, task.task_id().value()});
    if (existing != state_.tasks.end() && !existing->second.terminal())
      return "Task has duplicate ID: " + task.task_id().value();
    if (task.agent_id().value() != agent_id)
      return "Task uses invalid agent " + task.agent_id().value() + " while agent " + agent_id +
             " is expected";
    if (auto err = single_allocation_role(task.resources()))
      return "Invalid task resources: " + *err;
    if (task.has_executor())
      if (auto err = single_allocation_role(task.executor().resources()))
        return "Invalid executor resources: " + *err;
    asked = task.resources();
    if (task.has_executor())
      asked.MergeFrom(task.executor().resources());
    if (!offerable_kind(asked, role))
      return std::nullopt; // fits() refuses it: such resources are never in these offers
    std::string err;
    needs = resource_set::from_proto(asked, err);
    return err.empty() ? std::nullopt : std::optional<std::string>(err);
  };
  auto fits = [&](const resource_list& asked, const resource_set& needs) {
    return offerable_kind(asked, role) && remaining.contains(needs);
  };
  // Mesos's refusal when the offers do not hold what is asked for.
  auto not_available = [&](const resource_list& asked, const char* what) {
    resource_list available;
    remaining.to_proto(available, role);
    return "Total resources " + describe(asked) + " required by " + what +
           " more than available " + describe(available);
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

  for (auto op : a.operations()) {
    if (op.type() == Offer::Operation::LAUNCH || op.type() == Offer::Operation::LAUNCH_GROUP) {
      if (auto err = normalize_launch(op, role)) {
        auto reason = op.type() == Offer::Operation::LAUNCH ? TaskStatus::REASON_TASK_INVALID
                                                            : TaskStatus::REASON_TASK_GROUP_INVALID;
        for (const auto& task : tasks_of(op))
          master_status_update(fw.id, master_update(task, mesos::v1::TASK_ERROR, reason, *err));
        continue;
      }
    }
    if (op.type() == Offer::Operation::LAUNCH) {
      for (const auto& task : op.launch().task_infos()) {
        resource_list asked;
        resource_set needs;
        std::optional<std::string> err;
        if (task.has_command() == task.has_executor())
          err = "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        else
          err = validate(task, asked, needs);
        if (!err && !fits(asked, needs))
          err = not_available(asked, "task and its executor is");
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
      resource_set total;
      resource_list asked;
      for (int i = 0; !err && i < lg.task_group().tasks_size(); ++i) {
        const auto& task = lg.task_group().tasks(i);
        resource_list task_asked;
        if (task.has_executor())
          err = "'TaskInfo.executor' must not be set in a task group";
        else if ((err = validate(task, task_asked, needs[static_cast<std::size_t>(i)])))
          break;
        total.add(needs[static_cast<std::size_t>(i)]);
        asked.MergeFrom(task_asked);
      }
      resource_set exec_needs;
      if (!err) {
        if (auto e = single_allocation_role(lg.executor().resources()))
          err = "Invalid executor resources: " + *e;
      }
      if (!err) {
        asked.MergeFrom(lg.executor().resources());
        std::string rerr;
        if (offerable_kind(lg.executor().resources(), role))
          exec_needs = resource_set::from_proto(lg.executor().resources(), rerr);
        if (!rerr.empty())
          err = rerr;
        total.add(exec_needs);
      }
      if (!err && !fits(asked, total))
        err = not_available(asked, "task group and its executor are");
      if (err) {
        for (const auto& task : lg.task_group().tasks())
          master_status_update(fw.id, master_update(task, mesos::v1::TASK_ERROR,
                                                    TaskStatus::REASON_TASK_GROUP_INVALID, *err));
        continue;
      }
      remaining.subtract(total);
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
