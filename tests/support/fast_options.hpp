#pragma once
// The options every test and benchmark starts from: an actor system with the "mesos"
// error category, scheduler and simulator options with short timeouts so that
// failures and retries happen within a test's time, and a hosted framework's restart policy. A suite changes only what its
// cases are about, on the returned value.

#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>

#include "mesos_actor/host.hpp"
#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"

namespace test {

struct system_config : caf::actor_system_config {
  system_config();
};

/// Scheduler options aimed at `masters`: small timeouts and backoff, logging off unless
/// the environment variable SCHED_TEST_LOG is set.
mesos_actor::scheduler_options fast_options(std::vector<std::string> masters,
                                            mesos_actor::content_type ct = mesos_actor::content_type::protobuf);

/// Simulator options with a short heartbeat and fast allocation; acknowledged updates
/// are never resent within a test.
mesos_actor::sim::cluster_options fast_cluster(std::size_t masters = 1);

/// The restart policy most hosted frameworks in tests use: `type`, `max_restarts` a
/// minute, 2 s to stop.
mesos_actor::restart_policy fast_policy(supervisor::restart_type type = supervisor::restart_type::transient,
                                        int max_restarts = 3);

} // namespace test
