#pragma once
// What the master's operator API (GET_STATE, GET_TASKS, GET_FRAMEWORKS, GET_AGENTS,
// GET_EXECUTORS, GET_ROLES) reports, built from the master's records as Mesos's
// Master::Http does from its own. Caller holds cluster::impl::mu_.

#include <mesos/v1/master/master.pb.h>
#include <mesos/v1/mesos.pb.h>

#include "master_state.hpp"

namespace mesos_actor::sim {

/// A task as the operator API shows it (mesos.v1.Task).
mesos::v1::Task operator_task(const task_entry& t);

mesos::v1::master::Response::GetTasks operator_tasks(const cluster::impl& c);
mesos::v1::master::Response::GetFrameworks operator_frameworks(const cluster::impl& c);
mesos::v1::master::Response::GetAgents operator_agents(const cluster::impl& c);
mesos::v1::master::Response::GetExecutors operator_executors(const cluster::impl& c);
mesos::v1::master::Response::GetRoles operator_roles(const cluster::impl& c);
mesos::v1::master::Response::GetState operator_state(const cluster::impl& c);

} // namespace mesos_actor::sim
