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
/// environment or invalid options make it exit at once (errc::bad_environment /
/// errc::bad_option); prefer start_executor_actor to get that error synchronously.
caf::actor spawn_executor(caf::actor_system& sys, std::unique_ptr<executor> behaviour,
                          executor_options opts = {});

/// Checks the options and the environment first and then spawns: usable as the start
/// function of a supervisor child.
caf::expected<caf::actor> start_executor_actor(caf::actor_system& sys,
                                               std::unique_ptr<executor> behaviour,
                                               executor_options opts = {});

/// Resolves the environment as the actor would: errc::bad_environment naming the
/// variable, or errc::bad_option naming the option.
caf::expected<executor_environment> resolve_executor_environment(const executor_options& opts);

/// The whole main() of an executor process launched by a Mesos agent: builds an actor
/// system, reads the environment, runs the executor until it ends and returns the
/// process exit status (0 when it ended normally, e.g. after SHUTDOWN; 1 otherwise).
/// Problems are written to stderr; MESOS_EXECUTOR_AUTHENTICATION_TOKEN is removed
/// from the process environment once read, so tasks do not inherit it.
int run_executor(std::unique_ptr<executor> behaviour, executor_options opts = {});

} // namespace mesos_actor
