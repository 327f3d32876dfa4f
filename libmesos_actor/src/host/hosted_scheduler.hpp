#pragma once
// The behaviour the host actually runs: the user's behaviour, unchanged, plus one
// host-only message. (host_teardown_atom, reply_to) makes the scheduler send
// TEARDOWN and answer (host_teardown_atom, error) to reply_to with the outcome, so
// stop_scheduler can tear a framework down from outside the actor.

#include <memory>

#include <caf/atom.hpp>

#include "mesos_actor/scheduler/scheduler.hpp"

namespace mesos_actor::detail {

using host_teardown_atom = caf::atom_constant<caf::atom("host_tdown")>;

std::unique_ptr<scheduler> make_hosted_scheduler(std::unique_ptr<scheduler> user);

} // namespace mesos_actor::detail
