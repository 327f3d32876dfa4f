#pragma once
// Part of the multi_framework example: the frameworks file it reads (config/frameworks.ini):
//
//   [framework analytics]        one section per framework; the name is its ref
//   role = analytics             key = value; '#' or ';' starts a comment line
//   master = sim                 "sim" (embedded simulator) or host:port[,host:port]
//   ...
//
// Every key is documented in config/frameworks.ini. A bad line is an error naming
// the file, the line number and what is wrong; nothing is guessed.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <mesos_actor/host.hpp>

namespace example {

struct framework_entry {
  std::string ref;
  std::string role = "*";
  std::vector<std::string> masters;  ///< empty = the embedded simulator
  mesos_actor::content_type content = mesos_actor::content_type::protobuf;
  mesos_actor::restart_policy policy;
  double failover_timeout_s = 3600;
  std::size_t max_num_subscribe = 10;
  std::size_t max_num_resubscribe = 10;
  std::chrono::milliseconds heartbeat_timeout_window{5000};
  /// > 0: the framework throws from a callback this long after each (re)subscription.
  std::chrono::milliseconds throw_after{0};
};

/// The entries of `path` in file order, or a message saying what is wrong.
struct parse_result {
  std::vector<framework_entry> frameworks;
  std::string error; ///< empty on success
};
parse_result read_frameworks(const std::string& path);

} // namespace example
