#pragma once
// The allocator: turns the running agents' free resources into offers for the
// frameworks that want them, one role at a time, honouring suppression and refuse
// filters; removes and rescinds offers. Every method needs cluster::impl::mu_ held.

#include <cstddef>
#include <optional>
#include <string>

#include "master_state.hpp"
#include "resources.hpp"

namespace mesos_actor::sim {

struct agent_node;

class allocator {
public:
  explicit allocator(cluster::impl& cluster) : c_(cluster) {}

  /// Something changed (a framework, a filter, an agent): allocate on the next tick.
  void mark_dirty() { dirty_ = true; }
  /// Starts the periodic allocation (the cluster started).
  void start(sim_clock::time_point now) { next_ = now; }
  /// Allocates when marked dirty or when the allocation interval has passed.
  void tick(sim_clock::time_point now);

  void allocate();
  resource_set available(const agent_node& agent) const;
  /// Removes an offer; `rescind` also sends RESCIND; the resources return to the pool.
  void remove_offer(const std::string& offer_id, bool rescind);
  /// Every offer of one framework (all frameworks when `framework_id` is empty).
  void remove_offers_of(const std::string& framework_id, bool rescind);
  /// Rescinds every outstanding offer of one agent (lost or restarted).
  void rescind_offers_on(const std::string& agent_id);
  void add_filter(framework_entry& fw, const std::string& agent_id,
                  const std::optional<double>& refuse_seconds);

private:
  cluster::impl& c_;
  bool dirty_ = true;
  sim_clock::time_point next_;
  std::size_t next_offer_ = 0; ///< offer ids, and whose turn it is
};

} // namespace mesos_actor::sim
