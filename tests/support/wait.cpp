#include "support/wait.hpp"

#include <caf/scoped_actor.hpp>

namespace test {

std::optional<caf::error> wait_exit(caf::actor_system& sys, const caf::actor& actor,
                                    std::chrono::milliseconds timeout) {
  caf::scoped_actor self{sys};
  self->monitor(actor);
  std::optional<caf::error> reason;
  self->receive([&](caf::down_msg& m) { reason = m.reason; },
                caf::after(timeout) >> [] {});
  return reason;
}

std::vector<mesos_actor::sim::request_record>
calls_of(const mesos_actor::sim::cluster& sim, mesos::v1::scheduler::Call::Type type) {
  std::vector<mesos_actor::sim::request_record> out;
  for (auto& r : sim.requests())
    if (r.call && r.call->type() == type)
      out.push_back(r);
  return out;
}

std::optional<mesos_actor::sim::request_record>
wait_call(const mesos_actor::sim::cluster& sim, mesos::v1::scheduler::Call::Type type,
          std::chrono::milliseconds timeout, std::size_t min_count) {
  std::optional<mesos_actor::sim::request_record> found;
  sim.wait_for(
    [&] {
      auto list = calls_of(sim, type);
      if (list.size() < min_count)
        return false;
      found = list.back();
      return true;
    },
    timeout);
  return found;
}

} // namespace test
