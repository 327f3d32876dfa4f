#pragma once
// A host's membership of a fleet: the coordinator actor (ZooKeeper session and watch
// events -> desired ownership (placement.hpp) -> claim / start / stop / release, and
// the fencing clock of lease.hpp) and the ZooKeeper I/O actor it drives (zk_io.hpp).
// The coordinator never blocks: starts and stops run on detached one-shot workers.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "fleet/fleet_metrics.hpp"
#include "fleet/lease.hpp"
#include "fleet/nodes.hpp"
#include "mesos_actor/fleet.hpp"
#include "mesos_actor/host.hpp"
#include "mesos_actor/log.hpp"

namespace mesos_actor::fleet {

/// What a fleet framework's scheduler gets from the coordinator besides its spec.
struct start_hooks {
  /// scheduler_options::subscribe_guard: the fence.
  std::function<caf::error()> guard;
  /// scheduler_options::store_framework_id: records the id in ZooKeeper.
  framework_id_store store;
  /// scheduler_options::framework_id_store_timeout.
  std::chrono::milliseconds store_timeout{0};
};

/// What the coordinator needs from its host. `start` and `stop` block (they run on
/// worker threads); `notify` and `log` are called on the coordinator's thread.
struct host_ops {
  std::function<caf::error(const std::string& ref, const ref_spec& spec,
                           const std::string& framework_id, start_hooks hooks)>
    start;
  std::function<void(const std::string& ref)> stop;
  std::function<void(host_event_kind what, const std::string& ref, const caf::error& reason)>
    notify;
  std::function<void(log_level level, const char* event, const std::string& text)> log;
};

/// The last snapshot the coordinator read, for which_schedulers (any thread).
class fleet_view {
public:
  void publish(std::shared_ptr<const snapshot> s);
  std::shared_ptr<const snapshot> last() const;

private:
  mutable std::mutex mtx_;
  std::shared_ptr<const snapshot> last_;
};

/// Owns the coordinator and the I/O actor of one host.
class membership {
public:
  /// Spawns both and opens the session (asynchronously). errc::bad_option for bad
  /// options (validate(fleet_options)).
  static caf::expected<std::unique_ptr<membership>> start(caf::actor_system& sys,
                                                          const fleet_options& opts,
                                                          std::shared_ptr<host_ops> ops);
  ~membership();

  /// The factories this host can run changed (written to its host node).
  void set_factories(std::vector<std::string> names);
  /// Stores a ref's spec (waits at most `timeout`).
  caf::error declare(const std::string& ref, const ref_spec& spec,
                     std::chrono::milliseconds timeout);
  /// Removes a ref's spec: its owner stops it (waits at most `timeout`).
  caf::error undeclare(const std::string& ref, std::chrono::milliseconds timeout);
  std::shared_ptr<const snapshot> last_snapshot() const { return view_->last(); }
  const std::string& host_name() const { return host_name_; }
  /// The fleet's counters and gauges now (any thread).
  ::mesos_actor::metrics::fleet_snapshot metrics() const { return counters_->snapshot(); }

  /// Ends the coordinator (no more claims, starts or stops) and waits for it.
  void halt();
  /// Then closes the ZooKeeper session (our nodes go) and waits for the I/O actor.
  void close();

private:
  membership(caf::actor_system& sys, std::string host_name) : sys_(sys), host_name_(host_name) {}

  caf::actor_system& sys_;
  std::string host_name_;
  std::shared_ptr<fleet_view> view_ = std::make_shared<fleet_view>();
  std::shared_ptr<fleet_counters> counters_ = std::make_shared<fleet_counters>();
  caf::actor coordinator_;
  caf::actor io_;
};

} // namespace mesos_actor::fleet
