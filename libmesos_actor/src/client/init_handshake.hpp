#pragma once
// The start of a scheduler or executor actor waits for its init, as OTP's
// proc_lib:init_ack: the actor, spawned to run init only when asked, gets a
// (supervisor::init_atom) request and answers ok_atom or the error its init failed
// with (it has exited then). A supervisor asks without blocking (child_spec::init_ack);
// a plain thread asks here.

#include <chrono>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

namespace mesos_actor::detail {

/// Asks `actor` to run its init and waits for the answer on the calling thread (which
/// must not be an actor's): `actor` once init succeeded, init's error otherwise, or
/// errc::timeout after `timeout` (the actor is then killed). `what` names the actor
/// kind in the error ("scheduler", "executor").
caf::expected<caf::actor> await_init(caf::actor_system& sys, caf::actor actor,
                                     std::chrono::milliseconds timeout, const std::string& what);

} // namespace mesos_actor::detail
