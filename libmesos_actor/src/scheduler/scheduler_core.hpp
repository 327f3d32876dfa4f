#pragma once
// The scheduler actor's state machine (subscribing -> subscribed -> disconnected ->
// resubscribing | stopped) and the context it hands to callbacks. It lives in the
// actor's state and is only touched from the actor's thread.

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>

#include "mesos_actor/detector/detector.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/message_types.hpp"
#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/scheduler/behaviour.hpp"
#include "client/io_children.hpp"
#include "log/logger.hpp"
#include "metrics/counters.hpp"
#include "scheduler/backoff.hpp"
#include "scheduler/event_inbox.hpp"
#include "scheduler/master_rotation.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor {

class scheduler_core final : public scheduler_context {
public:
  using Event = mesos::v1::scheduler::Event;
  using Call = mesos::v1::scheduler::Call;

  scheduler_core(caf::event_based_actor* self, std::unique_ptr<scheduler> behaviour,
                 scheduler_options opts);
  /// Stops the workers (also when the actor is killed).
  ~scheduler_core() override;

  /// Validates the options, runs init and starts subscribing. Returns the reason the
  /// actor quits with when init declined or failed, none when it is subscribing.
  caf::error start();

  // --- messages ------------------------------------------------------------------
  void on_stream_response(transport::stream_response& r);
  void on_events(scheduler_events& batch);
  void on_stream_closed(transport::stream_closed& c);
  void on_call_result(transport::call_result& r);
  void on_local_outcome(call_outcome& o);
  void on_watchdog(std::uint64_t generation);
  void on_subscribe_timer(std::uint64_t token);
  /// store_framework_id answered (err none: stored), or its time limit passed (timeout).
  void on_framework_id_stored(std::uint64_t token, const std::string& id, const caf::error& err,
                              bool timeout);
  void on_info(caf::message& msg);
  void on_exit_request(const caf::error& reason);
  /// An exit signal: from the stream worker or the call channel (a child that died is
  /// replaced per policy), or from a supervisor or another linked actor.
  void on_exit(caf::exit_msg& m);
  // What io_children::route_exit asks of its core.
  bool ending() const { return stopped(); }
  std::uint64_t stream_generation() const { return generation_; }
  void exit_requested(caf::error reason) { shut_down(std::move(reason)); }
  void channel_died(const caf::error& reason);
  /// The actor's I/O children, as supervisor::which_children rows.
  std::vector<supervisor::child_info> which_children() const { return io_.which(); }
  /// The zk:// detector names a new leader (or none): move there promptly.
  void on_leader(const master_leader& leader);

  // --- scheduler_context -----------------------------------------------------------
  scheduler_state state() const override { return state_; }
  void stop(caf::error reason) override;
  const std::string& framework_id() const override { return framework_id_; }
  std::string master_url() const override { return rotation_.current().url(); }
  const std::string& stream_id() const override { return stream_id_; }
  std::chrono::milliseconds heartbeat_interval() const override { return heartbeat_interval_; }
  const mesos::v1::FrameworkInfo& framework_info() const override { return info_; }
  caf::local_actor* self() override { return self_; }
  metrics::framework_snapshot metrics() const override { return metrics_->snapshot(); }
  call_id send(Call call, call_continuation k) override;
  /// A call from outside the callbacks (scheduler_call_atom): made through send(), its
  /// outcome answers `reply` (the outcome when accepted, its error otherwise).
  void send_for(Call call, caf::response_promise reply);

private:
  struct pending_call {
    Call::Type type;
    call_continuation k;
    std::chrono::steady_clock::time_point made;  // for the latency histogram
    caf::response_promise reply;                 // an outside caller's (send_for)
    std::uint64_t channel_generation = 0;        // the channel it went out on (0: not yet)
  };
  struct queued_call {
    call_id id;
    Call call;
  };

  void on_event(Event& event);
  void on_bad_record(std::uint64_t index, const std::string& problem);
  /// The end: shut_down() ran (or start() failed). Nothing moves the state on.
  bool stopped() const { return state_ == scheduler_state::stopped; }
  /// Moves to `s` and logs it once (event = the state's name unless given).
  void set_state(scheduler_state s, log_level level, std::string message,
                 std::vector<log_field> fields = {}, const char* event = nullptr);
  void subscribe_now();
  void attempt_failed(const std::string& why);
  /// Attempts of the current phase before giving up (per_master: per master, times masters).
  std::size_t attempt_limit() const;
  void schedule_subscribe(std::chrono::milliseconds delay);
  void lose_connection(const std::string& why);
  void handle_subscribed(const Event::Subscribed& s);
  /// The rest of SUBSCRIBED, once its framework id is stored (or needs no store).
  void finish_subscribed(const Event::Subscribed& s, const std::string& previous);
  /// Handles the records in taken_ from next_record_ on (stops early while held).
  void handle_taken(std::uint64_t generation);
  std::chrono::milliseconds heartbeat_interval_of(const Event::Subscribed& s);
  void handle_error_event(const Event::Error& e);
  void handle_update(const Event::Update& u);
  void handle_operation_update(const Event::UpdateOperationStatus& u);
  void arm_watchdog(std::chrono::milliseconds after);
  std::chrono::milliseconds watchdog_limit() const;
  void stop_stream();
  void open_call_channel();
  void transmit(call_id id, Call& call);
  void post_local_outcome(call_id id, Call::Type type, errc code, const std::string& why);
  void deliver(call_outcome& outcome);
  /// Answers the outside callers whose calls have no outcome yet: errc::stopped.
  void answer_pending_stopped();
  // --- zk:// master detection (leader_following.cpp) ----------------------------------
  /// With a zk:// master: subscribes to a (shared or own) detector and returns true.
  bool start_detection();
  /// Where the first attempt goes, for the log: the first master, or the zk:// URL
  /// (without its password) while the leader is not known yet.
  std::string first_master_text() const;
  void stop_detection();

  /// Ends the actor; `gave_up` logs the end as the scheduler giving up.
  void shut_down(caf::error reason, bool gave_up = false);
  int callback_depth_ = 0;                   ///< invoke() calls in progress
  std::optional<caf::error> stop_request_;   ///< stop() made inside a callback

  /// Runs a callback; obeys action::stop and turns exceptions into an exit reason.
  template <class F>
  void invoke(const char* what, F&& f);

  caf::event_based_actor* self_;
  std::unique_ptr<scheduler> behaviour_;
  scheduler_options opts_;
  transport::http_settings http_;  // from opts_, built once; each connection adds its master
  detail::logger log_;
  std::shared_ptr<metrics::framework_metrics> metrics_;
  detail::counters& counters_;
  master_rotation rotation_;
  backoff_policy backoff_;
  std::mt19937_64 rng_;

  scheduler_state state_ = scheduler_state::subscribing;
  bool ever_subscribed_ = false;
  bool resubscribing_phase_ = false;
  bool teardown_sent_ = false;  // the end of the stream is then expected
  std::size_t failures_ = 0;
  std::size_t auth_failures_ = 0;  // 401/403 answers to SUBSCRIBE in a row
  std::string last_failure_;
  std::uint64_t retry_token_ = 0;

  // zk:// master detection: the detector and the leader it last named.
  bool detecting_ = false;
  caf::actor detector_;
  bool own_detector_ = false;
  std::optional<endpoint> detected_leader_;

  mesos::v1::FrameworkInfo info_;
  std::string framework_id_;
  std::string stream_id_;
  std::chrono::milliseconds heartbeat_interval_{0};
  std::chrono::steady_clock::time_point subscribed_at_;  // of the last SUBSCRIBED

  // Current subscription stream.
  std::uint64_t generation_ = 0;
  std::string pending_stream_id_;  // from the 200 answer; empty until it came
  std::chrono::steady_clock::time_point last_event_;
  std::shared_ptr<scheduler_event_inbox> inbox_;
  record_batch taken_;               // records taken from the inbox, being handled
  std::uint64_t records_taken_ = 0;  // of this stream, before taken_
  Event event_;                      // the one being handled (reused: decoding keeps its allocations)
  content_type taken_encoding_{};    // of the records in taken_
  std::size_t next_record_ = 0;      // the next one of taken_ to handle

  // A SUBSCRIBED held until store_framework_id answers: the rest of taken_ and the
  // inbox wait (on_events takes nothing meanwhile).
  struct held_subscription {
    std::uint64_t token = 0;
    std::uint64_t generation = 0;
    Event::Subscribed subscribed;
    std::string previous; // the framework id before it
  };
  std::optional<held_subscription> held_;
  std::uint64_t store_token_ = 0;
  std::string stored_id_; // the framework id known to be stored (options or store)

  // The stream worker and the call channel, linked to the actor.
  detail::io_children io_;

  // Calls.
  std::uint64_t channel_generation_ = 0;
  call_id next_call_id_ = 1;
  std::unordered_map<call_id, pending_call> pending_;
  std::deque<queued_call> queue_;

  // Auto-acknowledgement of the update whose callback is running.
  const std::string* update_uuid_ = nullptr;
  bool update_acked_ = false;
};

} // namespace mesos_actor
