#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/message.hpp>

namespace supervisor {

/// When a child that ended is started again (OTP restart types).
enum class restart_type : uint8_t {
  /// Always restarted.
  permanent,
  /// Restarted only after an abnormal exit (not normal, not user_shutdown).
  transient,
  /// Never restarted; its spec is removed when it ends.
  temporary,
};

/// What a child is: a worker, or a supervisor of this library (trees nest).
enum class child_kind : uint8_t {
  /// Any actor.
  worker,
  /// A supervisor from supervisor_child_spec(): started with the init handshake.
  supervisor,
};

/// How a child is stopped.
enum class shutdown_mode : uint8_t {
  /// exit_reason::user_shutdown, then exit_reason::kill after `timeout`.
  timeout,
  /// exit_reason::kill at once.
  brutal_kill,
  /// exit_reason::user_shutdown, then wait as long as it takes (for supervisors).
  infinity,
};

/// The shutdown policy of one child.
struct shutdown_spec {
  /// The mode.
  shutdown_mode mode = shutdown_mode::timeout;
  /// Grace period of shutdown_mode::timeout.
  std::chrono::milliseconds timeout{5000};
};

/// Graceful stop with the given grace period, then kill.
inline shutdown_spec shutdown_after(std::chrono::milliseconds t) {
  return {shutdown_mode::timeout, t};
}
/// Kill at once.
inline shutdown_spec brutal_kill() { return {shutdown_mode::brutal_kill, {}}; }
/// Graceful stop, waiting without limit.
inline shutdown_spec shutdown_infinity() { return {shutdown_mode::infinity, {}}; }

/// Starts one child: spawns an actor (not linked to the caller) or says why not.
/// `args` are the run-time arguments given to a simple_one_for_one start_child
/// (empty for static children); the same args are used again on restart.
using start_function =
  std::function<caf::expected<caf::actor>(caf::actor_system& sys, const caf::message& args)>;

/// One child of a supervisor (OTP child_spec).
struct child_spec {
  /// Unique id within its supervisor.
  std::string id;
  /// Spawns the child; runs inside the supervisor actor, so it must not block.
  start_function start;
  /// Restart policy.
  restart_type restart = restart_type::permanent;
  /// Worker or supervisor.
  child_kind kind = child_kind::worker;
  /// Shutdown policy; unset = 5000 ms for a worker, infinity for a supervisor.
  std::optional<shutdown_spec> shutdown;
  /// The started actor acknowledges its init (OTP proc_lib:init_ack): the
  /// supervisor sends it (init_atom) and waits, without blocking a thread, for
  /// ok_atom once its init has succeeded or the error its init failed with (the
  /// child then exits). An error, or no answer within start_timeout, fails the
  /// start (start_child returns it; a restart is retried) and the child is
  /// killed. Supervisor children always do this handshake.
  bool init_ack = false;
  /// How long a supervisor child (or an init_ack worker) may take to acknowledge its init.
  std::chrono::milliseconds start_timeout{60000};
};

/// The shutdown policy in effect for spec (its own or the default of its kind).
shutdown_spec effective_shutdown(const child_spec& spec);

} // namespace supervisor
