#pragma once
// What one agent's operator API (GET_STATE, GET_TASKS, GET_EXECUTORS, GET_FRAMEWORKS,
// GET_CONTAINERS) reports, built from the master's records of the tasks on that agent
// and the executors its executor manager runs, as Mesos's agent builds them from its own
// frameworks and executors. Caller holds cluster::impl::mu_.

#include <vector>

#include <mesos/v1/agent/agent.pb.h>
#include <mesos/v1/mesos.pb.h>

#include "agent_pool.hpp"
#include "master_state.hpp"

namespace mesos_actor::sim {

/// The agent's executors: the custom ones its manager runs (`custom`, read before
/// taking mu_) and one command executor per live command task, as Mesos gives each
/// command task its own executor (executor id = task id).
struct agent_executor_list {
  std::vector<executor_view> custom;
  std::vector<executor_view> command;
};
agent_executor_list agent_view_executor_list(const cluster::impl& c, const agent_node& agent,
                                             std::vector<executor_view> custom);

mesos::v1::agent::Response::GetTasks agent_view_tasks(const cluster::impl& c,
                                                      const agent_node& agent);
mesos::v1::agent::Response::GetExecutors agent_view_executors(const agent_executor_list& e);
mesos::v1::agent::Response::GetFrameworks agent_view_frameworks(const cluster::impl& c,
                                                                const agent_node& agent,
                                                                const agent_executor_list& e);
mesos::v1::agent::Response::GetContainers agent_view_containers(const agent_executor_list& e);
mesos::v1::agent::Response::GetState agent_view_state(const cluster::impl& c,
                                                      const agent_node& agent,
                                                      const agent_executor_list& e);

} // namespace mesos_actor::sim
