// The operator event subscriber (mesos_actor/operator/subscriber.hpp): one reader per
// subscription attempt, a generation per attempt so late messages of an old one are
// dropped, 307s followed, failures backed off and counted.
#include "mesos_actor/operator/subscriber.hpp"

#include <random>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/calls.hpp"
#include "operator/event_reader.hpp"
#include "scheduler/backoff.hpp"
#include "scheduler/master_rotation.hpp"

namespace mesos_actor::operator_api {

namespace {

using Event = mesos::v1::master::Event;
/// (retry_atom, generation): the backoff after a failed attempt is over.
using retry_atom = caf::atom_constant<caf::atom("op_retry")>;

struct subscriber_state {
  subscriber_options opts;
  event_callbacks cb;
  master_rotation rotation{{}, 0};
  bool zookeeper = false;
  bool leader_known = false;
  std::uint64_t generation = 0;
  bool attempt_open = false;  ///< a reader is running for `generation`
  std::size_t failures = 0;   ///< attempts in a row without SUBSCRIBED
  /// The current attempt's cancel, shared with the exit hook that fires it.
  std::shared_ptr<std::shared_ptr<transport::connection_cancel>> cancel =
    std::make_shared<std::shared_ptr<transport::connection_cancel>>();
  std::mt19937_64 rng{std::random_device{}()};
  static inline const char* name = "operator_subscriber";
};

using subscriber_actor = caf::stateful_actor<subscriber_state>;

void attempt(subscriber_actor* self) {
  auto& st = self->state;
  if (st.zookeeper && !st.leader_known)
    return; // the detector's next leader starts it
  auto& cancel = *st.cancel;
  if (cancel)
    cancel->cancel(); // a reader still running for an older attempt ends now
  cancel = std::make_shared<transport::connection_cancel>();
  reader_job job;
  job.generation = ++st.generation;
  const auto& c = st.opts.connection;
  job.http.target = st.rotation.current();
  job.http.encoding = c.encoding;
  job.http.connect_timeout = c.connect_timeout;
  job.http.read_timeout = st.opts.stream_read_timeout;
  job.http.write_timeout = st.opts.write_timeout;
  job.http.tls = c.tls;
  job.http.auth = c.auth;
  job.http.limits = c.limits;
  job.body = encode(master_call(mesos::v1::master::Call::SUBSCRIBE), c.encoding);
  job.max_record_size = st.opts.max_record_size;
  job.cancel = cancel;
  st.attempt_open = true;
  spawn_event_reader(self->system(), caf::actor_cast<caf::actor>(self), std::move(job));
}

void dispatch(subscriber_actor* self, const Event& e) {
  auto& st = self->state;
  auto& cb = st.cb;
  switch (e.type()) {
    case Event::SUBSCRIBED:
      st.failures = 0;
      st.rotation.succeeded();
      if (cb.subscribed)
        cb.subscribed(e.subscribed());
      break;
    case Event::TASK_ADDED:
      if (cb.task_added)
        cb.task_added(e.task_added());
      break;
    case Event::TASK_UPDATED:
      if (cb.task_updated)
        cb.task_updated(e.task_updated());
      break;
    case Event::AGENT_ADDED:
      if (cb.agent_added)
        cb.agent_added(e.agent_added());
      break;
    case Event::AGENT_REMOVED:
      if (cb.agent_removed)
        cb.agent_removed(e.agent_removed());
      break;
    case Event::FRAMEWORK_ADDED:
      if (cb.framework_added)
        cb.framework_added(e.framework_added());
      break;
    case Event::FRAMEWORK_UPDATED:
      if (cb.framework_updated)
        cb.framework_updated(e.framework_updated());
      break;
    case Event::FRAMEWORK_REMOVED:
      if (cb.framework_removed)
        cb.framework_removed(e.framework_removed());
      break;
    case Event::HEARTBEAT:
      if (cb.heartbeat)
        cb.heartbeat();
      break;
    default:
      break; // an event type newer than these protos: nothing to call
  }
}

void on_end(subscriber_actor* self, const reader_end& end) {
  auto& st = self->state;
  if (end.generation != st.generation)
    return;
  st.attempt_open = false;
  if (!end.opened && end.status == 307) {
    if (!st.rotation.redirect(end.location))
      return attempt(self); // to the leader at once
  }
  errc code = errc::subscription_refused;
  std::string what = end.detail;
  if (end.malformed)
    code = errc::protocol_error;
  else if (end.opened || end.status == 0)
    code = end.timed_out ? errc::timeout : errc::transport_error;
  else if (end.status == 401 || end.status == 403)
    code = errc::unauthorized;
  if (!end.opened && end.status != 0)
    what = "HTTP " + std::to_string(end.status) + (what.empty() ? "" : ": " + what);
  auto why = make_error(code, what);
  if (st.cb.disconnected)
    st.cb.disconnected(why);
  ++st.failures;
  if (st.failures > st.opts.max_resubscribe) {
    auto reason = code == errc::unauthorized ? code : errc::resubscribe_exhausted;
    self->quit(make_error(reason, std::to_string(st.failures) + " attempts in a row failed, last: "
                                    + what));
    return;
  }
  if (!st.zookeeper && !end.opened)
    st.rotation.advance(); // not taken here: try the next master
  backoff_policy policy{st.opts.backoff_initial, st.opts.backoff_max, st.opts.backoff_jitter};
  self->delayed_send(self, backoff_delay(policy, st.failures, st.rng), retry_atom::value,
                     st.generation);
}

void on_leader(subscriber_actor* self, const master_leader& leader) {
  auto& st = self->state;
  bool had = st.leader_known;
  st.leader_known = leader.has_leader;
  if (!leader.has_leader)
    return; // the open stream (if any) ends on its own when the old leader steps down
  endpoint e;
  e.scheme = st.opts.connection.detector.master_scheme;
  e.host = leader.host;
  e.port = leader.port;
  e.path = operator_api_path;
  bool moved = e != st.rotation.current();
  st.rotation.follow(std::move(e));
  if (!had && !st.attempt_open)
    attempt(self);
  else if (moved)
    attempt(self); // a new leader: subscribe there (the old stream is cancelled)
}

caf::behavior subscriber(subscriber_actor* self, subscriber_options opts, event_callbacks cb,
                         std::vector<endpoint> masters, caf::actor detector) {
  auto& st = self->state;
  st.zookeeper = static_cast<bool>(detector);
  st.rotation = master_rotation{std::move(masters), opts.connection.max_redirects};
  st.opts = std::move(opts);
  st.cb = std::move(cb);
  self->attach_functor([slot = st.cancel](const caf::error&) {
    if (*slot)
      (*slot)->cancel(); // the reader's wait ends with us
  });
  if (detector) {
    self->link_to(detector);
    self->send(detector, detector_subscribe_atom::value, caf::actor_cast<caf::actor>(self));
  } else {
    attempt(self);
  }
  return {
    [=](reader_event& e) {
      if (e.generation == self->state.generation)
        dispatch(self, e.event);
    },
    [=](const reader_end& end) { on_end(self, end); },
    [=](retry_atom, std::uint64_t generation) {
      if (generation == self->state.generation && !self->state.attempt_open)
        attempt(self);
    },
    [=](const master_leader& leader) { on_leader(self, leader); },
  };
}

} // namespace

caf::error validate(const subscriber_options& o) {
  if (auto err = validate(o.connection))
    return err;
  auto bad = [](std::string what) { return make_error(errc::bad_option, std::move(what)); };
  if (o.stream_read_timeout.count() <= 0)
    return bad("stream_read_timeout must be positive");
  if (o.write_timeout.count() <= 0)
    return bad("write_timeout must be positive");
  if (o.backoff_initial.count() <= 0 || o.backoff_max < o.backoff_initial)
    return bad("backoff_initial must be positive and at most backoff_max");
  if (!(o.backoff_jitter >= 0 && o.backoff_jitter <= 1))
    return bad("backoff_jitter must be in [0,1]");
  if (o.max_record_size == 0)
    return bad("max_record_size must be positive");
  return caf::none;
}

caf::expected<caf::actor> spawn_subscriber(caf::actor_system& sys, subscriber_options opts,
                                           event_callbacks callbacks) {
  if (auto err = validate(opts))
    return err;
  std::vector<endpoint> masters;
  caf::actor detector;
  const auto& targets = opts.connection.targets;
  if (is_zk_url(targets.front())) {
    auto det = spawn_master_detector(sys, targets.front(), opts.connection.detector);
    if (!det)
      return std::move(det.error());
    detector = *det;
  } else {
    for (const auto& t : targets)
      masters.push_back(*parse_endpoint(t, operator_api_path));
  }
  return sys.spawn(subscriber, std::move(opts), std::move(callbacks), std::move(masters),
                   std::move(detector));
}

} // namespace mesos_actor::operator_api
