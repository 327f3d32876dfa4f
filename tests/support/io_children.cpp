#include "support/io_children.hpp"

#include <thread>

#include <supervisor/supervisor.hpp>

namespace test {

std::optional<supervisor::child_info> child_of(caf::actor_system& sys, const caf::actor& framework,
                                               const std::string& id) {
  auto rows = supervisor::which_children(sys, framework, std::chrono::seconds(5));
  if (!rows)
    return std::nullopt;
  for (auto& row : *rows)
    if (row.id == id)
      return row;
  return std::nullopt;
}

std::optional<supervisor::child_info>
wait_replaced(caf::actor_system& sys, const caf::actor& framework, const std::string& id,
              const caf::actor& old, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto row = child_of(sys, framework, id);
    if (row && row->actor && row->actor != old)
      return row;
    // Nothing to await: which_children answers with a snapshot.
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

} // namespace test
