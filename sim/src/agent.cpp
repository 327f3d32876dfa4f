// Agents: their HTTP servers (executor endpoint, operator API), command tasks (processes), the executor seam, and the
// agent faults (loss and restart with or without checkpointing).
#include "cluster_impl.hpp"

#include <csignal>
#include <filesystem>
#include <sys/wait.h>

#include "command_task.hpp"
#include "ids.hpp"

namespace mesos_actor::sim {

namespace {
using mesos::v1::TaskStatus;
using Event = mesos::v1::scheduler::Event;
} // namespace

// --- agent_node: what the executor manager may use --------------------------------

agent_node::agent_node(cluster::impl& o, std::size_t i, agent_resources s)
  : owner(o), index(i), spec(s), total(resource_set::from_spec(s)) {}

const cluster_options& agent_node::options() const { return owner.opts_; }

mesos::v1::AgentInfo agent_node::info_locked() const {
  mesos::v1::AgentInfo info;
  info.mutable_id()->set_value(id);
  info.set_hostname(spec.hostname.empty() ? owner.hostname() : spec.hostname);
  info.set_port(port);
  add_attributes(*info.mutable_attributes());
  total.to_proto(*info.mutable_resources());
  return info;
}

void agent_node::add_attributes(
  google::protobuf::RepeatedPtrField<mesos::v1::Attribute>& out) const {
  for (const auto& [name, value] : spec.attributes) {
    auto* a = out.Add();
    a->set_name(name);
    a->set_type(mesos::v1::Value::TEXT);
    a->mutable_text()->set_value(value);
  }
}

mesos::v1::AgentInfo agent_node::agent_info() const {
  std::lock_guard<std::mutex> lk(owner.mu_);
  return info_locked();
}

std::string agent_node::endpoint() const {
  std::lock_guard<std::mutex> lk(owner.mu_);
  return owner.opts_.bind_address + ":" + std::to_string(port);
}

std::string agent_node::work_dir() const {
  std::lock_guard<std::mutex> lk(owner.mu_);
  auto dir = std::filesystem::path(owner.work_dir_) / ("agent-" + std::to_string(index));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return dir.string();
}

std::optional<mesos::v1::FrameworkInfo> agent_node::framework_info(const std::string& fid) const {
  std::lock_guard<std::mutex> lk(owner.mu_);
  auto it = owner.state_.frameworks.find(fid);
  if (it == owner.state_.frameworks.end())
    return std::nullopt;
  return it->second.info;
}

void agent_node::send_status_update(const std::string& fid, const mesos::v1::TaskStatus& status) {
  cluster::impl::state_lock lk(owner);
  owner.agent_status_update(fid, status);
}

void agent_node::send_framework_message(const std::string& fid, const std::string& executor_id,
                                        const std::string& data) {
  cluster::impl::state_lock lk(owner);
  Event e;
  e.set_type(Event::MESSAGE);
  e.mutable_message()->mutable_agent_id()->set_value(id);
  e.mutable_message()->mutable_executor_id()->set_value(executor_id);
  e.mutable_message()->set_data(data);
  owner.send_event(fid, e);
}

void agent_node::executor_terminated(const std::string& fid, const std::string& executor_id,
                                     int status) {
  cluster::impl::state_lock lk(owner);
  Event e;
  e.set_type(Event::FAILURE);
  e.mutable_failure()->mutable_agent_id()->set_value(id);
  e.mutable_failure()->mutable_executor_id()->set_value(executor_id);
  e.mutable_failure()->set_status(status);
  owner.send_event(fid, e);
}

void agent_node::record_request(request_record r) { owner.record_request(std::move(r)); }
void agent_node::record_executor_event(executor_event_record r) {
  owner.record_executor_event(std::move(r));
}

// --- lifecycle -------------------------------------------------------------------

agent_node* agent_pool::find(const std::string& agent_id) {
  for (auto& a : nodes)
    if (a->id == agent_id)
      return a.get();
  return nullptr;
}

void cluster::impl::start_agent(std::size_t index) {
  auto& agent = *agents_.nodes[index];
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (agent.id.empty())
      agent.id = cluster_id_ + "-S" + std::to_string(agents_.next_id++);
  }
  if (!agent.executors)
    agent.executors = make_executor_manager(agent);
  if (!agent.server) {
    auto* mgr = agent.executors.get();
    agent.server = std::make_unique<http_server>(opts_, [this, mgr, index](http_routes& r) {
      mgr->register_routes(r);
      agent_operator_http_.add_routes(index, r);
    });
  }
  agent.server->start(index < opts_.agent_ports.size() ? opts_.agent_ports[index] : 0);
  state_lock lk(*this);
  agent.port = agent.server->port();
  agent.running = true;
  allocator_.mark_dirty();
  operator_agent_added(agent.id);
  log("agent " + agent.id + " listening on " + opts_.bind_address + ":" +
      std::to_string(agent.port));
}

// --- command tasks ---------------------------------------------------------------

void cluster::impl::launch_command_task(task_entry& task) {
  std::vector<std::string> env = {
    "MESOS_SANDBOX=" + task.sandbox,
    "MESOS_DIRECTORY=" + task.sandbox,
    "MESOS_FRAMEWORK_ID=" + task.framework_id,
    "MESOS_EXECUTOR_ID=" + task.info.task_id().value(),
    "MESOS_TASK_ID=" + task.info.task_id().value(),
    "MESOS_AGENT_ID=" + task.agent_id,
  };
  auto spawned = spawn_command(task.info.command(), task.sandbox, env);
  if (spawned.pid <= 0) {
    agent_status_update(task.framework_id,
                        make_status(task, mesos::v1::TASK_FAILED, TaskStatus::SOURCE_EXECUTOR,
                                    TaskStatus::REASON_COMMAND_EXECUTOR_FAILED, spawned.error));
    return;
  }
  task.pid = spawned.pid;
  log("task " + task.info.task_id().value() + " of " + task.framework_id + " started (pid " +
      std::to_string(spawned.pid) + ")");
  agent_status_update(task.framework_id, make_status(task, mesos::v1::TASK_STARTING,
                                                     TaskStatus::SOURCE_EXECUTOR, std::nullopt, ""));
  agent_status_update(task.framework_id, make_status(task, mesos::v1::TASK_RUNNING,
                                                     TaskStatus::SOURCE_EXECUTOR, std::nullopt, ""));
}

void cluster::impl::kill_command_task(task_entry& task, std::chrono::milliseconds grace) {
  if (task.pid <= 0)
    return;
  task.kill_requested = true;
  if (grace.count() <= 0) {
    ::kill(-task.pid, SIGKILL);
    task.sigkill_at.reset();
    return;
  }
  ::kill(-task.pid, SIGTERM);
  auto at = sim_clock::now() + grace;
  if (!task.sigkill_at || at < *task.sigkill_at)
    task.sigkill_at = at;
}

void cluster::impl::reap_processes(sim_clock::time_point now) {
  for (auto& [key, task] : state_.tasks) {
    if (task.pid <= 0)
      continue;
    if (task.sigkill_at && now >= *task.sigkill_at) {
      ::kill(-task.pid, SIGKILL);
      task.sigkill_at.reset();
    }
    int st = 0;
    if (::waitpid(task.pid, &st, WNOHANG) != task.pid)
      continue;
    task.pid = 0;
    task.sigkill_at.reset();
    auto message = describe_exit(st);
    mesos::v1::TaskState state;
    std::optional<TaskStatus::Reason> reason;
    if (task.kill_requested) {
      state = mesos::v1::TASK_KILLED;
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
      state = mesos::v1::TASK_FINISHED;
    } else {
      state = mesos::v1::TASK_FAILED;
      reason = TaskStatus::REASON_COMMAND_EXECUTOR_FAILED;
    }
    log("task " + key.second + " of " + key.first + ": " + message);
    agent_status_update(key.first, make_status(task, state, TaskStatus::SOURCE_EXECUTOR, reason,
                                               message));
  }
  for (auto it = agents_.orphans.begin(); it != agents_.orphans.end();)
    it = ::waitpid(*it, nullptr, WNOHANG) == *it ? agents_.orphans.erase(it) : std::next(it);
}

// --- custom executors: the seam --------------------------------------------------

void cluster::impl::launch_executor_tasks(const std::string& framework_id, agent_node& agent,
                                          const mesos::v1::ExecutorInfo& executor,
                                          std::vector<mesos::v1::TaskInfo> tasks, bool group) {
  // Custom executors live behind executor_manager (executor_manager.hpp); it runs
  // without the state lock and reports back through agent_services.
  auto fw = state_.frameworks.find(framework_id);
  if (fw == state_.frameworks.end())
    return;
  auto* mgr = agent.executors.get();
  auto info = fw->second.info;
  defer([mgr, info, executor, tasks = std::move(tasks), group] {
    mgr->launch(info, executor, tasks, group);
  });
}

// --- agent faults ----------------------------------------------------------------

namespace {
// Stops a task's process now; the pid is reaped later from orphans.
void kill_now(task_entry& t, std::vector<pid_t>& orphans) {
  if (t.pid > 0) {
    ::kill(-t.pid, SIGKILL);
    orphans.push_back(t.pid);
    t.pid = 0;
  }
}
} // namespace

void cluster::impl::agent_lost(std::size_t index) {
  auto& agent = *agents_.nodes.at(index);
  if (!agent.running)
    return;
  log("agent " + agent.id + " lost");
  agent.running = false;
  operator_agent_removed(agent.id);
  allocator_.rescind_offers_on(agent.id);
  for (auto it = state_.tasks.begin(); it != state_.tasks.end();) {
    auto& t = it->second;
    if (t.agent_id != agent.id || t.terminal()) {
      ++it;
      continue;
    }
    kill_now(t, agents_.orphans);
    state_.updates.erase(it->first);
    auto fw = state_.frameworks.find(t.framework_id);
    bool pa = fw != state_.frameworks.end() && fw->second.partition_aware();
    auto status = make_status(t, pa ? mesos::v1::TASK_UNREACHABLE : mesos::v1::TASK_LOST,
                              TaskStatus::SOURCE_MASTER, TaskStatus::REASON_AGENT_REMOVED,
                              "Agent " + agent.id + " is unreachable");
    status.clear_executor_id();
    if (pa)
      status.mutable_unreachable_time()->set_nanoseconds(
        static_cast<std::int64_t>(now_seconds() * 1e9));
    apply_task_state(t, status);
    master_status_update(t.framework_id, status);
    if (!pa) {
      settle_task(t);
      it = state_.tasks.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [fid, fw] : state_.frameworks) {
    Event e;
    e.set_type(Event::FAILURE);
    e.mutable_failure()->mutable_agent_id()->set_value(agent.id);
    send_event(fw, e);
  }
  auto* mgr = agent.executors.get();
  auto* server = agent.server.get();
  defer([mgr, server] {
    mgr->kill_all();
    server->stop();
  });
}

void cluster::impl::agent_restart(std::size_t index) {
  auto& agent = *agents_.nodes.at(index);
  bool keep = agent.running && opts_.agent_checkpoint;
  log("agent " + agent.id + (keep ? " restarts (checkpointed)" : " restarts without recovery"));
  if (!keep) {
    // It comes back as a new agent; what ran there is gone.
    allocator_.rescind_offers_on(agent.id);
    for (auto it = state_.tasks.begin(); it != state_.tasks.end();) {
      auto& t = it->second;
      if (t.agent_id != agent.id) {
        ++it;
        continue;
      }
      kill_now(t, agents_.orphans);
      state_.updates.erase(it->first);
      if (!t.terminal() || t.latest.state() == mesos::v1::TASK_UNREACHABLE) {
        auto fw = state_.frameworks.find(t.framework_id);
        bool pa = fw != state_.frameworks.end() && fw->second.partition_aware();
        auto status = make_status(t, pa ? mesos::v1::TASK_GONE : mesos::v1::TASK_LOST,
                                  TaskStatus::SOURCE_MASTER, TaskStatus::REASON_AGENT_RESTARTED,
                                  "Agent " + agent.id + " restarted");
        status.clear_executor_id();
        apply_task_state(t, status);
        master_status_update(t.framework_id, status);
      }
      settle_task(t);
      it = state_.tasks.erase(it);
    }
    operator_agent_removed(agent.id);
    agent.id = cluster_id_ + "-S" + std::to_string(agents_.next_id++);
  }
  agent.running = false;
  auto* mgr = agent.executors.get();
  defer([this, mgr, keep, index] {
    mgr->agent_restarting(keep);
    agents_.nodes[index]->server->stop(true); // keeps its port for start_agent
    try {
      start_agent(index);
    } catch (const std::exception& e) {
      log("agent " + std::to_string(index) + " cannot come back: " + e.what());
    }
  });
}

} // namespace mesos_actor::sim
