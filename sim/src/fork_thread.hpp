#pragma once
// Every process the simulator starts is forked on one thread that lives as long as the
// process: PR_SET_PDEATHSIG, which makes a task or executor die with the simulator even
// when that is killed, fires when the *thread* that forked the child ends, not the
// process, and the threads that launch tasks (connection threads, the ticker) come and go.

#include <functional>

#include <sys/types.h>

namespace mesos_actor::sim {

/// Runs `fork_and_exec` (which forks and returns the child's pid, or -1) on the fork
/// thread and returns its result. Thread-safe; blocks the caller for the fork only.
pid_t run_on_fork_thread(const std::function<pid_t()>& fork_and_exec);

} // namespace mesos_actor::sim
