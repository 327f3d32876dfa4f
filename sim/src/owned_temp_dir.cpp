#include "owned_temp_dir.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <unistd.h>

namespace mesos_actor::sim {

namespace {

// The pid in "<prefix>-<pid>-<suffix>", or 0 when the name has another shape.
pid_t owner_of(const std::string& name, const std::string& prefix) {
  if (name.size() <= prefix.size() + 1 || name.compare(0, prefix.size(), prefix) != 0
      || name[prefix.size()] != '-')
    return 0;
  std::size_t i = prefix.size() + 1;
  long pid = 0;
  std::size_t digits = 0;
  for (; i < name.size() && name[i] >= '0' && name[i] <= '9' && digits < 10; ++i, ++digits)
    pid = pid * 10 + (name[i] - '0');
  if (digits == 0 || i >= name.size() || name[i] != '-' || pid <= 0)
    return 0;
  return static_cast<pid_t>(pid);
}

bool running(pid_t pid) {
  // EPERM: it exists under another user; only ESRCH means gone.
  return ::kill(pid, 0) == 0 || errno != ESRCH;
}

} // namespace

std::size_t remove_orphaned_temp_dirs(const std::string& prefix) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::size_t removed = 0;
  fs::directory_iterator it(fs::temp_directory_path(ec), ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    auto pid = owner_of(it->path().filename().string(), prefix);
    if (pid == 0 || running(pid))
      continue;
    std::error_code rm;
    if (fs::remove_all(it->path(), rm) > 0 && !rm)
      ++removed;
  }
  return removed;
}

std::string make_owned_temp_dir(const std::string& prefix) {
  remove_orphaned_temp_dirs(prefix);
  auto tmpl = (std::filesystem::temp_directory_path()
               / (prefix + "-" + std::to_string(::getpid()) + "-XXXXXX"))
                .string();
  if (!::mkdtemp(tmpl.data()))
    throw std::runtime_error("cannot create a temporary directory " + tmpl + ": "
                             + std::generic_category().message(errno));
  return tmpl;
}

} // namespace mesos_actor::sim
