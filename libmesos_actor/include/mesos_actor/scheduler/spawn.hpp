#pragma once
// Starting a scheduler actor.

#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/scheduler/behaviour.hpp"

namespace mesos_actor {

/// Spawns the scheduler actor. It subscribes at once and lives until a callback
/// returns action::stop, the framework is torn down, it gives up (see options), or it
/// receives an exit message (send_exit(..., exit_reason::user_shutdown)). Invalid
/// options, or an init that declines, make it exit at once with that error; prefer
/// start_scheduler_actor to get the error synchronously. Its event stream worker and
/// call channel are actors linked to it; it answers supervisor::which_children_atom
/// with them (ids "event_stream" and "call_channel").
caf::actor spawn_scheduler(caf::actor_system& sys, std::unique_ptr<scheduler> behaviour,
                           scheduler_options opts);

/// Validates `opts` (errc::bad_option), spawns, and waits for the behaviour's init, as
/// OTP's start_link does: returns the actor once init succeeded, or init's error (the
/// error init returned, errc::init_failed, errc::callback_exception when it threw;
/// the actor has exited then), or errc::timeout after opts.init_timeout. It blocks the
/// calling thread until init has run: call it from a plain thread, never from an actor
/// handler. A supervisor child uses spawn_scheduler_init_ack instead.
caf::expected<caf::actor> start_scheduler_actor(caf::actor_system& sys,
                                                std::unique_ptr<scheduler> behaviour,
                                                scheduler_options opts);

/// The start function of a supervisor child that waits for init without blocking a
/// thread: validates `opts` and spawns an actor that runs init only when asked with a
/// (supervisor::init_atom) request and answers ok_atom or init's error (then exits).
/// Give its child_spec init_ack = true and start_timeout = opts.init_timeout, and
/// supervisor::start_child returns init's error (OTP proc_lib:init_ack).
caf::expected<caf::actor> spawn_scheduler_init_ack(caf::actor_system& sys,
                                                   std::unique_ptr<scheduler> behaviour,
                                                   scheduler_options opts);

} // namespace mesos_actor
