#include "log/logger.hpp"

namespace mesos_actor::detail {

logger::logger(const logging_options& opts, std::string component)
  : min_(opts.min_level.value_or(log_level::info)),
    sink_(opts.sink ? opts.sink : stderr_log_sink()), ref_(opts.framework_ref),
    component_(std::move(component)) {
}

void logger::operator()(log_level level, const char* event, std::string message,
                        std::vector<log_field> fields) const {
  if (!enabled(level))
    return;
  log_entry e;
  e.time = std::chrono::system_clock::now();
  e.level = level;
  e.framework = ref_;
  e.component = component_;
  e.event = event;
  e.message = std::move(message);
  e.fields = std::move(fields);
  try {
    sink_(e);
  } catch (...) {
    // A faulty sink must not take a framework down.
  }
}

logging_options inherit_logging(logging_options framework, const logging_options& host,
                                const std::string& ref) {
  if (!framework.min_level)
    framework.min_level = host.min_level;
  if (!framework.sink)
    framework.sink = host.sink;
  framework.framework_ref = ref;
  return framework;
}

} // namespace mesos_actor::detail
