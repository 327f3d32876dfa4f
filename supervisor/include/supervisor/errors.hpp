#pragma once

#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace supervisor {

/// Error codes of the supervisor library (CAF error category "supervisor").
enum class sup_error : uint8_t {
  // --- validation (check_flags / check_child_specs) ---
  /// max_restarts is negative.
  invalid_intensity = 1,
  /// period is zero or negative.
  invalid_period,
  /// The strategy value is out of range.
  invalid_strategy,
  /// A child id is empty.
  invalid_child_id,
  /// A child spec has no start function.
  missing_start_function,
  /// The restart type value is out of range.
  invalid_restart_type,
  /// The child kind value is out of range.
  invalid_child_kind,
  /// The shutdown timeout is negative or the mode is out of range.
  invalid_shutdown,
  /// The start timeout is not positive.
  invalid_start_timeout,
  /// Two child specs share one id (context: the id).
  duplicate_child_id,
  /// A simple_one_for_one supervisor needs exactly one template spec.
  invalid_simple_one_for_one,
  // --- operations ---
  /// The child id is running already (context: the running actor).
  already_started,
  /// The child id is known but not running (restart_child it or delete_child it).
  already_present,
  /// No child has this id.
  not_found,
  /// The child is running, so it cannot be restarted or deleted.
  running,
  /// The child is waiting for a retried restart.
  restarting,
  /// A child failed to start (context: child id, reason).
  start_failed,
  /// The start function returned no actor (an invalid handle) without an error.
  start_returned_no_actor,
  /// The operation does not exist for a simple_one_for_one supervisor.
  simple_one_for_one,
  /// Starting a child from arguments needs a simple_one_for_one supervisor.
  not_simple_one_for_one,
  /// More than max_restarts restarts within period: the supervisor gave up (context: name).
  reached_max_restart_intensity,
};

/// The CAF error category atom of sup_error.
constexpr caf::atom_value sup_error_category = caf::atom("supervisor");

/// The name of the code, e.g. "not_found".
std::string to_string(sup_error x);

/// Wraps a code into a caf::error without context.
caf::error make_error(sup_error x);

/// Wraps a code into a caf::error whose context carries xs (rendered in describe()).
template <class T, class... Ts>
caf::error make_error(sup_error x, T&& y, Ts&&... ys) {
  return caf::error{static_cast<uint8_t>(x), sup_error_category,
                    caf::make_message(std::forward<T>(y), std::forward<Ts>(ys)...)};
}

/// True if err is the given supervisor error code.
bool is(const caf::error& err, sup_error x);

/// The running actor carried by an already_started error (invalid handle otherwise).
caf::actor running_child(const caf::error& err);

/// A readable one-line description of any error; nested supervisor errors are
/// rendered recursively, e.g. "supervisor: start_failed: child 'a': exit: user_shutdown".
std::string describe(const caf::error& err);

/// Registers the "supervisor" category so actor_system::render() reads well.
void add_error_category(caf::actor_system_config& cfg);

} // namespace supervisor
