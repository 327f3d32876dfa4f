#pragma once

// Umbrella header and the public API of the supervisor library: starting a
// supervisor, nesting one as a child, and blocking helpers for callers outside
// the actor system (inside actors, send the messages listed in messages.hpp).

#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include "supervisor/call_timeout.hpp"
#include <caf/expected.hpp>
#include <caf/message.hpp>

#include "supervisor/child_info.hpp"
#include "supervisor/child_spec.hpp"
#include "supervisor/errors.hpp"
#include "supervisor/events.hpp"
#include "supervisor/flags.hpp"
#include "supervisor/messages.hpp"
#include "supervisor/restart_intensity.hpp"
#include "supervisor/validate.hpp"

namespace supervisor {

/// Starts a supervisor and its children in order, synchronously (blocks the
/// calling thread: never call it from inside an actor handler). On a child's
/// start failure the ones already started are stopped in reverse order and the
/// result is start_failed (child id, reason). Invalid flags/specs fail first.
caf::expected<caf::actor> start_supervisor(caf::actor_system& sys, sup_flags flags,
                                           std::vector<child_spec> specs,
                                           call_timeout timeout = {});

/// A child spec for a nested supervisor (kind supervisor, shutdown infinity).
child_spec supervisor_child_spec(std::string id, sup_flags flags, std::vector<child_spec> specs,
                                 restart_type restart = restart_type::permanent);

/// Stops a supervisor (or any actor) the OTP way: user_shutdown, wait for its
/// exit up to timeout, then kill. Returns how it ended. Blocking.
caf::error stop_supervisor(caf::actor_system& sys, const caf::actor& sup,
                           call_timeout timeout = {});

/// Adds and starts a child. Errors: already_started (with the actor),
/// already_present, start_failed, not for simple_one_for_one. Blocking.
caf::expected<caf::actor> start_child(caf::actor_system& sys, const caf::actor& sup,
                                      child_spec spec, call_timeout timeout = {});

/// Starts a dynamic child of a simple_one_for_one supervisor from its template
/// with this id and args. Errors: already_started, start_failed,
/// not_simple_one_for_one. Blocking.
caf::expected<caf::actor> start_child(caf::actor_system& sys, const caf::actor& sup,
                                      std::string id, caf::message args,
                                      call_timeout timeout = {});

/// Stops a child (spec kept, except temporary and dynamic children). Errors: not_found. Blocking.
caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id,
                           call_timeout timeout = {});

/// Starts a stopped child again. Errors: not_found, running, restarting,
/// start_failed, simple_one_for_one. Blocking.
caf::expected<caf::actor> restart_child(caf::actor_system& sys, const caf::actor& sup,
                                        const std::string& id,
                                        call_timeout timeout = {});

/// Forgets a stopped child. Errors: not_found, running, restarting, simple_one_for_one. Blocking.
caf::error delete_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id,
                        call_timeout timeout = {});

/// The children in start order. Blocking.
caf::expected<std::vector<child_info>> which_children(caf::actor_system& sys,
                                                      const caf::actor& sup,
                                                      call_timeout timeout = {});

/// Child counts (specs, active, supervisors, workers). Blocking.
caf::expected<child_counts> count_children(caf::actor_system& sys, const caf::actor& sup,
                                           call_timeout timeout = {});

} // namespace supervisor
