#pragma once
// Options from the configuration files in config/: scheduler.ini ([scheduler],
// [scheduler.tls], [scheduler.proxy], [scheduler.zookeeper], [scheduler.http-limits]),
// host.ini ([logging], [metrics], [prometheus]) and frameworks.ini (many frameworks, the
// same scheduler keys in [framework.REF...] sections). Keys present in a file override the value in the options passed in;
// absent keys leave it. A file may hold both kinds of sections: each loader reads its
// own and skips the other's. Unknown sections or keys, bad values and unreadable files
// are errc::bad_option naming the file and line (never echoing extra-headers values).
// Code-only options (sinks, credentials, callbacks) are not settable from a file.
//
//   mesos_actor::scheduler_options opts;
//   if (auto err = mesos_actor::load_scheduler_config("config/scheduler.ini", opts))
//     die(to_string(err));

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/host.hpp"
#include "mesos_actor/scheduler/options.hpp"

namespace mesos_actor {

/// Applies the scheduler sections of the INI file at `path` to `opts`, then validates
/// the result (validate(scheduler_options)).
caf::error load_scheduler_config(const std::string& path, scheduler_options& opts);

/// One framework of a frameworks file.
struct framework_config {
  std::string ref;            ///< REF of its [framework.REF] sections
  scheduler_options options;  ///< validated
  restart_policy policy;      ///< [framework.REF.restart]
  /// A value of [framework.REF.app], with its line for the program's error messages.
  struct app_value {
    std::string text;      ///< strings unquoted; numbers and true/false as written
    std::size_t line = 0;  ///< 1-based line in the file
  };
  /// [framework.REF.app]: the program's own keys, not read by the library.
  std::map<std::string, app_value> app;
};

/// Reads a frameworks file: every framework named by a [framework.REF] section (or one
/// of its parts: .tls .proxy .zookeeper .http-limits with the keys of scheduler.ini,
/// .restart with restart, max-restarts, period-ms, shutdown-timeout-ms, and .app), in
/// the order of first appearance. Each framework's options are `defaults`, then the
/// file's [scheduler...] sections (shared by all), then its own; then validated. Host
/// sections are skipped; anything else unknown is an error naming the file and line.
caf::expected<std::vector<framework_config>>
load_frameworks_config(const std::string& path, const scheduler_options& defaults = {});

/// Applies the host sections of the INI file at `path` to `opts` (logging level,
/// metrics buckets, Prometheus endpoint), then validates them.
caf::error load_host_config(const std::string& path, host_options& opts);

} // namespace mesos_actor
