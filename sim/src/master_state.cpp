// The master's records of frameworks and tasks (master_state.hpp).
#include "cluster_impl.hpp"

#include <chrono>

#include "capabilities.hpp"
#include "legacy_fields.hpp"

namespace mesos_actor::sim {

std::vector<std::string> framework_entry::roles() const {
  if (has_capability(mesos::v1::FrameworkInfo::Capability::MULTI_ROLE))
    return {info.roles().begin(), info.roles().end()};
  return {legacy_role(info).value_or("*")};
}

bool framework_entry::has_capability(mesos::v1::FrameworkInfo::Capability::Type t) const {
  return sim::has_capability(info, t);
}

bool framework_entry::partition_aware() const {
  return has_capability(mesos::v1::FrameworkInfo::Capability::PARTITION_AWARE);
}

bool task_entry::terminal() const { return is_terminal(latest.state()); }

task_state task_entry::view() const {
  task_state s;
  s.framework_id = framework_id;
  s.task_id = info.task_id().value();
  s.agent_id = agent_id;
  s.executor_id = executor_id;
  s.state = latest.state();
  s.sandbox = sandbox;
  s.pid = pid;
  return s;
}

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

mesos::v1::TaskStatus make_status(const task_entry& t, mesos::v1::TaskState state,
                                  mesos::v1::TaskStatus::Source source,
                                  std::optional<mesos::v1::TaskStatus::Reason> reason,
                                  const std::string& message) {
  mesos::v1::TaskStatus s;
  *s.mutable_task_id() = t.info.task_id();
  s.set_state(state);
  s.set_source(source);
  if (reason)
    s.set_reason(*reason);
  if (!message.empty())
    s.set_message(message);
  s.mutable_agent_id()->set_value(t.agent_id);
  // A command task runs under the command executor, whose id is the task id.
  s.mutable_executor_id()->set_value(t.executor_id.empty() ? t.info.task_id().value()
                                                           : t.executor_id);
  s.set_timestamp(now_seconds());
  return s;
}

} // namespace mesos_actor::sim
