#pragma once

#include <cstddef>
#include <string>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

#include "supervisor/child_spec.hpp"

namespace supervisor {

/// Whether a known child currently has an actor.
enum class child_status : uint8_t {
  /// It has a live actor.
  running,
  /// Its restart failed; a retry is queued.
  restarting,
  /// Not running (stopped by terminate_child, or a transient child that ended normally).
  stopped,
};

/// The name of the status, e.g. "running".
std::string to_string(child_status x);

/// One row of which_children.
struct child_info {
  /// Child id.
  std::string id;
  /// The running actor (invalid unless status == running).
  caf::actor actor;
  /// Running, restarting or stopped.
  child_status status = child_status::stopped;
  /// Worker or supervisor.
  child_kind kind = child_kind::worker;
  /// Restart type.
  restart_type restart = restart_type::permanent;
  /// How often the policy restarted it.
  std::size_t restart_count = 0;
  /// How its last actor ended (empty = normal or never ended).
  caf::error last_exit_reason;
};

/// The answer of count_children (OTP shape).
struct child_counts {
  /// Known child specs.
  std::size_t specs = 0;
  /// Running children.
  std::size_t active = 0;
  /// Children of kind supervisor.
  std::size_t supervisors = 0;
  /// Children of kind worker.
  std::size_t workers = 0;
};

/// CAF inspection (child_counts travels in messages).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, child_counts& x) {
  return f(caf::meta::type_name("supervisor::child_counts"), x.specs, x.active, x.supervisors,
           x.workers);
}

} // namespace supervisor
