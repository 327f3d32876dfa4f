#pragma once
// Options from the configuration files in config/: scheduler.ini ([scheduler],
// [scheduler.tls], [scheduler.zookeeper], [scheduler.http-limits]) and host.ini ([logging], [metrics],
// [prometheus]). Keys present in a file override the value in the options passed in;
// absent keys leave it. A file may hold both kinds of sections: each loader reads its
// own and skips the other's. Unknown sections or keys, bad values and unreadable files
// are errc::bad_option naming the file and line (never echoing extra-headers values).
// Code-only options (sinks, credentials, callbacks) are not settable from a file.
//
//   mesos_actor::scheduler_options opts;
//   if (auto err = mesos_actor::load_scheduler_config("config/scheduler.ini", opts))
//     die(to_string(err));

#include <string>

#include <caf/error.hpp>

#include "mesos_actor/host.hpp"
#include "mesos_actor/scheduler/options.hpp"

namespace mesos_actor {

/// Applies the scheduler sections of the INI file at `path` to `opts`, then validates
/// the result (validate(scheduler_options)).
caf::error load_scheduler_config(const std::string& path, scheduler_options& opts);

/// Applies the host sections of the INI file at `path` to `opts` (logging level,
/// metrics buckets, Prometheus endpoint), then validates them.
caf::error load_host_config(const std::string& path, host_options& opts);

} // namespace mesos_actor
