#pragma once

// The OTP shutdown protocol as a short-lived helper actor: for each child in
// the given order, monitor it, ask it to stop (user_shutdown), and kill it when
// its grace period runs out (or at once for brutal_kill). Replies with how
// each child ended, in the same order, then exits. Supervisors `await` this
// reply, so they stay responsive to nothing else meanwhile, like OTP's
// synchronous shutdown/2, without blocking a scheduler thread.

#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

#include "supervisor/child_spec.hpp"

namespace supervisor::detail {

/// One child to stop and how.
struct stop_order {
  caf::actor child;
  shutdown_spec shutdown;
};

/// Request to the stopper: (stop_atom) -> std::vector<caf::error>.
using stop_atom = caf::atom_constant<caf::atom("sup_stop")>;

/// Spawns a stopper for these orders; it starts on the first (stop_atom)
/// request and answers it when all of them have ended.
caf::actor spawn_stopper(caf::actor_system& sys, std::vector<stop_order> orders);

} // namespace supervisor::detail
