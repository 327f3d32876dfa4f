// A custom Mesos executor on mesos-actor. A Mesos agent (or the simulator) starts it
// with the MESOS_* environment; run_executor does the rest.
//
// Each task runs TaskInfo.data as a shell command in its own process group (a task
// with an ExecutorInfo cannot carry a CommandInfo), unless the data names a built-in job:
//   "builtin:finish"          TASK_FINISHED at once
//   "builtin:fail"            TASK_FAILED at once
//   "builtin:sleep=<ms>"      TASK_FINISHED after <ms> milliseconds
//   "builtin:forever"         runs until killed
// Every task gets TASK_RUNNING first. Framework messages are answered with
// "echo:<data>"; the message "tasks" is answered with the number of live tasks.
//
// How to run it: it is not started by hand but by an agent, e.g. the simulator's:
//   cmake --build build --target launch_tasks example_executor
//   build/examples/launch_tasks --executor build/examples/example_executor --tasks 3
// (launch_tasks sends its --command in TaskInfo.data; with a real cluster, make the
// binary reachable by the agents and pass --master HOST:5050).

#include <csignal>
#include <map>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <caf/all.hpp>

#include "mesos_actor/executor.hpp"

namespace {

using mesos_actor::action;
using mesos_actor::executor_context;
using task_exit_atom = caf::atom_constant<caf::atom("task_exit")>;
using job_done_atom = caf::atom_constant<caf::atom("job_done")>;

/// Starts `/bin/sh -c command` in a new process group; -1 on failure. The task gets
/// SIGKILL when the thread that started it ends (PR_SET_PDEATHSIG): with this executor,
/// since the actor system's threads live until it exits, so a killed executor leaves
/// no task behind.
pid_t start_shell(const std::string& command) {
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) // the executor died before prctl
      ::_exit(127);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid > 0)
    ::setpgid(pid, pid);
  return pid;
}

/// Body of a detached actor: blocks until `pid` ends and reports how to `parent`.
void wait_for_exit(pid_t pid, std::string id, caf::actor parent) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  caf::anon_send(parent, task_exit_atom::value, id, status);
}

struct running_task {
  pid_t pid = 0;        ///< 0 for built-in jobs
  bool kill_requested = false;
};

class example_executor : public mesos_actor::executor {
public:
  action launch_task(executor_context& ctx, const event::Launch& launch) override {
    start(ctx, launch.task());
    return action::keep;
  }

  action launch_task_group(executor_context& ctx, const event::LaunchGroup& group) override {
    for (const auto& task : group.task_group().tasks())
      start(ctx, task);
    return action::keep;
  }

  action kill_task(executor_context& ctx, const event::Kill& kill) override {
    auto it = tasks_.find(kill.task_id().value());
    if (it == tasks_.end())
      return action::keep;
    if (it->second.pid > 0) {
      it->second.kill_requested = true;
      ::kill(-it->second.pid, SIGTERM); // the exit is reported as TASK_KILLED
    } else {
      report(ctx, it->first, mesos::v1::TASK_KILLED, "killed");
      tasks_.erase(it);
    }
    return action::keep;
  }

  action framework_message(executor_context& ctx, const event::Message& msg) override {
    if (msg.data() == "tasks")
      ctx.message(std::to_string(tasks_.size()));
    else
      ctx.message("echo:" + msg.data());
    return action::keep;
  }

  action shutdown(executor_context& ctx) override {
    for (auto& [id, task] : tasks_) {
      if (task.pid > 0)
        ::kill(-task.pid, SIGKILL);
      report(ctx, id, mesos::v1::TASK_KILLED, "executor shut down");
    }
    tasks_.clear();
    return action::stop;
  }

  void terminate(executor_context&, const caf::error&) override {
    // However the executor ends, its tasks end with it (and so do their waiters).
    for (auto& [id, task] : tasks_)
      if (task.pid > 0)
        ::kill(-task.pid, SIGKILL);
  }

  action handle_info(executor_context& ctx, caf::message& msg) override {
    msg.apply({
      [&](task_exit_atom, const std::string& id, int status) { process_ended(ctx, id, status); },
      [&](job_done_atom, const std::string& id) {
        if (tasks_.erase(id) > 0)
          report(ctx, id, mesos::v1::TASK_FINISHED, "built-in job done");
      },
    });
    return action::keep;
  }

private:
  void start(executor_context& ctx, const mesos::v1::TaskInfo& task) {
    const auto& id = task.task_id().value();
    const auto& data = task.data();
    if (data.rfind("builtin:", 0) == 0) {
      start_builtin(ctx, id, data.substr(8));
      return;
    }
    if (data.empty()) {
      report(ctx, id, mesos::v1::TASK_FAILED, "TaskInfo.data holds no command");
      return;
    }
    pid_t pid = start_shell(data);
    if (pid < 0) {
      report(ctx, id, mesos::v1::TASK_FAILED, "fork failed");
      return;
    }
    tasks_[id] = running_task{pid, false};
    report(ctx, id, mesos::v1::TASK_RUNNING, "");
    // waitpid blocks, so it gets its own detached actor that reports back.
    auto parent = caf::actor_cast<caf::actor>(ctx.self());
    ctx.self()->spawn<caf::detached>(wait_for_exit, pid, id, parent);
  }

  void start_builtin(executor_context& ctx, const std::string& id, const std::string& job) {
    if (job == "fail") {
      report(ctx, id, mesos::v1::TASK_FAILED, "built-in job failed");
      return;
    }
    report(ctx, id, mesos::v1::TASK_RUNNING, "");
    if (job == "finish") {
      report(ctx, id, mesos::v1::TASK_FINISHED, "built-in job done");
      return;
    }
    tasks_[id] = running_task{};
    if (job.rfind("sleep=", 0) == 0) {
      auto ms = std::chrono::milliseconds(std::strtoll(job.c_str() + 6, nullptr, 10));
      ctx.self()->delayed_send(ctx.self(), ms, job_done_atom::value, id);
    }
    // "forever" (and anything unknown) runs until killed.
  }

  void process_ended(executor_context& ctx, const std::string& id, int status) {
    auto it = tasks_.find(id);
    if (it == tasks_.end())
      return; // already reported (shutdown)
    bool killed = it->second.kill_requested;
    tasks_.erase(it);
    if (killed)
      report(ctx, id, mesos::v1::TASK_KILLED, "killed");
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
      report(ctx, id, mesos::v1::TASK_FINISHED, "command exited with status 0");
    else if (WIFEXITED(status))
      report(ctx, id, mesos::v1::TASK_FAILED,
             "command exited with status " + std::to_string(WEXITSTATUS(status)));
    else
      report(ctx, id, mesos::v1::TASK_FAILED, "command killed by a signal");
  }

  static void report(executor_context& ctx, const std::string& id, mesos::v1::TaskState state,
                     const std::string& message) {
    mesos::v1::TaskStatus status;
    status.mutable_task_id()->set_value(id);
    status.set_state(state);
    if (!message.empty())
      status.set_message(message);
    ctx.update(std::move(status));
  }

  std::map<std::string, running_task> tasks_;
};

} // namespace

int main() {
  return mesos_actor::run_executor(std::make_unique<example_executor>());
}
