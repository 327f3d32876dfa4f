// Events to frameworks and the status-update manager: agent updates carry a uuid,
// are forwarded one at a time per task and retried with backoff until acknowledged;
// master-generated updates (and reconciliation answers) carry none.
#include "cluster_impl.hpp"

#include <algorithm>

#include "ids.hpp"
#include "operator_views.hpp"

namespace mesos_actor::sim {

namespace {
using Event = mesos::v1::scheduler::Event;

Event update_event(const mesos::v1::TaskStatus& status) {
  Event e;
  e.set_type(Event::UPDATE);
  *e.mutable_update()->mutable_status() = status;
  return e;
}
} // namespace

void cluster::impl::send_event(framework_entry& fw, const Event& e) {
  if (fw.stream && !fw.stream->push(e))
    log("stream of framework " + fw.id + " is closed or full; event dropped");
}

void cluster::impl::send_event(const std::string& framework_id, const Event& e) {
  auto it = state_.frameworks.find(framework_id);
  if (it != state_.frameworks.end())
    send_event(it->second, e);
}

void cluster::impl::master_status_update(const std::string& framework_id,
                                         mesos::v1::TaskStatus status) {
  status.clear_uuid();
  send_event(framework_id, update_event(status));
}

void cluster::impl::apply_task_state(task_entry& t, const mesos::v1::TaskStatus& status) {
  t.latest = status;
  operator_task_updated(t);
}

void cluster::impl::agent_status_update(const std::string& framework_id,
                                        mesos::v1::TaskStatus status) {
  if (status.uuid().size() != 16)
    status.set_uuid(random_uuid_bytes());
  if (!status.has_timestamp())
    status.set_timestamp(now_seconds());
  auto key = std::make_pair(framework_id, status.task_id().value());
  if (!state_.frameworks.count(framework_id)) {
    log("status update " + std::string(mesos::v1::TaskState_Name(status.state())) + " of task " +
        key.second + " dropped: the master knows no framework " + framework_id);
    return;
  }
  // A task the master no longer knows (e.g. an executor re-subscribing with an update
  // that was never forwarded, for a task whose terminal update was acknowledged since):
  // Mesos's agent still forwards it and retries until acknowledged, and the master
  // forwards it to a connected framework (Master::statusUpdate forwards before it looks
  // the task up). So it is queued like any other; only the task's state is not touched.
  auto task = state_.tasks.find(key);
  if (task != state_.tasks.end())
    apply_task_state(task->second, status);
  else
    log("status update " + std::string(mesos::v1::TaskState_Name(status.state())) + " of task " +
        key.second + " (framework " + framework_id + "): the master knows no such task; forwarded");
  auto& q = state_.updates[key];
  update_entry u;
  u.framework_id = framework_id;
  u.status = std::move(status);
  u.next_attempt = sim_clock::now();
  u.backoff = opts_.update_retry_initial;
  q.push_back(std::move(u));
  if (q.size() == 1)
    retry_updates(sim_clock::now());
}

void cluster::impl::retry_updates(sim_clock::time_point now) {
  for (auto& [key, q] : state_.updates) {
    if (q.empty())
      continue;
    auto& head = q.front();
    if (now < head.next_attempt)
      continue;
    // An agent that is down cannot resend its updates.
    auto* agent = agents_.find(head.status.agent_id().value());
    if (agent && !agent->running)
      continue;
    if (leader_)
      send_event(head.framework_id, update_event(head.status));
    ++head.attempts;
    head.next_attempt = now + head.backoff;
    head.backoff = std::min(head.backoff * 2, opts_.update_retry_max);
  }
}

void cluster::impl::acknowledge(framework_entry& fw,
                                const mesos::v1::scheduler::Call::Acknowledge& ack) {
  auto key = std::make_pair(fw.id, ack.task_id().value());
  auto it = state_.updates.find(key);
  if (it == state_.updates.end() || it->second.empty() ||
      it->second.front().status.uuid() != ack.uuid()) {
    log("ACKNOWLEDGE from " + fw.id + " for task " + ack.task_id().value() +
        " matches no pending update; ignored");
    return;
  }
  auto acked = std::move(it->second.front());
  it->second.pop_front();
  // Nothing goes to the executor here: its agent sent it ACKNOWLEDGED when it took the
  // update (agent_executors::take_update), as Mesos's agent does once its status-update
  // manager has checkpointed it; this acknowledgement ends the master-side stream only.
  auto task = state_.tasks.find(key);
  if (!it->second.empty()) {
    it->second.front().next_attempt = sim_clock::now();
    retry_updates(sim_clock::now());
    return;
  }
  state_.updates.erase(it);
  if (task != state_.tasks.end() && task->second.terminal() && is_terminal(acked.status.state()) &&
      task->second.pid == 0) {
    settle_task(task->second);
    state_.tasks.erase(task);
  }
}

void cluster::impl::settle_task(const task_entry& t) {
  if (opts_.max_completed_tasks == 0)
    return;
  while (state_.completed_tasks.size() >= opts_.max_completed_tasks) {
    state_.completed_tasks.pop_front();
    state_.completed_task_records.pop_front();
  }
  state_.completed_tasks.push_back(t.view()); // every caller ended its process: pid 0
  state_.completed_task_records.push_back(operator_task(t));
}

} // namespace mesos_actor::sim
