#pragma once
// Command tasks as the command executor runs them: a child process in its own
// process group, started in the task's sandbox with stdout/stderr files there, that
// gets SIGKILL when the simulator's process ends (also when that is killed).

#include <string>
#include <vector>

#include <sys/types.h>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::sim {

struct spawn_result {
  pid_t pid = 0;     ///< > 0 on success
  std::string error; ///< why it could not start
};

/// Starts `/bin/sh -c value` (shell, the default) or `value` with `arguments` as argv.
/// `extra_env` ("NAME=value") is added to this process's environment and to
/// CommandInfo.environment.
spawn_result spawn_command(const mesos::v1::CommandInfo& command, const std::string& sandbox,
                           const std::vector<std::string>& extra_env);

/// "Command exited with status N" / "Command terminated with signal NAME".
std::string describe_exit(int wait_status);

} // namespace mesos_actor::sim
