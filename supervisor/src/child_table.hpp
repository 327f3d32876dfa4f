#pragma once

// The children of one supervisor in start order, with their run-time record.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/message.hpp>

#include "supervisor/child_info.hpp"
#include "supervisor/child_spec.hpp"

namespace supervisor::detail {

/// A child spec plus what the supervisor knows about its current actor.
struct child_entry {
  child_spec spec;
  caf::message args;                                ///< run-time arguments (dynamic children)
  caf::actor actor;                                 ///< valid while running
  child_status status = child_status::stopped;
  std::size_t restart_count = 0;
  caf::error last_exit_reason;
  uint64_t retry_generation = 0;                    ///< matches queued retry messages
};

/// Ordered child records (start order = vector order).
class child_table {
public:
  /// Appends a child at the end of the start order.
  child_entry& add(child_spec spec, caf::message args = {});

  /// Index of the child with this id.
  std::optional<std::size_t> index_of(const std::string& id) const;

  /// The child whose current actor has this address.
  child_entry* find_by_actor(const caf::actor_addr& addr);

  /// The child with this id.
  child_entry* find(const std::string& id);

  /// Removes the child with this id (no-op if unknown).
  void erase(const std::string& id);

  /// Ids in start order from position `from` on.
  std::vector<std::string> ids_from(std::size_t from) const;

  /// All ids in start order.
  std::vector<std::string> ids() const { return ids_from(0); }

  /// Rows for which_children.
  std::vector<child_info> info() const;

  /// Totals for count_children.
  child_counts counts() const;

  /// All records, in start order.
  std::vector<child_entry>& entries() { return entries_; }

private:
  std::vector<child_entry> entries_;
};

} // namespace supervisor::detail
