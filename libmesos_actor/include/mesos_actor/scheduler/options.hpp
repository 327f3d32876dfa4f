#pragma once
// Options of a scheduler actor. Every member has a sane default (redis++ style);
// validate() explains the first bad one. The defaults are also written in config/.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>

#include "mesos_actor/detector/detector.hpp"
#include "mesos_actor/log.hpp"
#include "mesos_actor/transport/connection_options.hpp"

namespace mesos_actor {

namespace metrics {
class framework_metrics;
} // namespace metrics

/// What happens to a call made while no subscription is open.
enum class disconnected_call_policy {
  fail_fast,  ///< the call fails at once with errc::not_subscribed
  queue,      ///< the call waits (bounded by max_queued_calls) and goes out after SUBSCRIBED
};

/// How resubscription attempts after a disconnection are counted and spaced.
enum class resubscribe_mode {
  /// max_num_resubscribe attempts in all, moving to the next master after each;
  /// resubscribe_interval before the first, exponential backoff between the others.
  backoff,
  /// erl_mesos's rule: each master of master_hosts in turn (starting with the one
  /// lost) gets max_num_resubscribe attempts, each after resubscribe_interval.
  per_master,
};

/// An asynchronous store of a framework id (scheduler_options::store_framework_id):
/// `done(none)` once stored, `done(error)` when it could not be.
using framework_id_store =
  std::function<void(const std::string& framework_id, std::function<void(caf::error)> done)>;

/// Options of a scheduler actor; every member has a sane default (see validate()).
/// The connection settings (encoding, connect and request timeouts, extra headers,
/// tls, proxy, auth, max_record_size, max_error_body, http_limits) come from
/// connection_options, shared with executor_options.
struct scheduler_options : connection_options {
  /// Masters, tried in order: "host:port", "http://host:port[/path]", "https://...".
  /// Or exactly one "zk://[user:password@]host:port,.../path": the leader is then
  /// the one ZooKeeper names (see `zookeeper`).
  std::vector<std::string> master_hosts{"127.0.0.1:5050"};
  /// The ZooKeeper master detector used with a zk:// master.
  detector_options zookeeper;
  /// A running detector to share (a host passes one per zk:// URL); none = the
  /// scheduler spawns its own and stops it when it ends.
  caf::actor master_detector;

  /// Slack added to SUBSCRIBED.heartbeat_interval_seconds before the connection is
  /// declared dead although the socket is open (erl_mesos: 5000 ms).
  millis heartbeat_timeout_window{5000};
  /// Longest wait for the answer to SUBSCRIBE, and then again for the SUBSCRIBED event.
  millis subscribe_timeout{20000};
  /// Longest wait of a start (start_scheduler_actor, host::start_scheduler, each
  /// restart) for the behaviour's init; past it the start fails and the actor is killed.
  millis init_timeout{60000};

  /// Subscription attempts (each to one master) before giving up at start-up
  /// (exit reason errc::no_master_reachable).
  std::size_t max_num_subscribe = 10;
  /// Resubscription attempts after a disconnection before giving up (exit reason
  /// errc::resubscribe_exhausted). 0 = stop at the first disconnection.
  std::size_t max_num_resubscribe = 10;
  /// Pause before the first resubscription after a disconnection (per_master: before
  /// every one).
  millis resubscribe_interval{0};
  /// How resubscription attempts are counted and spaced: backoff (the default) or
  /// erl_mesos's per_master rule (max_num_resubscribe per master, fixed interval).
  resubscribe_mode resubscription = resubscribe_mode::backoff;
  /// A subscription counts as established only once it has lasted this long after
  /// SUBSCRIBED. One that breaks sooner (e.g. a master that sends a bad record right
  /// after SUBSCRIBED) is a failed resubscription attempt: it backs off and counts
  /// against max_num_resubscribe, so a broken master is never hammered. Only an
  /// established subscription resets the attempt count.
  millis min_stable_subscription{5000};
  /// Exponential backoff between failed attempts: initial * 2^(n-1), capped at max,
  /// shortened by up to `backoff_jitter` (a fraction in [0,1]) at random.
  millis backoff_initial{100};
  /// Upper bound of the backoff.
  millis backoff_max{15000};
  /// Fraction of each backoff removed at random (0 = none, 1 = up to all of it).
  double backoff_jitter = 0.5;
  /// 307 hops followed for one attempt.
  std::size_t max_redirects = 5;

  /// A subscription stream with no bytes for this long is closed (a backstop: the
  /// heartbeat watchdog normally acts first). Must exceed heartbeat interval + window.
  millis stream_read_timeout{90000};
  /// SUBSCRIBE answered 401/403 this many times in a row: give up with
  /// errc::unauthorized. Until then each one is a failed attempt like any other
  /// (backoff, next master), so a token source can supply a fresh token.
  std::size_t max_auth_failures = 3;

  /// Calls made while not subscribed.
  disconnected_call_policy calls_while_disconnected = disconnected_call_policy::fail_fast;
  /// Bound of the queue under disconnected_call_policy::queue.
  std::size_t max_queued_calls = 1024;
  /// Calls sent and not answered yet; one more fails with errc::queue_full.
  std::size_t max_calls_in_flight = 65536;

  /// Acknowledge every status/operation update that carries a uuid, once, after
  /// its callback ran (unless the callback acknowledged it itself).
  bool auto_acknowledge = true;

  /// Framework id from a previous run (e.g. persisted by a host); passed to init.
  std::optional<std::string> framework_id;
  /// Called whenever SUBSCRIBED assigns or confirms the framework id.
  std::function<void(const std::string& framework_id)> on_framework_id;
  /// Asynchronous store of a framework id this scheduler has not stored yet (the first
  /// one the master assigns, or a new one instead of `framework_id`): called on the
  /// actor's thread at SUBSCRIBED, before anything else hears of it; it must return at
  /// once and call `done` once, from any thread, with none (stored) or an error. Until
  /// then the scheduler holds the subscription: on_framework_id, the calls queued while
  /// disconnected, registered/reregistered and the stream's later events all wait. An
  /// error, or no answer within `framework_id_store_timeout`, stops the scheduler with
  /// errc::framework_id_not_stored. A fleet host stores the id in ZooKeeper with it.
  framework_id_store store_framework_id;
  /// Longest wait for `store_framework_id`'s answer.
  millis framework_id_store_timeout{5000};
  /// Asked right before every SUBSCRIBE (first and re-subscriptions): an error stops
  /// the scheduler with that reason instead of subscribing. A fleet host uses it as its
  /// fence (errc::fenced once its ZooKeeper lease ran out). Called on the actor's
  /// thread: keep it quick and non-blocking.
  std::function<caf::error()> subscribe_guard;

  /// Logging of this framework: minimum level, sink (default stderr), framework ref.
  logging_options logging;
  /// Where this framework's counters go; nullptr = a fresh set of its own (read it
  /// with scheduler_context::metrics()). A host sets one per framework ref.
  std::shared_ptr<metrics::framework_metrics> metrics;
};

/// "backoff" or "per_master".
const char* to_string(resubscribe_mode m);

/// The first problem with `opts` as errc::bad_option naming the option, or none.
caf::error validate(const scheduler_options& opts);

} // namespace mesos_actor
