#pragma once
// A real scheduler (or executor) actor against a scripted_peer, with the recording
// behaviours, fast options and log capture of tests/support, and the scripts every
// hostile case shares.

#include <memory>
#include <optional>
#include <string>

#include <caf/send.hpp>

#include "hostile/scripted_peer.hpp"
#include "hostile/wire.hpp"
#include "support/capture_sink.hpp"
#include "support/fast_options.hpp"
#include "support/recording_executor.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

namespace hostile {

using mesos_actor::content_type;

/// A scheduler actor against `peer`, shut down (bounded) before the peer goes away.
struct scheduler_run {
  test::capture_sink logs;  // first: it outlives the actor system that logs into it
  test::system_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<test::event_log> log = std::make_shared<test::event_log>();
  caf::actor actor;

  /// Fast test options aimed at `peer`, logging (info and up) into `logs`.
  mesos_actor::scheduler_options options(const scripted_peer& peer, content_type ct) {
    auto o = test::fast_options({peer.address()}, ct);
    o.logging.min_level = mesos_actor::log_level::info;
    o.logging.sink = logs.sink();
    return o;
  }

  /// A recording behaviour whose framework survives disconnections.
  std::unique_ptr<test::recording_scheduler> behaviour() {
    auto b = std::make_unique<test::recording_scheduler>(log);
    b->info_template.set_failover_timeout(3600);
    return b;
  }

  void spawn(mesos_actor::scheduler_options o,
             std::unique_ptr<test::recording_scheduler> b = nullptr) {
    actor = mesos_actor::spawn_scheduler(sys, b ? std::move(b) : behaviour(), std::move(o));
  }

  /// The exit reason, or nullopt when the actor is still running after `timeout`.
  std::optional<caf::error> wait_end(std::chrono::milliseconds timeout) {
    return test::wait_exit(sys, actor, timeout);
  }

  ~scheduler_run() {
    if (actor) {
      caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
      test::wait_exit(sys, actor, std::chrono::seconds(5));
    }
  }
};

/// What a scripted master does after writing the head and SUBSCRIBED.
enum class then { hold, fin, rst };

/// A master that answers every SUBSCRIBE with a 200 stream in `ct` carrying SUBSCRIBED
/// and then the bytes `after`, then holds, half-closes or resets; other calls get 202.
script master(content_type ct, std::string after, then ending = then::hold,
              double heartbeat_seconds = 1.0);

/// A master answering every request with exactly `bytes`, then doing `ending`.
script answer_with(std::string bytes, then ending = then::hold);

/// MESOS_* variables of a checkpointing executor whose agent is `peer`.
std::map<std::string, std::string> agent_environment(const scripted_peer& peer);

/// Gaps between consecutive times.
std::vector<std::chrono::milliseconds> gaps(const std::vector<steady::time_point>& ts);

} // namespace hostile
