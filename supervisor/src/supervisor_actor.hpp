#pragma once

#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "supervisor/child_spec.hpp"
#include "supervisor/flags.hpp"

namespace supervisor::detail {

/// Spawns a supervisor actor that has not started its children yet: the
/// starter must send (init_atom) and await ok_atom or the start error (after an
/// error the supervisor has stopped the children it started and exits).
/// flags and specs must have passed validation.
caf::actor spawn_supervisor(caf::actor_system& sys, sup_flags flags,
                            std::vector<child_spec> specs);

} // namespace supervisor::detail
