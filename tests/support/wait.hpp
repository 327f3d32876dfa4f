#pragma once
// Bounded, event-driven waits shared by the suites: for an actor's end, for a call the
// simulator answered, and a condition variable guarding state the test thread awaits.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>

#include "mesos_actor/sim/cluster.hpp"

namespace test {

/// Waits (bounded) for `actor` to exit; returns its exit reason, nullopt on timeout.
std::optional<caf::error> wait_exit(caf::actor_system& sys, const caf::actor& actor,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// The master requests (non-SUBSCRIBE or SUBSCRIBE) of a given call type.
std::vector<mesos_actor::sim::request_record>
calls_of(const mesos_actor::sim::cluster& sim, mesos::v1::scheduler::Call::Type type);

/// Waits until the simulator saw `min_count` calls of `type` (answered); returns the last one.
std::optional<mesos_actor::sim::request_record>
wait_call(const mesos_actor::sim::cluster& sim, mesos::v1::scheduler::Call::Type type,
          std::chrono::milliseconds timeout = std::chrono::seconds(10), std::size_t min_count = 1);

/// State changed under a lock and awaited (bounded) by the test thread.
class waitable {
public:
  template <class F>
  void update(F&& f) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      f();
    }
    cv_.notify_all();
  }
  template <class Pred>
  bool wait_for(Pred pred, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, timeout, pred);
  }
  template <class F>
  auto read(F&& f) {
    std::lock_guard<std::mutex> guard{mtx_};
    return f();
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
};

} // namespace test
