#pragma once
// The executor's memory of what the agent has not confirmed yet (PROTOCOL.md section 10):
// launched tasks until one of their updates is acknowledged, and updates until they are.
// Both lists go into every SUBSCRIBE, so nothing sent is lost across an agent restart.

#include <cstddef>
#include <string>
#include <vector>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::detail {

class unacknowledged {
public:
  /// A task arrived in LAUNCH/LAUNCH_GROUP.
  void add_task(const mesos::v1::TaskInfo& task);
  /// An update was sent (or queued to go with the next SUBSCRIBE).
  void add_update(const mesos::v1::executor::Call::Update& update);
  /// ACKNOWLEDGED: drops the update and its task. False if no such update was pending
  /// (a duplicate acknowledgement, or one for an update of an earlier process).
  bool acknowledge(const std::string& task_id, const std::string& uuid);
  /// Drops an update the agent refused for good (4xx), so it is not resent.
  void forget_update(const std::string& uuid);

  bool has_update(const std::string& uuid) const;
  std::size_t update_count() const { return updates_.size(); }
  std::size_t task_count() const { return tasks_.size(); }

  const std::vector<mesos::v1::TaskInfo>& tasks() const { return tasks_; }
  /// Oldest first.
  const std::vector<mesos::v1::executor::Call::Update>& updates() const { return updates_; }

  /// Replaces the lists of `subscribe` with these.
  void fill(mesos::v1::executor::Call::Subscribe& subscribe) const;

private:
  // Vectors: the lists are short (a handful of tasks per executor) and order matters
  // for resending updates oldest first.
  std::vector<mesos::v1::TaskInfo> tasks_;
  std::vector<mesos::v1::executor::Call::Update> updates_;
};

} // namespace mesos_actor::detail
