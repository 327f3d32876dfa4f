#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "supervisor/events.hpp"

namespace supervisor {

/// Which children are restarted when one ends (OTP strategies).
enum class strategy : uint8_t {
  /// Only the child that ended.
  one_for_one,
  /// All children: the others are stopped (reverse order), then all started (in order).
  one_for_all,
  /// The child that ended and every child started after it.
  rest_for_one,
  /// Dynamic children of one template spec, started at run time with an id and
  /// arguments; otherwise one_for_one.
  simple_one_for_one,
};

/// Called for every supervisor_event, on the supervisor's thread (exceptions are
/// dropped so an observer cannot take the tree down): keep it short
/// and thread-safe, and never call the supervisor synchronously from it.
using event_listener = std::function<void(const supervisor_event&)>;

/// Supervisor-wide settings (OTP sup_flags plus a name and an event hook).
struct sup_flags {
  /// Restart strategy.
  supervisor::strategy strategy = strategy::one_for_one;
  /// More than this many restarts within `period` makes the supervisor give up.
  int max_restarts = 1;
  /// The sliding window of the restart intensity.
  std::chrono::milliseconds period{5000};
  /// Name used in events and in the escalation reason.
  std::string name = "supervisor";
  /// Optional observer of child starts, exits, restarts and escalation.
  event_listener on_event;
};

} // namespace supervisor
