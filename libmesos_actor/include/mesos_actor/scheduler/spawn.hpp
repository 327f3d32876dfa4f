#pragma once
// Starting a scheduler actor.

#include <memory>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/scheduler/scheduler.hpp"

namespace mesos_actor {

/// Spawns the scheduler actor. It subscribes at once and lives until a callback
/// returns action::stop, the framework is torn down, it gives up (see options), or it
/// receives an exit message (send_exit(..., exit_reason::user_shutdown)). Invalid
/// options make it exit at once with errc::bad_option; prefer start_scheduler_actor
/// to get that error synchronously.
caf::actor spawn_scheduler(caf::actor_system& sys, std::unique_ptr<scheduler> behaviour,
                           scheduler_options opts);

/// Validates `opts` first (errc::bad_option) and then spawns: usable as the start
/// function of a supervisor child.
caf::expected<caf::actor> start_scheduler_actor(caf::actor_system& sys,
                                                std::unique_ptr<scheduler> behaviour,
                                                scheduler_options opts);

} // namespace mesos_actor
