#pragma once
// The Prometheus text exposition (format 0.0.4) of a host's metrics. A host serves it
// itself when host_options::prometheus.enabled; this renders it for serving elsewhere.
//
// Metric names (labels: framework="<ref>", kind="scheduler|executor", plus those listed):
//   mesos_actor_events_received_total{type}         counter
//   mesos_actor_calls_total{type,outcome}           counter
//   mesos_actor_call_rejections_total{type,status}  counter
//   mesos_actor_bytes_received_total                counter
//   mesos_actor_decode_errors_total                 counter
//   mesos_actor_subscribe_attempts_total            counter
//   mesos_actor_disconnections_total                counter
//   mesos_actor_reconnects_total                    counter
//   mesos_actor_restarts_total                      counter
//   mesos_actor_framework_state{state}              gauge (1 for the current state)
//   mesos_actor_seconds_since_last_event            gauge (absent before the first)
//   mesos_actor_seconds_since_last_heartbeat        gauge (absent before the first)
//   mesos_actor_call_latency_seconds                histogram (_bucket{le}, _sum, _count)
//   mesos_actor_host_frameworks, mesos_actor_host_frameworks_running   gauges (no labels)

#include <string>
#include <string_view>

#include "mesos_actor/metrics/snapshot.hpp"

namespace mesos_actor::metrics {

/// The whole exposition of `snapshot`: # HELP and # TYPE lines, then the samples.
std::string render_prometheus(const host_snapshot& snapshot);

/// `value` escaped for a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);

} // namespace mesos_actor::metrics
