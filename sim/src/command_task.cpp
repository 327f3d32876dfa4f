#include "command_task.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fork_thread.hpp"

extern char** environ;

namespace mesos_actor::sim {

spawn_result spawn_command(const mesos::v1::CommandInfo& command, const std::string& sandbox,
                           const std::vector<std::string>& extra_env) {
  std::error_code ec;
  std::filesystem::create_directories(sandbox, ec);
  if (ec)
    return {0, "cannot create sandbox '" + sandbox + "': " + ec.message()};
  if (!command.has_value() || command.value().empty())
    return {0, "CommandInfo.value is empty"};

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls are allowed.
  std::vector<std::string> args;
  if (command.shell()) {
    args = {"/bin/sh", "-c", command.value()};
  } else {
    args.assign(command.arguments().begin(), command.arguments().end());
    if (args.empty())
      args.push_back(command.value());
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string::npos)
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& kv : extra_env) {
    auto eq = kv.find('=');
    env[kv.substr(0, eq)] = eq == std::string::npos ? "" : kv.substr(eq + 1);
  }
  for (const auto& v : command.environment().variables())
    env[v.name()] = v.value();
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env)
    env_strings.push_back(k + "=" + v);
  std::vector<char*> argv, envp;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_strings)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  auto out_path = sandbox + "/stdout";
  auto err_path = sandbox + "/stderr";
  std::string program = command.shell() ? "/bin/sh" : command.value();
  if (program.find('/') == std::string::npos) {
    // Resolved here because execvp is not async-signal-safe.
    std::string path = env.count("PATH") ? env["PATH"] : "/usr/bin:/bin";
    std::size_t from = 0;
    while (from <= path.size()) {
      auto to = path.find(':', from);
      auto dir = path.substr(from, to == std::string::npos ? std::string::npos : to - from);
      auto candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
      if (access(candidate.c_str(), X_OK) == 0) {
        program = candidate;
        break;
      }
      if (to == std::string::npos)
        break;
      from = to + 1;
    }
  }

  const pid_t parent = getpid();
  int fork_errno = 0;
  pid_t pid = run_on_fork_thread([&]() -> pid_t {
    pid_t child = fork();
    if (child != 0) {
      fork_errno = errno;
      return child;
    }
    // The fork thread blocks every signal; the task starts with none blocked.
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, nullptr);
    setpgid(0, 0);
    // Dies with the simulator, also when that is killed; the check closes the race
    // with a simulator that died before prctl.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
      _exit(127);
    if (chdir(sandbox.c_str()) != 0)
      _exit(127);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out >= 0)
      dup2(out, 1);
    if (err >= 0)
      dup2(err, 2);
    if (in >= 0)
      dup2(in, 0);
    execve(program.c_str(), argv.data(), envp.data());
    static constexpr char msg[] = "exec failed\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(127);
  });
  if (pid < 0)
    return {0, std::string("fork failed: ") + std::strerror(fork_errno)};
  setpgid(pid, pid); // also from the parent, so a kill right away hits the group
  return {pid, {}};
}

std::string describe_exit(int st) {
  if (WIFEXITED(st))
    return "Command exited with status " + std::to_string(WEXITSTATUS(st));
  if (WIFSIGNALED(st))
    return std::string("Command terminated with signal ") + strsignal(WTERMSIG(st));
  return "Command ended";
}

} // namespace mesos_actor::sim
