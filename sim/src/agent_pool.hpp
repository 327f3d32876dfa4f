#pragma once
// The simulated agents: each one's server, resources and executor manager, and the
// pool the master finds them in. Guarded by cluster::impl::mu_ unless stated.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/sim/cluster.hpp"
#include "executor_manager.hpp"
#include "http_server.hpp"
#include "resources.hpp"

namespace mesos_actor::sim {

/// One agent: its server, resources, and the executor manager behind the seam.
struct agent_node final : agent_services {
  agent_node(cluster::impl& owner, std::size_t index, agent_resources spec);

  // agent_services
  const cluster_options& options() const override;
  std::size_t agent_index() const override { return index; }
  mesos::v1::AgentInfo agent_info() const override;
  std::string endpoint() const override;
  std::string work_dir() const override;
  std::optional<mesos::v1::FrameworkInfo> framework_info(const std::string& fid) const override;
  void send_status_update(const std::string& fid, const mesos::v1::TaskStatus& status) override;
  void send_framework_message(const std::string& fid, const std::string& executor_id,
                              const std::string& data) override;
  void executor_terminated(const std::string& fid, const std::string& executor_id,
                           int status) override;
  void record_request(request_record r) override;
  void record_executor_event(executor_event_record r) override;

  mesos::v1::AgentInfo info_locked() const; ///< caller holds mu_
  /// Appends spec.attributes as TEXT attributes (AgentInfo, offers).
  void add_attributes(google::protobuf::RepeatedPtrField<mesos::v1::Attribute>& out) const;

  cluster::impl& owner;
  const std::size_t index;
  std::string id;
  agent_resources spec;
  resource_set total;
  std::uint16_t port = 0;
  bool running = false;
  std::unique_ptr<http_server> server;
  std::unique_ptr<executor_manager> executors;
};

/// Every agent of the cluster, by index; ids are <cluster id>-S<n>, a new one per
/// (re)registration.
struct agent_pool {
  std::vector<std::unique_ptr<agent_node>> nodes;
  std::size_t next_id = 0;
  std::vector<pid_t> orphans; ///< killed processes of removed tasks, still to reap

  agent_node* find(const std::string& agent_id);
};

} // namespace mesos_actor::sim
