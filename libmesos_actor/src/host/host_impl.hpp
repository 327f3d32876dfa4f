#pragma once
// What a host is and does (mesos_actor::host forwards every call here): the
// supervision tree of its frameworks (a "schedulers" and an "executors" subtree, one
// supervisor per ref), the table of refs with their slots, the shared ZooKeeper
// detectors, the Prometheus endpoint and the fleet membership.
//
//   host (root supervisor)
//   ├── schedulers ── "scheduler:<ref>" supervisor ── the scheduler actor
//   └── executors  ── "executor:<ref>" supervisor  ── the executor actor

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>

#include <supervisor/supervisor.hpp>

#include "fleet/coordinator.hpp"
#include "host/detector_pool.hpp"
#include "host/framework_slot.hpp"
#include "host/host_metrics.hpp"
#include "mesos_actor/host.hpp"
#include "metrics/exporter.hpp"

namespace mesos_actor::detail {

/// The frameworks of one kind: a slot and a restart policy per ref, in start order.
struct framework_table {
  struct entry {
    std::shared_ptr<framework_slot> slot;
    restart_policy policy;
    bool starting = true;
  };
  std::vector<std::string> order; // start order
  std::map<std::string, entry> entries;

  void erase(const std::string &ref);
};

class host_impl {
public:
  /// Starts the supervision tree (and the metrics endpoint, the fleet membership);
  /// throws std::runtime_error when it cannot, as host's constructors do.
  host_impl(caf::actor_system *borrowed, host_options opts);
  host_impl(const host_impl &) = delete;
  host_impl &operator=(const host_impl &) = delete;

  ~host_impl();

  caf::actor_system &system();

  // The framework's actor runs its init when its supervisor asks (init_ack), so a
  // declining init fails this start with init's error and nothing is restarted.
  caf::expected<caf::actor>
  start(framework_kind kind, const std::string &ref, const restart_policy &policy,
        std::chrono::milliseconds init_timeout,
        std::shared_ptr<metrics::framework_metrics> counters,
        std::function<supervisor::start_function(std::shared_ptr<framework_slot>)> make_start);

  caf::error stop(framework_kind kind, const std::string &ref, stop_options how);

  std::vector<framework_row> which(framework_kind kind) const;

  // The running actor of `ref` for an outside call of type `what`: supervisor
  // not_found for an unknown ref, errc::stopped when it is not running.
  caf::expected<caf::actor> running_actor(framework_kind kind, const std::string &ref,
                                          const std::string &what) const;

  // Schedulers then executors, each in start order.
  std::vector<metrics_source> metric_sources() const;

  metrics::host_snapshot metrics() const;

  std::uint16_t metrics_port() const;

  void shutdown();

  // What start_scheduler(ref, factory, ...) does for a local ref and a fleet one alike.
  caf::expected<caf::actor> start_scheduler(const std::string &ref, scheduler_factory factory,
                                            scheduler_options opts, restart_policy policy);

  caf::expected<caf::actor> start_executor(const std::string &ref, executor_factory factory,
                                           executor_options opts, restart_policy policy);

  // A fleet ref is stopped fleet-wide: its spec goes, its owner stops it.
  caf::error stop_scheduler(const std::string &ref, stop_options how);

  std::vector<framework_row> which_schedulers() const;

  // --- outside calls to a running framework ------------------------------------------
  std::chrono::milliseconds call_timeout() const { return opts_.call_timeout; }
  caf::expected<call_outcome> call_scheduler(const std::string &ref,
                                             mesos::v1::scheduler::Call call,
                                             std::chrono::milliseconds timeout) const;
  caf::expected<std::string> update_executor(const std::string &ref, mesos::v1::TaskStatus status,
                                             std::chrono::milliseconds timeout) const;
  caf::error message_executor(const std::string &ref, std::string data,
                              std::chrono::milliseconds timeout) const;

  // --- fleet ------------------------------------------------------------------------

  caf::error register_fleet_factory(const std::string &name, fleet_scheduler_factory make,
                                    scheduler_options base);

  caf::error declare(const std::string &ref, const std::string &factory_name,
                     fleet_scheduler_options opts, restart_policy policy,
                     std::vector<std::string> preference);

  caf::error undeclare(const std::string &ref);

private:
  struct fleet_factory_entry {
    fleet_scheduler_factory make;
    scheduler_options base; // this host's own: credentials, TLS... never in ZooKeeper
  };

  bool is_fleet_ref(const std::string &ref) const;
  bool has_local(const std::string &ref) const;
  // Local rows first; then the fleet's refs that run elsewhere or nowhere.
  void add_fleet_rows(std::vector<framework_row> &rows) const;
  std::shared_ptr<fleet::host_ops> fleet_ops();

  bool no_start_pending() const;
  framework_table &table_of(framework_kind kind);

  // Looked up on every use: if the root ever restarted a subtree, the handle changed.
  caf::expected<caf::actor> subtree_of(framework_kind kind);

  // start_failed(ref, start_failed("scheduler", reason)) -> reason: the caller
  // wants to read why its framework did not start. An init that did not answer in
  // time reads like the same timeout of start_scheduler_actor.
  static caf::error unwrap_start_failure(caf::error err, framework_kind kind,
                                         std::chrono::milliseconds init_timeout);

  // Has the scheduler send TEARDOWN, as any outside call, and waits for its outcome (or
  // the scheduler's end), bounded by `timeout`.
  void teardown(const caf::actor &scheduler_actor, std::chrono::milliseconds timeout);

  host_options opts_;
  detector_pool detectors_; // one ZooKeeper detector per zk:// URL
  std::unique_ptr<fleet::membership> fleet_;
  std::unique_ptr<caf::actor_system_config> cfg_;
  std::unique_ptr<caf::actor_system> owned_;
  caf::actor_system *sys_ = nullptr;
  caf::actor root_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  framework_table schedulers_;
  framework_table executors_;
  bool shut_ = false;
  mutable std::mutex fleet_mtx_;
  std::map<std::string, fleet_factory_entry> fleet_factories_;
  std::set<std::string> fleet_refs_; // refs this host runs for the fleet
  // Last: destroyed first, so its thread never sees the tables go.
  std::unique_ptr<prometheus_exporter> exporter_;
};

} // namespace mesos_actor::detail
