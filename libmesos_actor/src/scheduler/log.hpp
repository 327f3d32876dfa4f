#pragma once
// The scheduler's minimal logging hook: the user's log_hook or stderr (never stdout).

#include <string>

#include "mesos_actor/scheduler/options.hpp"

namespace mesos_actor {

class scheduler_log {
public:
  scheduler_log(log_hook hook, std::string prefix)
    : hook_(std::move(hook)), prefix_(std::move(prefix)) {
  }
  void operator()(log_level level, const std::string& text) const;

private:
  log_hook hook_;
  std::string prefix_;
};

} // namespace mesos_actor
