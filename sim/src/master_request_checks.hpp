#pragma once
// The checks every v1 endpoint of a master makes before it reads the call, in the
// order of libprocess and Mesos (PROTOCOL.md section 5): authentication (401 naming the
// endpoint's realm, 403 for a forbidden principal), leadership (503 without a leader,
// 307 to the leader), method (405), Content-Type (400 when absent, 415 when neither
// Mesos media type). The scheduler API (master_http) and the operator API
// (master_operator) share them so that both answer alike.

#include <cstddef>
#include <optional>
#include <string>
#include <variant>

#include <httplib.h>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "mesos_actor/sim/trace.hpp"

namespace mesos_actor::sim {

/// A request the checks turned away: the status and text to answer with (headers such
/// as WWW-Authenticate, Location or Allow are already set on the response).
struct request_rejection {
  int status;
  std::string body;
};

/// A request that passed: who sent it (when authentication is on) and its body's type.
struct admitted_request {
  std::optional<std::string> principal;
  content_type body_type;
};

/// The trace record of a request to master `master`, its Authorization header redacted.
request_record start_master_record(std::size_t master, const httplib::Request& req);

/// Runs the checks for master `master`. `realm` is the endpoint's authentication realm,
/// `long_path` the path a 307 points the client to on the leader. Takes cluster::impl::mu_.
std::variant<admitted_request, request_rejection>
check_master_request(cluster::impl& c, std::size_t master, const httplib::Request& req,
                     httplib::Response& res, const char* realm, const char* long_path);

} // namespace mesos_actor::sim
