#include "transport/call_channel.hpp"

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/system_messages.hpp>
#include <caf/send.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/exit_reason.hpp"
#include "transport/http_connection.hpp"

namespace mesos_actor::transport {

namespace {

// One call on the channel's keep-alive connection.
//
// A call is never sent twice if it may have reached the peer. So a connection is
// replaced without a word only before any byte of the request left this host: when
// the idle connection is seen closed (or holding bytes nobody asked for) before the
// write, or when the kernel took nothing of the request on a reused connection.
// Once any byte was written, every failure is the call's transport error.
call_result post(http_connection& conn, const call_channel_config& cfg, const call_request& req) {
  call_result out;
  out.generation = cfg.generation;
  out.call_id = req.call_id;
  auto fail = [&](const io_failure& f) {
    conn.close();
    out.transport_error = f.text;
    out.timed_out = f.timed_out();
    return out;
  };
  auto headers = conn.headers();
  if (!req.stream_id.empty())
    headers.emplace_back("Mesos-Stream-Id", req.stream_id);
  auto request = format_post(cfg.http.target, cfg.http.encoding, headers, req.body, true,
                             conn.absolute_form());

  bool reused = conn.is_open();
  if (reused && !conn.idle_and_usable()) {
    conn.close();
    reused = false;
  }
  if (auto f = conn.open())
    return fail(*f);
  // The whole exchange has one deadline: a peer dribbling bytes cannot stretch it.
  auto deadline = http_connection::clock::now() + cfg.http.read_timeout;
  auto written = conn.write(request, deadline);
  if (written && reused && conn.bytes_written() == 0 && written->what == io_failure::kind::closed) {
    conn.close(); // the peer closed the idle connection first; nothing was sent
    if (auto f = conn.open())
      return fail(*f);
    written = conn.write(request, deadline);
  }
  if (written)
    return fail(*written);

  const auto& limits = cfg.http.limits;
  http_response_parser parser{limits, limits.max_call_response_body};
  auto read = conn.read_response(parser, deadline, std::chrono::milliseconds{0}, nullptr,
                                 [&](std::string_view piece) {
                                   auto room = cfg.http.max_error_body
                                               - std::min(cfg.http.max_error_body, out.body.size());
                                   out.body.append(piece.substr(0, room));
                                   return true;
                                 });
  if (read) {
    out.body.clear();
    return fail(*read);
  }
  out.status = parser.head().status;
  if (!parser.reusable() || conn.has_unread())
    conn.close(); // "Connection: close", a body ended by the close, or unasked bytes
  return out;
}

// The channel's actor. A non-normal exit signal cancels the exchange in flight at once
// (enqueue runs on the sender's thread) and ends the channel with that reason, with no
// call_result for the calls it cut short or had not sent (a linked owner sees the exit); its
// owner's normal exit arrives after the calls the owner sent before it, so those still
// go out, and then ends the channel too.
class call_channel_actor : public caf::blocking_actor {
public:
  call_channel_actor(caf::actor_config& actor_cfg, caf::actor owner, call_channel_config cfg)
    : caf::blocking_actor(actor_cfg), owner_(std::move(owner)), cfg_(std::move(cfg)) {
  }

  void enqueue(caf::mailbox_element_ptr x, caf::execution_unit* host) override {
    if (x && x->content().match_elements<caf::exit_msg>()
        && x->content().get_as<caf::exit_msg>(0).reason)
      cancel_->cancel();
    caf::blocking_actor::enqueue(std::move(x), host);
  }

  void act() override {
    http_connection conn{cfg_.http, cancel_}; // TLS set-up; this channel's Authorization
    bool running = true;
    receive_while(running)(
      [&](call_request& req) {
        auto result = post(conn, cfg_, req);
        // After an exit signal cut it short, the owner learns of it from the exit.
        if (!cancel_->cancelled())
          caf::anon_send(owner_, std::move(result));
      },
      [&](stop_atom) { running = false; },
      [&](caf::exit_msg& m) {
        if (m.reason) {
          fail_state(linkable_exit_reason(m.reason)); // linked actors see why it ended
          running = false;
        } else if (m.source == owner_.address()) {
          running = false;
        }
      });
  }

private:
  caf::actor owner_;
  call_channel_config cfg_;
  std::shared_ptr<connection_cancel> cancel_ = std::make_shared<connection_cancel>();
};

} // namespace

caf::actor spawn_call_channel(caf::actor_system& sys, caf::actor owner, call_channel_config cfg) {
  return sys.spawn<call_channel_actor>(std::move(owner), std::move(cfg));
}

} // namespace mesos_actor::transport
