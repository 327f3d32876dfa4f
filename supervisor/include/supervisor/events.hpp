#pragma once

#include <cstddef>
#include <string>

#include <caf/actor.hpp>
#include <caf/error.hpp>

namespace supervisor {

/// What happened to a child (or to the supervisor itself).
enum class event_kind : uint8_t {
  /// A child started (first start or manual restart_child).
  child_started,
  /// A child ended on its own; `reason` is its exit reason.
  child_exited,
  /// A child was started again by the restart policy.
  child_restarted,
  /// Starting a child failed; `reason` says why.
  child_start_failed,
  /// A child was stopped by the supervisor; `reason` is how it ended.
  child_stopped,
  /// The restart intensity was exceeded; the supervisor stops (escalation).
  intensity_reached,
  /// The supervisor is stopping all children; `reason` is its exit reason.
  supervisor_stopping,
};

/// The name of the kind, e.g. "child_exited".
std::string to_string(event_kind x);

/// One observation reported to sup_flags::on_event.
struct supervisor_event {
  /// sup_flags::name of the reporting supervisor.
  std::string supervisor;
  /// What happened.
  event_kind kind;
  /// The child concerned (empty for supervisor-wide events).
  std::string child_id;
  /// The child's actor, if there is one.
  caf::actor child;
  /// Exit reason or failure reason (empty when not applicable).
  caf::error reason;
  /// How often the policy has restarted this child so far.
  std::size_t restart_count = 0;
};

} // namespace supervisor
