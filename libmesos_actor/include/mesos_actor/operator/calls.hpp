#pragma once
// Builders for operator calls: the GET_* calls by type, and the calls that carry
// arguments (metrics, maintenance, quota).

#include <chrono>
#include <vector>

#include <mesos/v1/agent/agent.pb.h>
#include <mesos/v1/master/master.pb.h>

namespace mesos_actor::operator_api {

/// A master call of `type` without arguments (GET_STATE, GET_AGENTS, GET_HEALTH, ...).
mesos::v1::master::Call master_call(mesos::v1::master::Call::Type type);
/// An agent call of `type` without arguments (GET_STATE, GET_CONTAINERS, ...).
mesos::v1::agent::Call agent_call(mesos::v1::agent::Call::Type type);

/// GET_METRICS, waiting up to `timeout` for the metrics (zero: none given).
mesos::v1::master::Call get_metrics(std::chrono::milliseconds timeout = {});
/// UPDATE_MAINTENANCE_SCHEDULE: replaces the whole schedule.
mesos::v1::master::Call update_maintenance_schedule(const mesos::v1::maintenance::Schedule& s);
/// START_MAINTENANCE: the machines go down (they must be in the schedule).
mesos::v1::master::Call start_maintenance(const std::vector<mesos::v1::MachineID>& machines);
/// STOP_MAINTENANCE: the machines come back up and leave the schedule.
mesos::v1::master::Call stop_maintenance(const std::vector<mesos::v1::MachineID>& machines);
/// UPDATE_QUOTA with these configs (`force`: skip the master's capacity check).
mesos::v1::master::Call update_quota(const std::vector<mesos::v1::quota::QuotaConfig>& configs,
                                     bool force = false);

/// A machine by hostname and/or IP address.
mesos::v1::MachineID machine(const std::string& hostname, const std::string& ip = {});

} // namespace mesos_actor::operator_api
