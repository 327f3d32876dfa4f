// Interim executor_manager until custom executors are implemented behind the seam
// (executor_manager.hpp). Tasks with an ExecutorInfo fail with a clear message.
// The executor work replaces this file with agent_executor*.cpp, which defines
// make_executor_manager.
#include "sim/executor_manager.hpp"

#include "sim/ids.hpp"

namespace mesos_actor::sim {

namespace {

class executor_unavailable final : public executor_manager {
public:
  explicit executor_unavailable(agent_services& services) : services_(services) {}

  void register_routes(http_routes&) override {}

  void launch(const mesos::v1::FrameworkInfo& framework, const mesos::v1::ExecutorInfo& executor,
              const std::vector<mesos::v1::TaskInfo>& tasks, bool) override {
    for (const auto& task : tasks) {
      mesos::v1::TaskStatus status;
      *status.mutable_task_id() = task.task_id();
      status.set_state(mesos::v1::TASK_FAILED);
      status.set_source(mesos::v1::TaskStatus::SOURCE_EXECUTOR);
      status.set_reason(mesos::v1::TaskStatus::REASON_EXECUTOR_TERMINATED);
      status.set_message("custom executors are not supported by this simulator build");
      *status.mutable_executor_id() = executor.executor_id();
      *status.mutable_agent_id() = services_.agent_info().id();
      status.set_uuid(random_uuid_bytes());
      services_.send_status_update(framework.id().value(), status);
    }
  }
  void kill_task(const std::string&, const std::string&,
                 const std::optional<mesos::v1::KillPolicy>&) override {}
  void shutdown_executor(const std::string&, const std::string&) override {}
  bool message(const std::string&, const std::string&, const std::string&) override {
    return false;
  }
  void acknowledged(const std::string&, const std::string&, const std::string&) override {}
  void framework_removed(const std::string&) override {}
  void agent_restarting(bool) override {}
  void kill_all() override {}

private:
  agent_services& services_;
};

} // namespace

std::unique_ptr<executor_manager> make_executor_manager(agent_services& services) {
  return std::make_unique<executor_unavailable>(services);
}

} // namespace mesos_actor::sim
