#pragma once
// The call channel: one keep-alive connection to one master (or agent) on its own
// thread (a detached CAF actor). It takes call_request messages, POSTs them in the
// order they arrived and reports each outcome as a call_result to the owner, in the
// same order.
//
// Pipelining (max_pipelined > 1): up to max_pipelined requests are written before
// their responses are read; a call that arrives while the channel waits for an answer
// goes out at once. HTTP/1.1 answers pipelined requests in the order they were sent,
// and Mesos (libprocess) hands the requests of one connection to the master in that
// order and answers them in that order (it keeps a per-connection response queue and
// a sequence across authentication), so the master sees the calls in send order, as it
// did when each call waited for the previous answer. Requests that wait for room stay
// in the channel's queue, bounded by the owner (max_calls_in_flight).
//
// Stopped with stop_atom (after the calls already queued) or by the owner's exit,
// normal (after the calls already queued) or not (at once, cancelling the calls in
// flight). Any other non-normal exit signal ends it at once with that reason. Calls
// such an exit cut short or left unsent get no call_result: an owner linked to the
// channel sees the exit instead. A call in flight is bounded by connect_timeout plus
// read_timeout (a total deadline from its write to its answer).
//
// With a door (call_door.hpp), the owner writes its calls on the connection itself
// while the channel sleeps; the channel reads their answers as for its own writes.
//
// A call is never sent twice: see send_some() in call_channel.cpp for when a closed
// keep-alive connection is replaced. When the connection breaks, every call written
// and not answered yet gets a transport error (it may or may not have reached the
// peer), in order; calls not written yet go out on a new connection.

#include <cstddef>
#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "mesos_actor/message_types.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor::transport {

class call_door;

struct call_channel_config {
  http_settings http;
  std::uint64_t generation = 0;
  /// Requests written and not answered yet, at most (1: each call waits for the
  /// previous answer).
  std::size_t max_pipelined = 1;
};

/// Outcomes that were ready together, in call order: the channel sends one message
/// per burst of answers instead of one per answer (a single outcome still goes as a
/// plain call_result). Owners handle both.
using call_results = std::vector<call_result>;

/// Calls made together (e.g. in one batch of events), in call order: they reach the
/// channel as one message, so they leave in one write instead of one wake-up each.
using call_requests = std::vector<call_request>;

/// Tells an idle channel that its owner wrote calls through its door (call_door.hpp):
/// it wakes to read their answers.
using door_used_atom = caf::atom_constant<caf::atom("door_used")>;

/// Spawns the channel. It takes call_request and call_requests; `owner` receives one
/// call_result per call, alone or in a call_results burst. With a `door`, the owner may
/// also write calls itself while the channel sleeps (call_door.hpp).
caf::actor spawn_call_channel(caf::actor_system& sys, caf::actor owner, call_channel_config cfg,
                              std::shared_ptr<call_door> door = nullptr);

} // namespace mesos_actor::transport

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::call_results)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::transport::call_requests)
