#include "support/fast_options.hpp"

#include <cstdlib>

#include "mesos_actor/errors.hpp"

namespace test {

using namespace std::chrono_literals;

system_config::system_config() {
  mesos_actor::add_error_category(*this);
}

mesos_actor::scheduler_options fast_options(std::vector<std::string> masters,
                                            mesos_actor::content_type ct) {
  mesos_actor::scheduler_options o;
  o.master_hosts = std::move(masters);
  o.content = ct;
  o.heartbeat_timeout_window = 300ms;
  o.subscribe_timeout = 2000ms;
  o.backoff_initial = 10ms;
  o.backoff_max = 50ms;
  o.connect_timeout = 1000ms;
  o.request_timeout = 3000ms;
  o.stream_read_timeout = 5000ms;
  if (!std::getenv("SCHED_TEST_LOG"))
    o.logging.min_level = mesos_actor::log_level::off;
  return o;
}

mesos_actor::sim::cluster_options fast_cluster(std::size_t masters) {
  mesos_actor::sim::cluster_options o;
  o.masters = masters;
  o.heartbeat_interval = 200ms;
  o.allocation_interval = 50ms;
  o.default_refuse = 100ms;
  // Long enough that an acknowledged update is never resent within a test.
  o.update_retry_initial = 5s;
  o.update_retry_max = 10s;
  o.kill_grace_period = 200ms;
  return o;
}

mesos_actor::restart_policy fast_policy(supervisor::restart_type type, int max_restarts) {
  mesos_actor::restart_policy p;
  p.restart = type;
  p.max_restarts = max_restarts;
  p.period = 60s;
  p.shutdown_timeout = 2s;
  return p;
}

} // namespace test
