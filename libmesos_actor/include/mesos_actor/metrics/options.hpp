#pragma once
// Options of the metrics a framework keeps (and a host serves).

#include <cstdint>
#include <string>
#include <vector>

#include <caf/error.hpp>

namespace mesos_actor::metrics {

/// The default upper bounds (seconds) of the call latency histogram: 1 ms .. 10 s.
std::vector<double> default_latency_buckets();

/// What a framework_metrics measures with.
struct metrics_options {
  /// Upper bounds (seconds, strictly ascending, > 0, at most 64) of the call latency
  /// histogram's buckets; a +Inf bucket is always added.
  std::vector<double> latency_buckets = default_latency_buckets();
};

/// The first problem with `opts` as errc::bad_option, or none.
caf::error validate(const metrics_options& opts);

/// The Prometheus endpoint a host may serve (off by default). It has no
/// authentication: keep it on a loopback address.
struct prometheus_options {
  bool enabled = false;  ///< serve the endpoint at all
  /// Address to bind ("127.0.0.1", "::1", ...).
  std::string address = "127.0.0.1";
  /// TCP port; 0 = an ephemeral port (host::metrics_port() tells which).
  std::uint16_t port = 0;
  /// Path of the exposition ("GET /metrics").
  std::string path = "/metrics";
};

/// The first problem with `opts` as errc::bad_option, or none.
caf::error validate(const prometheus_options& opts);

} // namespace mesos_actor::metrics
