#pragma once
// The executor actor's state and logic: the connection state machine
// (subscribing -> subscribed -> disconnected -> ...), recovery with one timeout per
// outage, SHUTDOWN with its grace period, the unacknowledged lists, the calls and
// their outcomes. It is also the executor_context handed to the behaviour. Only the
// actor's thread touches it.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <caf/behavior.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "mesos_actor/executor/behaviour.hpp"
#include "mesos_actor/executor/environment.hpp"
#include "mesos_actor/executor/options.hpp"
#include "mesos_actor/message_types.hpp"
#include "client/io_children.hpp"
#include "executor/timers.hpp"
#include "log/logger.hpp"
#include "metrics/counters.hpp"
#include "executor/unacknowledged.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor::detail {

enum class phase {
  subscribing,   ///< a SUBSCRIBE is on its way (first or re-subscription)
  subscribed,    ///< SUBSCRIBED arrived on the open stream
  disconnected,  ///< no stream; waiting for the next attempt
};

/// The executor's own life, beside its connection phase: a SHUTDOWN may come while
/// subscribed, and the last calls drain on the open channel. Each step only goes on.
enum class lifecycle {
  running,        ///< serving the agent
  shutting_down,  ///< SHUTDOWN (or an agent lost without checkpointing): grace period runs
  finishing,      ///< ending: the calls already sent may still be answered (drain_timeout)
  finished,       ///< terminate() ran; the actor quits
};

class executor_core final : public executor_context {
public:
  executor_core(caf::event_based_actor* self, std::unique_ptr<executor> behaviour,
                executor_options opts, executor_environment env);
  ~executor_core() override;

  /// Runs init and sends the first SUBSCRIBE; returns the actor's behavior.
  caf::behavior start();

  // --- executor_context --------------------------------------------------------
  const executor_environment& environment() const override { return env_; }
  metrics::framework_snapshot metrics() const override { return metrics_->snapshot(); }
  bool subscribed() const override { return phase_ == phase::subscribed; }
  const mesos::v1::executor::Event::Subscribed& subscription() const override {
    return subscription_;
  }
  std::string update(mesos::v1::TaskStatus status) override;
  void message(std::string data) override;
  std::vector<mesos::v1::TaskInfo> unacknowledged_tasks() const override;
  std::vector<mesos::v1::executor::Call::Update> unacknowledged_updates() const override;
  caf::event_based_actor* self() override { return self_; }
  void stop(caf::error reason) override;

  // --- calls from outside the callbacks (executor/external_call.hpp) ----------------
  /// update() for an outside caller: `reply` gets the uuid once the library keeps the
  /// update for delivery (accepted, or kept for the next SUBSCRIBE), else the error.
  void update_for(mesos::v1::TaskStatus status, caf::response_promise reply);
  /// message() for an outside caller: `reply` gets ok_atom once the agent accepted it,
  /// else the error.
  void message_for(std::string data, caf::response_promise reply);

private:
  using call = mesos::v1::executor::Call;
  using event = mesos::v1::executor::Event;

  struct pending_call {
    call c;
    std::uint64_t channel_generation = 0;
    bool library_call = false;  // HEARTBEAT: outcome is not the user's business
    std::chrono::steady_clock::time_point made{};  // for the latency histogram
    caf::response_promise reply;                   // an outside caller's
  };

  // --- behaviour invocation ------------------------------------------------------
  /// Runs init; false when it declined (the actor is then already ending).
  bool run_init();
  template <class F>
  void invoke(const char* name, F&& f);
  /// Reports a failed call to call_failed after the running callback, or answers the
  /// outside caller whose call it is.
  /// The outcome's kind, and the agent's answer (http_status 0: none), as given.
  void defer_failure(call c, caf::error reason, call_status result = call_status::not_sent,
                     int http_status = 0, std::string body = {});
  /// Answers an outside caller whose call went through: the uuid for an UPDATE.
  static void answer_success(caf::response_promise& reply, const call& c);
  /// Answers every outside caller still waiting: errc::stopped.
  void answer_pending_stopped();
  void flush_deferred_failures();

  // --- subscription ---------------------------------------------------------------
  call base_call(call::Type type) const;
  void subscribe_now();
  void on_stream_response(transport::stream_response& r);
  void on_stream_closed(transport::stream_closed& c);
  void on_event(std::uint64_t generation, event& ev);
  void on_subscribed(const event::Subscribed& subscribed);
  void attempt_failed(const std::string& detail);
  void connection_lost(const std::string& detail);
  void schedule_attempt();
  void arm_recovery();
  /// Whether the last subscription lasted min_stable_subscription (or still does).
  bool subscription_was_stable() const;
  void stop_stream();
  void open_call_channel();
  void drop_channel(const std::string& detail);
  /// An exit signal: from the stream worker or the call channel (a child that died is
  /// replaced), or from a supervisor or another linked actor (the executor ends).
  void on_exit(caf::exit_msg& m);
  // What io_children::route_exit asks of its core (it may call on_stream_closed too).
  friend class mesos_actor::detail::io_children;
  bool ending() const { return finishing(); }
  std::uint64_t stream_generation() const { return stream_generation_; }
  void exit_requested(caf::error reason) { begin_finish(std::move(reason)); }
  void channel_died(const caf::error& reason);

  // --- calls ------------------------------------------------------------------------
  void send_call(call c, bool library_call);
  void on_call_result(transport::call_result& r);
  void send_heartbeat();
  /// An UPDATE the agent could not take now (503, transport failure): sent again after
  /// update_retry_interval while this subscription lasts, else with the next SUBSCRIBE.
  void update_refused(const call& c, const caf::error& reason, std::uint64_t generation, int status);
  void resend_refused_updates();

  // --- ending -----------------------------------------------------------------------
  /// Ending or ended: no more callbacks, calls or attempts.
  bool finishing() const { return life_ >= lifecycle::finishing; }
  void begin_shutdown(caf::error reason);
  void begin_finish(caf::error reason);
  void complete_finish();
  void on_timer(timer kind, std::uint64_t token);
  void arm(timer kind, std::chrono::nanoseconds delay);
  std::uint64_t& token(timer kind);

  /// Records the phase in the metrics (phase_ itself is set by the callers).
  void record_state(const char* state);

  caf::event_based_actor* self_;
  std::unique_ptr<executor> behaviour_;
  executor_options opts_;
  executor_environment env_;
  transport::http_settings http_;  // to the agent, from opts_ and env_, built once
  detail::logger log_;
  std::shared_ptr<metrics::framework_metrics> metrics_;
  detail::counters& counters_;
  std::size_t attempt_ = 0;  // subscription attempts since the last stable subscription
  std::chrono::steady_clock::time_point subscribed_at_;  // of the last SUBSCRIBED

  phase phase_ = phase::subscribing;
  bool ever_subscribed_ = false;
  event::Subscribed subscription_;
  call::Subscribe initial_subscribe_;  // from init, used for the first SUBSCRIBE only
  unacknowledged unacked_;
  std::vector<std::string> uuids_in_subscribe_;  // updates carried by the current SUBSCRIBE
  std::vector<std::string> refused_uuids_;       // to send again on timer::update_retry
  std::string last_failure_;

  std::uint64_t stream_generation_ = 0;
  std::uint64_t channel_generation_ = 0;
  detail::io_children io_;  // the stream worker and the call channel, linked to the actor
  std::uint64_t next_call_id_ = 0;
  std::map<std::uint64_t, pending_call> in_flight_;
  std::vector<executor_call_outcome> deferred_failures_;
  bool flushing_ = false;
  caf::response_promise outside_reply_;  // of the outside call being made now

  std::map<timer, std::uint64_t> tokens_;
  bool recovery_armed_ = false;

  lifecycle life_ = lifecycle::running;
  caf::error shutdown_reason_;  // of the SHUTDOWN: the exit reason if the grace period runs out
  caf::error exit_reason_;
  std::optional<caf::error> stop_request_;
  int callback_depth_ = 0;

  std::mt19937_64 rng_;
};

} // namespace mesos_actor::detail
