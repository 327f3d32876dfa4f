#pragma once
// Every atom and every non-inspectable type that travels in CAF messages inside the
// library, declared in ONE place. Protobuf messages and transport structs stay in
// one process, so they are allowed as "unsafe" (not serializable) message types.

#include <cstdint>
#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/transport/messages.hpp"

namespace mesos_actor {

struct call_outcome;

/// Records of a subscription stream waiting for the scheduler actor (a class of the
/// library's internals: src/scheduler/event_inbox.hpp).
class scheduler_event_inbox;

/// "Take what is in the inbox" (the inbox of the stream of this generation).
struct scheduler_events {
  /// The stream connection the events came from.
  std::uint64_t generation = 0;
  /// Where the events wait.
  std::shared_ptr<scheduler_event_inbox> inbox;
};

// --- atoms --------------------------------------------------------------------
/// Heartbeat watchdog check: (watchdog_atom, generation).
using watchdog_atom = caf::atom_constant<caf::atom("watchdog")>;
/// Next subscription attempt after backoff: (subscribe_atom, attempt_token).
using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
/// The answer of scheduler_options::store_framework_id, or its time limit:
/// (framework_id_stored_atom, token, framework id, error); stale tokens are ignored.
using framework_id_stored_atom = caf::atom_constant<caf::atom("fid_store")>;
/// Stops a transport worker.
using stop_atom = caf::atom_constant<caf::atom("stop")>;
/// A locally generated call outcome (not sent; e.g. not_subscribed): (outcome_atom, call_outcome).
using outcome_atom = caf::atom_constant<caf::atom("outcome")>;
/// A decoded executor event from the stream: (executor_event_atom, generation, Event).
using executor_event_atom = caf::atom_constant<caf::atom("exec_evt")>;
/// An executor actor's timer: (executor_timer_atom, kind, token); kinds in
/// src/executor/timers.hpp, stale tokens are ignored.
using executor_timer_atom = caf::atom_constant<caf::atom("exec_tmr")>;

} // namespace mesos_actor

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::scheduler::Event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::scheduler::Call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::executor::Event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::executor::Call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::TaskStatus)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::stream_response)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::stream_closed)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::call_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::call_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::call_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::scheduler_events)
