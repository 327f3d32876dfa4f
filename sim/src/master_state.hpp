#pragma once
// What the master knows: frameworks, outstanding offers, tasks and the status updates
// still to deliver. Plain records, guarded by cluster::impl::mu_; the code that changes
// them lives in master_*.cpp, allocator.cpp and status_updates.cpp.

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

#include <mesos/v1/maintenance/maintenance.pb.h>
#include <mesos/v1/mesos.pb.h>
#include <mesos/v1/quota/quota.pb.h>

#include "mesos_actor/sim/cluster.hpp"
#include "event_stream.hpp"
#include "resources.hpp"

namespace mesos_actor::sim {

using sim_clock = std::chrono::steady_clock;

struct framework_entry {
  std::string id;
  mesos::v1::FrameworkInfo info;
  std::string principal; ///< authenticated principal, if any
  std::shared_ptr<event_stream> stream;
  std::set<std::string> suppressed;
  std::optional<sim_clock::time_point> failover_deadline;
  std::map<std::string, sim_clock::time_point> filters; ///< agent id -> refused until
  sim_clock::time_point next_heartbeat;

  std::vector<std::string> roles() const;
  bool has_capability(mesos::v1::FrameworkInfo::Capability::Type t) const;
  bool partition_aware() const;
};

struct offer_entry {
  mesos::v1::Offer offer;
  std::string framework_id;
  std::string agent_id;
  std::string role;
  resource_set resources;
};

struct task_entry {
  std::string framework_id;
  std::string agent_id;
  std::string executor_id; ///< empty for command tasks
  mesos::v1::TaskInfo info;
  resource_set resources;
  mesos::v1::TaskStatus latest;  ///< latest state known to the master
  std::string sandbox;
  /// A command task's container on its agent (the agent's GET_CONTAINERS); custom
  /// executors' containers belong to the executor manager.
  std::string container_id;
  pid_t pid = 0;                 ///< command task process (its own process group)
  bool kill_requested = false;
  std::optional<sim_clock::time_point> sigkill_at;
  bool terminal() const;
  /// What `cluster::tasks()` reports of it.
  task_state view() const;
};

struct update_entry {
  std::string framework_id;
  mesos::v1::TaskStatus status;
  std::size_t attempts = 0;
  sim_clock::time_point next_attempt;
  std::chrono::milliseconds backoff{0};
};

/// The master's records (one set, whichever master leads).
struct master_state {
  std::map<std::string, framework_entry> frameworks;
  std::set<std::string> removed_frameworks;
  std::map<std::string, offer_entry> offers;
  std::map<std::pair<std::string, std::string>, task_entry> tasks; ///< (framework, task)
  std::deque<task_state> completed_tasks;
  /// The same tasks as the operator API shows them (same bound).
  std::deque<mesos::v1::Task> completed_task_records;
  /// Status updates not yet acknowledged, per (framework, task), oldest first.
  std::map<std::pair<std::string, std::string>, std::deque<update_entry>> updates;
  std::size_t next_framework = 0; ///< framework ids are <cluster id>-<4 digits>
  /// Operator API: quotas by role (UPDATE_QUOTA), the maintenance schedule and the
  /// machines in maintenance (START_MAINTENANCE).
  std::map<std::string, mesos::v1::quota::QuotaConfig> quotas;
  mesos::v1::maintenance::Schedule maintenance_schedule;
  std::vector<mesos::v1::MachineID> down_machines;
};

mesos::v1::TaskStatus make_status(const task_entry& t, mesos::v1::TaskState state,
                                  mesos::v1::TaskStatus::Source source,
                                  std::optional<mesos::v1::TaskStatus::Reason> reason,
                                  const std::string& message);
double now_seconds(); ///< wall clock, for TaskStatus.timestamp

} // namespace mesos_actor::sim
