// The operator client actor (mesos_actor/operator/client.hpp): queues calls, sends them
// one at a time through its request worker to the leading master (following 307s,
// moving on to the next master when one cannot be reached or has no leader), and
// answers each caller with the decoded Response or an error.
#include "mesos_actor/operator/client.hpp"

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/message_types.hpp"
#include "operator/request_worker.hpp"
#include "scheduler/master_rotation.hpp"

namespace mesos_actor::operator_api {

namespace {

/// A call waits this long at most for a leader when no master is known (zk://).
using leader_wait_atom = caf::atom_constant<caf::atom("op_leader")>;

// How much of an error answer's body goes into the error's detail.
constexpr std::size_t max_detail_body = 1024;

struct pending_call {
  std::uint64_t id = 0;
  std::string name; ///< the call type, for error texts
  std::string body; ///< encoded
  caf::response_promise promise;
  /// Decodes a 200's body and delivers the Response (master or agent).
  std::function<void(const worker_reply&, caf::response_promise&)> answer;
  std::size_t attempts = 0; ///< masters that could not take it
};

struct client_state {
  client_options opts;
  master_rotation rotation{{}, 0};
  bool zookeeper = false;
  bool leader_known = false;
  std::string no_leader_why = "no answer from the master detector yet";
  caf::actor worker;
  caf::actor detector;
  std::shared_ptr<transport::connection_cancel> cancel;
  std::deque<pending_call> queue;
  std::optional<pending_call> in_flight;
  std::uint64_t next_id = 1;
  static inline const char* name = "operator_client";
};

using client_actor = caf::stateful_actor<client_state>;

// Decodes a Response of type R from a 200 answer: an empty body is a call without a
// result (a Response with no type).
template <class R>
void answer_with(const worker_reply& reply, caf::response_promise& rp, const std::string& name) {
  R response;
  if (!reply.body.empty()) {
    auto type = parse_content_type(reply.content_type);
    if (!type) {
      rp.deliver(make_error(errc::protocol_error, name + ": answer of unknown Content-Type '"
                                                    + reply.content_type + "'"));
      return;
    }
    if (auto err = decode(reply.body, *type, response)) {
      rp.deliver(make_error(errc::decode_error, name + ": " + err->message));
      return;
    }
  }
  rp.deliver(std::move(response));
}

caf::error answer_error(const pending_call& c, const worker_reply& r) {
  if (r.status == 0)
    return make_error(r.timed_out ? errc::timeout : errc::transport_error,
                      c.name + ": " + r.transport_error);
  auto detail = c.name + ": HTTP " + std::to_string(r.status);
  if (!r.body.empty())
    detail += ": " + r.body.substr(0, max_detail_body);
  bool denied = r.status == 401 || r.status == 403;
  return make_error(denied ? errc::unauthorized : errc::rejected, std::move(detail));
}

void pump(client_actor* self);

void finish(client_actor* self) {
  self->state.in_flight.reset();
  pump(self);
}

void send_in_flight(client_actor* self) {
  auto& c = *self->state.in_flight;
  self->send(self->state.worker, worker_request{c.id, self->state.rotation.current(), c.body});
}

void pump(client_actor* self) {
  auto& st = self->state;
  if (st.in_flight || st.queue.empty())
    return;
  if (st.zookeeper && !st.leader_known)
    return; // each queued call has its leader_wait timer
  st.in_flight = std::move(st.queue.front());
  st.queue.pop_front();
  send_in_flight(self);
}

void on_reply(client_actor* self, worker_reply& r) {
  auto& st = self->state;
  if (!st.in_flight || st.in_flight->id != r.id)
    return;
  auto& c = *st.in_flight;
  if (r.status == 200) {
    st.rotation.succeeded();
    c.answer(r, c.promise);
    return finish(self);
  }
  if (r.status == 307) {
    if (auto err = st.rotation.redirect(r.location)) {
      st.rotation.advance();
      c.promise.deliver(make_error(*error_code(err), c.name + ": " + error_detail(err)));
      return finish(self);
    }
    return send_in_flight(self);
  }
  // Not taken by this master, and not acted upon: the next master may take it.
  bool untouched = (r.status == 0 && r.never_sent) || r.status == 503;
  if (untouched && !st.zookeeper && ++c.attempts < st.rotation.size()) {
    st.rotation.advance();
    return send_in_flight(self);
  }
  if (r.status != 0)
    st.rotation.succeeded();
  c.promise.deliver(answer_error(c, r));
  finish(self);
}

template <class Call, class Response>
caf::response_promise enqueue(client_actor* self, const Call& call) {
  auto& st = self->state;
  pending_call c;
  c.id = st.next_id++;
  c.name = Call::Type_Name(call.type());
  c.body = encode(call, st.opts.encoding);
  c.promise = self->make_response_promise();
  c.answer = [name = c.name](const worker_reply& r, caf::response_promise& rp) {
    answer_with<Response>(r, rp, name);
  };
  auto rp = c.promise;
  if (st.zookeeper && !st.leader_known)
    self->delayed_send(self, st.opts.leader_timeout, leader_wait_atom::value, c.id);
  st.queue.push_back(std::move(c));
  pump(self);
  return rp; // answered when the call is done
}

void on_leader_wait(client_actor* self, std::uint64_t id) {
  auto& st = self->state;
  for (auto it = st.queue.begin(); it != st.queue.end(); ++it)
    if (it->id == id) {
      if (st.leader_known)
        return; // a leader came: the call goes out in its turn
      it->promise.deliver(make_error(
        errc::no_master_reachable,
        it->name + ": no leading master known after "
          + std::to_string(st.opts.leader_timeout.count()) + " ms (" + st.no_leader_why + ")"));
      st.queue.erase(it);
      return;
    }
}

void on_leader(client_actor* self, const master_leader& leader) {
  auto& st = self->state;
  st.leader_known = leader.has_leader;
  if (!leader.has_leader) {
    st.no_leader_why = leader.why;
    return;
  }
  endpoint e;
  e.scheme = st.opts.detector.master_scheme;
  e.host = leader.host;
  e.port = leader.port;
  e.path = operator_api_path;
  st.rotation.follow(std::move(e));
  pump(self);
}

caf::behavior client(client_actor* self, client_options opts, std::vector<endpoint> masters,
                     caf::actor detector) {
  auto& st = self->state;
  st.zookeeper = static_cast<bool>(detector);
  st.detector = detector;
  st.rotation = master_rotation{std::move(masters), opts.max_redirects};
  st.cancel = std::make_shared<transport::connection_cancel>();
  transport::http_settings http;
  http.encoding = opts.encoding;
  http.connect_timeout = opts.connect_timeout;
  http.read_timeout = opts.request_timeout;
  http.tls = opts.tls;
  http.auth = opts.auth;
  http.limits = opts.limits;
  st.worker = spawn_request_worker(self->system(), caf::actor_cast<caf::actor>(self),
                                   std::move(http), opts.max_response_body, st.cancel);
  self->link_to(st.worker);
  st.opts = std::move(opts);
  if (detector) {
    self->link_to(detector);
    self->send(detector, detector_subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  }
  // A call in flight ends at once with the actor (the worker is blocked in its I/O).
  self->attach_functor([cancel = st.cancel](const caf::error&) { cancel->cancel(); });
  return {
    [=](call_atom, const mesos::v1::master::Call& call) {
      return enqueue<mesos::v1::master::Call, mesos::v1::master::Response>(self, call);
    },
    [=](call_atom, const mesos::v1::agent::Call& call) {
      return enqueue<mesos::v1::agent::Call, mesos::v1::agent::Response>(self, call);
    },
    [=](worker_reply& r) { on_reply(self, r); },
    [=](const master_leader& leader) { on_leader(self, leader); },
    [=](leader_wait_atom, std::uint64_t id) { on_leader_wait(self, id); },
  };
}

} // namespace

caf::expected<caf::actor> spawn_client(caf::actor_system& sys, client_options opts) {
  if (auto err = validate(opts))
    return err;
  std::vector<endpoint> masters;
  caf::actor detector;
  if (is_zk_url(opts.targets.front())) {
    auto det = spawn_master_detector(sys, opts.targets.front(), opts.detector);
    if (!det)
      return std::move(det.error());
    detector = *det;
  } else {
    for (const auto& t : opts.targets)
      masters.push_back(*parse_endpoint(t, operator_api_path));
  }
  return sys.spawn(client, std::move(opts), std::move(masters), std::move(detector));
}

} // namespace mesos_actor::operator_api
