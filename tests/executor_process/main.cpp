// The executor process the simulator's agent launches in the executor integration
// tests: a real process built on run_executor, whose behaviour each task selects
// through TaskInfo.data:
//   "run"                        TASK_RUNNING, then runs until killed
//   "finish-when-disconnected"   TASK_RUNNING; when the agent connection drops, TASK_FINISHED
//                                (an update made while the agent is down)
//   "ignore-shutdown"            TASK_RUNNING; SHUTDOWN is acknowledged but the executor
//                                keeps going (the grace period must end it)
// KILL answers TASK_KILLED; a framework message is answered with "echo:<data>", except
// "burst:N", answered with N messages "burst-1" .. "burst-N" from one callback that
// works 100 ms after the first (they still leave together, pipelined, when it returns).
#include <cstdlib>
#include <map>
#include <string>
#include <thread>

#include "mesos_actor/executor.hpp"

namespace {

using mesos_actor::action;
using mesos_actor::executor_context;

class test_executor : public mesos_actor::executor {
public:
  action launch_task(executor_context& ctx, const event::Launch& launch) override {
    start(ctx, launch.task());
    return action::keep;
  }

  action launch_task_group(executor_context& ctx, const event::LaunchGroup& group) override {
    for (const auto& t : group.task_group().tasks())
      start(ctx, t);
    return action::keep;
  }

  action kill_task(executor_context& ctx, const event::Kill& kill) override {
    if (tasks_.erase(kill.task_id().value()) > 0)
      report(ctx, kill.task_id().value(), mesos::v1::TASK_KILLED);
    return action::keep;
  }

  action disconnected(executor_context& ctx) override {
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (it->second == "finish-when-disconnected") {
        report(ctx, it->first, mesos::v1::TASK_FINISHED);
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
    return action::keep;
  }

  action framework_message(executor_context& ctx, const event::Message& msg) override {
    if (msg.data().rfind("burst:", 0) == 0) {
      int n = std::atoi(msg.data().c_str() + 6);
      for (int i = 1; i <= n; ++i) {
        ctx.message("burst-" + std::to_string(i));
        if (i == 1) // long enough for a call sent on its own to reach the agent
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      return action::keep;
    }
    ctx.message("echo:" + msg.data());
    return action::keep;
  }

  action shutdown(executor_context& ctx) override {
    bool ignore = false;
    for (auto& [id, mode] : tasks_) {
      ignore = ignore || mode == "ignore-shutdown";
      report(ctx, id, mesos::v1::TASK_KILLED);
    }
    tasks_.clear();
    return ignore ? action::keep : action::stop;
  }

private:
  void start(executor_context& ctx, const mesos::v1::TaskInfo& task) {
    tasks_[task.task_id().value()] = task.data();
    report(ctx, task.task_id().value(), mesos::v1::TASK_RUNNING);
  }

  static void report(executor_context& ctx, const std::string& id, mesos::v1::TaskState state) {
    mesos::v1::TaskStatus status;
    status.mutable_task_id()->set_value(id);
    status.set_state(state);
    ctx.update(std::move(status));
  }

  std::map<std::string, std::string> tasks_; // task id -> mode (TaskInfo.data)
};

} // namespace

int main() {
  return mesos_actor::run_executor(std::make_unique<test_executor>());
}
