#pragma once
// Views of a simulated cluster that the fleet tests and bench_fleet ask for again and again.

#include <cstddef>
#include <map>
#include <string>

#include <mesos_actor/sim/cluster.hpp>

namespace test {

/// Framework name (= the host's ref) -> the framework as the leading master sees it.
inline std::map<std::string, mesos_actor::sim::framework_state>
frameworks_by_name(const mesos_actor::sim::cluster& sim) {
  std::map<std::string, mesos_actor::sim::framework_state> out;
  for (auto& f : sim.frameworks())
    out[f.info.name()] = f;
  return out;
}

/// Tasks in TASK_RUNNING.
inline std::size_t running_tasks(const mesos_actor::sim::cluster& sim) {
  std::size_t n = 0;
  for (auto& t : sim.tasks())
    n += t.state == mesos::v1::TASK_RUNNING ? 1 : 0;
  return n;
}

/// Exactly n frameworks, all subscribed, and n tasks running.
inline bool all_subscribed(const mesos_actor::sim::cluster& sim, std::size_t n) {
  auto fws = sim.frameworks();
  if (fws.size() != n)
    return false;
  for (auto& f : fws)
    if (!f.subscribed)
      return false;
  return running_tasks(sim) == n;
}

} // namespace test
