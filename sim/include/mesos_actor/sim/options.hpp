#pragma once
// Configuration of a simulated Mesos cluster. Every limit is a member with a sane
// default; the defaults mirror Mesos 1.12 where Mesos has one.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mesos_actor/sim/executor_settings.hpp"
#include "mesos_actor/sim/trace.hpp"

namespace mesos_actor::sim {

/// The unreserved resources an agent offers, and how it describes itself. Defaults look like a small real agent
/// (Mesos derives cpus/mem/disk from the host; ports default to [31000-32000]).
struct agent_resources {
  /// CPUs.
  double cpus = 4;
  double mem = 7168;   ///< MB
  double disk = 10240; ///< MB
  /// First port of the ports range.
  std::uint64_t ports_begin = 31000;
  std::uint64_t ports_end = 32000; ///< inclusive; an empty range when < ports_begin
  /// Hostname this agent reports (AgentInfo, offers); empty = the cluster's hostname.
  std::string hostname;
  /// TEXT attributes (name, value) in AgentInfo and offers, like Mesos's --attributes
  /// "rack:r1;zone:a"; frameworks place tasks by them.
  std::vector<std::pair<std::string, std::string>> attributes;
};

/// One principal/secret pair accepted by HTTP Basic authentication. The secret is
/// never logged nor recorded in the trace.
struct credential {
  /// Who authenticates.
  std::string principal;
  /// The password or token (a secret).
  std::string secret;
};

/// Serve HTTPS instead of HTTP (masters and agents) from PEM files.
struct tls_files {
  /// Server certificate (PEM).
  std::string cert_file;
  /// Its private key (PEM).
  std::string key_file;
  /// Non-empty: clients must present a certificate signed by a CA in this PEM file
  /// (the handshake fails otherwise).
  std::string client_ca_file;
};

/// Log sink for what the simulator does (one line per call); nullptr = silent.
/// Library code never writes to stdout; the standalone tool logs to stderr.
using log_function = std::function<void(std::string_view line)>;

/// Everything about a simulated cluster; defaults follow Mesos 1.12 where it has one.
struct cluster_options {
  /// Masters; master 0 leads at start.
  std::size_t masters = 1;
  /// Agents.
  std::size_t agents = 1;
  /// What every agent offers (unless overridden).
  agent_resources resources;
  /// Per-agent overrides (index = agent); missing entries use `resources`.
  std::vector<agent_resources> agent_overrides;

  /// Address every server listens on.
  std::string bind_address = "127.0.0.1";
  /// Hostname in MasterInfo/offers and in 307 Location headers; empty = bind_address.
  std::string hostname;
  /// Ports per master / agent; missing entries or 0 = ephemeral.
  std::vector<std::uint16_t> master_ports;
  /// Ports per agent; missing entries or 0 = ephemeral.
  std::vector<std::uint16_t> agent_ports;

  /// SUBSCRIBED.heartbeat_interval_seconds and the HEARTBEAT period (Mesos: 15 s).
  std::chrono::milliseconds heartbeat_interval = std::chrono::seconds(15);

  /// Non-empty: frameworks must authenticate with HTTP Basic (Mesos
  /// --authenticate_http_frameworks, realm "mesos-master-scheduler").
  std::vector<credential> credentials;
  /// Bearer tokens accepted instead (`secret` = the token, `principal` = who it
  /// authenticates). Either list non-empty turns authentication on.
  std::vector<credential> bearer_tokens;
  /// Authenticated principals answered 403 (not authorized to use the API).
  std::vector<std::string> forbidden_principals;
  /// Serve HTTPS from these files; nullopt = plain HTTP.
  std::optional<tls_files> tls;

  /// How long an agent waits before offering declined resources again when the
  /// call gives no filters (Mesos Filters.refuse_seconds default 5 s).
  std::chrono::milliseconds default_refuse = std::chrono::seconds(5);
  /// Upper bound for refuse_seconds (Mesos caps at 365 days).
  std::chrono::milliseconds max_refuse = std::chrono::hours(24 * 365);
  /// How often the allocator looks for resources to offer (Mesos --allocation_interval 1 s).
  std::chrono::milliseconds allocation_interval = std::chrono::seconds(1);

  /// Status-update retry: first retry after `update_retry_initial`, doubling up to
  /// `update_retry_max` (Mesos: 10 s and 10 min). Make them small in tests.
  std::chrono::milliseconds update_retry_initial = std::chrono::seconds(10);
  /// Longest wait between retries of one status update.
  std::chrono::milliseconds update_retry_max = std::chrono::minutes(10);

  /// SIGTERM -> SIGKILL delay when killing a command task (Mesos default 3 s).
  std::chrono::milliseconds kill_grace_period = std::chrono::seconds(3);
  /// Where task sandboxes live; empty = a fresh temp dir removed with the cluster.
  std::string work_dir;
  /// Agent checkpointing (survives restart_agent with its tasks when true).
  bool agent_checkpoint = true;
  /// How agents run custom executors (timeouts, authentication).
  executor_settings executors;

  /// Most concurrent connections per HTTP server (one thread each, created on
  /// demand); a subscription holds its connection, and so does a keep-alive call
  /// connection. Connections beyond this get 503 and are closed.
  std::size_t server_threads = 2048;
  /// Largest accepted request body.
  std::size_t max_request_body = 16u * 1024u * 1024u;
  /// Events queued for one subscription before the stream is treated as dead.
  std::size_t max_queued_events = 100000;
  /// Trace entries kept (oldest dropped first); 0 = no trace.
  std::size_t max_trace_entries = 100000;
  /// Called with every trace record as it is made, also when max_trace_entries is 0
  /// (see trace_observer); empty members are not called.
  trace_observer observe;
  /// Finished tasks remembered for cluster::tasks() and the operator API's
  /// completed_tasks (oldest dropped first).
  std::size_t max_completed_tasks = 10000;

  /// Serve the fault-injection control endpoint on every master (the standalone
  /// simulator turns it on): `POST /sim/faults/<fault>?<args>`, `GET /sim/state`.
  /// See sim/README.md.
  bool control_endpoint = false;

  /// Non-empty ("zk://[user:password@]host:port,.../path"): the masters register in
  /// ZooKeeper as Mesos masters do (EPHEMERAL|SEQUENCE json.info_ nodes holding JSON
  /// MasterInfo) and the leader is whoever ZooKeeper names (lowest sequence);
  /// set_leader / no_leader / restart_master then act on those nodes.
  std::string zookeeper;
  /// Session timeout of the masters' ZooKeeper session; start() waits this long at
  /// most for the connection.
  std::chrono::milliseconds zookeeper_session_timeout = std::chrono::seconds(10);

  /// MasterInfo.version.
  std::string version = "1.12.0";
  /// Where the simulator logs; nullptr = silent.
  log_function log;
};

} // namespace mesos_actor::sim
