#include <doctest/doctest.h>

#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

#include "owned_temp_dir.hpp"

namespace fs = std::filesystem;
using mesos_actor::sim::make_owned_temp_dir;
using mesos_actor::sim::remove_orphaned_temp_dirs;

namespace {

// The pid of a child that has exited and been reaped: a pid that is not running.
pid_t dead_pid() {
  pid_t pid = ::fork();
  if (pid == 0)
    ::_exit(0);
  REQUIRE(pid > 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return pid;
}

} // namespace

TEST_CASE("owned temp dirs: a dead owner's directories are swept, a live owner's stay") {
  const std::string prefix = "mesos-actor-tdtest-" + std::to_string(::getpid());
  auto tmp = fs::temp_directory_path();
  auto orphan = tmp / (prefix + "-" + std::to_string(dead_pid()) + "-abc123");
  auto live = tmp / (prefix + "-" + std::to_string(::getpid()) + "-def456");
  auto other_shape = tmp / (prefix + "-notapid");
  for (const auto& d : {orphan, live, other_shape})
    fs::create_directories(d / "data");
  auto mine = make_owned_temp_dir(prefix);
  CHECK(fs::is_directory(mine));
  CHECK(fs::path(mine).filename().string().rfind(prefix + "-" + std::to_string(::getpid()) + "-", 0)
        == 0);
  CHECK_FALSE(fs::exists(orphan));
  CHECK(fs::exists(live));
  CHECK(fs::exists(other_shape));
  CHECK(remove_orphaned_temp_dirs(prefix) == 0);
  for (const auto& d : {fs::path(mine), live, other_shape})
    fs::remove_all(d);
}
