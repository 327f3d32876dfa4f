// Custom executors on a simulated agent: processes, relaying, timeouts, restarts.
// The HTTP API is in agent_executor_http.cpp.
#include "agent_executor.hpp"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <sys/wait.h>

#include "mesos_actor/executor/duration_text.hpp"
#include "mesos_actor/task_state.hpp"
#include "capabilities.hpp"
#include "command_task.hpp"
#include "ids.hpp"

namespace mesos_actor::sim {

namespace {

using mesos::v1::TaskStatus;
using ExecutorEvent = mesos::v1::executor::Event;

constexpr auto executor_tick_period = std::chrono::milliseconds(20);
constexpr auto reap_patience = std::chrono::seconds(2);

std::string text(std::chrono::milliseconds d) {
  return format_duration_text(d);
}

} // namespace

bool partition_aware(const mesos::v1::FrameworkInfo& fw) {
  return has_capability(fw, mesos::v1::FrameworkInfo::Capability::PARTITION_AWARE);
}

std::unique_ptr<executor_manager> make_executor_manager(agent_services& services) {
  return std::make_unique<agent_executors>(services);
}

agent_executors::agent_executors(agent_services& services) : services_(services) {
  ticker_ = std::thread{[this] { ticker_loop(); }};
}

agent_executors::~agent_executors() {
  {
    std::lock_guard<std::mutex> lk(ticker_mu_);
    stopping_ = true;
  }
  ticker_cv_.notify_all();
  ticker_.join();
  kill_all();
}

void agent_executors::register_routes(http_routes& routes) {
  auto h = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  routes.handle("/api/v1/executor", h);
  routes.handle("/slave(1)/api/v1/executor", h);
}

agent_executors::agent_facts agent_executors::facts() const {
  return {services_.agent_info(), services_.endpoint(), services_.work_dir()};
}

// --- launching -------------------------------------------------------------------

agent_executors::record_ptr
agent_executors::start_process(const mesos::v1::FrameworkInfo& framework,
                               const mesos::v1::ExecutorInfo& executor, const agent_facts& agent,
                               std::string& error) {
  const auto& settings = services_.options().executors;
  auto rec = std::make_shared<executor_record>();
  rec->framework_id = framework.id().value();
  rec->executor_id = executor.executor_id().value();
  rec->framework = framework;
  rec->info = executor;
  rec->container.set_value(random_uuid_text());
  auto dir = std::filesystem::path(agent.work_dir) / "frameworks" / rec->framework_id
             / "executors" / rec->executor_id / "runs" / rec->container.value();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = "cannot create the sandbox " + dir.string() + ": " + ec.message();
    return nullptr;
  }
  rec->sandbox = dir.string();
  if (settings.authenticate)
    rec->token = random_uuid_text();

  // The environment executorEnvironment() gives (PROTOCOL.md section 10).
  bool checkpoint = framework.checkpoint();
  std::vector<std::string> env = {
    "MESOS_FRAMEWORK_ID=" + rec->framework_id,
    "MESOS_EXECUTOR_ID=" + rec->executor_id,
    "MESOS_AGENT_ENDPOINT=" + agent.endpoint,
    "MESOS_SLAVE_PID=slave(1)@" + agent.endpoint,
    "MESOS_SLAVE_ID=" + agent.info.id().value(),
    "MESOS_DIRECTORY=" + rec->sandbox,
    "MESOS_SANDBOX=" + rec->sandbox,
    std::string{"MESOS_CHECKPOINT="} + (checkpoint ? "1" : "0"),
    std::string{"MESOS_HTTP_COMMAND_EXECUTOR="} + (settings.http_command_executor ? "1" : "0"),
    "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=" + text(grace_of(*rec)),
    "LIBPROCESS_PORT=0",
  };
  if (checkpoint) {
    env.push_back("MESOS_RECOVERY_TIMEOUT=" + text(settings.recovery_timeout));
    env.push_back("MESOS_SUBSCRIPTION_BACKOFF_MAX=" + text(settings.subscription_backoff_max));
  }
  if (!rec->token.empty())
    env.push_back("MESOS_EXECUTOR_AUTHENTICATION_TOKEN=" + rec->token);
  auto spawned = spawn_command(executor.command(), rec->sandbox, env);
  if (spawned.pid <= 0) {
    error = spawned.error;
    return nullptr;
  }
  rec->pid = spawned.pid;
  rec->registration_deadline = clock::now() + settings.registration_timeout;
  log("executor " + rec->executor_id + " of " + rec->framework_id + " started (pid "
      + std::to_string(rec->pid) + ")");
  return rec;
}

void agent_executors::launch(const mesos::v1::FrameworkInfo& framework,
                             const mesos::v1::ExecutorInfo& executor,
                             const std::vector<mesos::v1::TaskInfo>& tasks, bool group) {
  auto agent = facts();
  effects fx;
  {
    std::lock_guard<std::mutex> lk(mu_);
    agent_id_ = agent.info.id().value();
    const auto& fid = framework.id().value();
    auto rec = find(fid, executor.executor_id().value());
    std::string refusal;
    if (!rec) {
      rec = start_process(framework, executor, agent, refusal);
      if (rec)
        executors_[{fid, rec->executor_id}] = rec;
      else
        refusal = "Failed to launch executor: " + refusal;
    } else if (rec->state == phase::terminating) {
      refusal = "Executor terminating";
    }
    if (!refusal.empty()) {
      executor_record gone;
      gone.framework_id = fid;
      gone.executor_id = executor.executor_id().value();
      bool pa = partition_aware(framework);
      for (const auto& t : tasks) {
        auto s = agent_status(gone, t.task_id().value(),
                              rec ? (pa ? mesos::v1::TASK_DROPPED : mesos::v1::TASK_LOST)
                                  : mesos::v1::TASK_FAILED,
                              TaskStatus::REASON_EXECUTOR_TERMINATED, refusal);
        fx.push_back([this, fid, s] { services_.send_status_update(fid, s); });
      }
      log(refusal);
    } else {
      for (const auto& t : tasks) {
        const auto& id = t.task_id().value();
        rec->tasks[id] = task_record{}; // an id used again starts afresh
        rec->completed.erase(std::remove(rec->completed.begin(), rec->completed.end(), id),
                             rec->completed.end());
      }
      if (rec->state == phase::subscribed)
        send_launch(rec, tasks, group);
      else
        rec->queued.emplace_back(tasks, group);
    }
  }
  run(fx);
}

void agent_executors::send_launch(const record_ptr& rec,
                                  const std::vector<mesos::v1::TaskInfo>& tasks, bool group) {
  if (group) {
    ExecutorEvent e;
    e.set_type(ExecutorEvent::LAUNCH_GROUP);
    for (const auto& t : tasks)
      *e.mutable_launch_group()->mutable_task_group()->add_tasks() = t;
    push(rec, e);
  } else {
    for (const auto& t : tasks) {
      ExecutorEvent e;
      e.set_type(ExecutorEvent::LAUNCH);
      *e.mutable_launch()->mutable_task() = t;
      push(rec, e);
    }
  }
  for (const auto& t : tasks) {
    auto it = rec->tasks.find(t.task_id().value());
    if (it != rec->tasks.end())
      it->second.sent = true;
  }
}

void agent_executors::task_ended(executor_record& rec, const std::string& task_id) const {
  // Mesos's agent keeps a bounded history of completed tasks per executor
  // (MAX_COMPLETED_TASKS_PER_EXECUTOR), so a long-lived executor stays bounded.
  rec.completed.push_back(task_id);
  auto keep = services_.options().executors.max_completed_tasks;
  while (rec.completed.size() > keep) {
    rec.tasks.erase(rec.completed.front());
    rec.completed.pop_front();
  }
}

void agent_executors::push(const record_ptr& rec, const ExecutorEvent& event) {
  if (!rec->stream || !rec->stream->push(event))
    log("executor " + rec->executor_id + " is not connected; " + ExecutorEvent::Type_Name(event.type())
        + " dropped");
}

// --- relaying --------------------------------------------------------------------

void agent_executors::kill_task(const std::string& framework_id, const std::string& task_id,
                                const std::optional<mesos::v1::KillPolicy>& policy) {
  effects fx;
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (auto& [k, rec] : executors_) {
      if (k.first != framework_id)
        continue;
      auto it = rec->tasks.find(task_id);
      if (it == rec->tasks.end())
        continue;
      if (!it->second.sent) {
        // Still queued for an executor that has not subscribed: it never starts.
        for (auto& q : rec->queued)
          q.first.erase(std::remove_if(q.first.begin(), q.first.end(),
                                       [&](const mesos::v1::TaskInfo& t) {
                                         return t.task_id().value() == task_id;
                                       }),
                        q.first.end());
        rec->tasks.erase(it);
        auto s = agent_status(*rec, task_id, mesos::v1::TASK_KILLED,
                              TaskStatus::REASON_TASK_KILLED_DURING_LAUNCH,
                              "Killed before the executor registered");
        fx.push_back([this, framework_id, s] { services_.send_status_update(framework_id, s); });
      } else if (rec->state == phase::subscribed) {
        ExecutorEvent e;
        e.set_type(ExecutorEvent::KILL);
        e.mutable_kill()->mutable_task_id()->set_value(task_id);
        if (policy)
          *e.mutable_kill()->mutable_kill_policy() = *policy;
        push(rec, e);
      } else {
        log("KILL for task " + task_id + " dropped: its executor is not connected");
      }
      break;
    }
  }
  run(fx);
}

void agent_executors::shutdown_executor(const std::string& framework_id,
                                        const std::string& executor_id) {
  std::lock_guard<std::mutex> lk(mu_);
  if (auto rec = find(framework_id, executor_id))
    begin_shutdown(rec, mesos::v1::TASK_KILLED, TaskStatus::REASON_EXECUTOR_TERMINATED,
                   "Executor shut down by the framework");
}

bool agent_executors::message(const std::string& framework_id, const std::string& executor_id,
                              const std::string& data) {
  std::lock_guard<std::mutex> lk(mu_);
  auto rec = find(framework_id, executor_id);
  if (!rec)
    return false;
  ExecutorEvent e;
  e.set_type(ExecutorEvent::MESSAGE);
  e.mutable_message()->set_data(data);
  push(rec, e);
  return true;
}

void agent_executors::framework_removed(const std::string& framework_id) {
  std::lock_guard<std::mutex> lk(mu_);
  for (auto& [k, rec] : executors_)
    if (k.first == framework_id)
      begin_shutdown(rec, mesos::v1::TASK_KILLED, TaskStatus::REASON_EXECUTOR_TERMINATED,
                     "Framework removed");
}

void agent_executors::begin_shutdown(const record_ptr& rec, mesos::v1::TaskState end_state,
                                     TaskStatus::Reason reason, const std::string& why) {
  if (rec->state == phase::terminating)
    return;
  log("shutting executor " + rec->executor_id + " down: " + why);
  bool connected = rec->state == phase::subscribed && rec->stream;
  rec->state = phase::terminating;
  rec->end_state = end_state;
  rec->end_reason = reason;
  rec->end_message = why;
  rec->registration_deadline.reset();
  if (connected) {
    ExecutorEvent e;
    e.set_type(ExecutorEvent::SHUTDOWN);
    push(rec, e);
    rec->kill_at = clock::now() + grace_of(*rec);
  } else {
    rec->kill_at = clock::now();
  }
}

// --- connection, restart, process ends ---------------------------------------------

void agent_executors::stream_ended(const record_ptr& rec,
                                   const std::shared_ptr<executor_stream>& stream) {
  std::lock_guard<std::mutex> lk(mu_);
  if (rec->stream != stream)
    return; // replaced by a newer subscription, or dropped by a restart
  rec->stream.reset();
  if (rec->state != phase::subscribed)
    return;
  if (rec->framework.checkpoint()) {
    rec->state = phase::disconnected; // it may come back
    log("executor " + rec->executor_id + " disconnected; waiting for it to re-subscribe");
  } else {
    begin_shutdown(rec, mesos::v1::TASK_FAILED, TaskStatus::REASON_EXECUTOR_TERMINATED,
                   "Executor disconnected and the framework does not checkpoint");
  }
}

void agent_executors::agent_restarting(bool checkpoint) {
  std::lock_guard<std::mutex> lk(mu_);
  bool survivors = false;
  for (auto& [k, rec] : executors_) {
    if (rec->stream) {
      auto stream = std::move(rec->stream);
      stream->drop();
    }
    if (rec->state == phase::terminating)
      continue;
    if (checkpoint && rec->framework.checkpoint()) {
      if (rec->state == phase::subscribed)
        rec->state = phase::disconnected;
      survivors = true;
      continue;
    }
    // Not recoverable: killed. Without agent checkpointing the agent returns as a new
    // agent and the master already settled the tasks, so nothing is reported.
    rec->abandoned = !checkpoint;
    bool pa = partition_aware(rec->framework);
    begin_shutdown(rec, pa ? mesos::v1::TASK_GONE : mesos::v1::TASK_LOST,
                   TaskStatus::REASON_AGENT_RESTARTED,
                   checkpoint ? "Agent restarted and the framework does not checkpoint"
                              : "Agent restarted without checkpointing");
  }
  recovering_ = survivors;
  if (survivors)
    recovery_end_ = clock::now() + services_.options().executors.reregistration_timeout;
}

void agent_executors::process_exited(const record_ptr& rec, int wait_status, effects& fx) {
  rec->pid = 0;
  if (rec->stream) {
    rec->stream->close();
    rec->stream.reset();
  }
  executors_.erase({rec->framework_id, rec->executor_id});
  log("executor " + rec->executor_id + " of " + rec->framework_id + ": "
      + describe_exit(wait_status));
  if (rec->abandoned)
    return;
  auto fid = rec->framework_id;
  for (auto& [tid, t] : rec->tasks) {
    if (is_terminal(t.state))
      continue;
    auto s = agent_status(*rec, tid, rec->end_state, rec->end_reason, rec->end_message);
    fx.push_back([this, fid, s] { services_.send_status_update(fid, s); });
  }
  auto eid = rec->executor_id;
  fx.push_back([this, fid, eid, wait_status] {
    services_.executor_terminated(fid, eid, wait_status);
  });
}

void agent_executors::kill_all() {
  std::vector<pid_t> pids;
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (auto& [k, rec] : executors_) {
      if (rec->stream)
        rec->stream->drop();
      if (rec->pid > 0) {
        ::kill(-rec->pid, SIGKILL);
        pids.push_back(rec->pid);
      }
    }
    executors_.clear();
    recovering_ = false;
    pids.insert(pids.end(), orphans_.begin(), orphans_.end());
    orphans_.clear();
  }
  // SIGKILLed processes end at once; the wait is bounded all the same.
  auto deadline = clock::now() + reap_patience;
  for (auto pid : pids) {
    while (::waitpid(pid, nullptr, WNOHANG) == 0 && clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::vector<executor_view> agent_executors::executors() const {
  std::lock_guard<std::mutex> lk(mu_);
  std::vector<executor_view> out;
  for (const auto& [k, rec] : executors_) {
    executor_view v{rec->framework_id, rec->info, rec->container, rec->pid};
    v.info.mutable_framework_id()->set_value(rec->framework_id);
    out.push_back(std::move(v));
  }
  return out;
}

bool agent_executors::recovering() const {
  std::lock_guard<std::mutex> lk(mu_);
  return recovering_;
}

// --- timers ------------------------------------------------------------------------

void agent_executors::ticker_loop() {
  std::unique_lock<std::mutex> lk(ticker_mu_);
  while (!stopping_) {
    lk.unlock();
    tick();
    lk.lock();
    ticker_cv_.wait_for(lk, executor_tick_period, [&] { return stopping_; });
  }
}

void agent_executors::tick() {
  effects fx;
  {
    std::lock_guard<std::mutex> lk(mu_);
    auto now = clock::now();
    const auto& settings = services_.options().executors;
    if (recovering_ && recovery_end_ && now >= *recovery_end_) {
      recovering_ = false;
      for (auto& [k, rec] : executors_)
        if (rec->state == phase::disconnected) {
          bool pa = partition_aware(rec->framework);
          begin_shutdown(rec, pa ? mesos::v1::TASK_GONE : mesos::v1::TASK_LOST,
                         TaskStatus::REASON_EXECUTOR_REREGISTRATION_TIMEOUT,
                         "Executor did not re-subscribe within "
                           + text(settings.reregistration_timeout));
        }
    }
    std::vector<record_ptr> recs;
    for (auto& [k, rec] : executors_)
      recs.push_back(rec);
    for (auto& rec : recs) {
      if (rec->pid > 0) {
        int st = 0;
        if (::waitpid(rec->pid, &st, WNOHANG) == rec->pid) {
          process_exited(rec, st, fx);
          continue;
        }
      }
      if (rec->state == phase::launching && rec->registration_deadline
          && now >= *rec->registration_deadline)
        begin_shutdown(rec, mesos::v1::TASK_FAILED,
                       TaskStatus::REASON_EXECUTOR_REGISTRATION_TIMEOUT,
                       "Executor did not register within " + text(settings.registration_timeout));
      if (rec->state == phase::subscribed && rec->next_heartbeat && now >= *rec->next_heartbeat) {
        ExecutorEvent e;
        e.set_type(ExecutorEvent::HEARTBEAT);
        push(rec, e);
        rec->next_heartbeat = now + settings.heartbeat_interval;
      }
      if (rec->kill_at && now >= *rec->kill_at && rec->pid > 0) {
        ::kill(-rec->pid, SIGKILL);
        rec->kill_at.reset();
      }
    }
    orphans_.erase(std::remove_if(orphans_.begin(), orphans_.end(),
                                  [](pid_t p) { return ::waitpid(p, nullptr, WNOHANG) == p; }),
                   orphans_.end());
  }
  run(fx);
}

// --- helpers -----------------------------------------------------------------------

std::chrono::milliseconds agent_executors::grace_of(const executor_record& rec) const {
  if (rec.info.has_shutdown_grace_period())
    return std::chrono::milliseconds(rec.info.shutdown_grace_period().nanoseconds() / 1000000);
  return services_.options().executors.shutdown_grace_period;
}

mesos::v1::TaskStatus agent_executors::agent_status(const executor_record& rec,
                                                    const std::string& task_id,
                                                    mesos::v1::TaskState state,
                                                    TaskStatus::Reason reason,
                                                    const std::string& message) const {
  TaskStatus s;
  s.mutable_task_id()->set_value(task_id);
  s.set_state(state);
  s.set_source(TaskStatus::SOURCE_AGENT);
  s.set_reason(reason);
  s.set_message(message);
  s.mutable_executor_id()->set_value(rec.executor_id);
  if (!agent_id_.empty())
    s.mutable_agent_id()->set_value(agent_id_);
  s.set_uuid(random_uuid_bytes());
  return s;
}

agent_executors::record_ptr agent_executors::find(const std::string& framework_id,
                                                  const std::string& executor_id) const {
  auto it = executors_.find({framework_id, executor_id});
  return it == executors_.end() ? nullptr : it->second;
}

void agent_executors::log(const std::string& line) const {
  if (services_.options().log)
    services_.options().log("agent " + std::to_string(services_.agent_index()) + ": " + line);
}

void agent_executors::run(effects& fx) {
  for (auto& f : fx)
    f();
  fx.clear();
}

} // namespace mesos_actor::sim
