#pragma once
// Starting an executor actor, and running a whole executor process.

#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/executor/behaviour.hpp"
#include "mesos_actor/executor/options.hpp"

namespace mesos_actor {

/// Spawns the executor actor. It reads the MESOS_* environment (or opts.environment),
/// subscribes to its agent at once, and lives until a callback returns action::stop,
/// the agent shuts it down, recovery gives up, or it receives an exit message. A bad
/// environment, invalid options or an init that declines make it exit at once with
/// that error; prefer start_executor_actor to get the error synchronously. Its event
/// stream worker and call channel are actors linked to it; it answers
/// supervisor::which_children_atom with them ("event_stream" and "call_channel").
caf::actor spawn_executor(caf::actor_system& sys, std::unique_ptr<executor> behaviour,
                          executor_options opts = {});

/// Checks the options and the environment (errc::bad_option, errc::bad_environment),
/// spawns, and waits for the behaviour's init, as OTP's start_link does: returns the
/// actor once init succeeded, or init's error (errc::init_failed when it returned stop,
/// the reason it gave to stop(), errc::callback_exception when it threw; the actor has
/// exited then), or errc::timeout after opts.init_timeout. It blocks the calling thread
/// until init has run: call it from a plain thread, never from an actor handler. A
/// supervisor child uses spawn_executor_init_ack instead.
caf::expected<caf::actor> start_executor_actor(caf::actor_system& sys,
                                               std::unique_ptr<executor> behaviour,
                                               executor_options opts = {});

/// The start function of a supervisor child that waits for init without blocking a
/// thread: checks like start_executor_actor and spawns an actor that runs init only
/// when asked with a (supervisor::init_atom) request and answers ok_atom or init's
/// error (then exits). Give its child_spec init_ack = true and start_timeout =
/// opts.init_timeout, and supervisor::start_child returns init's error.
caf::expected<caf::actor> spawn_executor_init_ack(caf::actor_system& sys,
                                                  std::unique_ptr<executor> behaviour,
                                                  executor_options opts = {});

/// Resolves the environment as the actor would: errc::bad_environment naming the
/// variable, or errc::bad_option naming the option.
caf::expected<executor_environment> resolve_executor_environment(const executor_options& opts);

/// The whole main() of an executor process launched by a Mesos agent: builds an actor
/// system (CAF's "sharing" scheduler: no polling while idle), reads the environment, runs the executor until it ends and returns the
/// process exit status (0 when it ended normally, e.g. after SHUTDOWN; 1 otherwise).
/// Problems are written to stderr; MESOS_EXECUTOR_AUTHENTICATION_TOKEN is removed
/// from the process environment once read, so tasks do not inherit it.
int run_executor(std::unique_ptr<executor> behaviour, executor_options opts = {});

} // namespace mesos_actor
