#pragma once
// A simulated cluster: its masters, the master's records (master_state), the allocator,
// the agent pool and the masters' HTTP front, and the timers that drive them. One mutex
// (mu_) guards all master and agent state; work that must not run under it (executor
// managers, joining servers) is deferred until the lock is released (see state_lock).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

#include <httplib.h>
#include <mesos/v1/mesos.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/sim/cluster.hpp"
#include "mesos_actor/task_state.hpp"
#include "agent_operator.hpp"
#include "agent_pool.hpp"
#include "allocator.hpp"
#include "event_stream.hpp"
#include "http_server.hpp"
#include "master_http.hpp"
#include "master_operator.hpp"
#include "operator_stream.hpp"
#include "master_state.hpp"
#include "zk_membership.hpp"

namespace mesos_actor::sim {

struct master_node {
  std::size_t index = 0;
  std::unique_ptr<http_server> server;
  mesos::v1::MasterInfo info;
};

class cluster::impl {
public:
  explicit impl(cluster_options opts);
  ~impl();

  void start();
  void stop();

  // --- locking -----------------------------------------------------------------
  /// Holds mu_; on destruction runs the deferred actions with mu_ released and then
  /// wakes wait_for().
  class state_lock {
  public:
    explicit state_lock(impl& i);
    ~state_lock();
    state_lock(const state_lock&) = delete;
    state_lock& operator=(const state_lock&) = delete;

  private:
    impl& impl_;
    std::unique_lock<std::mutex> lk_;
  };
  /// Runs `f` after the current state_lock is released. Caller holds mu_.
  void defer(std::function<void()> f) { deferred_.push_back(std::move(f)); }
  void notify_changed();

  // --- the standalone simulator's control endpoint (control_endpoint.cpp) -------
  void setup_control_routes(http_routes& routes);
  /// Runs `job` on the timer thread, without any lock held.
  void run_soon(std::function<void()> job);

  // --- master: SUBSCRIBE (master_subscribe.cpp) --------------------------------
  /// Caller holds mu_. Fills `res` with the stream; returns the new stream id.
  std::string subscribe(std::size_t master, const mesos::v1::scheduler::Call& call,
                        const std::string& principal, content_type encoding,
                        httplib::Response& res);
  /// The stream's connection ended (called by cpp-httplib's releaser, without mu_).
  void stream_ended(const std::string& framework_id, const std::shared_ptr<event_stream>& s);

  // --- master: operator event streams (operator_events.cpp); caller holds mu_ ---
  /// Fills `res` with a new operator stream: SUBSCRIBED (the whole state), HEARTBEAT.
  void operator_subscribe(content_type encoding, httplib::Response& res);
  void operator_broadcast(const mesos::v1::master::Event& e);
  void operator_task_added(const task_entry& t);
  /// The task's latest status changed.
  void operator_task_updated(const task_entry& t);
  void operator_agent_added(const std::string& agent_id);
  void operator_agent_removed(const std::string& agent_id);
  /// FRAMEWORK_ADDED (`added`) or FRAMEWORK_UPDATED (resubscribed, disconnected).
  void operator_framework_changed(const std::string& framework_id, bool added);
  void operator_framework_removed(const mesos::v1::FrameworkInfo& info);
  void operator_heartbeats(sim_clock::time_point now);
  /// The leader changed: the subscribers must subscribe again.
  void drop_operator_streams();

  // --- master: other calls (master_calls.cpp); caller holds mu_ ----------------
  /// HTTP status (202, or 200/400 for UPDATE_FRAMEWORK, 501 for a type with no
  /// handler) and a body.
  using call_result = std::pair<int, std::string>;
  /// Dispatches to the handler of the call's type (one per type, below).
  call_result handle_call(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_teardown(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_accept(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_decline(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_revive(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_suppress(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_kill(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_shutdown(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_acknowledge(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_reconcile(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_message(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  /// REQUEST, inverse offers, ACKNOWLEDGE_OPERATION_STATUS: accepted, nothing to do.
  call_result on_ignored(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  call_result on_reconcile_operations(framework_entry& fw,
                                      const mesos::v1::scheduler::Call& call);
  call_result on_update_framework(framework_entry& fw, const mesos::v1::scheduler::Call& call);
  void teardown_framework(std::string framework_id);
  void reconcile(framework_entry& fw, const mesos::v1::scheduler::Call::Reconcile& r);
  void kill_task(framework_entry& fw, const mesos::v1::scheduler::Call::Kill& k);

  // --- master: accept / launch (master_accept.cpp); caller holds mu_ -----------
  void accept(framework_entry& fw, const mesos::v1::scheduler::Call::Accept& a);

  // --- events & status updates (status_updates.cpp); caller holds mu_ ----------
  /// Sends an event on the framework's stream, if it has one (else dropped, as Mesos).
  void send_event(framework_entry& fw, const mesos::v1::scheduler::Event& e);
  void send_event(const std::string& framework_id, const mesos::v1::scheduler::Event& e);
  /// A status update from an agent (has a uuid): queued per task, forwarded, retried.
  void agent_status_update(const std::string& framework_id, mesos::v1::TaskStatus status);
  /// A master-generated update (no uuid, not retried).
  void master_status_update(const std::string& framework_id, mesos::v1::TaskStatus status);
  void acknowledge(framework_entry& fw, const mesos::v1::scheduler::Call::Acknowledge& ack);
  void retry_updates(sim_clock::time_point now);
  /// Records a new state for a task and settles it when terminal.
  void apply_task_state(task_entry& t, const mesos::v1::TaskStatus& status);

  // --- agents (agent.cpp); caller holds mu_ unless stated -----------------------
  void start_agent(std::size_t index); ///< without mu_
  void launch_command_task(task_entry& task);
  void launch_executor_tasks(const std::string& framework_id, agent_node& agent,
                             const mesos::v1::ExecutorInfo& executor,
                             std::vector<mesos::v1::TaskInfo> tasks, bool group);
  void kill_command_task(task_entry& task, std::chrono::milliseconds grace);
  /// Copies a task about to leave tasks_ into completed_tasks_.
  void settle_task(const task_entry& task);
  void reap_processes(sim_clock::time_point now);
  void agent_lost(std::size_t index);
  void agent_restart(std::size_t index);

  // --- masters (cluster.cpp) -----------------------------------------------------
  /// The leader-change fault: with ZooKeeper it acts on the nodes (the leader then
  /// follows the watch), without it takes effect at once.
  void change_leader(std::optional<std::size_t> leader);
  /// Makes `leader` lead now (streams on the old leader close).
  void follow_leader(std::optional<std::size_t> leader);
  void restart_master(std::size_t index);
  /// Registers every master in ZooKeeper (zk_cluster.cpp); throws std::runtime_error.
  void start_zookeeper_membership();
  void disconnect_all_streams();
  mesos::v1::MasterInfo make_master_info(std::size_t index) const;

  // --- trace (trace.cpp) -------------------------------------------------------
  void record_request(request_record r);
  void record_event(event_record r);
  void record_executor_event(executor_event_record r);

  // --- helpers -------------------------------------------------------------------
  void log(const std::string& line) const;
  std::string hostname() const;
  std::string master_url(std::size_t index) const;
  std::string scheme() const { return opts_.tls ? "https" : "http"; }
  void tick(); ///< timers: heartbeats, retries, failover timeouts, kills, allocation

  // --- state -------------------------------------------------------------------
  const cluster_options opts_;
  cluster* owner_ = nullptr; ///< for the control endpoint's fault_injector
  std::string cluster_id_;
  std::string work_dir_;
  bool remove_work_dir_ = false;

  mutable std::mutex mu_;
  std::vector<std::function<void()>> deferred_;
  std::vector<master_node> masters_;
  std::optional<std::size_t> leader_;
  /// Candidacy in ZooKeeper (cluster_options::zookeeper); null without.
  std::unique_ptr<zk_membership> zk_;
  master_state state_;             ///< frameworks, offers, tasks, pending updates
  agent_pool agents_;              ///< the agents and their executors
  allocator allocator_{*this};     ///< offers
  master_http_front http_{*this};  ///< the scheduler API on every master
  master_operator_front operator_http_{*this}; ///< the operator API on every master
  agent_operator_front agent_operator_http_{*this}; ///< the operator API on every agent
  std::vector<std::shared_ptr<operator_stream>> operator_streams_;
  sim_clock::time_point next_operator_heartbeat_{};

  // trace
  mutable std::mutex trace_mu_;
  std::deque<request_record> requests_;
  std::deque<event_record> events_;
  std::deque<executor_event_record> executor_events_;

  // wait_for
  mutable std::mutex wait_mu_;
  mutable std::condition_variable wait_cv_;
  std::uint64_t generation_ = 0;

  // timers
  std::thread ticker_;
  std::mutex ticker_mu_;
  std::condition_variable ticker_cv_;
  bool stopping_ = false;
  bool started_ = false;
  std::vector<std::function<void()>> soon_; ///< guarded by ticker_mu_
};

} // namespace mesos_actor::sim
