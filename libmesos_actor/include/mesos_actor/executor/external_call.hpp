#pragma once
// Making the executor's calls (UPDATE, MESSAGE) from outside its callbacks: from
// another actor (a message protocol on the executor actor's handle) or from a plain
// thread (update_executor / message_executor, or host::update_executor /
// host::message_executor by ref).
//
// Protocol. Send the executor actor a request
//
//   self->request(executor_actor, timeout, executor_update_atom::value, status)
//     .then([](const std::string& uuid) { ... }, [](const caf::error& e) { ... });
//   self->request(executor_actor, timeout, executor_message_atom::value, data)
//     .then([](caf::ok_atom) { ... }, [](const caf::error& e) { ... });
//
// The actor makes the call with executor_context::update / message, in the order the
// requests arrive, so the stamping (uuid, source, ids, timestamp), the checks and the
// limits are the same as for a callback's call. The answer:
//  - UPDATE: the update's uuid once the library keeps the update for delivery: the
//    agent accepted it, or (not subscribed, agent unreachable, 503, 403) it stays
//    unacknowledged and goes out with the next SUBSCRIBE, as Mesos's executor driver
//    does. Otherwise the error: rejected (no task_id, TASK_STAGING, the agent's 4xx),
//    queue_full (max_unacknowledged_updates, max_calls_in_flight), stopped.
//  - MESSAGE: ok_atom once the agent accepted it; otherwise the error: not_subscribed,
//    rejected, transport_error, timeout, queue_full, stopped.
//  - CAF's sec::request_receiver_down when the actor is not running, and
//    sec::request_timeout after the request's own timeout.
// A failed outside call is answered, not reported to executor::call_failed.

#include <chrono>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/message_types.hpp" // TaskStatus travels in messages

namespace mesos_actor {

/// Tag of an UPDATE request: (executor_update_atom, TaskStatus) -> uuid (std::string).
using executor_update_atom = caf::atom_constant<caf::atom("exec_upd")>;
/// Tag of a MESSAGE request: (executor_message_atom, std::string data) -> ok_atom.
using executor_message_atom = caf::atom_constant<caf::atom("exec_msg")>;

/// Sends an UPDATE for `status` through `executor_actor` and waits at most `timeout`:
/// the update's uuid, or the error (see the protocol above); errc::stopped when the
/// actor is invalid or not running, errc::timeout when the wait ran out. Blocks the
/// calling thread: never call it from an actor handler (use the protocol there).
caf::expected<std::string> update_executor(caf::actor_system& sys,
                                           const caf::actor& executor_actor,
                                           mesos::v1::TaskStatus status,
                                           std::chrono::milliseconds timeout);

/// Sends a MESSAGE with `data` through `executor_actor` and waits at most `timeout`:
/// none once the agent accepted it, otherwise the error, as update_executor.
caf::error message_executor(caf::actor_system& sys, const caf::actor& executor_actor,
                            std::string data, std::chrono::milliseconds timeout);

} // namespace mesos_actor
