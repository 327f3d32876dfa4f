#pragma once
// The call channel: one keep-alive connection to one master (or agent) on its own
// thread (a detached CAF actor). It takes call_request messages, POSTs them in order
// and reports each outcome as a call_result to the owner. Stopped with stop_atom
// (after the calls already queued) or by the owner's exit, normal (after the calls
// already queued) or not (at once, cancelling the call in flight). Any other
// non-normal exit signal ends it at once with that reason. Calls such an exit cut
// short or left unsent get no call_result: an owner linked to the channel sees the
// exit instead. A call in flight is
// bounded by connect_timeout plus read_timeout (a total deadline for the exchange).
// A call is never sent twice: see post() in call_channel.cpp for when a closed
// keep-alive connection is replaced.

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "transport/http_settings.hpp"

namespace mesos_actor::transport {

struct call_channel_config {
  http_settings http;
  std::uint64_t generation = 0;
};

/// Spawns the channel. `owner` receives one call_result per call_request.
caf::actor spawn_call_channel(caf::actor_system& sys, caf::actor owner, call_channel_config cfg);

} // namespace mesos_actor::transport
