#pragma once

// The message interface of a supervisor actor, for callers inside the actor
// system (use self->request(sup, timeout, ...)). Outside callers use the
// blocking helpers of supervisor.hpp, which send exactly these messages.
//
//   (start_child_atom, child_spec)                      -> caf::actor
//   (start_child_atom, std::string id, caf::message args) -> caf::actor  (simple_one_for_one)
//   (terminate_child_atom, std::string id)              -> caf::ok_atom
//   (restart_child_atom, std::string id)                -> caf::actor
//   (delete_child_atom, std::string id)                 -> caf::ok_atom
//   (which_children_atom)                               -> std::vector<child_info>
//   (count_children_atom)                               -> child_counts
//
// Failures arrive as a caf::error of category "supervisor" (see errors.hpp).
// To stop a supervisor, send it an exit with exit_reason::user_shutdown: it
// stops its children in reverse start order, then exits with that reason.

#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "supervisor/child_info.hpp"
#include "supervisor/child_spec.hpp"
#include "supervisor/events.hpp"

namespace supervisor {

/// Request: start a child.
using start_child_atom = caf::atom_constant<caf::atom("sup_start")>;
/// Request: stop a child (its spec stays unless temporary or dynamic).
using terminate_child_atom = caf::atom_constant<caf::atom("sup_term")>;
/// Request: start a stopped child again.
using restart_child_atom = caf::atom_constant<caf::atom("sup_restrt")>;
/// Request: forget a stopped child.
using delete_child_atom = caf::atom_constant<caf::atom("sup_delete")>;
/// Request: list the children in start order.
using which_children_atom = caf::atom_constant<caf::atom("sup_which")>;
/// Request: count the children.
using count_children_atom = caf::atom_constant<caf::atom("sup_count")>;
/// Request from the starter: start the initial children (a supervisor child) or
/// acknowledge init (an init_ack worker); reply ok_atom or the error.
using init_atom = caf::atom_constant<caf::atom("sup_init")>;

} // namespace supervisor

// Local-only message types holding std::function / enums (never serialized).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(supervisor::child_spec)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(supervisor::child_info)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<supervisor::child_info>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(supervisor::supervisor_event) // so a listener can forward events to an actor
