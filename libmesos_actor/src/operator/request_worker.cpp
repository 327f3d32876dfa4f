#include "operator/request_worker.hpp"

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/send.hpp>

#include "mesos_actor/message_types.hpp"

namespace mesos_actor::operator_api {

namespace {

using transport::http_connection;
using transport::io_failure;

struct worker {
  transport::http_settings http;
  std::size_t max_body;
  std::shared_ptr<transport::connection_cancel> cancel;
  std::unique_ptr<http_connection> conn;

  http_connection& connection_to(const endpoint& target) {
    if (!conn || conn->settings().target != target) {
      auto settings = http;
      settings.target = target;
      conn = std::make_unique<http_connection>(std::move(settings), cancel);
    }
    return *conn;
  }

  // A request is retried on a fresh connection only when nothing of it was written
  // (the peer closed the idle keep-alive connection first): never sent twice.
  worker_reply post(const worker_request& req) {
    worker_reply out;
    out.id = req.id;
    auto& c = connection_to(req.target);
    auto fail = [&](const io_failure& f, bool never_sent) {
      c.close();
      out.transport_error = f.text;
      out.timed_out = f.timed_out();
      out.never_sent = never_sent;
      return out;
    };
    if (!c.setup_failure().empty()) {
      out.transport_error = c.setup_failure();
      out.never_sent = true;
      return out;
    }
    bool reused = c.is_open();
    if (reused && !c.idle_and_usable()) {
      c.close();
      reused = false;
    }
    if (auto f = c.open())
      return fail(*f, true);
    auto request = transport::format_post(req.target, http.encoding, c.headers(), req.body, true);
    auto deadline = http_connection::clock::now() + http.read_timeout;
    auto written = c.write(request, deadline);
    if (written && reused && c.bytes_written() == 0 && written->what == io_failure::kind::closed) {
      c.close();
      if (auto f = c.open())
        return fail(*f, true);
      written = c.write(request, deadline);
    }
    if (written)
      return fail(*written, c.bytes_written() == 0);
    transport::http_response_parser parser{http.limits, max_body, false, "max_response_body"};
    auto read = c.read_response(parser, deadline, std::chrono::milliseconds{0}, nullptr,
                                [&](std::string_view piece) {
                                  out.body.append(piece);
                                  return true;
                                });
    if (read) {
      out.body.clear();
      return fail(*read, false);
    }
    const auto& head = parser.head();
    out.status = head.status;
    out.location = head.get("Location");
    out.content_type = head.get("Content-Type");
    if (!parser.reusable() || c.has_unread())
      c.close();
    return out;
  }
};

void run_worker(caf::blocking_actor* self, caf::actor owner, worker w) {
  bool running = true;
  self->receive_while(running)(
    [&](worker_request& req) { caf::anon_send(owner, w.post(req)); },
    [&](stop_atom) { running = false; },
    [&](caf::exit_msg&) { running = false; });
}

} // namespace

caf::actor spawn_request_worker(caf::actor_system& sys, caf::actor owner,
                                transport::http_settings http, std::size_t max_response_body,
                                std::shared_ptr<transport::connection_cancel> cancel) {
  worker w{std::move(http), max_response_body, std::move(cancel), nullptr};
  return sys.spawn<caf::detached>(run_worker, std::move(owner), std::move(w));
}

} // namespace mesos_actor::operator_api
