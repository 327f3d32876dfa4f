#pragma once
// One bench_chaos framework: keeps one task at a time running on "its" agent, on a
// checkpointing custom executor, and records its own life in a journal that outlives
// the behaviour (the host makes a fresh behaviour on every restart).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <mesos_actor/scheduler/behaviour.hpp>

#include "chaos/checker.hpp"

namespace chaos {

/// Shared by every framework.
struct run_settings {
  std::string executor_path;          ///< the custom executor binary
  std::atomic<bool> draining{false};  ///< no new tasks once set
  std::chrono::milliseconds task_min{300}, task_max{3000}; ///< task run time range
};

/// What one framework lived through (outlives its behaviours).
struct journal {
  std::string ref;                ///< host ref, e.g. "chaos-7"
  std::uint16_t agent_port = 0;   ///< tasks go to the agent on this port only
  std::uint64_t seed = 0;         ///< task run times

  mutable std::mutex mu;
  std::string first_id;           ///< the id of the first SUBSCRIBED
  std::set<std::string> ids;      ///< every id SUBSCRIBED ever gave it
  int inits = 0, registered = 0, reregistered = 0, disconnected = 0;
  std::uint64_t next_task = 0;
  std::optional<std::string> live_task;               ///< launched, no terminal state yet
  std::chrono::steady_clock::time_point live_since;
  std::uint64_t accepts_failed = 0;
  bool throw_in_next_update = false; ///< fault: status_update throws (after recording)

  std::string current_id() const;
};

/// A fresh behaviour for `j` (the factory a host calls on every start).
std::unique_ptr<mesos_actor::scheduler> make_framework(std::shared_ptr<journal> j,
                                                       run_settings& settings, checker& check);

/// The message that makes a framework's handle_info throw (fault "callback throws").
inline const std::string throw_request = "chaos:throw";

} // namespace chaos
