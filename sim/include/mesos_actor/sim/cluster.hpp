#pragma once
// An in-process Mesos cluster (masters + agents) speaking the real v1 HTTP wire
// protocol on loopback, for tests, examples and benchmarks.
//
//   mesos_actor::sim::cluster_options opts;
//   opts.heartbeat_interval = std::chrono::milliseconds(200);
//   mesos_actor::sim::cluster sim(opts);
//   sim.start();                                  // ephemeral ports
//   httplib::Client cli(sim.master_urls()[0]);    // POST /api/v1/scheduler ...
//   sim.wait_for([&] { return !sim.frameworks().empty(); }, std::chrono::seconds(5));

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/sim/faults.hpp"
#include "mesos_actor/sim/options.hpp"
#include "mesos_actor/sim/trace.hpp"

namespace mesos_actor::sim {

/// A framework known to the leading master.
struct framework_state {
  /// FrameworkID value.
  std::string id;
  /// The FrameworkInfo of the last SUBSCRIBE or UPDATE_FRAMEWORK.
  mesos::v1::FrameworkInfo info;
  bool subscribed = false;     ///< a subscription stream is open
  std::string stream_id;       ///< of the current subscription; empty when none
  /// Roles the framework subscribed with.
  std::vector<std::string> roles;
  /// Roles whose offers are suppressed (SUPPRESS).
  std::vector<std::string> suppressed_roles;
  double failover_timeout = 0; ///< seconds, from FrameworkInfo
  /// The framework has the PARTITION_AWARE capability.
  bool partition_aware = false;
};

/// A task as the master sees it (latest state, which may not be acknowledged yet).
struct task_state {
  /// The framework that launched the task.
  std::string framework_id;
  /// TaskID value.
  std::string task_id;
  /// The agent it runs on.
  std::string agent_id;
  std::string executor_id; ///< empty for command tasks
  /// Latest state.
  mesos::v1::TaskState state = mesos::v1::TASK_STAGING;
  std::string sandbox;     ///< directory of the task on the agent
  int pid = 0;             ///< process id of a running command task, 0 otherwise
};

/// A status update sent to a framework and not acknowledged yet.
struct pending_update {
  /// The framework the update is for.
  std::string framework_id;
  /// The task it is about.
  std::string task_id;
  /// The status as sent.
  mesos::v1::TaskStatus status;
  std::size_t attempts = 0; ///< times sent so far
};

/// Where an agent is.
struct agent_endpoint {
  std::string id;       ///< AgentID value
  /// Hostname in offers.
  std::string hostname;
  /// TCP port it listens on.
  std::uint16_t port = 0;
  std::string url;      ///< "http://127.0.0.1:PORT" (https with TLS)
  /// False between kill_agent and restart_agent.
  bool running = false;
};

/// A simulated Mesos cluster: masters and agents on loopback, their state, trace and faults.
class cluster {
public:
  /// A cluster with these options; nothing listens before start().
  explicit cluster(cluster_options opts = {});
  /// Stops everything: closes streams, kills task processes, removes a temp work dir.
  /// Bounded in time.
  ~cluster();
  cluster(const cluster&) = delete;
  cluster& operator=(const cluster&) = delete;

  /// Binds and starts every server; master 0 leads. Throws std::runtime_error when a
  /// server cannot start (port taken, bad TLS files...).
  void start();
  /// Idempotent; also done by the destructor.
  void stop();

  /// The options given to the constructor.
  const cluster_options& options() const;

  // --- where things are ---------------------------------------------------------
  /// "http://127.0.0.1:PORT" per master ("https://..." with TLS).
  std::vector<std::string> master_urls() const;
  /// Index of the leading master; nullopt in the "no leader" state.
  std::optional<std::size_t> leader() const;
  /// Every agent, running or not.
  std::vector<agent_endpoint> agents() const;

  // --- state of the leading master (copies; safe to call from any thread) ------
  /// Every framework the leading master knows.
  std::vector<framework_state> frameworks() const;
  /// One framework by id; nullopt when unknown.
  std::optional<framework_state> framework(const std::string& id) const;
  /// Offers outstanding (sent, not accepted/declined/rescinded); empty id = all. In the
  /// master's own format (allocation_info, post-refinement resources), whatever format
  /// the framework was sent them in.
  std::vector<mesos::v1::Offer> offers(const std::string& framework_id = {}) const;
  /// Tasks (of one framework, or all), including recently finished ones.
  std::vector<task_state> tasks(const std::string& framework_id = {}) const;
  /// One task by id; nullopt when unknown.
  std::optional<task_state> task(const std::string& task_id) const;
  /// Status updates sent and not acknowledged (of one framework, or all).
  std::vector<pending_update> unacknowledged_updates(const std::string& framework_id = {}) const;

  // --- trace ---------------------------------------------------------------------
  /// Every HTTP request to masters and agents, in order. A request is recorded when its
  /// handler has run, before its response is sent; events it caused on a subscription
  /// stream may reach the client first, so a test that saw such an event waits for the
  /// record (wait_for) rather than expects it.
  std::vector<request_record> requests() const;
  /// Every event written to scheduler streams (of one framework, or all).
  std::vector<event_record> events(const std::string& framework_id = {}) const;
  /// Every event written to executor streams.
  std::vector<executor_event_record> executor_events() const;
  /// Forgets the recorded requests and events.
  void clear_trace();

  /// Waits until `pred` holds, re-evaluating it whenever the simulator's state or
  /// trace changes (and at least every 50 ms). Returns pred's last value. `pred` may
  /// call any const member of this class.
  bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const;

  /// Fault injection.
  fault_injector& faults();

  class impl;
  /// Internal access for the simulator's own sources (sim/src/*).
  impl& internals();

private:
  std::unique_ptr<impl> impl_;
  fault_injector faults_;
};

} // namespace mesos_actor::sim
