#include "executor/unacknowledged.hpp"

#include <algorithm>

namespace mesos_actor::detail {

void unacknowledged::add_task(const mesos::v1::TaskInfo& task) {
  auto same = [&](const mesos::v1::TaskInfo& t) {
    return t.task_id().value() == task.task_id().value();
  };
  auto i = std::find_if(tasks_.begin(), tasks_.end(), same);
  if (i != tasks_.end())
    *i = task;
  else
    tasks_.push_back(task);
}

void unacknowledged::add_update(const mesos::v1::executor::Call::Update& update) {
  if (!has_update(update.status().uuid()))
    updates_.push_back(update);
}

bool unacknowledged::acknowledge(const std::string& task_id, const std::string& uuid) {
  auto match = [&](const mesos::v1::executor::Call::Update& u) {
    return u.status().uuid() == uuid && u.status().task_id().value() == task_id;
  };
  auto i = std::find_if(updates_.begin(), updates_.end(), match);
  if (i == updates_.end())
    return false;
  updates_.erase(i);
  // One acknowledged update proves the agent knows the task.
  tasks_.erase(std::remove_if(tasks_.begin(), tasks_.end(),
                              [&](const mesos::v1::TaskInfo& t) {
                                return t.task_id().value() == task_id;
                              }),
               tasks_.end());
  return true;
}

void unacknowledged::forget_update(const std::string& uuid) {
  updates_.erase(std::remove_if(updates_.begin(), updates_.end(),
                                [&](const mesos::v1::executor::Call::Update& u) {
                                  return u.status().uuid() == uuid;
                                }),
                 updates_.end());
}

bool unacknowledged::has_update(const std::string& uuid) const {
  return std::any_of(updates_.begin(), updates_.end(),
                     [&](const mesos::v1::executor::Call::Update& u) {
                       return u.status().uuid() == uuid;
                     });
}

void unacknowledged::fill(mesos::v1::executor::Call::Subscribe& subscribe) const {
  subscribe.clear_unacknowledged_tasks();
  subscribe.clear_unacknowledged_updates();
  for (const auto& t : tasks_)
    *subscribe.add_unacknowledged_tasks() = t;
  for (const auto& u : updates_)
    *subscribe.add_unacknowledged_updates() = u;
}

} // namespace mesos_actor::detail
