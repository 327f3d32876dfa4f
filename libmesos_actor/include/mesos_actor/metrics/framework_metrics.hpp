#pragma once
// The live metrics of one framework (a scheduler or an executor actor): counters and
// gauges the actor updates on its hot path with relaxed atomics, readable from any
// thread through snapshot(). A host keeps one per framework ref, so the counts survive
// restarts; a scheduler started on its own makes its own unless
// scheduler_options::metrics names one (e.g. to read it from another thread).

#include <memory>
#include <string>

#include "mesos_actor/metrics/options.hpp"
#include "mesos_actor/metrics/snapshot.hpp"

namespace mesos_actor::detail {
struct counters;
} // namespace mesos_actor::detail

namespace mesos_actor::metrics {

/// Which kind of framework actor a framework_metrics belongs to (names its event and
/// call types).
enum class framework_kind_tag { scheduler, executor };

/// The live, thread-safe counters and gauges of one scheduler or executor.
class framework_metrics {
public:
  /// Throws std::invalid_argument when `opts` is not valid (see validate).
  explicit framework_metrics(framework_kind_tag kind, metrics_options opts = {});
  ~framework_metrics();
  framework_metrics(const framework_metrics&) = delete;
  framework_metrics& operator=(const framework_metrics&) = delete;

  /// A consistent-enough copy (each value is read atomically). Thread-safe.
  framework_snapshot snapshot() const;

  /// The counters the library writes to (internal).
  detail::counters& counters() { return *counters_; }

private:
  std::unique_ptr<detail::counters> counters_;
};

} // namespace mesos_actor::metrics
