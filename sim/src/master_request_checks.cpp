// The checks shared by the master's v1 endpoints (master_request_checks.hpp).
#include "master_request_checks.hpp"

#include <strings.h>

#include "basic_auth.hpp"
#include "cluster_impl.hpp"

namespace mesos_actor::sim {

request_record start_master_record(std::size_t master, const httplib::Request& req) {
  request_record rec;
  rec.time = sim_clock::now();
  rec.server = server_kind::master;
  rec.server_index = master;
  rec.method = req.method;
  rec.path = req.path;
  for (const auto& [k, v] : req.headers)
    rec.headers.emplace_back(k, strcasecmp(k.c_str(), "Authorization") == 0
                                  ? redact_authorization(v) : v);
  return rec;
}

std::variant<admitted_request, request_rejection>
check_master_request(cluster::impl& c, std::size_t master, const httplib::Request& req,
                     httplib::Response& res, const char* realm, const char* long_path) {
  // 1. Authentication (before the handler, as libprocess does).
  std::optional<std::string> principal;
  if (!c.opts_.credentials.empty() || !c.opts_.bearer_tokens.empty()) {
    auto authorization = req.get_header_value("Authorization");
    principal = authenticate_basic(authorization, c.opts_.credentials);
    if (!principal)
      principal = authenticate_bearer(authorization, c.opts_.bearer_tokens);
    if (!principal) {
      auto scheme = c.opts_.credentials.empty() ? "Bearer" : "Basic";
      res.set_header("WWW-Authenticate", std::string(scheme) + " realm=\"" + realm + "\"");
      return request_rejection{401, ""};
    }
    for (const auto& denied : c.opts_.forbidden_principals)
      if (denied == *principal)
        return request_rejection{403, "Principal '" + denied + "' is not authorized"};
  }

  // 2. Leadership.
  std::optional<std::size_t> leader;
  std::string location;
  {
    std::lock_guard<std::mutex> lk(c.mu_);
    leader = c.leader_;
    if (leader && *leader != master)
      location = "//" + c.hostname() + ":" + std::to_string(c.masters_[*leader].info.port()) +
                 long_path;
  }
  if (!leader)
    return request_rejection{503, "No leader elected"};
  if (*leader != master) {
    res.set_header("Location", location);
    return request_rejection{307, ""};
  }

  // 3. Method.
  if (req.method != "POST") {
    res.set_header("Allow", "POST");
    return request_rejection{
      405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '" + req.method + "'."};
  }

  // 4. Content-Type.
  if (!req.has_header("Content-Type"))
    return request_rejection{400, "Expecting 'Content-Type' to be present"};
  auto body_type = parse_content_type(req.get_header_value("Content-Type"));
  if (!body_type)
    return request_rejection{
      415, "Expecting 'Content-Type' of application/json or application/x-protobuf"};
  return admitted_request{std::move(principal), *body_type};
}

} // namespace mesos_actor::sim
