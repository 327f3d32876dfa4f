#include "host/host_metrics.hpp"

namespace mesos_actor::detail {

metrics::host_snapshot collect_host_metrics(const std::vector<metrics_source>& sources) {
  metrics::host_snapshot out;
  auto& t = out.totals;
  for (auto& src : sources) {
    if (!src.metrics)
      continue;
    auto f = src.metrics->snapshot();
    f.ref = src.row.ref;
    f.restarts = src.row.restarts;
    // The actor's own state stops at its last word; the host knows what came after.
    if (src.row.status != framework_status::running)
      f.state = to_string(src.row.status);
    ++t.frameworks;
    if (src.row.status == framework_status::running)
      ++t.running;
    for (auto& [type, n] : f.events_received)
      t.events_received += n;
    for (auto& c : f.calls) {
      t.calls += c.count;
      if (c.outcome != "accepted")
        t.calls_failed += c.count;
    }
    t.bytes_in += f.bytes_in;
    t.decode_errors += f.decode_errors;
    t.reconnects += f.reconnects;
    t.restarts += f.restarts;
    out.frameworks.push_back(std::move(f));
  }
  return out;
}

} // namespace mesos_actor::detail
