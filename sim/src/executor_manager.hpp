#pragma once
// THE SEAM for custom executors (TaskInfo.executor and LAUNCH_GROUP's ExecutorInfo).
//
// The agent owns its HTTP server and the status-update path; everything about
// executor processes and the executor HTTP API (/api/v1/executor and
// /slave(1)/api/v1/executor: SUBSCRIBE/UPDATE/MESSAGE/HEARTBEAT, LAUNCH/KILL/
// MESSAGE/SHUTDOWN relaying, ACKNOWLEDGED) lives behind executor_manager, implemented
// in agent_executor*.cpp. The agent never calls the manager while holding the
// cluster's state lock, and agent_services may be called from any thread.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <httplib.h>
#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/sim/options.hpp"
#include "mesos_actor/sim/trace.hpp"
#include "http_server.hpp"

namespace mesos_actor::sim {

/// What an agent provides to its executor manager.
class agent_services {
public:
  virtual ~agent_services() = default;

  virtual const cluster_options& options() const = 0;
  virtual std::size_t agent_index() const = 0;
  /// AgentInfo as registered (id, hostname, port, resources).
  virtual mesos::v1::AgentInfo agent_info() const = 0;
  /// "ip:port" of the agent's HTTP server (MESOS_AGENT_ENDPOINT).
  virtual std::string endpoint() const = 0;
  /// Directory under which executor sandboxes go (exists).
  virtual std::string work_dir() const = 0;
  virtual std::optional<mesos::v1::FrameworkInfo> framework_info(const std::string& framework_id) const = 0;

  /// Hands an executor's TaskStatus (with its 16-byte uuid) to the status-update
  /// manager: forwarded to the framework, retried until acknowledged. The
  /// acknowledgement comes back through executor_manager::acknowledged.
  virtual void send_status_update(const std::string& framework_id,
                                  const mesos::v1::TaskStatus& status) = 0;
  /// Delivers an executor's MESSAGE to the framework (scheduler MESSAGE event).
  virtual void send_framework_message(const std::string& framework_id,
                                      const std::string& executor_id,
                                      const std::string& data) = 0;
  /// An executor ended (scheduler FAILURE event with executor_id and status).
  virtual void executor_terminated(const std::string& framework_id,
                                   const std::string& executor_id, int status) = 0;

  /// Trace hooks (requests to the agent's executor endpoint, executor events).
  virtual void record_request(request_record r) = 0;
  virtual void record_executor_event(executor_event_record r) = 0;
};

/// A running custom executor as the agent's operator API shows it.
struct executor_view {
  std::string framework_id;
  mesos::v1::ExecutorInfo info; ///< as launched, framework_id filled in
  mesos::v1::ContainerID container;
  pid_t pid = 0;                ///< 0 once the process is gone
};

/// Per-agent manager of custom executors.
class executor_manager {
public:
  virtual ~executor_manager() = default;

  /// Called every time the agent's HTTP server (re)starts, before it listens.
  /// Handlers get every method (answer 405 yourself) and use httplib's Request and
  /// Response (set_content / set_chunked_content_provider work as with httplib).
  virtual void register_routes(http_routes& routes) = 0;
  /// Launches tasks on an executor (starting it if needed). `group` = LAUNCH_GROUP.
  virtual void launch(const mesos::v1::FrameworkInfo& framework,
                      const mesos::v1::ExecutorInfo& executor,
                      const std::vector<mesos::v1::TaskInfo>& tasks, bool group) = 0;
  virtual void kill_task(const std::string& framework_id, const std::string& task_id,
                         const std::optional<mesos::v1::KillPolicy>& policy) = 0;
  virtual void shutdown_executor(const std::string& framework_id,
                                 const std::string& executor_id) = 0;
  /// Returns false when no such executor is known (the message is dropped).
  virtual bool message(const std::string& framework_id, const std::string& executor_id,
                       const std::string& data) = 0;
  /// The framework was torn down: shut its executors down.
  virtual void framework_removed(const std::string& framework_id) = 0;
  /// The agent process "restarts": with checkpoint executors survive and may
  /// resubscribe; without, they are killed.
  virtual void agent_restarting(bool checkpoint) = 0;
  /// The agent is lost or the cluster stops: kill every executor now (bounded).
  virtual void kill_all() = 0;
  /// The executors it runs (for GET_EXECUTORS and GET_CONTAINERS).
  virtual std::vector<executor_view> executors() const = 0;
  /// After a checkpointed restart, until the executors are back or the re-registration
  /// timeout: Mesos's agent is still RECOVERING and answers its operator API with 503.
  virtual bool recovering() const = 0;
};

/// Factory used by every agent (defined by the executor work in agent_executor*.cpp).
std::unique_ptr<executor_manager> make_executor_manager(agent_services& services);

} // namespace mesos_actor::sim
