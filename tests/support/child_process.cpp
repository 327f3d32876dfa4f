#include "support/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace testkit {

child_process::child_process(std::vector<std::string> args, child_output out) {
  // Prepared before fork: the child only makes async-signal-safe calls.
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int fds[2] = {-1, -1};
  if (out.pipe && ::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error("child_process: pipe failed");
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ < 0) {
    if (out.pipe) {
      ::close(fds[0]);
      ::close(fds[1]);
    }
    throw std::runtime_error("child_process: fork failed");
  }
  if (pid_ == 0) {
    ::setpgid(0, 0);
    // Dies with the test process; the check closes the race with a parent that died
    // before prctl (the child would already belong to init and never get the signal).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
      ::_exit(127);
    if (!out.log_file.empty()) {
      int fd = ::open(out.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
    }
    if (out.pipe) {
      ::dup2(fds[1], 1);
      if (out.merge_stderr)
        ::dup2(fds[1], 2);
    }
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  // Also from the parent, so a kill right after the fork already hits the group.
  ::setpgid(pid_, pid_);
  if (out.pipe) {
    ::close(fds[1]);
    read_fd_ = fds[0];
  }
}

child_process::~child_process() {
  kill();
  if (read_fd_ >= 0)
    ::close(read_fd_);
}

std::string child_process::read_all(std::chrono::milliseconds limit) {
  std::string out;
  if (read_fd_ < 0)
    return out;
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      break;
    pollfd p{read_fd_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    auto n = ::read(read_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

void child_process::signal_group(int sig) {
  if (pid_ > 0 && ::kill(-pid_, sig) != 0)
    ::kill(pid_, sig); // the group is gone; the leader may not be reaped yet
}

void child_process::kill() {
  if (pid_ <= 0)
    return;
  signal_group(SIGCONT);
  signal_group(SIGKILL);
  while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::optional<int> child_process::try_wait() {
  if (pid_ <= 0)
    return std::nullopt;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_)
    return std::nullopt;
  pid_ = -1;
  return status;
}

std::optional<int> child_process::wait(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (true) {
    if (auto st = try_wait())
      return st;
    if (pid_ <= 0 || std::chrono::steady_clock::now() >= deadline)
      return std::nullopt;
    // waitpid has no timeout; 20 ms steps bound the wait.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

} // namespace testkit
