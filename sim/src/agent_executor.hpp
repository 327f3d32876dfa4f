#pragma once
// The simulated agent's side of custom executors (behind executor_manager): launching
// the executor's CommandInfo as a child process with the real MESOS_* environment, the
// executor HTTP API (/api/v1/executor and /slave(1)/api/v1/executor) with Mesos's
// status codes, relaying LAUNCH/KILL/MESSAGE/SHUTDOWN, forwarding UPDATEs to the
// status-update path and ACKNOWLEDGED back, re-subscription after an agent restart,
// and the registration / re-registration / shutdown timeouts.
//
// Locking: one mutex for the executor table. Nothing that calls agent_services (which
// takes the cluster's lock) runs while it is held: such work is collected as effects
// and run after unlocking.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include <sys/types.h>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/mesos.pb.h>

#include "agent_executor_stream.hpp"
#include "executor_call_checks.hpp"
#include "executor_manager.hpp"
#include "request_checks.hpp"

namespace mesos_actor::sim {

/// Whether the framework declared PARTITION_AWARE (its lost tasks are DROPPED, not LOST).
bool partition_aware(const mesos::v1::FrameworkInfo& fw);

class agent_executors final : public executor_manager {
public:
  explicit agent_executors(agent_services& services);
  ~agent_executors() override;

  void register_routes(http_routes& routes) override;
  void launch(const mesos::v1::FrameworkInfo& framework, const mesos::v1::ExecutorInfo& executor,
              const std::vector<mesos::v1::TaskInfo>& tasks, bool group) override;
  void kill_task(const std::string& framework_id, const std::string& task_id,
                 const std::optional<mesos::v1::KillPolicy>& policy) override;
  void shutdown_executor(const std::string& framework_id, const std::string& executor_id) override;
  bool message(const std::string& framework_id, const std::string& executor_id,
               const std::string& data) override;
  void framework_removed(const std::string& framework_id) override;
  void agent_restarting(bool checkpoint) override;
  void kill_all() override;
  std::vector<executor_view> executors() const override;
  bool recovering() const override;

private:
  using clock = std::chrono::steady_clock;
  using effects = std::vector<std::function<void()>>;

  struct task_record {
    mesos::v1::TaskState state = mesos::v1::TASK_STAGING; ///< latest from the executor
    bool sent = false; ///< LAUNCH/LAUNCH_GROUP written to the executor
    std::vector<std::string> uuids; ///< its updates taken so far (a resent one is acked only)
  };

  enum class phase { launching, subscribed, disconnected, terminating };

  struct executor_record {
    std::string framework_id;
    std::string executor_id;
    mesos::v1::FrameworkInfo framework;
    mesos::v1::ExecutorInfo info;
    mesos::v1::ContainerID container;
    std::string sandbox;
    std::string token;  ///< MESOS_EXECUTOR_AUTHENTICATION_TOKEN (secret)
    pid_t pid = 0;
    phase state = phase::launching;
    std::shared_ptr<executor_stream> stream;
    std::vector<std::pair<std::vector<mesos::v1::TaskInfo>, bool>> queued; ///< before SUBSCRIBED
    /// Live tasks, and the last executor_settings::max_completed_tasks terminal ones.
    std::map<std::string, task_record> tasks;
    std::deque<std::string> completed; ///< terminal tasks still in `tasks`, oldest first
    /// Updates taken for tasks not in `tasks` (duplicates are acked only), bounded.
    std::deque<std::string> other_uuids;
    std::optional<clock::time_point> registration_deadline;
    std::optional<clock::time_point> kill_at;
    std::optional<clock::time_point> next_heartbeat; ///< while subscribed
    /// State and reason given to live tasks when the process ends.
    mesos::v1::TaskState end_state = mesos::v1::TASK_FAILED;
    mesos::v1::TaskStatus::Reason end_reason = mesos::v1::TaskStatus::REASON_EXECUTOR_TERMINATED;
    std::string end_message = "Executor terminated";
    bool abandoned = false; ///< the agent came back as a new agent: report nothing
  };
  using record_ptr = std::shared_ptr<executor_record>;
  using key = std::pair<std::string, std::string>;

  /// What the agent says about itself, read before taking our lock.
  struct agent_facts {
    mesos::v1::AgentInfo info;
    std::string endpoint; ///< ip:port
    std::string work_dir;
  };
  agent_facts facts() const;

  // HTTP (agent_executor_http.cpp)
  void handle(const httplib::Request& req, httplib::Response& res);
  /// The claims of the executor whose token the request carries, or the 401.
  std::variant<executor_claims, request_rejection> authenticate(const httplib::Request& req,
                                                                httplib::Response& res) const;
  int handle_call(const httplib::Request& req, httplib::Response& res,
                  const mesos::v1::executor::Call& call,
                  const std::optional<executor_claims>& claims, const agent_facts& agent,
                  effects& fx);
  void subscribe(const record_ptr& rec, const mesos::v1::executor::Call& call,
                 content_type encoding, const agent_facts& agent, httplib::Response& res,
                 effects& fx);
  void take_update(const record_ptr& rec, const mesos::v1::TaskStatus& status, effects& fx);
  /// Task `task_id` of `rec` reached a terminal state: it joins the completed ones, of
  /// which only the last executor_settings::max_completed_tasks are kept.
  void task_ended(executor_record& rec, const std::string& task_id) const;
  /// Whether `status` was taken before (by uuid); remembers it if not.
  bool seen_before(executor_record& rec, const mesos::v1::TaskStatus& status) const;

  // lifecycle (agent_executor.cpp)
  record_ptr start_process(const mesos::v1::FrameworkInfo& framework,
                           const mesos::v1::ExecutorInfo& executor, const agent_facts& agent,
                           std::string& error);
  void send_launch(const record_ptr& rec, const std::vector<mesos::v1::TaskInfo>& tasks, bool group);
  void begin_shutdown(const record_ptr& rec, mesos::v1::TaskState end_state,
                      mesos::v1::TaskStatus::Reason reason, const std::string& why);
  void push(const record_ptr& rec, const mesos::v1::executor::Event& event);
  void stream_ended(const record_ptr& rec, const std::shared_ptr<executor_stream>& stream);
  void process_exited(const record_ptr& rec, int wait_status, effects& fx);
  void tick();
  void ticker_loop();
  std::chrono::milliseconds grace_of(const executor_record& rec) const;
  mesos::v1::TaskStatus agent_status(const executor_record& rec, const std::string& task_id,
                                     mesos::v1::TaskState state,
                                     mesos::v1::TaskStatus::Reason reason,
                                     const std::string& message) const;
  record_ptr find(const std::string& framework_id, const std::string& executor_id) const;
  void log(const std::string& line) const;
  static void run(effects& fx);

  agent_services& services_;
  mutable std::mutex mu_;
  std::map<key, record_ptr> executors_;
  std::string agent_id_;             ///< cached for statuses built under the lock
  bool recovering_ = false;          ///< after a restart: SUBSCRIBE only, others 503
  std::optional<clock::time_point> recovery_end_;
  std::vector<pid_t> orphans_;       ///< killed processes still to reap

  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool stopping_ = false;
  std::thread ticker_;
};

} // namespace mesos_actor::sim
