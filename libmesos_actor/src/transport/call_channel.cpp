#include "transport/call_channel.hpp"

#include <httplib.h>

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/send.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/tls_setup.hpp"

namespace mesos_actor::transport {

namespace {

call_result post(httplib::Client& cli, connection_security& security,
                 const call_channel_config& cfg, const call_request& req,
                 const httplib::Headers& base_headers) {
  call_result out;
  out.generation = cfg.generation;
  out.call_id = req.call_id;
  auto headers = base_headers;
  if (!req.stream_id.empty())
    headers.emplace("Mesos-Stream-Id", req.stream_id);
  auto media = std::string{media_type(cfg.http.encoding)};
  if (!security.failure().empty()) {
    out.transport_error = security.failure();
    return out;
  }
  auto res = cli.Post(cfg.http.target.path.c_str(), headers, req.body, media.c_str());
  if (!res) {
    out.transport_error = security.explain(res.error());
    out.timed_out = res.error() == httplib::Error::ConnectionTimeout
                    || res.error() == httplib::Error::Read;
    return out;
  }
  out.status = res->status;
  out.body = res->body.substr(0, cfg.http.max_error_body);
  return out;
}

void run_call_channel(caf::blocking_actor* self, caf::actor owner, call_channel_config cfg) {
  httplib::Client cli{cfg.http.target.base_url()};
  cli.set_connection_timeout(cfg.http.connect_timeout);
  cli.set_read_timeout(cfg.http.read_timeout);
  cli.set_write_timeout(cfg.http.write_timeout);
  cli.set_tcp_nodelay(true);
  cli.set_keep_alive(true);
  cli.set_follow_location(false);
  connection_security security{cli, cfg.http}; // TLS set-up; this channel's Authorization
  httplib::Headers headers;
  headers.emplace("Accept", std::string{media_type(cfg.http.encoding)});
  for (auto& [name, value] : security.headers())
    headers.emplace(name, value);
  bool running = true;
  self->receive_while(running)(
    [&](call_request& req) {
      caf::anon_send(owner, post(cli, security, cfg, req, headers));
    },
    [&](stop_atom) { running = false; },
    [&](caf::exit_msg&) { running = false; });
}

} // namespace

caf::actor spawn_call_channel(caf::actor_system& sys, caf::actor owner, call_channel_config cfg) {
  return sys.spawn(run_call_channel, std::move(owner), std::move(cfg));
}

} // namespace mesos_actor::transport
