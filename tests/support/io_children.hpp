#pragma once
// A framework actor's I/O children ("event_stream", "call_channel") as its
// which_children answer lists them, for the scheduler and executor suites.

#include <chrono>
#include <optional>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <supervisor/child_info.hpp>

namespace test {

/// The row of child `id` of `framework`; nullopt when it does not answer or lists none.
std::optional<supervisor::child_info> child_of(caf::actor_system& sys, const caf::actor& framework,
                                               const std::string& id);

/// Waits (bounded) until child `id` runs as another actor than `old`; returns its row.
std::optional<supervisor::child_info>
wait_replaced(caf::actor_system& sys, const caf::actor& framework, const std::string& id,
              const caf::actor& old, std::chrono::milliseconds timeout = std::chrono::seconds(10));

} // namespace test
