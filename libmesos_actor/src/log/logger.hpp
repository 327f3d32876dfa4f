#pragma once
// The logger a library component (scheduler, executor, host...) holds: the resolved
// level and sink plus the component's name and framework ref. A filtered-out level
// costs one comparison; guard expensive messages with enabled().

#include <string>
#include <vector>

#include "mesos_actor/log.hpp"

namespace mesos_actor::detail {

class logger {
public:
  /// Unset level = info, empty sink = stderr.
  logger(const logging_options& opts, std::string component);

  bool enabled(log_level level) const { return level >= min_ && level != log_level::off; }

  /// Builds and hands an entry to the sink (if `level` passes). Never throws.
  void operator()(log_level level, const char* event, std::string message,
                  std::vector<log_field> fields = {}) const;

  const std::string& framework_ref() const { return ref_; }

private:
  log_level min_;
  log_sink sink_;
  std::string ref_;
  std::string component_;
};

/// What a framework started by a host logs with: its own level/sink where set, the
/// host's otherwise, and `ref` as its framework ref.
logging_options inherit_logging(logging_options framework, const logging_options& host,
                                const std::string& ref);

} // namespace mesos_actor::detail
