#pragma once
// Point-in-time copies of a framework's and a host's metrics: plain values, safe to
// keep and read anywhere.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mesos_actor::metrics {

/// A histogram as Prometheus wants it: cumulative counts per upper bound.
struct histogram_snapshot {
  std::vector<double> bounds;              ///< upper bounds in seconds, ascending
  std::vector<std::uint64_t> cumulative;   ///< observations <= bounds[i]
  std::uint64_t count = 0;                 ///< all observations (the +Inf bucket)
  double sum = 0;                          ///< seconds
};

/// Calls of one type that ended one way.
struct call_count {
  std::string type;     ///< Call type name, e.g. "ACCEPT"
  std::string outcome;  ///< accepted | rejected | transport_error | timeout |
                        ///< not_subscribed | queue_full | stopped | not_sent
  std::uint64_t count = 0;  ///< how many
};

/// Rejected calls of one type with one HTTP status.
struct rejection_count {
  std::string type;         ///< Call type name
  int status = 0;           ///< the HTTP status of the answer
  std::uint64_t count = 0;  ///< how many
};

/// One framework's counters and gauges at one moment.
struct framework_snapshot {
  std::string ref;      ///< the host's ref (empty outside a host)
  std::string kind;     ///< "scheduler" | "executor"
  std::string state;    ///< e.g. "subscribed"; "stopped" once the actor ended
  std::map<std::string, std::uint64_t> events_received; ///< by event type name
  std::vector<call_count> calls;                        ///< non-zero entries only
  std::vector<rejection_count> rejections;              ///< non-zero entries only
  std::uint64_t bytes_in = 0;            ///< event record bytes received
  std::uint64_t decode_errors = 0;       ///< streams ended by a bad record or framing
  std::uint64_t subscribe_attempts = 0;  ///< SUBSCRIBE requests made
  std::uint64_t disconnections = 0;      ///< subscriptions lost
  std::uint64_t reconnects = 0;          ///< successful resubscriptions
  std::uint64_t restarts = 0;            ///< restarts by the host's supervisor
  std::optional<double> seconds_since_last_event;      ///< unset before the first
  std::optional<double> seconds_since_last_heartbeat;  ///< unset before the first
  histogram_snapshot call_latency;       ///< calls with an HTTP answer or transport error

  /// Events of `type` received (0 if none).
  std::uint64_t events(std::string_view type) const;
  /// Calls of `type` that ended with `outcome` (0 if none).
  std::uint64_t calls_with(std::string_view type, std::string_view outcome) const;
};

/// Sums over every framework of a host.
struct host_totals {
  std::uint64_t frameworks = 0;   ///< schedulers + executors known to the host
  std::uint64_t running = 0;      ///< of which running
  std::uint64_t events_received = 0;  ///< events of every type
  std::uint64_t calls = 0;        ///< calls with any outcome
  std::uint64_t calls_failed = 0; ///< calls not accepted
  std::uint64_t bytes_in = 0;       ///< event record bytes
  std::uint64_t decode_errors = 0;  ///< streams ended by a bad record or framing
  std::uint64_t reconnects = 0;     ///< successful resubscriptions
  std::uint64_t restarts = 0;       ///< restarts by the supervisors
};

/// A fleet host's membership (docs/fleet.md): counters since the host started, gauges now.
struct fleet_snapshot {
  std::uint64_t acquired = 0;        ///< refs this host claimed and started
  std::uint64_t lost = 0;            ///< refs stopped here because another host owns them
  std::uint64_t fenced = 0;          ///< refs stopped here because the ZooKeeper lease ran out
  std::uint64_t taken_over = 0;      ///< refs handed to a preferred host
  std::uint64_t malformed_nodes = 0; ///< distinct malformed nodes found (and skipped)
  std::uint64_t zk_requests = 0;     ///< ZooKeeper requests sent (reads, writes, pings)
  std::uint64_t zk_writes = 0;       ///< of which writes (create, set, delete)
  std::uint64_t owned_refs = 0;      ///< fleet refs this host runs now (starting or running)
  std::uint64_t live_hosts = 0;      ///< live hosts in the last read of the fleet
  double session_timeout_seconds = 0; ///< T: negotiated with the server once connected
};

/// A host's frameworks and their sums at one moment.
struct host_snapshot {
  std::vector<framework_snapshot> frameworks;  ///< schedulers, then executors, in start order
  host_totals totals;                          ///< sums over `frameworks`
  std::optional<fleet_snapshot> fleet;         ///< set when the host is in a fleet
};

} // namespace mesos_actor::metrics
