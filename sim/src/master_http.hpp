#pragma once
// The master's HTTP front: the scheduler API routes, the checks of
// Master::Http::scheduler in Mesos's order (PROTOCOL.md section 5), and the faults
// injected there (delayed or failing responses). Runs on the server's threads, takes
// cluster::impl::mu_ itself.

#include <atomic>
#include <cstddef>
#include <cstdint>

#include <httplib.h>

#include "mesos_actor/sim/cluster.hpp"
#include "http_server.hpp"

namespace mesos_actor::sim {

class master_http_front {
public:
  explicit master_http_front(cluster::impl& cluster) : c_(cluster) {}

  /// The routes of master `master` (and the control endpoint's, when enabled).
  void add_routes(std::size_t master, http_routes& routes);
  void handle_scheduler(std::size_t master, const httplib::Request& req, httplib::Response& res);

  // faults
  std::atomic<std::int64_t> response_delay_ms{0};
  std::atomic<std::size_t> failing_calls{0};
  std::atomic<int> failing_status{503};

private:
  cluster::impl& c_;
};

} // namespace mesos_actor::sim
