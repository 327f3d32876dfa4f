#include "mesos_actor/operator/calls.hpp"

namespace mesos_actor::operator_api {

using mesos::v1::master::Call;

Call master_call(Call::Type type) {
  Call call;
  call.set_type(type);
  return call;
}

mesos::v1::agent::Call agent_call(mesos::v1::agent::Call::Type type) {
  mesos::v1::agent::Call call;
  call.set_type(type);
  return call;
}

Call get_metrics(std::chrono::milliseconds timeout) {
  auto call = master_call(Call::GET_METRICS);
  auto* m = call.mutable_get_metrics();
  if (timeout.count() > 0) {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(timeout).count();
    m->mutable_timeout()->set_nanoseconds(ns);
  }
  return call;
}

Call update_maintenance_schedule(const mesos::v1::maintenance::Schedule& s) {
  auto call = master_call(Call::UPDATE_MAINTENANCE_SCHEDULE);
  *call.mutable_update_maintenance_schedule()->mutable_schedule() = s;
  return call;
}

Call start_maintenance(const std::vector<mesos::v1::MachineID>& machines) {
  auto call = master_call(Call::START_MAINTENANCE);
  for (const auto& m : machines)
    *call.mutable_start_maintenance()->add_machines() = m;
  return call;
}

Call stop_maintenance(const std::vector<mesos::v1::MachineID>& machines) {
  auto call = master_call(Call::STOP_MAINTENANCE);
  for (const auto& m : machines)
    *call.mutable_stop_maintenance()->add_machines() = m;
  return call;
}

Call update_quota(const std::vector<mesos::v1::quota::QuotaConfig>& configs, bool force) {
  auto call = master_call(Call::UPDATE_QUOTA);
  auto* u = call.mutable_update_quota();
  u->set_force(force);
  for (const auto& c : configs)
    *u->add_quota_configs() = c;
  return call;
}

mesos::v1::MachineID machine(const std::string& hostname, const std::string& ip) {
  mesos::v1::MachineID m;
  if (!hostname.empty())
    m.set_hostname(hostname);
  if (!ip.empty())
    m.set_ip(ip);
  return m;
}

} // namespace mesos_actor::operator_api
