// The scheduler actor's life (scheduler_state; the metrics and logs name the same):
//
//            start()                 SUBSCRIBED
//   ──────► subscribing ───────────────────────────► subscribed ◄──────────┐
//             │  ▲ attempt failed:                      │ stream ended,    │
//             │  └─ backoff, next master                │ heartbeat missed │ SUBSCRIBED
//             │                                         ▼                  │
//             │                                   disconnected ──► resubscribing
//             │ attempts exhausted, refused,                            │  ▲ attempt failed
//             │ stop(), action::stop, exit signal                       │  └─ backoff
//             ▼                                                         ▼
//          stopped ◄──────────────────── (from every state) ─────────────┘
//
// stopped is final: terminate() runs, the calls already sent still go out, the actor
// quits. Within an attempt, pending_stream_id_ tells "waiting for the 200" from
// "waiting for SUBSCRIBED"; generation_ makes the events and timers of an older
// attempt stale.

#include "scheduler/scheduler_core.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <sstream>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/errors.hpp"
#include "scheduler/event_sink.hpp"
#include "transport/call_channel.hpp"

namespace mesos_actor {

namespace {

using std::chrono::milliseconds;
using counters = detail::counters;

std::vector<endpoint> parse_masters(const std::vector<std::string>& hosts) {
  std::vector<endpoint> out;
  for (auto& host : hosts)
    if (auto ep = parse_endpoint(host, scheduler_api_path))
      out.push_back(std::move(*ep));
  return out;
}

// Mesos's own heartbeat interval, used when SUBSCRIBED names none or a meaningless one.
constexpr milliseconds default_heartbeat_interval{15000};

std::string number_text(double x) {
  std::ostringstream out;
  out.precision(17);
  out << x;
  return out.str();
}

} // namespace

// The master's heartbeat interval, made safe to use: NaN, infinities, zero and negative
// values mean Mesos's default; nothing may exceed what the stream's read timeout allows
// (it would end a healthy stream first); sub-millisecond values round up.
milliseconds scheduler_core::heartbeat_interval_of(const Event::Subscribed& s) {
  auto ceiling = std::max(opts_.stream_read_timeout - opts_.heartbeat_timeout_window, milliseconds{1});
  if (!s.has_heartbeat_interval_seconds())
    return std::min(default_heartbeat_interval, ceiling);
  double seconds = s.heartbeat_interval_seconds();
  milliseconds out;
  std::string why;
  if (!std::isfinite(seconds) || seconds <= 0) {
    out = std::min(default_heartbeat_interval, ceiling);
    why = "is not a positive finite number";
  } else if (seconds * 1000.0 > static_cast<double>(ceiling.count())) {
    out = ceiling;
    why = "exceeds stream_read_timeout - heartbeat_timeout_window";
  } else {
    return milliseconds{std::max<long long>(1, std::llround(std::ceil(seconds * 1000.0)))};
  }
  auto value = number_text(seconds);
  log_(log_level::warning, "bad_heartbeat_interval",
       "SUBSCRIBED.heartbeat_interval_seconds " + value + " " + why + ": using "
         + std::to_string(out.count()) + " ms",
       {{"value", value}, {"used_ms", std::to_string(out.count())}});
  return out;
}

namespace {

std::string http_summary(int status, const std::string& body) {
  std::string out = "HTTP " + std::to_string(status);
  if (!body.empty())
    out += ": " + body.substr(0, 512);
  return out;
}

} // namespace

scheduler_core::scheduler_core(caf::event_based_actor* self, std::unique_ptr<scheduler> behaviour,
                               scheduler_options opts)
  : self_(self), behaviour_(std::move(behaviour)), opts_(std::move(opts)),
    http_(transport::settings_of(opts_)), log_(opts_.logging, "scheduler"),
    metrics_(opts_.metrics ? opts_.metrics
                           : std::make_shared<metrics::framework_metrics>(
                               metrics::framework_kind_tag::scheduler)),
    counters_(metrics_->counters()), rotation_(parse_masters(opts_.master_hosts), opts_.max_redirects),
    backoff_{opts_.backoff_initial, opts_.backoff_max, opts_.backoff_jitter},
    rng_(std::random_device{}()), io_(self) {
  if (opts_.framework_id)
    stored_id_ = *opts_.framework_id; // its owner stored it before handing it over
}

scheduler_core::~scheduler_core() {
  answer_pending_stopped(); // killed without stop(): outside callers still get an answer
  stop_stream(); // closes the inbox too; io_'s destructor ends the call channel
  stop_detection();
}

template <class F>
void scheduler_core::invoke(const char* what, F&& f) {
  if (stopped())
    return;
  action result = action::keep;
  {
    struct depth_guard {
      int& depth;
      explicit depth_guard(int& d) : depth(d) { ++depth; }
      ~depth_guard() { --depth; }
    } in_callback{callback_depth_};
    try {
      result = f();
    } catch (const std::exception& e) {
      shut_down(make_error(errc::callback_exception, std::string{what} + ": " + e.what()));
      return;
    } catch (...) {
      shut_down(make_error(errc::callback_exception, std::string{what} + ": unknown exception"));
      return;
    }
  }
  if (stop_request_ && callback_depth_ == 0 && !stopped()) {
    auto reason = std::move(*stop_request_);
    stop_request_.reset();
    log_(log_level::info, "callback_stop", std::string{what} + " called stop()",
         {{"callback", what}});
    shut_down(std::move(reason));
    return;
  }
  if (result == action::stop && !stopped()) {
    log_(log_level::info, "callback_stop", std::string{what} + " asked to stop",
         {{"callback", what}});
    shut_down(caf::none);
  }
}

caf::error scheduler_core::start() {
  if (!behaviour_) {
    state_ = scheduler_state::stopped;
    self_->quit(make_error(errc::bad_option, "no scheduler behaviour given"));
    return self_->fail_state();
  }
  if (auto err = validate(opts_)) {
    log_(log_level::error, "bad_options", describe(err));
    state_ = scheduler_state::stopped;
    self_->quit(std::move(err));
    return self_->fail_state();
  }
  caf::expected<mesos::v1::FrameworkInfo> info{caf::error{}};
  try {
    info = behaviour_->init(opts_.framework_id);
  } catch (const std::exception& e) {
    state_ = scheduler_state::stopped;
    self_->quit(make_error(errc::callback_exception, std::string{"init: "} + e.what()));
    return self_->fail_state();
  } catch (...) {
    state_ = scheduler_state::stopped;
    self_->quit(make_error(errc::callback_exception, "init: unknown exception"));
    return self_->fail_state();
  }
  if (!info) {
    state_ = scheduler_state::stopped;
    auto reason = info.error() ? std::move(info.error())
                               : make_error(errc::init_failed, "init returned no FrameworkInfo");
    log_(log_level::info, "init_declined", "init declined to start: " + describe(reason));
    self_->quit(std::move(reason));
    return self_->fail_state();
  }
  info_ = std::move(*info);
  if (info_.has_id() && !info_.id().value().empty())
    framework_id_ = info_.id().value();
  else if (opts_.framework_id)
    framework_id_ = *opts_.framework_id;
  if (!framework_id_.empty())
    info_.mutable_id()->set_value(framework_id_);
  counters_.set_state(to_string(state_));
  log_(log_level::info, "subscribing",
       framework_id_.empty() ? "subscribing as a new framework"
                             : "subscribing as framework " + framework_id_,
       {{"attempt", "1"}, {"framework_id", framework_id_}, {"master", first_master_text()}});
  if (!start_detection()) // zk://: the first attempt waits for the detector's leader
    subscribe_now();
  return caf::none;
}

void scheduler_core::set_state(scheduler_state s, log_level level, std::string message,
                               std::vector<log_field> fields, const char* event) {
  if (stopped())
    return; // stopped is final
  fields.insert(fields.begin(), log_field{"from", to_string(state_)});
  state_ = s;
  counters_.set_state(to_string(s));
  log_(level, event ? event : to_string(s), std::move(message), std::move(fields));
}

// --- subscription ------------------------------------------------------------------

void scheduler_core::subscribe_now() {
  if (opts_.subscribe_guard) {
    caf::error refused;
    try {
      refused = opts_.subscribe_guard();
    } catch (...) {
      refused = make_error(errc::callback_exception, "subscribe_guard threw");
    }
    if (refused) {
      log_(log_level::warning, "subscribe_refused",
           "not subscribing: " + describe(refused), {{"reason", describe(refused)}});
      shut_down(std::move(refused));
      return;
    }
  }
  if (detecting_ && !detected_leader_) {
    attempt_failed("no leading master known in ZooKeeper");
    return;
  }
  stop_stream();
  ++generation_;
  // Bounded by max_record_size: more waiting records hold the worker (and TCP) back.
  inbox_ = std::make_shared<scheduler_event_inbox>(opts_.max_record_size);
  Call call;
  call.set_type(Call::SUBSCRIBE);
  *call.mutable_subscribe()->mutable_framework_info() = info_;
  if (!framework_id_.empty())
    call.mutable_framework_id()->set_value(framework_id_);
  transport::stream_config cfg;
  cfg.http = http_.for_peer(rotation_.current(), opts_.stream_read_timeout);
  cfg.body = encode(call, opts_.content);
  cfg.generation = generation_;
  cfg.max_record_size = opts_.max_record_size;
  counters::add(counters_.subscribe_attempts);
  if (log_.enabled(log_level::debug))
    log_(log_level::debug, "subscribe_request", "SUBSCRIBE to " + cfg.http.target.url(),
         {{"master", cfg.http.target.url()}});
  // A master that accepts the connection but never answers fails the attempt too.
  last_event_ = std::chrono::steady_clock::now();
  arm_watchdog(opts_.subscribe_timeout);
  io_.start_stream(std::move(cfg),
                   make_scheduler_event_sink(caf::actor_cast<caf::actor>(self_), generation_, inbox_));
}

void scheduler_core::stop_stream() {
  io_.stop_stream();
  if (inbox_) {
    inbox_->close(); // a worker waiting for room must not hold up the stop
    inbox_.reset();
  }
  pending_stream_id_.clear();
  // A SUBSCRIBED held for its id's store, and the records after it, go with the stream.
  held_.reset();
  taken_.clear();
  next_record_ = 0;
  records_taken_ = 0;
}

void scheduler_core::on_stream_response(transport::stream_response& r) {
  if (stopped() || r.generation != generation_)
    return;
  auto where = rotation_.current().url();
  if (r.status == 200) {
    if (r.stream_id.empty()) {
      attempt_failed("200 from " + where + " without a Mesos-Stream-Id header");
      return;
    }
    pending_stream_id_ = r.stream_id;
    last_event_ = std::chrono::steady_clock::now();
    return;
  }
  if (r.status == 307) {
    if (auto err = rotation_.redirect(r.location)) {
      attempt_failed(describe(err));
      return;
    }
    log_(log_level::info, "redirected", "redirected from " + where + " to " + rotation_.current().url(),
         {{"from", where}, {"to", rotation_.current().url()}});
    subscribe_now();
    return;
  }
  if (r.status == 0) {
    attempt_failed(where + ": " + r.transport_error);
    return;
  }
  if (r.status == 401 || r.status == 403) {
    // Not final at once: a token source may hand out a fresh token next time. The
    // attempt backs off like any failed one, and max_auth_failures bounds the run.
    auto why = "SUBSCRIBE to " + where + ": " + http_summary(r.status, r.body)
               + (r.status == 401 ? " (authentication failed; credentials: " + opts_.auth.describe() + ")"
                                  : " (forbidden)");
    if (++auth_failures_ >= opts_.max_auth_failures || failures_ + 1 >= attempt_limit()) {
      shut_down(make_error(errc::unauthorized,
                      why + "; giving up after " + std::to_string(auth_failures_)
                        + " authentication failure(s) in a row (max_auth_failures "
                        + std::to_string(opts_.max_auth_failures) + ")"));
      return;
    }
    attempt_failed(why);
    return;
  }
  if (r.status >= 400 && r.status < 500 && r.status != 404) {
    shut_down(make_error(errc::subscription_refused,
                    "SUBSCRIBE to " + where + ": " + http_summary(r.status, r.body)));
    return;
  }
  // 503 (no leader / recovering), other 5xx, 404, other 3xx: try elsewhere.
  attempt_failed(where + ": " + http_summary(r.status, r.body));
}

void scheduler_core::attempt_failed(const std::string& why) {
  stop_stream();
  ++generation_;
  ++failures_;
  last_failure_ = why;
  auto limit = attempt_limit();
  log_(log_level::warning, "attempt_failed",
       "subscription attempt " + std::to_string(failures_) + "/" + std::to_string(limit)
         + " failed: " + why,
       {{"attempt", std::to_string(failures_)}, {"max", std::to_string(limit)}, {"reason", why}});
  if (failures_ >= limit) {
    auto code = resubscribing_phase_ ? errc::resubscribe_exhausted : errc::no_master_reachable;
    shut_down(make_error(code, std::to_string(failures_) + " subscription attempts over "
                            + std::to_string(rotation_.size()) + " master(s) failed; last: " + why),
         true);
    return;
  }
  // per_master (erl_mesos): each master gets max_num_resubscribe tries in a row, each
  // after the fixed resubscribe_interval; otherwise every failure moves on, backed off.
  bool per_master = resubscribing_phase_ && opts_.resubscription == resubscribe_mode::per_master;
  if (!per_master || failures_ % opts_.max_num_resubscribe == 0)
    rotation_.advance();
  auto delay = per_master ? opts_.resubscribe_interval : backoff_delay(backoff_, failures_, rng_);
  auto next = std::to_string(failures_ + 1);
  // A subscription that broke too soon: resubscribing, like after any disconnection.
  auto waiting = state_ == scheduler_state::disconnected ? scheduler_state::resubscribing : state_;
  set_state(waiting, log_level::info,
            "attempt " + next + " to " + rotation_.current().url() + " in "
              + std::to_string(delay.count()) + " ms",
            {{"attempt", next},
             {"backoff_ms", std::to_string(delay.count())},
             {"master", rotation_.current().url()}});
  schedule_subscribe(delay);
}

std::size_t scheduler_core::attempt_limit() const {
  if (!resubscribing_phase_)
    return opts_.max_num_subscribe;
  if (opts_.resubscription == resubscribe_mode::per_master)
    return opts_.max_num_resubscribe * std::max<std::size_t>(rotation_.size(), 1);
  return opts_.max_num_resubscribe;
}

void scheduler_core::schedule_subscribe(milliseconds delay) {
  auto token = ++retry_token_;
  if (delay.count() <= 0)
    self_->send(self_, subscribe_atom::value, token);
  else
    self_->delayed_send(self_, delay, subscribe_atom::value, token);
}

void scheduler_core::on_subscribe_timer(std::uint64_t token) {
  if (stopped() || token != retry_token_)
    return;
  subscribe_now();
}

void scheduler_core::lose_connection(const std::string& why) {
  stop_stream();
  ++generation_;
  stream_id_.clear();
  counters::add(counters_.disconnections);
  set_state(scheduler_state::disconnected, log_level::warning, why, {{"reason", why}});
  invoke("disconnected", [&] { return behaviour_->disconnected(*this); });
  if (stopped())
    return;
  if (info_.failover_timeout() <= 0)
    log_(log_level::warning, "failover_timeout_zero",
         "FrameworkInfo.failover_timeout is 0: the master tears the framework down (killing its "
         "tasks) as soon as its connection breaks, so resubscribing as "
           + framework_id_ + " will most likely be refused; set failover_timeout to survive "
                             "disconnections");
  if (opts_.max_num_resubscribe == 0) {
    shut_down(make_error(errc::resubscribe_exhausted,
                    "disconnected (" + why + ") and max_num_resubscribe is 0"));
    return;
  }
  resubscribing_phase_ = true;
  auto lasted = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now()
                                                         - subscribed_at_);
  if (lasted < opts_.min_stable_subscription) {
    // A master that breaks every subscription at once must not be hammered.
    attempt_failed(why + " " + std::to_string(lasted.count())
                   + " ms after SUBSCRIBED (less than min_stable_subscription "
                   + std::to_string(opts_.min_stable_subscription.count()) + " ms)");
    return;
  }
  failures_ = 0;
  set_state(scheduler_state::resubscribing, log_level::info,
            "attempt 1 to " + rotation_.current().url() + " in "
              + std::to_string(opts_.resubscribe_interval.count()) + " ms",
            {{"attempt", "1"},
             {"backoff_ms", std::to_string(opts_.resubscribe_interval.count())},
             {"master", rotation_.current().url()}});
  schedule_subscribe(opts_.resubscribe_interval);
}

// --- events -------------------------------------------------------------------------

void scheduler_core::on_events(scheduler_events& batch) {
  if (batch.generation != generation_ || !batch.inbox)
    return;
  if (held_)
    return; // the records wait in the inbox until the id is stored
  if (next_record_ >= taken_.size()) {
    records_taken_ += taken_.size();
    taken_.clear();
    next_record_ = 0;
  }
  if (taken_.empty()) {
    taken_encoding_ = batch.inbox->take(taken_);
    last_event_ = std::chrono::steady_clock::now();
    counters_.event_batch(last_event_, taken_.bytes());
  }
  handle_taken(batch.generation);
}

void scheduler_core::handle_taken(std::uint64_t generation) {
  detail::io_children::call_batch together{io_}; // the calls this batch's callbacks make
  // A callback may stop the actor or drop the connection: the rest is then stale.
  while (next_record_ < taken_.size()) {
    if (stopped() || generation != generation_)
      break;
    auto i = next_record_++;
    if (auto err = decode(taken_[i], taken_encoding_, event_)) {
      on_bad_record(records_taken_ + i, err->message);
      break;
    }
    on_event(event_);
    if (held_ && held_->generation == generation && !stopped())
      return; // SUBSCRIBED waits for its id's store; the rest of the batch with it
  }
  records_taken_ += taken_.size();
  taken_.clear();
  next_record_ = 0;
}

// A record that does not decode ends the stream, after the events before it.
void scheduler_core::on_bad_record(std::uint64_t index, const std::string& problem) {
  transport::stream_closed closed;
  closed.generation = generation_;
  closed.kind = transport::stream_end::decode_error;
  closed.detail = "record " + std::to_string(index) + ": " + problem;
  closed.records = index;
  on_stream_closed(closed);
}

void scheduler_core::on_event(Event& event) {
  counters_.event(event.type());
  if (log_.enabled(log_level::debug))
    log_(log_level::debug, "event", Event::Type_Name(event.type()),
         {{"type", Event::Type_Name(event.type())}});
  switch (event.type()) {
    case Event::SUBSCRIBED:
      handle_subscribed(event.subscribed());
      break;
    case Event::HEARTBEAT:
      counters_.heartbeat(last_event_);
      break;
    case Event::OFFERS:
      invoke("resource_offers", [&] { return behaviour_->resource_offers(*this, event.offers()); });
      break;
    case Event::INVERSE_OFFERS:
      invoke("inverse_offers",
             [&] { return behaviour_->inverse_offers(*this, event.inverse_offers()); });
      break;
    case Event::RESCIND:
      invoke("offer_rescinded", [&] { return behaviour_->offer_rescinded(*this, event.rescind()); });
      break;
    case Event::RESCIND_INVERSE_OFFER:
      invoke("inverse_offer_rescinded", [&] {
        return behaviour_->inverse_offer_rescinded(*this, event.rescind_inverse_offer());
      });
      break;
    case Event::UPDATE:
      handle_update(event.update());
      break;
    case Event::UPDATE_OPERATION_STATUS:
      handle_operation_update(event.update_operation_status());
      break;
    case Event::MESSAGE:
      invoke("framework_message",
             [&] { return behaviour_->framework_message(*this, event.message()); });
      break;
    case Event::FAILURE:
      if (event.failure().has_executor_id())
        invoke("executor_lost", [&] { return behaviour_->executor_lost(*this, event.failure()); });
      else
        invoke("agent_lost", [&] { return behaviour_->agent_lost(*this, event.failure()); });
      break;
    case Event::ERROR:
      handle_error_event(event.error());
      break;
    default: {
      // Unknown or future event types: hand them over raw, never crash.
      auto msg = caf::make_message(std::move(event));
      invoke("handle_info", [&] { return behaviour_->handle_info(*this, msg); });
      break;
    }
  }
}

void scheduler_core::handle_subscribed(const Event::Subscribed& s) {
  auto previous = framework_id_;
  framework_id_ = s.framework_id().value();
  info_.mutable_id()->set_value(framework_id_);
  if (!opts_.store_framework_id || framework_id_ == stored_id_) {
    finish_subscribed(s, previous);
    return;
  }
  // A new id: nothing hears of the subscription before it is stored, so an owner that
  // dies now leaves the id behind for its successor (the framework then fails over
  // instead of registering twice). A resubscription after a dropped stream carries it.
  auto token = ++store_token_;
  held_ = held_subscription{token, generation_, s, previous};
  log_(log_level::debug, "framework_id_store", "storing framework id " + framework_id_,
       {{"framework_id", framework_id_}});
  auto addr = self_->address();
  auto answered = std::make_shared<std::atomic<bool>>(false);
  auto done = [addr, token, id = framework_id_, answered](caf::error err) {
    if (answered->exchange(true))
      return; // once only
    if (auto a = caf::actor_cast<caf::actor>(addr))
      caf::anon_send(a, framework_id_stored_atom::value, token, id, std::move(err), false);
  };
  self_->delayed_send(self_, opts_.framework_id_store_timeout, framework_id_stored_atom::value,
                      token, framework_id_, make_error(errc::timeout), true);
  try {
    opts_.store_framework_id(framework_id_, std::move(done));
  } catch (const std::exception& e) {
    shut_down(make_error(errc::framework_id_not_stored,
                         "framework id " + framework_id_ + ": the store threw: " + e.what()));
  } catch (...) {
    shut_down(make_error(errc::framework_id_not_stored,
                         "framework id " + framework_id_ + ": the store threw"));
  }
}

void scheduler_core::on_framework_id_stored(std::uint64_t token, const std::string& id,
                                            const caf::error& err, bool timeout) {
  if (stopped())
    return;
  bool current = held_ && held_->token == token;
  if (timeout && !current)
    return; // answered in time, or its stream went
  if (err) {
    // Also a late failure of a stream that broke meanwhile: the id is still unrecorded,
    // and this framework must not run on without it.
    if (id != framework_id_ || id == stored_id_)
      return;
    held_.reset();
    auto why = timeout ? "no answer from the store within "
                           + std::to_string(opts_.framework_id_store_timeout.count()) + " ms"
                       : "the store failed: " + describe(err);
    shut_down(make_error(errc::framework_id_not_stored, "framework id " + id + ": " + why));
    return;
  }
  if (id == framework_id_)
    stored_id_ = id;
  if (!current)
    return;
  auto held = std::move(*held_);
  held_.reset();
  finish_subscribed(held.subscribed, held.previous);
  if (stopped() || held.generation != generation_)
    return;
  handle_taken(held.generation);
  // Records that came meanwhile: their notice was skipped while held.
  if (inbox_)
    self_->send(self_, scheduler_events{generation_, inbox_});
}

void scheduler_core::finish_subscribed(const Event::Subscribed& s, const std::string& previous) {
  stream_id_ = pending_stream_id_;
  heartbeat_interval_ = heartbeat_interval_of(s);
  // Attempts made before the first SUBSCRIBED counted against max_num_subscribe; from
  // now on they count against max_num_resubscribe, and only a subscription that proves
  // stable (lose_connection) resets them.
  if (!resubscribing_phase_)
    failures_ = 0;
  resubscribing_phase_ = true;
  subscribed_at_ = std::chrono::steady_clock::now();
  auth_failures_ = 0;
  rotation_.succeeded();
  open_call_channel();
  if (ever_subscribed_)
    counters::add(counters_.reconnects);
  set_state(scheduler_state::subscribed, log_level::info,
            "framework " + framework_id_ + " on " + rotation_.current().url(),
            {{"framework_id", framework_id_},
             {"master", rotation_.current().url()},
             {"heartbeat_interval_ms", std::to_string(heartbeat_interval_.count())}});
  if (!previous.empty() && previous != framework_id_)
    log_(log_level::warning, "framework_id_changed", "the master assigned a new framework id " + framework_id_
                               + " instead of " + previous);
  if (opts_.on_framework_id) {
    invoke("on_framework_id", [&] {
      opts_.on_framework_id(framework_id_);
      return action::keep;
    });
  }
  // Calls queued while disconnected go out before anything the callback sends.
  while (!stopped() && !queue_.empty()) {
    auto next = std::move(queue_.front());
    queue_.pop_front();
    if (auto it = pending_.find(next.id); it != pending_.end())
      it->second.made = std::chrono::steady_clock::now(); // latency counts from sending
    transmit(next.id, next.call);
  }
  bool first = !ever_subscribed_;
  ever_subscribed_ = true;
  if (first)
    invoke("registered", [&] { return behaviour_->registered(*this, s); });
  else
    invoke("reregistered", [&] { return behaviour_->reregistered(*this, s); });
  if (!stopped())
    arm_watchdog(watchdog_limit());
}

void scheduler_core::handle_error_event(const Event::Error& e) {
  invoke("error", [&] { return behaviour_->error(*this, e); });
  if (stopped())
    return;
  const auto& text = e.message();
  if (teardown_sent_) {
    log_(log_level::info, "torn_down", "framework " + framework_id_ + " torn down (ERROR: " + text + ")",
         {{"framework_id", framework_id_}});
    shut_down(caf::none);
  } else if (text.find("Framework failed over") != std::string::npos) {
    shut_down(make_error(errc::framework_failed_over, text + " (another instance subscribed with "
                                                   + framework_id_ + ")"));
  } else if (state_ != scheduler_state::subscribed) {
    std::string why = "ERROR from " + rotation_.current().url() + ": " + text;
    if (!framework_id_.empty() && info_.failover_timeout() <= 0)
      why += " (failover_timeout is 0: the master removed the framework when its connection broke)";
    shut_down(make_error(errc::subscription_refused, why));
  } else {
    shut_down(make_error(errc::master_error, text));
  }
}

void scheduler_core::handle_update(const Event::Update& u) {
  const auto& status = u.status();
  update_uuid_ = status.has_uuid() ? &status.uuid() : nullptr;
  update_acked_ = false;
  invoke("status_update", [&] { return behaviour_->status_update(*this, u); });
  bool ack = opts_.auto_acknowledge && update_uuid_ != nullptr && !update_acked_ && !stopped();
  update_uuid_ = nullptr;
  if (ack)
    scheduler_context::acknowledge(status);
}

void scheduler_core::handle_operation_update(const Event::UpdateOperationStatus& u) {
  const auto& status = u.status();
  bool ackable = status.has_uuid() && status.has_agent_id() && status.has_operation_id();
  update_uuid_ = ackable ? &status.uuid().value() : nullptr;
  update_acked_ = false;
  invoke("operation_status_update",
         [&] { return behaviour_->operation_status_update(*this, u); });
  bool ack = opts_.auto_acknowledge && update_uuid_ != nullptr && !update_acked_ && !stopped();
  update_uuid_ = nullptr;
  if (ack)
    acknowledge_operation_status(status.agent_id(),
                                 status.has_resource_provider_id() ? &status.resource_provider_id()
                                                                   : nullptr,
                                 status.uuid().value(), status.operation_id());
}

void scheduler_core::on_stream_closed(transport::stream_closed& c) {
  if (stopped() || c.generation != generation_)
    return;
  std::string why = "stream from " + rotation_.current().url() + " ended: " + to_string(c.kind);
  if (!c.detail.empty())
    why += " (" + c.detail + ")";
  if (c.kind == transport::stream_end::decode_error
      || c.kind == transport::stream_end::recordio_error)
    counters::add(counters_.decode_errors);
  if (teardown_sent_) {
    // The master closes the stream of a framework it removed.
    log_(log_level::info, "torn_down", "framework " + framework_id_ + " torn down (" + why + ")",
         {{"framework_id", framework_id_}});
    shut_down(caf::none);
  } else if (state_ == scheduler_state::subscribed) {
    lose_connection(why);
  } else {
    attempt_failed(why);
  }
}

// --- heartbeat watchdog ----------------------------------------------------------------

milliseconds scheduler_core::watchdog_limit() const {
  if (state_ == scheduler_state::subscribed)
    return heartbeat_interval_ + opts_.heartbeat_timeout_window;
  return opts_.subscribe_timeout;
}

void scheduler_core::arm_watchdog(milliseconds after) {
  self_->delayed_send(self_, after, watchdog_atom::value, generation_);
}

void scheduler_core::on_watchdog(std::uint64_t generation) {
  // Timers cannot be cancelled: a stale one (older generation) is ignored.
  if (stopped() || generation != generation_)
    return;
  if (held_ && held_->generation == generation) {
    // SUBSCRIBED came; the id's store has its own time limit.
    arm_watchdog(watchdog_limit());
    return;
  }
  auto limit = watchdog_limit();
  auto silent = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now()
                                                         - last_event_);
  if (silent < limit) {
    arm_watchdog(limit - silent);
    return;
  }
  auto why = "no event from " + rotation_.current().url() + " for "
             + std::to_string(silent.count()) + " ms";
  if (state_ == scheduler_state::subscribed)
    lose_connection(why + " (heartbeat interval + window = " + std::to_string(limit.count())
                    + " ms)");
  else if (!pending_stream_id_.empty()) // the 200 came
    attempt_failed(why + " after the 200 answer (no SUBSCRIBED)");
  else
    attempt_failed(why + ": no answer to SUBSCRIBE within subscribe_timeout");
}

// --- calls --------------------------------------------------------------------------

void scheduler_core::open_call_channel() {
  transport::call_channel_config cfg;
  cfg.http = http_.for_peer(rotation_.current(), opts_.request_timeout);
  cfg.generation = ++channel_generation_;
  cfg.max_pipelined = opts_.max_pipelined_calls;
  io_.open_channel(std::move(cfg), opts_.direct_calls);
}

void scheduler_core::channel_died(const caf::error& reason) {
  if (stopped())
    return; // the pending calls were answered "stopped"
  auto why = "the call channel ended: " + describe(reason);
  log_(log_level::warning, "call_channel_died", why, {{"reason", describe(reason)}});
  // The new channel comes first, so calls the outcomes' callbacks make have one.
  auto lost = detail::io_children::cut_short(pending_, channel_generation_, why);
  if (state_ == scheduler_state::subscribed)
    open_call_channel();
  for (auto& r : lost)
    on_call_result(r);
}

call_id scheduler_core::send(Call call, call_continuation k) {
  auto id = next_call_id_++;
  auto type = call.type();
  if (update_uuid_ != nullptr
      && ((type == Call::ACKNOWLEDGE && call.acknowledge().uuid() == *update_uuid_)
          || (type == Call::ACKNOWLEDGE_OPERATION_STATUS
              && call.acknowledge_operation_status().uuid() == *update_uuid_)))
    update_acked_ = true;
  pending_.emplace(id, pending_call{type, std::move(k), std::chrono::steady_clock::now(), {}});
  if (stopped()) {
    post_local_outcome(id, type, errc::stopped, "the scheduler is stopping");
    return id;
  }
  if (type == Call::UNKNOWN) {
    // A real Mesos 1.12 master aborts (CHECK failure in its per-framework call
    // metrics) on an UNKNOWN call from a subscribed framework: never send one.
    post_local_outcome(id, type, errc::bad_option,
                       "a call of type UNKNOWN is not sent (a Mesos 1.12 master aborts on it)");
    return id;
  }
  if (type == Call::SUBSCRIBE) {
    // The subscription is the actor's own: a SUBSCRIBE on the call channel would
    // turn that connection into a second event stream.
    post_local_outcome(id, type, errc::bad_option,
                       "SUBSCRIBE is made by the scheduler actor itself, not as a call");
    return id;
  }
  if (state_ != scheduler_state::subscribed) {
    if (opts_.calls_while_disconnected == disconnected_call_policy::fail_fast) {
      post_local_outcome(id, type, errc::not_subscribed,
                         std::string{"no subscription (state "} + to_string(state_) + ")");
    } else if (queue_.size() >= opts_.max_queued_calls) {
      post_local_outcome(id, type, errc::queue_full,
                         std::to_string(queue_.size()) + " calls already queued (max_queued_calls)");
    } else {
      queue_.push_back(queued_call{id, std::move(call)});
    }
    return id;
  }
  if (pending_.size() > opts_.max_calls_in_flight) {
    post_local_outcome(id, type, errc::queue_full,
                       std::to_string(pending_.size() - 1) + " calls in flight (max_calls_in_flight)");
    return id;
  }
  transmit(id, call);
  return id;
}

void scheduler_core::transmit(call_id id, Call& call) {
  if (!call.has_framework_id() && !framework_id_.empty())
    call.mutable_framework_id()->set_value(framework_id_);
  if (call.type() == Call::UPDATE_FRAMEWORK && call.has_update_framework()
      && !call.update_framework().framework_info().has_id() && !framework_id_.empty())
    call.mutable_update_framework()->mutable_framework_info()->mutable_id()->set_value(
      framework_id_);
  teardown_sent_ = teardown_sent_ || call.type() == Call::TEARDOWN;
  transport::call_request req;
  req.call_id = id;
  req.body = encode(call, opts_.content);
  req.stream_id = stream_id_;
  if (log_.enabled(log_level::debug))
    log_(log_level::debug, "call", Call::Type_Name(call.type()),
         {{"type", Call::Type_Name(call.type())}, {"call_id", std::to_string(id)}});
  if (auto it = pending_.find(id); it != pending_.end())
    it->second.channel_generation = channel_generation_;
  io_.send_call(std::move(req));
}

void scheduler_core::post_local_outcome(call_id id, Call::Type type, errc code,
                                        const std::string& why) {
  call_outcome o;
  o.id = id;
  o.type = type;
  o.result = call_outcome::status::not_sent;
  o.error = make_error(code, why);
  using detail::call_result_kind;
  counters_.call(type, code == errc::not_subscribed ? call_result_kind::not_subscribed
                       : code == errc::queue_full   ? call_result_kind::queue_full
                       : code == errc::stopped      ? call_result_kind::stopped
                                                    : call_result_kind::not_sent);
  self_->send(self_, outcome_atom::value, std::move(o));
}

void scheduler_core::on_local_outcome(call_outcome& o) {
  deliver(o);
}

void scheduler_core::on_call_result(transport::call_result& r) {
  auto it = pending_.find(r.call_id);
  if (it == pending_.end())
    return;
  call_outcome o;
  o.id = r.call_id;
  o.type = it->second.type;
  o.http_status = r.status;
  o.body = std::move(r.body);
  auto latency = std::chrono::steady_clock::now() - it->second.made;
  counters_.latency.observe(latency);
  using detail::call_result_kind;
  if (r.status == 200 || r.status == 202) {
    o.result = call_outcome::status::accepted;
    counters_.call(o.type, call_result_kind::accepted);
  } else if (r.status == 0) {
    o.result = call_outcome::status::transport_error;
    o.error = make_error(r.timed_out ? errc::timeout : errc::transport_error,
                         Call::Type_Name(o.type) + ": " + r.transport_error);
    counters_.call(o.type, r.timed_out ? call_result_kind::timeout
                                       : call_result_kind::transport_error);
  } else {
    o.result = call_outcome::status::rejected;
    o.error = make_error(errc::rejected, Call::Type_Name(o.type) + ": " + http_summary(r.status, o.body));
    counters_.rejected(o.type, r.status);
  }
  if (log_.enabled(log_level::debug)) {
    auto type_name = Call::Type_Name(o.type); // a descriptor lookup: only when logged
    log_(log_level::debug, "call_result", type_name + ": " + to_string(o.result),
         {{"type", type_name},
          {"outcome", to_string(o.result)},
          {"status", std::to_string(r.status)},
          {"latency_us", std::to_string(
             std::chrono::duration_cast<std::chrono::microseconds>(latency).count())}});
  }
  bool torn_down = o.type == Call::TEARDOWN && o.ok();
  deliver(o);
  if (torn_down && !stopped()) {
    log_(log_level::info, "torn_down", "framework " + framework_id_ + " torn down",
         {{"framework_id", framework_id_}});
    shut_down(caf::none);
  }
}

void scheduler_core::send_for(Call call, caf::response_promise reply) {
  if (stopped()) {
    reply.deliver(make_error(errc::stopped, "the scheduler is stopping"));
    return;
  }
  // send() keeps every call in pending_ until its outcome is delivered.
  auto id = send(std::move(call), nullptr);
  if (auto it = pending_.find(id); it != pending_.end())
    it->second.reply = std::move(reply);
}

void scheduler_core::answer_pending_stopped() {
  for (auto& [id, call] : pending_)
    if (call.reply.pending())
      call.reply.deliver(make_error(errc::stopped, "the scheduler stopped before the "
                                                     + Call::Type_Name(call.type)
                                                     + " call's outcome was known"));
}

void scheduler_core::deliver(call_outcome& o) {
  auto it = pending_.find(o.id);
  if (it == pending_.end())
    return;
  auto k = std::move(it->second.k);
  auto reply = std::move(it->second.reply);
  pending_.erase(it);
  if (reply.pending()) {
    if (o.ok())
      reply.deliver(o);
    else
      reply.deliver(o.error);
  } else if (k)
    invoke("call continuation", [&] { return k(*this, o); });
  else if (!o.ok())
    invoke("call_failed", [&] { return behaviour_->call_failed(*this, o); });
}

// --- other messages and the end -------------------------------------------------------

void scheduler_core::on_info(caf::message& msg) {
  invoke("handle_info", [&] { return behaviour_->handle_info(*this, msg); });
}

void scheduler_core::on_exit_request(const caf::error& reason) {
  shut_down(reason);
}

void scheduler_core::on_exit(caf::exit_msg& m) {
  io_.route_exit(m, *this);
}

void scheduler_core::stop(caf::error reason) {
  if (stopped())
    return;
  if (callback_depth_ > 0) { // after the callback returns, as the executor does
    if (!stop_request_)
      stop_request_ = std::move(reason);
    return;
  }
  shut_down(std::move(reason));
}

void scheduler_core::shut_down(caf::error reason, bool gave_up) {
  if (stopped())
    return;
  auto why = describe(reason);
  set_state(scheduler_state::stopped,
            gave_up ? log_level::error : reason ? log_level::warning : log_level::info, why,
            {{"reason", why}}, gave_up ? "gave_up" : nullptr);
  stop_stream();
  if (!queue_.empty())
    log_(log_level::warning, "queued_calls_dropped", "dropping " + std::to_string(queue_.size())
                               + " calls queued while disconnected");
  queue_.clear();
  try {
    behaviour_->terminate(*this, reason);
  } catch (const std::exception& e) {
    log_(log_level::error, "terminate_threw", std::string{"terminate threw: "} + e.what());
  } catch (...) {
    log_(log_level::error, "terminate_threw", "terminate threw an unknown exception");
  }
  // Ends after the calls already sent, so those still go out (e.g. TEARDOWN).
  io_.close_channel();
  answer_pending_stopped();
  self_->quit(std::move(reason));
}

} // namespace mesos_actor
