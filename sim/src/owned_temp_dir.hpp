#pragma once
// Temporary directories named after the process that owns them, so that a process that
// was killed (SIGKILL, a sanitizer abort) and could not remove its own directories does
// not leave them for ever: the next owner of the same prefix removes those whose pid is
// no longer alive.

#include <string>

namespace mesos_actor::sim {

/// Creates `<temp dir>/<prefix>-<pid>-XXXXXX` and returns its path, after removing every
/// `<prefix>-<pid>-*` directory whose pid is not a running process. Throws
/// std::runtime_error when the directory cannot be created.
std::string make_owned_temp_dir(const std::string& prefix);

/// Removes the `<prefix>-<pid>-*` directories of processes that are no longer running;
/// returns how many it removed. Errors (a directory that vanished meanwhile, no
/// permission) are skipped: the sweep is best effort.
std::size_t remove_orphaned_temp_dirs(const std::string& prefix);

} // namespace mesos_actor::sim
