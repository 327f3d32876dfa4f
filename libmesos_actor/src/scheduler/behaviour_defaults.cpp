#include <cstdlib>
#include <ostream>

#include "mesos_actor/scheduler/call_outcome.hpp"
#include "mesos_actor/scheduler/context.hpp"
#include "mesos_actor/scheduler/behaviour.hpp"

namespace mesos_actor {

caf::expected<mesos::v1::FrameworkInfo>
scheduler::init(const std::optional<std::string>& previous_id) {
  mesos::v1::FrameworkInfo info;
  const char* user = std::getenv("USER");
  info.set_user(user != nullptr && *user != '\0' ? user : "nobody");
  info.set_name("mesos-actor");
  if (previous_id)
    info.mutable_id()->set_value(*previous_id);
  return info;
}

const char* to_string(scheduler_state s) {
  switch (s) {
    case scheduler_state::subscribing: return "subscribing";
    case scheduler_state::subscribed: return "subscribed";
    case scheduler_state::disconnected: return "disconnected";
    case scheduler_state::resubscribing: return "resubscribing";
    case scheduler_state::stopped: return "stopped";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, scheduler_state s) {
  return out << to_string(s);
}

} // namespace mesos_actor
