#pragma once
// The host's metrics snapshot: each framework's counters, labelled with its ref and
// its status in the host, and the sums over all of them.

#include <memory>
#include <vector>

#include "mesos_actor/host.hpp"
#include "mesos_actor/metrics/framework_metrics.hpp"

namespace mesos_actor::detail {

struct metrics_source {
  framework_row row;
  std::shared_ptr<metrics::framework_metrics> metrics;
};

metrics::host_snapshot collect_host_metrics(const std::vector<metrics_source>& sources);

} // namespace mesos_actor::detail
