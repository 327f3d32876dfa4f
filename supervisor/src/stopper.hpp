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
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "supervisor/child_spec.hpp"

namespace supervisor::detail {

/// One child to stop and how.
struct stop_order {
  caf::actor child;
  shutdown_spec shutdown;
};

/// Request to the stopper: (stop_atom, std::vector<stop_order>) -> std::vector<caf::error>.
using stop_atom = caf::atom_constant<caf::atom("sup_stop")>;

/// Spawns a stopper that serves exactly one stop request.
caf::actor spawn_stopper(caf::actor_system& sys);

} // namespace supervisor::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<supervisor::detail::stop_order>)
