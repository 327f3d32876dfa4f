#pragma once
// The fleet's ZooKeeper I/O actor: holds the two ZooKeeper handles of a host's fleet
// (RAII: closed when the actor ends), the owner session (this host's ephemeral nodes and
// every write) and the read session (the reads of the fleet and their watches), and
// makes the synchronous reads and writes of the fleet's nodes on its own detached
// thread, so the coordinator never blocks. Session and watch events go straight from
// ZooKeeper's threads to the coordinator.

#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "fleet/fleet_metrics.hpp"
#include "fleet/lease.hpp"
#include "mesos_actor/detector/zk_url.hpp"

namespace mesos_actor::fleet {

struct zk_io_config {
  zk_url url;
  std::string root;
  std::string host_name;
  std::size_t capacity = 1;
  std::chrono::milliseconds session_timeout{6000};
  std::shared_ptr<lease> lease_clock;
  std::shared_ptr<fleet_counters> counters;
};

/// Spawns it detached; it opens its first session at once (a new one on reopen_atom) and reports
/// every session to `coordinator` (session_open_atom, then zk_session_atom events).
caf::actor spawn_zk_io(caf::actor_system& sys, zk_io_config cfg, const caf::actor& coordinator);

} // namespace mesos_actor::fleet
