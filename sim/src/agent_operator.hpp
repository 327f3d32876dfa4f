#pragma once
// The agents' operator API (POST /api/v1 and /slave(1)/api/v1 on every agent): the
// checks of Mesos's agent Http::api in its order (authentication in the realm
// mesos-agent-readwrite, 503 while recovering, method, media types, parsing,
// validation), then one answer per call type from the simulator's state. Runs on the
// agent server's threads and takes cluster::impl::mu_ itself.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <mesos/v1/agent/agent.pb.h>

#include "mesos_actor/sim/cluster.hpp"
#include "executor_manager.hpp"
#include "http_server.hpp"

namespace mesos_actor::sim {

struct agent_node;

class agent_operator_front {
public:
  explicit agent_operator_front(cluster::impl& cluster) : c_(cluster) {}

  /// Adds the routes to agent `agent`'s server (called on every start of it).
  void add_routes(std::size_t agent, http_routes& routes);
  void handle(std::size_t agent, const httplib::Request& req, httplib::Response& res);

private:
  /// HTTP status and an error text; a 200's Response goes to `out`. Caller holds mu_.
  using outcome = std::pair<int, std::string>;
  outcome dispatch(const agent_node& agent, std::vector<executor_view> executors,
                   const mesos::v1::agent::Call& call, mesos::v1::agent::Response& out);

  cluster::impl& c_;
};

} // namespace mesos_actor::sim
