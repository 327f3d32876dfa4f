#pragma once
// The checks a v1 endpoint makes before it reads the call, as libprocess and Mesos make
// them (PROTOCOL.md section 5), in pieces: authentication (401 naming the endpoint's
// realm, 403 for a forbidden principal), method (405), Content-Type (400 when absent,
// 415 when not a Mesos media type). Masters add leadership (503 without a leader, 307
// to the leader) between authentication and method: check_master_request. The master's
// scheduler and operator fronts and the agents' operator front share them so that all
// answer alike.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
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

/// The 415 text of the master's endpoints (the agent's also names application/recordio).
inline constexpr std::string_view master_media_types_text =
  "Expecting 'Content-Type' of application/json or application/x-protobuf";

/// The trace record of a request to `server` number `index`, its Authorization header
/// redacted.
request_record start_record(server_kind server, std::size_t index, const httplib::Request& req);

/// Authentication when the options ask for it (credentials or bearer tokens): the
/// principal, or 401 with WWW-Authenticate naming `realm`, or 403 for a forbidden
/// principal. Without authentication: no principal.
std::variant<std::optional<std::string>, request_rejection>
authenticate_request(const cluster_options& opts, const httplib::Request& req,
                     httplib::Response& res, const char* realm);

/// 405 (with Allow: POST) unless the method is POST.
std::optional<request_rejection> require_post(const httplib::Request& req, httplib::Response& res);

/// The body's media type: 400 without a Content-Type, 415 with `unsupported_text` when
/// it is neither Mesos media type.
std::variant<content_type, request_rejection>
body_media_type(const httplib::Request& req,
                std::string_view unsupported_text = master_media_types_text);

/// Every check of master `master` in order: authentication, leadership, method,
/// Content-Type. `realm` is the endpoint's authentication realm, `long_path` the path a
/// 307 points the client to on the leader. Takes cluster::impl::mu_.
std::variant<admitted_request, request_rejection>
check_master_request(cluster::impl& c, std::size_t master, const httplib::Request& req,
                     httplib::Response& res, const char* realm, const char* long_path);

/// The end of an operator request: `status` with a text body on `res`, a refusal
/// (status >= 300) logged as "<who>: operator METHOD PATH -> STATUS (text)", and the
/// request's trace record kept.
void finish_operator_request(cluster::impl& c, const std::string& who, const httplib::Request& req,
                             httplib::Response& res, request_record& rec, int status,
                             const std::string& body);

} // namespace mesos_actor::sim
