#include "mesos_actor/scheduler/operations.hpp"

namespace mesos_actor {

mesos::v1::Resource scalar_resource(const std::string& name, double value) {
  mesos::v1::Resource r;
  r.set_name(name);
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

mesos::v1::Resource
ranges_resource(const std::string& name,
                const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges) {
  mesos::v1::Resource r;
  r.set_name(name);
  r.set_type(mesos::v1::Value::RANGES);
  for (auto& [begin, end] : ranges) {
    auto* range = r.mutable_ranges()->add_range();
    range->set_begin(begin);
    range->set_end(end);
  }
  return r;
}

double scalar_amount(const google::protobuf::RepeatedPtrField<mesos::v1::Resource>& resources,
                     const std::string& name) {
  double total = 0;
  for (auto& r : resources)
    if (r.name() == name && r.type() == mesos::v1::Value::SCALAR)
      total += r.scalar().value();
  return total;
}

mesos::v1::TaskInfo command_task(const std::string& task_id, const std::string& name,
                                 const mesos::v1::AgentID& agent_id,
                                 const std::string& shell_command,
                                 const std::vector<mesos::v1::Resource>& resources) {
  mesos::v1::TaskInfo task;
  task.set_name(name);
  task.mutable_task_id()->set_value(task_id);
  *task.mutable_agent_id() = agent_id;
  for (auto& r : resources)
    *task.add_resources() = r;
  auto* cmd = task.mutable_command();
  cmd->set_shell(true);
  cmd->set_value(shell_command);
  return task;
}

mesos::v1::Offer::Operation launch(const std::vector<mesos::v1::TaskInfo>& tasks) {
  mesos::v1::Offer::Operation op;
  op.set_type(mesos::v1::Offer::Operation::LAUNCH);
  for (auto& t : tasks)
    *op.mutable_launch()->add_task_infos() = t;
  return op;
}

mesos::v1::Offer::Operation launch_group(const mesos::v1::ExecutorInfo& executor,
                                         const std::vector<mesos::v1::TaskInfo>& tasks) {
  mesos::v1::Offer::Operation op;
  op.set_type(mesos::v1::Offer::Operation::LAUNCH_GROUP);
  auto* group = op.mutable_launch_group();
  *group->mutable_executor() = executor;
  for (auto& t : tasks)
    *group->mutable_task_group()->add_tasks() = t;
  return op;
}

mesos::v1::Filters refuse_filters(double refuse_seconds) {
  mesos::v1::Filters f;
  f.set_refuse_seconds(refuse_seconds);
  return f;
}

} // namespace mesos_actor
