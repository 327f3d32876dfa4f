// Readable names of the small public enums.
#include "supervisor/child_info.hpp"
#include "supervisor/events.hpp"

namespace supervisor {

std::string to_string(event_kind x) {
  switch (x) {
    case event_kind::child_started: return "child_started";
    case event_kind::child_exited: return "child_exited";
    case event_kind::child_restarted: return "child_restarted";
    case event_kind::child_start_failed: return "child_start_failed";
    case event_kind::child_stopped: return "child_stopped";
    case event_kind::intensity_reached: return "intensity_reached";
    case event_kind::supervisor_stopping: return "supervisor_stopping";
  }
  return "unknown_event";
}

std::string to_string(child_status x) {
  switch (x) {
    case child_status::running: return "running";
    case child_status::restarting: return "restarting";
    case child_status::stopped: return "stopped";
  }
  return "unknown_status";
}

} // namespace supervisor
