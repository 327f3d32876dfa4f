// The executor actor's two state machines. Its connection (phase):
//
//            start()            SUBSCRIBED
//   ──────► subscribing ─────────────────────► subscribed
//              ▲    │ refused, no answer,          │ stream ended
//              │    │ stream ended                 │ (with checkpointing)
//              │    ▼                              ▼
//              └─ disconnected ◄───────────────────┘
//            timer::attempt      (random backoff; MESOS_RECOVERY_TIMEOUT bounds the outage)
//
// and its life (lifecycle), which only goes on:
//
//   running ──SHUTDOWN, agent lost without──► shutting_down ──grace period over──┐
//      │      checkpointing, recovery over         │                              │
//      │ stop(), action::stop, refused,            │ stop(), action::stop         │
//      │ exit signal, callback threw               ▼                              │
//      └──────────────────────────────────────► finishing ──calls answered,──► finished
//                                                            drain_timeout      (terminate(),
//                                                                                quit)
//
// The metrics' state is the phase, or shutting_down / stopped. Tokens per timer and
// generations per stream and channel make anything older than the current one stale.

#include "executor/executor_core.hpp"

#include <algorithm>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/message_view.hpp>
#include <caf/send.hpp>
#include <supervisor/messages.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/executor/duration_text.hpp"
#include "mesos_actor/executor/external_call.hpp"
#include "executor/stream_sink.hpp"
#include "executor/update_stamp.hpp"
#include "transport/call_channel.hpp"

namespace mesos_actor::detail {

namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// A year: longer than any sensible timeout, far from overflowing the clock.
constexpr std::chrono::nanoseconds longest_timer{std::chrono::hours{24 * 365}};

const char* to_string(timer kind) {
  switch (kind) {
    case timer::attempt:
      return "attempt";
    case timer::subscribe_watch:
      return "subscribe_watch";
    case timer::recovery:
      return "recovery";
    case timer::heartbeat:
      return "heartbeat";
    case timer::grace:
      return "grace";
    case timer::drain:
      return "drain";
    case timer::update_retry:
      return "update_retry";
  }
  return "unknown";
}

// The settings of every connection to the agent. Without credentials of its own the
// executor sends the token the agent gave it.
transport::http_settings agent_settings(const executor_options& opts,
                                        const executor_environment& env) {
  auto h = transport::settings_of(opts);
  h.target.scheme = "http";
  h.target.host = env.agent.host;
  h.target.port = static_cast<std::uint16_t>(env.agent.port);
  h.target.path = env.agent.path;
  if (opts.auth.empty() && env.authentication_token)
    h.extra_headers.emplace_back("Authorization", "Bearer " + *env.authentication_token);
  return h;
}

bool contains(const std::vector<std::string>& xs, const std::string& x) {
  return std::find(xs.begin(), xs.end(), x) != xs.end();
}

} // namespace

executor_core::executor_core(caf::event_based_actor* self, std::unique_ptr<executor> behaviour,
                             executor_options opts, executor_environment env)
  : self_(self), behaviour_(std::move(behaviour)), opts_(std::move(opts)), env_(std::move(env)),
    http_(agent_settings(opts_, env_)), log_(opts_.logging, "executor"),
    metrics_(opts_.metrics ? opts_.metrics
                           : std::make_shared<metrics::framework_metrics>(
                               metrics::framework_kind_tag::executor)),
    counters_(metrics_->counters()), io_(self), rng_(std::random_device{}()) {
}

executor_core::~executor_core() {
  answer_pending_stopped(); // killed: outside callers still get an answer
  // io_'s destructor ends the stream worker and the call channel.
}

// --- behaviour invocation ------------------------------------------------------------

template <class F>
void executor_core::invoke(const char* name, F&& f) {
  if (finishing())
    return;
  ++callback_depth_;
  std::optional<action> result;
  caf::error failure;
  try {
    result = f();
  } catch (const std::exception& e) {
    failure = make_error(errc::callback_exception, std::string{name} + ": " + e.what());
  } catch (...) {
    failure = make_error(errc::callback_exception, std::string{name} + ": unknown exception");
  }
  --callback_depth_;
  if (failure)
    stop_request_ = std::move(failure); // a throw wins over an earlier stop
  else if (*result == action::stop && !stop_request_)
    stop_request_ = life_ == lifecycle::shutting_down ? shutdown_reason_ : caf::error{};
  if (callback_depth_ > 0)
    return;
  flush_deferred_failures();
  if (stop_request_ && !finishing()) {
    auto reason = std::move(*stop_request_);
    stop_request_.reset();
    begin_finish(std::move(reason));
  }
}

void executor_core::defer_failure(call c, caf::error reason, call_status result, int http_status,
                                  std::string body) {
  if (outside_reply_.pending()) {
    outside_reply_.deliver(std::move(reason));
    outside_reply_ = caf::response_promise{};
    return;
  }
  if (finishing()) {
    log_(log_level::warning, "call_failed",
         "call " + std::string{call::Type_Name(c.type())} + " failed while stopping: "
           + describe(reason),
         {{"type", call::Type_Name(c.type())}});
    return;
  }
  executor_call_outcome o;
  o.call = std::move(c);
  o.result = result;
  o.http_status = http_status;
  o.body = std::move(body);
  o.error = std::move(reason);
  deferred_failures_.push_back(std::move(o));
}

void executor_core::flush_deferred_failures() {
  // Failures found inside a callback are reported after it returns, never re-entrantly.
  if (flushing_ || callback_depth_ > 0)
    return;
  flushing_ = true;
  while (!deferred_failures_.empty() && !finishing()) {
    auto outcome = std::move(deferred_failures_.front());
    deferred_failures_.erase(deferred_failures_.begin());
    invoke("call_failed", [&] { return behaviour_->call_failed(*this, outcome); });
  }
  flushing_ = false;
}

void executor_core::stop(caf::error reason) {
  stop_request_ = std::move(reason);
  if (callback_depth_ == 0 && !finishing()) {
    auto r = std::move(*stop_request_);
    stop_request_.reset();
    begin_finish(std::move(r));
  }
}

// --- starting ------------------------------------------------------------------------

bool executor_core::run_init() {
  ++callback_depth_;
  std::optional<action> result;
  caf::error failure;
  try {
    result = behaviour_->init(*this, initial_subscribe_);
  } catch (const std::exception& e) {
    failure = make_error(errc::callback_exception, std::string{"init: "} + e.what());
  } catch (...) {
    failure = make_error(errc::callback_exception, "init: unknown exception");
  }
  --callback_depth_;
  bool declined = true;
  if (failure)
    ;
  else if (stop_request_)
    failure = std::move(*stop_request_);
  else if (*result == action::stop)
    failure = make_error(errc::init_failed, "the executor's init returned stop");
  else
    declined = false;
  stop_request_.reset();
  if (declined) {
    deferred_failures_.clear(); // calls made by a failed init never go out
    begin_finish(std::move(failure));
    return false;
  }
  return true;
}

caf::behavior executor_core::start() {
  self_->set_default_handler(
    [this](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
      auto msg = x.move_content_to_message();
      invoke("handle_info", [&] { return behaviour_->handle_info(*this, msg); });
      return caf::message{};
    });
  self_->set_down_handler([this](caf::down_msg& m) {
    // Actors the behaviour monitors through self(): their ends are "other messages".
    auto msg = caf::make_message(std::move(m));
    invoke("handle_info", [&] { return behaviour_->handle_info(*this, msg); });
    flush_deferred_failures();
  });
  self_->set_exit_handler([this](caf::exit_msg& m) {
    on_exit(m);
    flush_deferred_failures();
  });
  if (!run_init())
    return {};
  {
    auto agent = env_.agent.host + ":" + std::to_string(env_.agent.port) + env_.agent.path;
    record_state("subscribing");
    log_(log_level::info, "subscribing",
         "executor " + env_.executor_id + " of framework " + env_.framework_id
           + " subscribing to agent " + agent + (env_.checkpoint ? " (checkpointing)" : ""),
         {{"attempt", "1"},
          {"executor_id", env_.executor_id},
          {"framework_id", env_.framework_id},
          {"agent", agent},
          {"checkpoint", env_.checkpoint ? "true" : "false"}});
  }
  subscribe_now();
  return {
    [this](executor_event_atom, std::uint64_t generation, event& ev) {
      {
        detail::io_children::call_batch together{io_}; // the calls its callback makes
        on_event(generation, ev);
      }
      flush_deferred_failures();
    },
    [this](transport::stream_response& r) {
      on_stream_response(r);
      flush_deferred_failures();
    },
    [this](transport::stream_closed& c) {
      on_stream_closed(c);
      flush_deferred_failures();
    },
    [this](transport::call_result& r) {
      on_call_result(r);
      flush_deferred_failures();
    },
    [this](transport::call_results& rs) { // answers that were ready together, in order
      for (auto& r : rs)
        on_call_result(r);
      flush_deferred_failures();
    },
    [this](executor_timer_atom, std::uint8_t kind, std::uint64_t t) {
      on_timer(static_cast<timer>(kind), t);
      flush_deferred_failures();
    },
    // The stream worker and the call channel, as a supervisor lists its children.
    [this](supervisor::which_children_atom) { return io_.which(); },
    // Calls from outside the callbacks; answered when their outcome is known.
    [this](executor_update_atom, mesos::v1::TaskStatus& status) {
      auto reply = self_->make_response_promise();
      update_for(std::move(status), reply);
      return reply;
    },
    [this](executor_message_atom, std::string& data) {
      auto reply = self_->make_response_promise();
      message_for(std::move(data), reply);
      return reply;
    },
  };
}

// --- subscription --------------------------------------------------------------------

executor_core::call executor_core::base_call(call::Type type) const {
  call c;
  c.set_type(type);
  c.mutable_executor_id()->set_value(env_.executor_id);
  c.mutable_framework_id()->set_value(env_.framework_id);
  return c;
}

void executor_core::subscribe_now() {
  if (life_ != lifecycle::running)
    return;
  auto c = base_call(call::SUBSCRIBE);
  auto* sub = c.mutable_subscribe();
  if (!ever_subscribed_) {
    *sub = initial_subscribe_;
    // Updates made before the first SUBSCRIBED go with it (init's own lists first).
    for (const auto& t : unacked_.tasks())
      *sub->add_unacknowledged_tasks() = t;
    for (const auto& u : unacked_.updates())
      *sub->add_unacknowledged_updates() = u;
  } else {
    unacked_.fill(*sub);
    invoke("reregister", [&] { return behaviour_->reregister(*this, *sub); });
    if (finishing())
      return;
  }
  uuids_in_subscribe_.clear();
  refused_uuids_.clear(); // this SUBSCRIBE carries them
  for (const auto& u : sub->unacknowledged_updates())
    uuids_in_subscribe_.push_back(u.status().uuid());

  stop_stream();
  phase_ = phase::subscribing;
  ++attempt_;
  detail::counters::add(counters_.subscribe_attempts);
  auto generation = ++stream_generation_;
  transport::stream_config cfg;
  cfg.http = http_.for_peer(http_.target, opts_.stream_read_timeout);
  cfg.body = encode(c, opts_.content);
  cfg.generation = generation;
  cfg.max_record_size = opts_.max_record_size;
  io_.start_stream(std::move(cfg),
                   make_executor_stream_sink(caf::actor_cast<caf::actor>(self_), generation));
  arm(timer::subscribe_watch, opts_.connect_timeout + opts_.subscribe_timeout);
}

void executor_core::on_stream_response(transport::stream_response& r) {
  if (r.generation != stream_generation_ || finishing())
    return;
  if (r.status == 200)
    return; // SUBSCRIBED follows on the stream
  if (r.status == 0) {
    attempt_failed("cannot reach the agent ("
                   + (r.transport_error.empty() ? std::string{"no HTTP answer"} : r.transport_error)
                   + ")");
    return;
  }
  auto detail = "SUBSCRIBE answered " + std::to_string(r.status)
                + (r.body.empty() ? "" : ": " + r.body);
  // 503: the agent is still recovering; 404: its routes are not up yet.
  if (r.status == 503 || r.status == 404) {
    attempt_failed(detail);
    return;
  }
  stop_stream();
  phase_ = phase::disconnected;
  auto code = r.status == 401 || r.status == 403 ? errc::unauthorized
                                                 : errc::subscription_refused;
  log_(log_level::error, "subscription_refused", detail, {{"status", std::to_string(r.status)}});
  begin_finish(make_error(code, detail));
}

void executor_core::on_stream_closed(transport::stream_closed& c) {
  if (c.generation != stream_generation_ || finishing())
    return;
  if (c.kind == transport::stream_end::decode_error
      || c.kind == transport::stream_end::recordio_error)
    detail::counters::add(counters_.decode_errors);
  std::string detail = std::string{"event stream ended ("} + transport::to_string(c.kind)
                       + (c.detail.empty() ? "" : ": " + c.detail) + ")";
  if (phase_ == phase::subscribed)
    connection_lost(detail);
  else if (life_ == lifecycle::shutting_down)
    stop_stream(); // SHUTDOWN then EOF: the agent is done with us
  else
    attempt_failed(detail);
}

void executor_core::on_event(std::uint64_t generation, event& ev) {
  if (generation != stream_generation_)
    return;
  auto now = std::chrono::steady_clock::now();
  counters_.event(ev.type());
  counters_.event_batch(now, ev.ByteSizeLong()); // executor events are few: sizing is cheap
  if (ev.type() == event::HEARTBEAT)
    counters_.heartbeat(now);
  if (log_.enabled(log_level::debug))
    log_(log_level::debug, "event", event::Type_Name(ev.type()),
         {{"type", event::Type_Name(ev.type())}});
  if (finishing()) {
    // Still track acknowledgements of the last updates; no more callbacks.
    if (ev.type() == event::ACKNOWLEDGED && ev.has_acknowledged())
      unacked_.acknowledge(ev.acknowledged().task_id().value(), ev.acknowledged().uuid());
    return;
  }
  auto raw = [&] {
    auto msg = caf::make_message(ev);
    invoke("handle_info", [&] { return behaviour_->handle_info(*this, msg); });
  };
  switch (ev.type()) {
    case event::SUBSCRIBED:
      if (!ev.has_subscribed())
        return raw();
      on_subscribed(ev.subscribed());
      return;
    case event::LAUNCH:
      if (!ev.has_launch())
        return raw();
      unacked_.add_task(ev.launch().task());
      invoke("launch_task", [&] { return behaviour_->launch_task(*this, ev.launch()); });
      return;
    case event::LAUNCH_GROUP:
      if (!ev.has_launch_group())
        return raw();
      for (const auto& t : ev.launch_group().task_group().tasks())
        unacked_.add_task(t);
      invoke("launch_task_group",
             [&] { return behaviour_->launch_task_group(*this, ev.launch_group()); });
      return;
    case event::KILL:
      if (!ev.has_kill())
        return raw();
      invoke("kill_task", [&] { return behaviour_->kill_task(*this, ev.kill()); });
      return;
    case event::ACKNOWLEDGED:
      if (!ev.has_acknowledged())
        return raw();
      unacked_.acknowledge(ev.acknowledged().task_id().value(), ev.acknowledged().uuid());
      invoke("acknowledged", [&] { return behaviour_->acknowledged(*this, ev.acknowledged()); });
      return;
    case event::MESSAGE:
      if (!ev.has_message())
        return raw();
      invoke("framework_message",
             [&] { return behaviour_->framework_message(*this, ev.message()); });
      return;
    case event::ERROR:
      if (!ev.has_error())
        return raw();
      log_(log_level::warning, "agent_error", "agent reported an error: " + ev.error().message());
      invoke("error", [&] { return behaviour_->error(*this, ev.error()); });
      return;
    case event::SHUTDOWN:
      record_state("shutting_down");
      log_(log_level::info, "shutdown_requested", "agent asked the executor to shut down");
      begin_shutdown({});
      return;
    case event::HEARTBEAT:
      return;
    default:
      // UNKNOWN, or a type newer than this library.
      return raw();
  }
}

void executor_core::on_subscribed(const event::Subscribed& subscribed) {
  ++token(timer::subscribe_watch);
  bool again = ever_subscribed_;
  phase_ = phase::subscribed;
  ever_subscribed_ = true;
  subscription_ = subscribed;
  subscribed_at_ = std::chrono::steady_clock::now();
  // The outage (and its recovery timer) ends only once this subscription proves stable.
  ++token(timer::attempt);
  last_failure_.clear();

  open_call_channel();
  // Updates made after the SUBSCRIBE left were not in it: send them now.
  std::vector<call::Update> late;
  for (const auto& u : unacked_.updates())
    if (!contains(uuids_in_subscribe_, u.status().uuid()))
      late.push_back(u);
  for (auto& u : late) {
    auto c = base_call(call::UPDATE);
    *c.mutable_update() = std::move(u);
    send_call(std::move(c), false);
  }
  arm(timer::heartbeat, opts_.heartbeat_interval);
  if (again)
    detail::counters::add(counters_.reconnects);
  record_state("subscribed");
  log_(log_level::info, "subscribed", again ? "re-subscribed to the agent" : "subscribed to the agent",
       {{"agent_id", subscribed.agent_info().id().value()},
        {"resubscribed", again ? "true" : "false"},
        {"attempts", std::to_string(attempt_)}});
  if (again)
    invoke("reregistered", [&] { return behaviour_->reregistered(*this, subscription_); });
  else
    invoke("registered", [&] { return behaviour_->registered(*this, subscription_); });
}

void executor_core::attempt_failed(const std::string& detail) {
  ++token(timer::subscribe_watch);
  stop_stream();
  phase_ = phase::disconnected;
  // Retries come every few hundred milliseconds: say each different failure once.
  bool repeated = detail == last_failure_;
  last_failure_ = detail;
  if (life_ != lifecycle::running)
    return;
  record_state("disconnected");
  log_(repeated ? log_level::debug : log_level::warning, "attempt_failed",
       "subscription attempt failed: " + detail,
       {{"attempt", std::to_string(attempt_)}, {"reason", detail}});
  arm_recovery();
  schedule_attempt();
}

void executor_core::connection_lost(const std::string& detail) {
  stop_stream();
  phase_ = phase::disconnected;
  last_failure_ = detail;
  ++token(timer::heartbeat);
  drop_channel("connection to the agent lost: " + detail);
  if (life_ != lifecycle::running)
    return;
  detail::counters::add(counters_.disconnections);
  record_state("disconnected");
  log_(log_level::warning, "disconnected", "disconnected from the agent: " + detail,
       {{"reason", detail}});
  invoke("disconnected", [&] { return behaviour_->disconnected(*this); });
  if (finishing())
    return;
  if (env_.checkpoint) {
    if (subscription_was_stable()) {
      // A new outage: its own recovery timer, attempts counted from 1.
      recovery_armed_ = false;
      ++token(timer::recovery);
      attempt_ = 0;
    } else {
      log_(log_level::warning, "unstable_subscription",
           "the subscription broke less than min_stable_subscription="
             + format_duration_text(opts_.min_stable_subscription)
             + " after SUBSCRIBED: still the same outage (attempt " + std::to_string(attempt_)
             + ", MESOS_RECOVERY_TIMEOUT keeps running)",
           {{"attempt", std::to_string(attempt_)}});
    }
    arm_recovery();
    schedule_attempt();
  } else {
    // Mesos's own library injects SHUTDOWN here: the agent will not wait for us.
    begin_shutdown(make_error(errc::agent_disconnected,
                              detail + "; the framework does not checkpoint, so the "
                                       "executor cannot reconnect"));
  }
}

void executor_core::schedule_attempt() {
  auto max = env_.checkpoint ? env_.subscription_backoff_max
                             : std::chrono::nanoseconds{opts_.registration_backoff_max};
  std::uniform_int_distribution<std::int64_t> pick{0, std::max<std::int64_t>(0, max.count())};
  auto delay = std::chrono::nanoseconds{pick(rng_)};
  // Retries come every few hundred milliseconds until the recovery timeout: only the
  // first after a success is worth an info line.
  auto level = attempt_ <= 1 ? log_level::info : log_level::debug;
  if (log_.enabled(level)) {
    auto backoff_ms = std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
    const char* what = ever_subscribed_ ? "resubscribing" : "subscribing";
    log_(level, what,
         "attempt " + std::to_string(attempt_ + 1) + " in " + std::to_string(backoff_ms) + " ms",
         {{"attempt", std::to_string(attempt_ + 1)}, {"backoff_ms", std::to_string(backoff_ms)}});
  }
  arm(timer::attempt, delay);
}

void executor_core::arm_recovery() {
  // One timer per outage: failed retries do not restart it.
  if (recovery_armed_)
    return;
  recovery_armed_ = true;
  arm(timer::recovery, env_.checkpoint ? env_.recovery_timeout
                                       : std::chrono::nanoseconds{opts_.registration_timeout});
}

void executor_core::stop_stream() {
  io_.stop_stream();
}

void executor_core::open_call_channel() {
  transport::call_channel_config cfg;
  cfg.http = http_.for_peer(http_.target, opts_.request_timeout);
  cfg.generation = ++channel_generation_;
  cfg.max_pipelined = opts_.max_pipelined_calls;
  io_.open_channel(std::move(cfg), opts_.direct_calls);
}

void executor_core::on_exit(caf::exit_msg& m) {
  io_.route_exit(m, *this);
}

void executor_core::channel_died(const caf::error& reason) {
  if (life_ == lifecycle::finished)
    return;
  auto why = "the call channel ended: " + describe(reason);
  log_(log_level::warning, "call_channel_died", why, {{"reason", describe(reason)}});
  // Failed before the new channel opens: an UPDATE refused on the current channel is
  // the one update_refused sends again on the next.
  for (auto& r : mesos_actor::detail::io_children::cut_short(in_flight_, channel_generation_, why))
    on_call_result(r);
  if (phase_ == phase::subscribed && !finishing())
    open_call_channel();
}

void executor_core::drop_channel(const std::string& detail) {
  io_.close_channel();
  // Updates stay in the unacknowledged list and go out with the next SUBSCRIBE;
  // messages are lost and reported.
  for (auto& [id, p] : in_flight_) {
    if (p.library_call)
      continue;
    bool lost = p.c.type() == call::MESSAGE;
    if (p.reply.pending() && lost)
      p.reply.deliver(make_error(errc::transport_error, detail));
    else if (p.reply.pending())
      answer_success(p.reply, p.c); // kept: it goes out with the next SUBSCRIBE
    else if (lost)
      defer_failure(std::move(p.c), make_error(errc::transport_error, detail),
                    call_status::transport_error);
  }
  in_flight_.clear();
  if (finishing())
    complete_finish();
}

// --- calls ------------------------------------------------------------------------------

std::string executor_core::update(mesos::v1::TaskStatus status) {
  auto uuid = random_uuid_bytes(rng_);
  const auto& agent_id = env_.agent_id.empty() ? subscription_.agent_info().id().value()
                                               : env_.agent_id;
  stamp_status(status, env_.executor_id, agent_id, uuid, now_seconds());
  auto c = base_call(call::UPDATE);
  *c.mutable_update()->mutable_status() = std::move(status);
  const auto& s = c.update().status();
  if (!s.has_task_id() || s.task_id().value().empty()) {
    defer_failure(std::move(c), make_error(errc::rejected, "an UPDATE needs status.task_id"));
  } else if (s.state() == mesos::v1::TASK_STAGING) {
    defer_failure(std::move(c),
                  make_error(errc::rejected, "an executor may not send TASK_STAGING"));
  } else if (finishing()) {
    defer_failure(std::move(c), make_error(errc::stopped, "the executor is stopping"));
  } else if (unacked_.update_count() >= opts_.max_unacknowledged_updates) {
    defer_failure(std::move(c),
                  make_error(errc::queue_full,
                             std::to_string(unacked_.update_count())
                               + " updates are waiting for acknowledgement "
                                 "(max_unacknowledged_updates)"));
  } else {
    unacked_.add_update(c.update());
    if (phase_ == phase::subscribed)
      send_call(std::move(c), false);
    else
      log_(log_level::debug, "update_deferred",
           "not subscribed: update of task " + s.task_id().value()
             + " will go out with the next SUBSCRIBE",
           {{"task_id", s.task_id().value()}});
  }
  return uuid;
}

void executor_core::message(std::string data) {
  auto c = base_call(call::MESSAGE);
  c.mutable_message()->set_data(std::move(data));
  if (phase_ != phase::subscribed) {
    counters_.call(call::MESSAGE, detail::call_result_kind::not_subscribed);
    defer_failure(std::move(c), make_error(errc::not_subscribed, "MESSAGE while not subscribed"));
    return;
  }
  send_call(std::move(c), false);
}

void executor_core::update_for(mesos::v1::TaskStatus status, caf::response_promise reply) {
  // update() answers `reply` on a failure (defer_failure) or hands it to the call in
  // flight (send_call); still pending afterwards, the update waits for a SUBSCRIBE.
  outside_reply_ = std::move(reply);
  auto uuid = update(std::move(status));
  if (outside_reply_.pending())
    outside_reply_.deliver(std::move(uuid));
  outside_reply_ = caf::response_promise{};
}

void executor_core::message_for(std::string data, caf::response_promise reply) {
  outside_reply_ = std::move(reply);
  message(std::move(data));
  outside_reply_ = caf::response_promise{};
}

void executor_core::answer_success(caf::response_promise& reply, const call& c) {
  if (c.type() == call::UPDATE)
    reply.deliver(c.update().status().uuid());
  else
    reply.deliver(caf::ok_atom::value);
}

void executor_core::answer_pending_stopped() {
  for (auto& [id, p] : in_flight_)
    if (p.reply.pending())
      p.reply.deliver(make_error(errc::stopped, "the executor stopped before the "
                                                  + call::Type_Name(p.c.type())
                                                  + " call's outcome was known"));
}

std::vector<mesos::v1::TaskInfo> executor_core::unacknowledged_tasks() const {
  return unacked_.tasks();
}

std::vector<mesos::v1::executor::Call::Update> executor_core::unacknowledged_updates() const {
  return unacked_.updates();
}

void executor_core::send_call(call c, bool library_call) {
  using detail::call_result_kind;
  if (!io_.channel()) {
    counters_.call(c.type(), call_result_kind::not_subscribed);
    if (!library_call)
      defer_failure(std::move(c), make_error(errc::not_subscribed, "no connection to the agent"));
    return;
  }
  if (in_flight_.size() >= opts_.max_calls_in_flight) {
    counters_.call(c.type(), call_result_kind::queue_full);
    if (c.type() == call::UPDATE)
      unacked_.forget_update(c.update().status().uuid());
    if (!library_call)
      defer_failure(std::move(c),
                    make_error(errc::queue_full, "max_calls_in_flight calls are unanswered"));
    return;
  }
  transport::call_request req;
  req.call_id = ++next_call_id_;
  req.body = encode(c, opts_.content);
  if (log_.enabled(log_level::debug))
    log_(log_level::debug, "call", call::Type_Name(c.type()), {{"type", call::Type_Name(c.type())}});
  auto reply = library_call ? caf::response_promise{} : std::move(outside_reply_);
  outside_reply_ = caf::response_promise{};
  in_flight_.emplace(req.call_id, pending_call{std::move(c), channel_generation_, library_call,
                                               std::chrono::steady_clock::now(),
                                               std::move(reply)});
  io_.send_call(std::move(req));
}

void executor_core::on_call_result(transport::call_result& r) {
  auto i = in_flight_.find(r.call_id);
  if (i == in_flight_.end())
    return; // its connection was dropped; updates went with the SUBSCRIBE
  auto p = std::move(i->second);
  in_flight_.erase(i);
  bool accepted = r.status == 202 || r.status == 200;
  counters_.latency.observe(std::chrono::steady_clock::now() - p.made);
  using detail::call_result_kind;
  if (accepted)
    counters_.call(p.c.type(), call_result_kind::accepted);
  else if (r.status == 0)
    counters_.call(p.c.type(), r.timed_out ? call_result_kind::timeout
                                           : call_result_kind::transport_error);
  else
    counters_.rejected(p.c.type(), r.status);
  if (accepted && p.reply.pending())
    answer_success(p.reply, p.c);
  if (!accepted) {
    caf::error reason;
    if (r.status == 0)
      reason = make_error(r.timed_out ? errc::timeout : errc::transport_error, r.transport_error);
    else
      reason = make_error(r.status == 401 ? errc::unauthorized : errc::rejected,
                          std::to_string(r.status) + (r.body.empty() ? "" : ": " + r.body));
    if (p.library_call) {
      if (log_.enabled(log_level::debug))
        log_(log_level::debug, "heartbeat_failed", "HEARTBEAT call failed: " + describe(reason));
    } else if (p.c.type() == call::UPDATE
               && (r.status == 0 || r.status == 503 || r.status == 403)) {
      update_refused(p.c, reason, p.channel_generation, r.status);
      if (p.reply.pending())
        answer_success(p.reply, p.c); // kept: it goes out again
    } else {
      if (p.c.type() == call::UPDATE)
        unacked_.forget_update(p.c.update().status().uuid());
      if (p.reply.pending())
        p.reply.deliver(std::move(reason));
      else
        defer_failure(std::move(p.c), std::move(reason),
                      r.status == 0 ? call_status::transport_error : call_status::rejected,
                      r.status, std::move(r.body));
    }
  }
  if (finishing() && in_flight_.empty())
    complete_finish();
}

void executor_core::update_refused(const call& c, const caf::error& reason,
                                   std::uint64_t generation, int status) {
  // The update stays unacknowledged either way. A 403 means the agent lost our
  // subscription (a new SUBSCRIBE follows); 503 (an agent still recovering, which keeps
  // our stream open) or a failed call connection may pass while we stay subscribed, and
  // no SUBSCRIBE would come to carry the update: send it again after a while.
  bool retry = status != 403 && phase_ == phase::subscribed && generation == channel_generation_;
  std::string when = retry ? "it is sent again in " + format_duration_text(opts_.update_retry_interval)
                           : "it will be resent with the next SUBSCRIBE";
  log_(log_level::warning, "update_not_accepted", "UPDATE not accepted (" + describe(reason) + "); " + when,
       {{"task_id", c.update().status().task_id().value()}});
  if (!retry)
    return;
  if (refused_uuids_.empty())
    arm(timer::update_retry, opts_.update_retry_interval);
  refused_uuids_.push_back(c.update().status().uuid());
}

void executor_core::resend_refused_updates() {
  auto uuids = std::move(refused_uuids_);
  refused_uuids_.clear();
  if (phase_ != phase::subscribed || finishing())
    return; // the next SUBSCRIBE carries what is still unacknowledged
  for (const auto& u : unacked_.updates()) {
    if (std::find(uuids.begin(), uuids.end(), u.status().uuid()) == uuids.end())
      continue; // acknowledged meanwhile (then no longer listed), or never refused
    auto c = base_call(call::UPDATE);
    *c.mutable_update() = u;
    send_call(std::move(c), false);
  }
}

void executor_core::send_heartbeat() {
  // Exactly as Mesos's executor library: the agent answers before looking the ids up.
  call c;
  c.set_type(call::HEARTBEAT);
  c.mutable_executor_id()->set_value("unused");
  c.mutable_framework_id()->set_value("unused");
  send_call(std::move(c), true);
}

// --- ending --------------------------------------------------------------------------

void executor_core::begin_shutdown(caf::error reason) {
  if (life_ != lifecycle::running)
    return;
  life_ = lifecycle::shutting_down;
  shutdown_reason_ = std::move(reason);
  ++token(timer::attempt);
  ++token(timer::recovery);
  recovery_armed_ = false;
  arm(timer::grace, env_.shutdown_grace_period);
  invoke("shutdown", [&] { return behaviour_->shutdown(*this); });
}

void executor_core::begin_finish(caf::error reason) {
  if (finishing())
    return;
  life_ = lifecycle::finishing;
  exit_reason_ = std::move(reason);
  ++token(timer::attempt);
  ++token(timer::subscribe_watch);
  ++token(timer::recovery);
  ++token(timer::heartbeat);
  if (in_flight_.empty() || !io_.channel()) {
    complete_finish();
    return;
  }
  // Let calls already sent (terminal updates above all) be answered first.
  arm(timer::drain, opts_.drain_timeout);
}

void executor_core::complete_finish() {
  if (life_ == lifecycle::finished)
    return;
  life_ = lifecycle::finished;
  record_state("stopped");
  log_(exit_reason_ ? log_level::warning : log_level::info, "stopped",
       "executor " + env_.executor_id + " ends: " + describe(exit_reason_),
       {{"reason", describe(exit_reason_)}});
  try {
    behaviour_->terminate(*this, exit_reason_);
  } catch (const std::exception& e) {
    log_(log_level::error, "terminate_threw", std::string{"terminate threw: "} + e.what());
  } catch (...) {
    log_(log_level::error, "terminate_threw", "terminate threw an unknown exception");
  }
  stop_stream();
  io_.close_channel();
  answer_pending_stopped();
  self_->quit(exit_reason_);
}

void executor_core::on_timer(timer kind, std::uint64_t t) {
  if (t != token(kind) || life_ == lifecycle::finished)
    return;
  switch (kind) {
    case timer::attempt:
      subscribe_now();
      return;
    case timer::update_retry:
      resend_refused_updates();
      return;
    case timer::subscribe_watch:
      if (phase_ == phase::subscribing)
        attempt_failed("no SUBSCRIBED event within "
                       + format_duration_text(opts_.connect_timeout + opts_.subscribe_timeout));
      return;
    case timer::recovery: {
      if (!recovery_armed_)
        return;
      if (phase_ == phase::subscribed) {
        if (subscription_was_stable()) {
          recovery_armed_ = false; // the outage is over
        } else {
          // Too young to tell: look again when it would count as stable.
          auto age = std::chrono::steady_clock::now() - subscribed_at_;
          arm(timer::recovery, std::chrono::nanoseconds{opts_.min_stable_subscription} - age);
        }
        return;
      }
      recovery_armed_ = false;
      ++token(timer::attempt);
      ++token(timer::subscribe_watch);
      stop_stream();
      phase_ = phase::disconnected;
      auto what = env_.checkpoint
                    ? std::string{ever_subscribed_ ? "no re-subscription" : "no subscription"}
                        + " within MESOS_RECOVERY_TIMEOUT="
                        + format_duration_text(env_.recovery_timeout)
                    : "no subscription within registration_timeout="
                        + format_duration_text(opts_.registration_timeout);
      log_(log_level::error, "gave_up", what + " (last failure: " + last_failure_ + ")",
           {{"reason", last_failure_}});
      begin_shutdown(make_error(errc::recovery_timed_out,
                                what + "; last failure: " + last_failure_));
      return;
    }
    case timer::heartbeat:
      if (phase_ == phase::subscribed) {
        send_heartbeat();
        arm(timer::heartbeat, opts_.heartbeat_interval);
      }
      return;
    case timer::grace:
      if (!finishing())
        exit_reason_ = shutdown_reason_;
      log_(log_level::warning, "grace_period_expired", "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD="
                                + format_duration_text(env_.shutdown_grace_period)
                                + " expired: ending the executor");
      complete_finish();
      return;
    case timer::drain:
      log_(log_level::warning, "drain_timeout", std::to_string(in_flight_.size())
                                + " call(s) still unanswered after drain_timeout");
      complete_finish();
      return;
  }
}

bool executor_core::subscription_was_stable() const {
  return std::chrono::steady_clock::now() - subscribed_at_ >= opts_.min_stable_subscription;
}

void executor_core::arm(timer kind, std::chrono::nanoseconds delay) {
  // The agent's durations (MESOS_*) may be anything up to 292 years; a timer beyond
  // now + that would overflow the clock.
  if (delay > longest_timer) {
    log_(log_level::warning, "duration_clamped",
         std::string{to_string(kind)} + " timer of " + format_duration_text(delay)
           + " is beyond the longest timer (" + format_duration_text(longest_timer)
           + "): using that",
         {{"timer", to_string(kind)}, {"value", format_duration_text(delay)}});
    delay = longest_timer;
  }
  delay = std::max(delay, std::chrono::nanoseconds{0});
  auto t = ++token(kind);
  self_->delayed_send(self_, delay, executor_timer_atom::value, static_cast<std::uint8_t>(kind), t);
}

std::uint64_t& executor_core::token(timer kind) {
  return tokens_[kind];
}

void executor_core::record_state(const char* state) {
  counters_.set_state(state);
}

} // namespace mesos_actor::detail
