#pragma once
// Making a scheduler call from outside the scheduler's callbacks: from another actor
// (a message protocol on the scheduler actor's handle) or from a plain thread
// (call_scheduler, or host::call_scheduler by ref). Like erl_mesos's calls, which
// take the SchedulerInfo and return ok | {error, Reason} from any process.
//
// Protocol. Send the scheduler actor a request
//
//   self->request(scheduler_actor, timeout, scheduler_call_atom::value, call)
//     .then([](const call_outcome& o) { /* accepted: o.http_status, o.body */ },
//           [](const caf::error& e) { /* why not (see below) */ });
//
// where `call` is a mesos::v1::scheduler::Call. The actor hands it to the same
// scheduler_context::send as a callback's call, in the order the requests arrive, so
// the checks, the framework id filling, max_calls_in_flight and the
// calls_while_disconnected policy are the same. The answer comes once the call's
// outcome is known:
//  - the call_outcome when the master accepted the call (202, or 200 with a body);
//  - otherwise the outcome's error, an errc of category "mesos": not_subscribed
//    (fail_fast policy), queue_full, bad_option (a call of type UNKNOWN or
//    SUBSCRIBE), rejected (HTTP status and body in the detail), transport_error,
//    timeout (request_timeout), or stopped (the scheduler ended before the call's
//    outcome was known, e.g. queued calls dropped at its end);
//  - CAF's sec::request_receiver_down when the actor is not running, and
//    sec::request_timeout after the request's own timeout (the call may then still
//    go out: the timeout only stops the waiting).
// A failed outside call is answered, not reported to scheduler::call_failed.

#include <chrono>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/message_types.hpp" // Call and call_outcome travel in messages
#include "mesos_actor/scheduler/call_outcome.hpp"

namespace mesos_actor {

/// Tag of a call request to a scheduler actor: (scheduler_call_atom, Call) -> call_outcome.
using scheduler_call_atom = caf::atom_constant<caf::atom("sched_call")>;

/// Makes `call` through `scheduler_actor` and waits for its outcome, at most `timeout`:
/// the outcome when the master accepted the call, otherwise its error (see the protocol
/// above), errc::stopped when the actor is invalid or not running, errc::timeout when
/// the wait ran out. Calls made one after the other from one thread reach the master
/// in that order. It blocks the calling thread: call it from a plain thread, never
/// from an actor handler (use the request protocol there).
caf::expected<call_outcome> call_scheduler(caf::actor_system& sys,
                                           const caf::actor& scheduler_actor,
                                           mesos::v1::scheduler::Call call,
                                           std::chrono::milliseconds timeout);

} // namespace mesos_actor
