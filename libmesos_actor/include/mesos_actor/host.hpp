#pragma once
// The framework host: what a program using mesos-actor holds. It owns (or borrows) a
// caf::actor_system and a supervision tree
//
//   root (one_for_one)
//    ├─ schedulers (one_for_one)
//    │    └─ <ref> (one_for_one, the framework's restart intensity)
//    │         └─ scheduler actor (the framework's restart type)
//    └─ executors (one_for_one)
//         └─ <ref> ... executor actor
//
// Every framework has a supervisor of its own, so its restart intensity is its own:
// when it is exceeded that supervisor gives up (the framework is reported `failed`)
// and no other framework notices. A restarted scheduler gets a FRESH behaviour from
// its factory and the framework id it had, so Mesos sees a failover, not a new
// framework (set FrameworkInfo.failover_timeout > 0 so the master keeps it).
//
// Logging: host_options::logging is every framework's default sink and level; the
// host logs each supervisor event (started, restarted, exited, gave_up...) once.
// Metrics: metrics() snapshots every framework; with host_options::prometheus.enabled
// the host serves them in the Prometheus text format on a loopback port.
//
// Every member function may be called from any thread outside the host's actor
// system; the ones that wait (start_*, stop_*, which_*, shutdown) must not be called
// from inside an actor handler or a host event listener (they would wait for the
// very thread they run on). Two hosts in one process share nothing.
//
//   mesos_actor::host h{{/*on_event=*/[](const mesos_actor::host_event& e) { ... }}};
//   auto a = h.start_scheduler("analytics", [] { return std::make_unique<my_scheduler>(); },
//                              opts, {supervisor::restart_type::permanent});
//   h.which_schedulers();                     // ref, actor, status, restarts, framework id
//   h.call_scheduler("analytics", revive_call); // any call from any thread: outcome or error
//   h.stop_scheduler("analytics", {/*teardown=*/true});
//   // ~host() stops whatever is left (newest first), bounded by shutdown timeouts.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include <supervisor/child_spec.hpp>

#include "mesos_actor/executor/behaviour.hpp"
#include "mesos_actor/executor/options.hpp"
#include "mesos_actor/fleet.hpp"
#include "mesos_actor/log.hpp"
#include "mesos_actor/metrics/options.hpp"
#include "mesos_actor/metrics/snapshot.hpp"
#include "mesos_actor/scheduler/call_outcome.hpp"
#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/scheduler/behaviour.hpp"

namespace mesos_actor {

namespace detail {
class host_impl;
} // namespace detail

/// How a framework is restarted (OTP restart type + intensity + shutdown).
struct restart_policy {
  /// permanent: always restarted; transient: only after an abnormal exit (a
  /// callback threw, every master unreachable...); temporary: never.
  supervisor::restart_type restart = supervisor::restart_type::transient;
  /// More than this many restarts within `period` and the framework is given up.
  int max_restarts = 3;
  /// The sliding window over which `max_restarts` is counted.
  std::chrono::milliseconds period{std::chrono::seconds(60)};
  /// Grace time of a stop (terminate runs, the stream closes) before a kill.
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(5)};
};

/// Makes a fresh behaviour for every start and restart of a framework.
using scheduler_factory = std::function<std::unique_ptr<scheduler>()>;
/// Makes a fresh executor behaviour for every (re)start.
using executor_factory = std::function<std::unique_ptr<executor>()>;

/// Where a framework stands.
enum class framework_status {
  running,    ///< its actor is alive
  restarting, ///< it ended and its restart failed; a retry is queued
  stopped,    ///< it ended and its restart type does not restart it
  failed,     ///< its restart intensity was exceeded: given up
  elsewhere,  ///< a fleet ref another host owns (docs/fleet.md)
  unowned,    ///< a fleet ref no live host owns right now
};
/// The enumerator's name.
const char* to_string(framework_status s);

/// One row of which_schedulers / which_executors. Holds no options, so no secrets.
struct framework_row {
  /// The ref the framework was started under.
  std::string ref;
  caf::actor actor; ///< invalid unless running
  /// Running, restarting or stopped.
  framework_status status = framework_status::stopped;
  std::size_t restarts = 0;      ///< restarts made by the policy
  caf::error last_exit_reason;   ///< empty = none or normal
  std::string framework_id;      ///< last one assigned or confirmed (empty if none yet)
  bool fleet = false;            ///< declared to the host's fleet (start_scheduler by factory name)
  std::string owner_host;        ///< fleet refs: the host that owns it ("" = none)
};

/// What a host event is about.
enum class framework_kind { scheduler, executor };
/// "scheduler" or "executor".
const char* to_string(framework_kind k);

/// What happened to a framework.
enum class host_event_kind {
  started,      ///< started by start_scheduler/start_executor
  exited,       ///< its actor ended; `reason` says how
  restarted,    ///< started again by its restart policy
  start_failed, ///< a (re)start failed; `reason` says why
  gave_up,      ///< restart intensity exceeded: no more restarts
  stopped,      ///< stopped by stop_* or the host's shutdown
  // Fleet refs (docs/fleet.md), each followed by the start/stop events above:
  acquired,     ///< this host took ownership and starts it
  lost,         ///< another host owns it now (this host's session ended): stopped here
  fenced,       ///< this host's ZooKeeper lease ran out: stopped here before anyone else may run it
  taken_over,   ///< handed over to a preferred host that came back: stopped here, ownership released
};
/// The enumerator's name.
const char* to_string(host_event_kind k);

/// Something that happened to a hosted framework (start, restart, give-up, stop).
struct host_event {
  /// Scheduler or executor.
  framework_kind kind = framework_kind::scheduler;
  /// The framework's ref.
  std::string ref;
  /// What happened.
  host_event_kind what = host_event_kind::started;
  /// The framework actor concerned (may be empty).
  caf::actor actor;
  /// The exit reason that caused it (empty when none).
  caf::error reason;
  /// Restarts of this framework so far.
  std::size_t restarts = 0;
};

/// Called on an actor thread of the host: keep it short and thread-safe, never call
/// the host's waiting functions from it. Exceptions are dropped.
using host_listener = std::function<void(const host_event&)>;

/// Options of a host; every member has a sane default.
struct host_options {
  /// Observer of starts, exits, restarts and give-ups.
  host_listener on_event;
  /// Bound of each internal supervisor operation (start, stop, listing).
  std::chrono::milliseconds call_timeout{std::chrono::seconds(30)};
  /// Worker threads of an owned actor system; 0 = CAF's default (one per core).
  std::size_t scheduler_threads = 0;
  /// Level and sink of the host's own entries (component "host": starts, exits,
  /// restarts, give-ups) and the default of every framework it starts (a framework's
  /// own logging options win). The framework ref is filled in by the host.
  logging_options logging;
  /// Latency buckets of the metrics of every framework it starts without a
  /// framework_metrics of its own.
  metrics::metrics_options metrics;
  /// The Prometheus endpoint (off by default); see metrics_port().
  metrics::prometheus_options prometheus;
  /// Membership of a fleet of hosts coordinated through ZooKeeper (off by default;
  /// mesos_actor/fleet.hpp, docs/fleet.md).
  fleet_options fleet;
};

/// How stop_scheduler ends a framework.
struct stop_options {
  /// Send TEARDOWN first (Mesos removes the framework and its tasks) and wait for
  /// its answer, up to the framework's shutdown timeout; then stop the actor.
  bool teardown = false;
};

/// Runs many frameworks in one process, each under its own supervisor, started and stopped by ref.
class host {
public:
  /// Owns an actor system of its own. Both constructors throw std::runtime_error
  /// when the supervision tree cannot start, the metrics or Prometheus options are
  /// bad, or the Prometheus endpoint cannot listen.
  explicit host(host_options opts = {});
  /// Borrows `sys`, which must outlive the host.
  host(caf::actor_system& sys, host_options opts = {});
  /// shutdown().
  ~host();
  host(const host&) = delete;
  host& operator=(const host&) = delete;

  /// The actor system the host runs on (owned or borrowed).
  caf::actor_system& system();

  /// Starts framework `ref` and waits for its behaviour's init (OTP start_child /
  /// proc_lib:init_ack). Errors: supervisor already_started (with the running actor),
  /// errc::bad_option (options, policy, no factory), or the start failure: a factory
  /// that threw or made nothing (errc::init_failed), init's own error when it declined
  /// or threw (the ref is then not kept and nothing is restarted), a timeout after
  /// opts.init_timeout. A ref whose framework ended (stopped/failed) is replaced.
  caf::expected<caf::actor> start_scheduler(const std::string& ref, scheduler_factory factory,
                                            scheduler_options opts, restart_policy policy = {});
  /// Fleet (host_options::fleet): makes `name` a factory this host can run fleet refs
  /// of. `base` is this host's own options for them (credentials, TLS, master list):
  /// it never leaves the process. Errors: errc::bad_option (no fleet, bad name, no
  /// factory, bad options). Registering again replaces it (for later starts).
  caf::error register_scheduler_factory(const std::string& name, fleet_scheduler_factory factory,
                                        scheduler_options base = {});
  /// Fleet: declares framework `ref` to the whole fleet (its spec goes to ZooKeeper;
  /// no secrets: see fleet_scheduler_options). Exactly one live host with the factory
  /// runs it: the first live host of `preference`, else the least loaded
  /// (docs/fleet.md). Returns once the spec is stored, not when the framework runs
  /// (which_schedulers shows where it is). Errors: errc::bad_option (no fleet, bad
  /// names or policy, ref already declared), errc::transport_error (ZooKeeper).
  caf::error start_scheduler(const std::string& ref, const std::string& factory_name,
                             fleet_scheduler_options opts, restart_policy policy = {},
                             std::vector<std::string> preference = {});
  /// Stops it (its terminate runs, the stream closes) and forgets the ref. Errors:
  /// supervisor not_found. A fleet ref (or, on a fleet host, a ref not running here)
  /// is stopped fleet-wide: its spec is removed and its owner stops it shortly after
  /// (errc::bad_option when it is not declared).
  caf::error stop_scheduler(const std::string& ref, stop_options how = {});
  /// Every scheduler ref in start order; on a fleet host, then the fleet's refs that
  /// run on other hosts (status elsewhere) or nowhere (unowned), as last read.
  std::vector<framework_row> which_schedulers() const;
  /// Makes `call` through the scheduler running under `ref` and waits for its outcome,
  /// at most host_options::call_timeout: erl_mesos's calls from any process. The call
  /// takes the path of a callback's call (same order, checks and disconnected-call
  /// policy; see mesos_actor/scheduler/external_call.hpp). Returns the outcome when
  /// the master accepted the call, otherwise its error; supervisor not_found for an
  /// unknown ref; errc::stopped when the ref's framework is not running (stopped,
  /// given up, between restarts) or the host is shut down; errc::timeout when the wait
  /// ran out. Calls made one after the other from one thread reach the master in order.
  caf::expected<call_outcome> call_scheduler(const std::string& ref,
                                             mesos::v1::scheduler::Call call) const;
  /// As above, waiting at most `timeout` (> 0).
  caf::expected<call_outcome> call_scheduler(const std::string& ref,
                                             mesos::v1::scheduler::Call call,
                                             std::chrono::milliseconds timeout) const;

  /// Starts an executor under `ref` with its own supervisor and waits for its init;
  /// errors like start_scheduler.
  caf::expected<caf::actor> start_executor(const std::string& ref, executor_factory factory,
                                           executor_options opts, restart_policy policy = {});
  /// Stops the executor started under `ref`; not_found when there is none.
  caf::error stop_executor(const std::string& ref);
  /// Every executor ref with its status.
  std::vector<framework_row> which_executors() const;
  /// Sends an UPDATE for `status` through the executor running under `ref` and waits
  /// at most host_options::call_timeout: the update's uuid once the library keeps it
  /// for delivery, or the error (see mesos_actor/executor/external_call.hpp);
  /// supervisor not_found for an unknown ref, errc::stopped when it is not running.
  caf::expected<std::string> update_executor(const std::string& ref,
                                             mesos::v1::TaskStatus status) const;
  /// As above, waiting at most `timeout` (> 0).
  caf::expected<std::string> update_executor(const std::string& ref,
                                             mesos::v1::TaskStatus status,
                                             std::chrono::milliseconds timeout) const;
  /// Sends a MESSAGE with `data` through the executor running under `ref` and waits at
  /// most host_options::call_timeout: none once the agent accepted it, otherwise the
  /// error, as update_executor.
  caf::error message_executor(const std::string& ref, std::string data) const;
  /// As above, waiting at most `timeout` (> 0).
  caf::error message_executor(const std::string& ref, std::string data,
                              std::chrono::milliseconds timeout) const;

  /// Every framework's counters (labelled with its ref) and the host's totals.
  metrics::host_snapshot metrics() const;
  /// The port the Prometheus endpoint listens on; 0 when it is not served.
  std::uint16_t metrics_port() const;

  /// Stops every framework (executors, then schedulers, each newest first), bounded by
  /// their shutdown timeouts, then the supervision tree. Idempotent; start_* fails
  /// afterwards.
  void shutdown();

private:
  std::unique_ptr<detail::host_impl> impl_;
};

} // namespace mesos_actor
