#pragma once
// The live counters behind metrics::framework_metrics. One actor writes them (relaxed
// atomic adds: a plain `lock xadd`, no fences); snapshot() reads them from any thread.
// Only rejections by HTTP status, rare by nature, take a mutex.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "mesos_actor/metrics/framework_metrics.hpp"

namespace mesos_actor::detail {

using metrics::framework_kind_tag;
using metrics::histogram_snapshot;
using metrics::metrics_options;

/// How a call ended, from the library's point of view.
enum class call_result_kind : std::uint8_t {
  accepted,
  rejected,
  transport_error,
  timeout,
  not_subscribed,
  queue_full,
  stopped,
  not_sent,  ///< any other local refusal
  count_     ///< number of kinds
};
const char* to_string(call_result_kind k);

/// Fixed-bucket histogram of durations.
class latency_histogram {
public:
  explicit latency_histogram(std::vector<double> bounds_seconds);
  void observe(std::chrono::nanoseconds d);
  histogram_snapshot snapshot() const;

private:
  std::vector<std::int64_t> bounds_ns_;
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds + the +Inf one
  std::atomic<std::uint64_t> sum_ns_{0};
};

struct counters {
  static constexpr std::size_t max_types = 64;  // Event/Call type enum values kept apart
  using clock = std::chrono::steady_clock;

  counters(framework_kind_tag kind, const metrics_options& opts);

  static void add(std::atomic<std::uint64_t>& c, std::uint64_t n = 1) {
    c.fetch_add(n, std::memory_order_relaxed);
  }
  static std::size_t slot(int type) {
    return type > 0 && static_cast<std::size_t>(type) < max_types ? static_cast<std::size_t>(type)
                                                                  : 0;
  }
  static std::int64_t now_ns() { return clock::now().time_since_epoch().count(); }

  void event(int type) { add(events[slot(type)]); }
  void heartbeat(clock::time_point at) {
    last_heartbeat_ns.store(at.time_since_epoch().count(), std::memory_order_relaxed);
  }
  void event_batch(clock::time_point at, std::uint64_t bytes) {
    last_event_ns.store(at.time_since_epoch().count(), std::memory_order_relaxed);
    if (bytes != 0)
      add(bytes_in, bytes);
  }
  void call(int type, call_result_kind how) {
    add(calls[slot(type)][static_cast<std::size_t>(how)]);
  }
  void rejected(int type, int status);
  /// `state` must be a string with static storage (a to_string of an enum).
  void set_state(const char* state) { state_name.store(state, std::memory_order_relaxed); }

  const framework_kind_tag kind;
  std::array<std::atomic<std::uint64_t>, max_types> events{};
  std::array<std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(call_result_kind::count_)>,
             max_types>
    calls{};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> decode_errors{0};
  std::atomic<std::uint64_t> subscribe_attempts{0};
  std::atomic<std::uint64_t> disconnections{0};
  std::atomic<std::uint64_t> reconnects{0};
  std::atomic<std::int64_t> last_event_ns{0};      // steady clock; 0 = never
  std::atomic<std::int64_t> last_heartbeat_ns{0};  // steady clock; 0 = never
  std::atomic<const char*> state_name{"subscribing"};
  latency_histogram latency;

  mutable std::mutex rejections_mtx;
  std::map<std::pair<int, int>, std::uint64_t> rejections;  // (type, status) -> count
};

} // namespace mesos_actor::detail
