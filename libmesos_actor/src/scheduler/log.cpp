#include "scheduler/log.hpp"

#include <cstdio>

namespace mesos_actor {

namespace {

const char* level_name(log_level level) {
  switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
  }
  return "?";
}

} // namespace

void scheduler_log::operator()(log_level level, const std::string& text) const {
  if (hook_) {
    hook_(level, prefix_ + text);
    return;
  }
  if (level == log_level::debug)
    return;
  std::fprintf(stderr, "[mesos-actor %s] %s%s\n", level_name(level), prefix_.c_str(), text.c_str());
}

} // namespace mesos_actor
