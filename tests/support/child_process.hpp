#pragma once
// A process a test starts (ZooKeeper's JVM, an example program): it runs in its own
// process group and gets SIGKILL when the test process dies (PR_SET_PDEATHSIG), and
// the destructor kills the group and reaps it, so it ends with the test whether the
// test passes, fails, throws, times out or is killed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace testkit {

/// Where the child's stdout and stderr go.
struct child_output {
  /// Both appended to this file ("" = inherited from the test).
  std::string log_file;
  /// stdout (and stderr too when merge_stderr) into a pipe read with read_fd()/read_all().
  bool pipe = false;
  bool merge_stderr = false;
};

class child_process {
public:
  /// Starts argv[0] (a path, or a name looked up in PATH). Throws std::runtime_error
  /// when it cannot fork; an exec failure shows up as exit status 127.
  explicit child_process(std::vector<std::string> argv, child_output out = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  /// The read end of the output pipe (-1 without child_output::pipe).
  int read_fd() const { return read_fd_; }
  /// Reads the pipe until EOF or `limit`; what it got.
  std::string read_all(std::chrono::milliseconds limit);

  /// Sends `sig` to the whole process group.
  void signal_group(int sig);
  /// SIGKILL to the group (after SIGCONT, in case it is stopped) and reap. Idempotent.
  void kill();
  /// The wait status once it has ended (reaped), nullopt while it runs. Never blocks.
  std::optional<int> try_wait();
  /// Waits up to `limit` for the end; the wait status, nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds limit);

private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
};

} // namespace testkit
