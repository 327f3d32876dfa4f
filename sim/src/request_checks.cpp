// The checks shared by the v1 endpoints of masters and agents (request_checks.hpp).
#include "request_checks.hpp"

#include <strings.h>

#include "basic_auth.hpp"
#include "cluster_impl.hpp"
#include "http_server.hpp"

namespace mesos_actor::sim {

request_record start_record(server_kind server, std::size_t index, const httplib::Request& req) {
  request_record rec;
  rec.time = sim_clock::now();
  rec.server = server;
  rec.server_index = index;
  rec.method = req.method;
  rec.path = req.path;
  rec.pipelined = current_request_arrival().pipelined;
  rec.received = current_request_arrival().received;
  for (const auto& [k, v] : req.headers)
    rec.headers.emplace_back(k, strcasecmp(k.c_str(), "Authorization") == 0
                                  ? redact_authorization(v) : v);
  return rec;
}

std::variant<std::optional<std::string>, request_rejection>
authenticate_request(const cluster_options& opts, const httplib::Request& req,
                     httplib::Response& res, const char* realm) {
  if (opts.credentials.empty() && opts.bearer_tokens.empty())
    return std::optional<std::string>{};
  auto authorization = req.get_header_value("Authorization");
  auto principal = authenticate_basic(authorization, opts.credentials);
  if (!principal)
    principal = authenticate_bearer(authorization, opts.bearer_tokens);
  if (!principal) {
    auto scheme = opts.credentials.empty() ? "Bearer" : "Basic";
    res.set_header("WWW-Authenticate", std::string(scheme) + " realm=\"" + realm + "\"");
    return request_rejection{401, ""};
  }
  for (const auto& denied : opts.forbidden_principals)
    if (denied == *principal)
      return request_rejection{403, "Principal '" + denied + "' is not authorized"};
  return principal;
}

std::optional<request_rejection> require_post(const httplib::Request& req,
                                              httplib::Response& res) {
  if (req.method == "POST")
    return std::nullopt;
  res.set_header("Allow", "POST");
  return request_rejection{
    405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '" + req.method + "'."};
}

std::variant<content_type, request_rejection>
body_media_type(const httplib::Request& req, std::string_view unsupported_text) {
  if (!req.has_header("Content-Type"))
    return request_rejection{400, "Expecting 'Content-Type' to be present"};
  auto body_type = parse_content_type(req.get_header_value("Content-Type"));
  if (!body_type)
    return request_rejection{415, std::string(unsupported_text)};
  return *body_type;
}

std::variant<admitted_request, request_rejection>
check_master_request(cluster::impl& c, std::size_t master, const httplib::Request& req,
                     httplib::Response& res, const char* realm, const char* long_path) {
  // 1. Authentication (before the handler, as libprocess does).
  auto who = authenticate_request(c.opts_, req, res, realm);
  if (auto* rejected = std::get_if<request_rejection>(&who))
    return *rejected;

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

  // 3. Method, 4. Content-Type.
  if (auto rejected = require_post(req, res))
    return *rejected;
  auto body_type = body_media_type(req);
  if (auto* rejected = std::get_if<request_rejection>(&body_type))
    return *rejected;
  return admitted_request{std::move(std::get<std::optional<std::string>>(who)),
                          std::get<content_type>(body_type)};
}

void finish_operator_request(cluster::impl& c, const std::string& who, const httplib::Request& req,
                             httplib::Response& res, request_record& rec, int status,
                             const std::string& body) {
  res.status = status;
  if (!body.empty())
    res.set_content(body, "text/plain; charset=utf-8");
  rec.status = status;
  if (status >= 300)
    c.log(who + ": operator " + req.method + " " + req.path + " -> " + std::to_string(status) +
          (body.empty() ? "" : " (" + body + ")"));
  c.record_request(std::move(rec));
}

} // namespace mesos_actor::sim
