#pragma once
// The library's one error enum, as CAF 0.17 errors of category "mesos". Exit reasons
// of scheduler/executor actors and per-call outcomes use these codes; the context
// message carries a human-readable detail ("503 from http://m1:5050 ...").

#include <cstdint>
#include <optional>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>

namespace mesos_actor {

/// What went wrong, sorted by what the caller can do about it.
enum class errc : std::uint8_t {
  transport_error = 1,     ///< connection refused/reset, TLS failure, I/O error
  timeout,                 ///< a request or connect timeout expired
  protocol_error,          ///< the peer broke the Mesos HTTP protocol (bad RecordIO, missing header...)
  decode_error,            ///< a payload did not decode as the expected message
  rejected,                ///< the master/agent answered 4xx (status + body in the detail)
  unauthorized,            ///< 401/403 on a subscription
  redirect_limit,          ///< more 307 hops than max_redirects
  not_subscribed,          ///< a call made while no subscription is open (fail_fast policy)
  queue_full,              ///< too many calls waiting or in flight
  no_master_reachable,     ///< the first subscription failed on every master/attempt
  resubscribe_exhausted,   ///< after a disconnection every resubscription attempt failed
  framework_failed_over,   ///< ERROR "Framework failed over": another instance took over
  subscription_refused,    ///< 200 then ERROR (e.g. "Framework has been removed"), or 4xx on SUBSCRIBE
  master_error,            ///< an ERROR event on an established subscription
  callback_exception,      ///< a user callback threw; detail = what()
  bad_option,              ///< invalid options; detail names the option
  init_failed,             ///< the behaviour's init declined to start
  stopped,                 ///< the actor stopped before the call could be sent
  bad_environment,         ///< a MESOS_* variable an executor needs is missing or malformed (detail names it)
  agent_disconnected,      ///< an executor of a non-checkpointing framework lost its agent
  recovery_timed_out,      ///< an executor could not (re)subscribe within its recovery/registration timeout
  fenced,                  ///< a fleet framework's host lost its ZooKeeper lease: it must not subscribe
  framework_id_not_stored, ///< scheduler_options::store_framework_id failed or did not answer in time
};

/// The CAF error category of every errc value.
inline constexpr caf::atom_value error_category = caf::atom("mesos");

/// "transport_error", "timeout", ...
const char* to_string(errc code);

/// An error of category "mesos" with an optional detail message.
caf::error make_error(errc code, std::string detail = {});

/// The errc of `err` when it is of category "mesos".
std::optional<errc> error_code(const caf::error& err);

/// The detail string carried by a "mesos" error (empty when none).
std::string error_detail(const caf::error& err);

/// One line for humans: "mesos: resubscribe_exhausted (5 attempts ...)" for our
/// errors, CAF's own rendering for others, "normal" for the empty error.
std::string describe(const caf::error& err);

/// Registers the renderer so actor_system::render() (and CAF's logging of exit
/// reasons) reads like describe().
void add_error_category(caf::actor_system_config& cfg);

} // namespace mesos_actor
