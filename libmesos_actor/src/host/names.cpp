#include "mesos_actor/host.hpp"

namespace mesos_actor {

const char* to_string(framework_status s) {
  switch (s) {
    case framework_status::running: return "running";
    case framework_status::restarting: return "restarting";
    case framework_status::stopped: return "stopped";
    case framework_status::failed: return "failed";
    case framework_status::elsewhere: return "elsewhere";
    case framework_status::unowned: return "unowned";
  }
  return "unknown";
}

const char* to_string(framework_kind k) {
  switch (k) {
    case framework_kind::scheduler: return "scheduler";
    case framework_kind::executor: return "executor";
  }
  return "unknown";
}

const char* to_string(host_event_kind k) {
  switch (k) {
    case host_event_kind::started: return "started";
    case host_event_kind::exited: return "exited";
    case host_event_kind::restarted: return "restarted";
    case host_event_kind::start_failed: return "start_failed";
    case host_event_kind::gave_up: return "gave_up";
    case host_event_kind::stopped: return "stopped";
    case host_event_kind::acquired: return "acquired";
    case host_event_kind::lost: return "lost";
    case host_event_kind::fenced: return "fenced";
    case host_event_kind::taken_over: return "taken_over";
  }
  return "unknown";
}

} // namespace mesos_actor
