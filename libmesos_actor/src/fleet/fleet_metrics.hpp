#pragma once
// The fleet's counters, shared by the coordinator (events, gauges) and the ZooKeeper
// I/O actor (requests): relaxed atomics, read by host::metrics() on any thread.

#include <atomic>
#include <cstdint>

#include "mesos_actor/metrics/snapshot.hpp"

namespace mesos_actor::fleet {

struct fleet_counters {
  std::atomic<std::uint64_t> acquired{0};
  std::atomic<std::uint64_t> lost{0};
  std::atomic<std::uint64_t> fenced{0};
  std::atomic<std::uint64_t> taken_over{0};
  std::atomic<std::uint64_t> malformed_nodes{0};
  std::atomic<std::uint64_t> zk_requests{0};
  std::atomic<std::uint64_t> zk_writes{0};
  std::atomic<std::uint64_t> owned_refs{0};
  std::atomic<std::uint64_t> live_hosts{0};
  std::atomic<std::int64_t> session_timeout_ms{0};

  metrics::fleet_snapshot snapshot() const {
    metrics::fleet_snapshot s;
    s.acquired = acquired.load(std::memory_order_relaxed);
    s.lost = lost.load(std::memory_order_relaxed);
    s.fenced = fenced.load(std::memory_order_relaxed);
    s.taken_over = taken_over.load(std::memory_order_relaxed);
    s.malformed_nodes = malformed_nodes.load(std::memory_order_relaxed);
    s.zk_requests = zk_requests.load(std::memory_order_relaxed);
    s.zk_writes = zk_writes.load(std::memory_order_relaxed);
    s.owned_refs = owned_refs.load(std::memory_order_relaxed);
    s.live_hosts = live_hosts.load(std::memory_order_relaxed);
    s.session_timeout_seconds =
      static_cast<double>(session_timeout_ms.load(std::memory_order_relaxed)) / 1000.0;
    return s;
  }
};

} // namespace mesos_actor::fleet
