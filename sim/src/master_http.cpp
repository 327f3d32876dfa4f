// The master's HTTP front (master_http.hpp): routing and the checks of
// Master::Http::scheduler in Mesos's order (PROTOCOL.md section 5), then dispatch to
// SUBSCRIBE or the calls.
#include "cluster_impl.hpp"

#include <thread>

#include "mesos_actor/codec/message_codec.hpp"
#include "basic_auth.hpp"
#include "call_validation.hpp"
#include "request_checks.hpp"

namespace mesos_actor::sim {

namespace {
constexpr const char* long_path = "/master/api/v1/scheduler";
constexpr const char* short_path = "/api/v1/scheduler";

void set_text(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  if (!body.empty())
    res.set_content(body, "text/plain; charset=utf-8");
}
} // namespace

void master_http_front::add_routes(std::size_t master, http_routes& routes) {
  auto handler = [this, master](const httplib::Request& req, httplib::Response& res) {
    handle_scheduler(master, req, res);
  };
  routes.handle(short_path, handler);
  routes.handle(long_path, handler);
  if (c_.opts_.control_endpoint)
    c_.setup_control_routes(routes);
}

void master_http_front::handle_scheduler(std::size_t master, const httplib::Request& req,
                                         httplib::Response& res) {
  request_record rec = start_record(server_kind::master, master, req);
  auto finish = [&](int status, const std::string& body) {
    set_text(res, status, body);
    rec.status = status;
    if (status >= 300)
      c_.log("master " + std::to_string(master) + ": " + req.method + " " + req.path + " -> " +
          std::to_string(status) + (body.empty() ? "" : " (" + body + ")"));
    c_.record_request(std::move(rec));
  };

  if (auto delay = response_delay_ms.load(); delay > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));

  for (auto n = failing_calls.load(); n > 0;) {
    if (failing_calls.compare_exchange_weak(n, n - 1)) {
      int status = failing_status.load();
      if (status == 401)
        res.set_header("WWW-Authenticate", std::string("Basic realm=\"") + scheduler_realm + "\"");
      finish(status, "injected failure");
      return;
    }
  }

  // 1.-5. Authentication, leadership, method, Content-Type.
  auto checked = check_master_request(c_, master, req, res, scheduler_realm, long_path);
  if (auto* rejected = std::get_if<request_rejection>(&checked)) {
    finish(rejected->status, rejected->body);
    return;
  }
  auto& admitted = std::get<admitted_request>(checked);
  const auto& principal = admitted.principal;
  auto body_type = admitted.body_type;
  rec.body_type = body_type;
  mesos::v1::scheduler::Call call;
  if (auto err = decode(req.body, body_type, call)) {
    finish(400, "Failed to parse body into Call protobuf: " + err->message);
    return;
  }
  rec.call = call;

  // 6. Validation.
  if (auto err = validate_call(call, principal)) {
    finish(400, "Failed to validate scheduler::Call: " + *err);
    return;
  }

  // 7. Accept, for the calls that answer with a body.
  using Call = mesos::v1::scheduler::Call;
  std::optional<content_type> accept = content_type::json;
  if (call.type() == Call::SUBSCRIBE || call.type() == Call::RECONCILE_OPERATIONS) {
    accept = negotiate_accept(req.get_header_value("Accept"));
    if (!accept) {
      finish(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
      return;
    }
  }

  // 8. SUBSCRIBE.
  if (call.type() == Call::SUBSCRIBE) {
    if (req.has_header("Mesos-Stream-Id")) {
      finish(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
      return;
    }
    {
      cluster::impl::state_lock lk(c_);
      rec.stream_id = c_.subscribe(master, call, principal ? *principal : std::string{}, *accept, res);
    }
    res.status = 200;
    rec.status = 200;
    c_.record_request(std::move(rec));
    return;
  }

  // 9. Other calls.
  rec.stream_id = req.get_header_value("Mesos-Stream-Id");
  int status = 0;
  std::string body;
  {
    cluster::impl::state_lock lk(c_);
    auto it = c_.state_.frameworks.find(call.framework_id().value());
    if (it == c_.state_.frameworks.end()) {
      status = 400;
      body = "Framework cannot be found";
    } else if (principal && it->second.principal != *principal) {
      status = 400;
      body = "Authenticated principal '" + *principal + "' does not match principal '" +
             it->second.principal + "' set in `FrameworkInfo`";
    } else if (!it->second.stream) {
      status = 403;
      body = "Framework is not subscribed";
    } else if (!req.has_header("Mesos-Stream-Id")) {
      status = 400;
      body = "All non-subscribe calls should include the 'Mesos-Stream-Id' header";
    } else if (rec.stream_id != it->second.stream->id()) {
      status = 400;
      body = "The stream ID '" + rec.stream_id + "' included in this request didn't match the "
             "stream ID currently associated with framework ID " + it->first;
    } else if (call.type() == Call::UNKNOWN) {
      status = 501;
    } else {
      std::tie(status, body) = c_.handle_call(it->second, call);
    }
  }
  finish(status, body);
}

} // namespace mesos_actor::sim
