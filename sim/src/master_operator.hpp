#pragma once
// The master's operator API (POST /api/v1 and /master/api/v1): the checks of
// Master::Http::api in Mesos's order (authentication, leadership, method, media
// types, parsing, validation), then one handler per call type. Answers 200 with a
// Response in the Accept type, or 200 with no body for calls without a result.
// Runs on the server's threads, takes cluster::impl::mu_ itself.

#include <cstddef>
#include <string>
#include <utility>

#include <httplib.h>
#include <mesos/v1/master/master.pb.h>

#include "mesos_actor/sim/cluster.hpp"
#include "http_server.hpp"

namespace mesos_actor::sim {

class master_operator_front {
public:
  explicit master_operator_front(cluster::impl& cluster) : c_(cluster) {}

  void add_routes(std::size_t master, http_routes& routes);
  void handle(std::size_t master, const httplib::Request& req, httplib::Response& res);

private:
  /// HTTP status and an error text; a 200's Response goes to `out` (left empty, with no
  /// type, for calls without a result). Caller holds mu_.
  using outcome = std::pair<int, std::string>;
  outcome dispatch(std::size_t master, const mesos::v1::master::Call& call,
                   mesos::v1::master::Response& out);
  outcome update_maintenance_schedule(const mesos::v1::master::Call& call);
  outcome start_maintenance(const mesos::v1::master::Call& call);
  outcome stop_maintenance(const mesos::v1::master::Call& call);
  outcome update_quota(const mesos::v1::master::Call& call);

  cluster::impl& c_;
};

} // namespace mesos_actor::sim
