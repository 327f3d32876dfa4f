// The master's operator API (master_operator.hpp).
#include "master_operator.hpp"

#include <algorithm>
#include <chrono>
#include <set>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/codec/message_codec.hpp"
#include "cluster_impl.hpp"
#include "operator_response.hpp"
#include "operator_views.hpp"
#include "request_checks.hpp"

namespace mesos_actor::sim {

namespace {

constexpr const char* operator_long_path = "/master/api/v1";
constexpr const char* operator_short_path = "/api/v1";
// Mesos serves /api/v1 in its read-write HTTP authentication realm.
constexpr const char* master_operator_realm = "mesos-master-readwrite";

using MasterCall = mesos::v1::master::Call;
using MasterResponse = mesos::v1::master::Response;

std::string machine_text(const mesos::v1::MachineID& m) {
  return m.hostname() + "/" + m.ip();
}

bool same_machine(const mesos::v1::MachineID& a, const mesos::v1::MachineID& b) {
  return a.hostname() == b.hostname() && a.ip() == b.ip();
}

bool scheduled(const mesos::v1::maintenance::Schedule& s, const mesos::v1::MachineID& m) {
  for (const auto& w : s.windows())
    for (const auto& id : w.machine_ids())
      if (same_machine(id, m))
        return true;
  return false;
}

bool is_down(const std::vector<mesos::v1::MachineID>& down, const mesos::v1::MachineID& m) {
  return std::any_of(down.begin(), down.end(), [&](const auto& d) { return same_machine(d, m); });
}

// The sub-message a call type needs (Mesos's validation::master::call::validate).
std::string missing_argument(const MasterCall& call) {
  switch (call.type()) {
    case MasterCall::UNKNOWN:
      return "Expecting 'type' to be present";
    case MasterCall::GET_METRICS:
      return call.has_get_metrics() ? "" : "Expecting 'get_metrics' to be present";
    case MasterCall::UPDATE_MAINTENANCE_SCHEDULE:
      return call.has_update_maintenance_schedule()
               ? "" : "Expecting 'update_maintenance_schedule' to be present";
    case MasterCall::START_MAINTENANCE:
      return call.has_start_maintenance() ? "" : "Expecting 'start_maintenance' to be present";
    case MasterCall::STOP_MAINTENANCE:
      return call.has_stop_maintenance() ? "" : "Expecting 'stop_maintenance' to be present";
    case MasterCall::UPDATE_QUOTA:
      return call.has_update_quota() ? "" : "Expecting 'update_quota' to be present";
    default:
      return "";
  }
}

} // namespace

void master_operator_front::add_routes(std::size_t master, http_routes& routes) {
  auto handler = [this, master](const httplib::Request& req, httplib::Response& res) {
    handle(master, req, res);
  };
  routes.handle(operator_short_path, handler);
  routes.handle(operator_long_path, handler);
}

void master_operator_front::handle(std::size_t master, const httplib::Request& req,
                                   httplib::Response& res) {
  request_record rec = start_record(server_kind::master, master, req);
  auto finish = [&](int status, const std::string& body) {
    finish_operator_request(c_, "master " + std::to_string(master), req, res, rec, status, body);
  };

  // Authentication, leadership, method, Content-Type.
  auto checked = check_master_request(c_, master, req, res, master_operator_realm, operator_long_path);
  if (auto* rejected = std::get_if<request_rejection>(&checked)) {
    finish(rejected->status, rejected->body);
    return;
  }
  auto body_type = std::get<admitted_request>(checked).body_type;
  rec.body_type = body_type;
  MasterCall call;
  if (auto err = decode(req.body, body_type, call)) {
    finish(400, "Failed to parse body into Call protobuf: " + err->message);
    return;
  }
  if (auto missing = missing_argument(call); !missing.empty()) {
    finish(400, "Failed to validate master::Call: " + missing);
    return;
  }
  auto accept = negotiate_accept(req.get_header_value("Accept"));
  if (!accept) {
    finish(406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
    return;
  }

  // 4. SUBSCRIBE: the event stream, in the Accept type.
  if (call.type() == MasterCall::SUBSCRIBE) {
    {
      cluster::impl::state_lock lk(c_);
      c_.operator_subscribe(*accept, res);
    }
    res.status = 200;
    rec.status = 200;
    c_.record_request(std::move(rec));
    return;
  }

  // 5. The other calls.
  MasterResponse response;
  outcome result;
  {
    cluster::impl::state_lock lk(c_);
    result = dispatch(master, call, response);
  }
  if (result.first != 200) {
    finish(result.first, result.second);
    return;
  }
  if (response.has_type())
    res.set_content(encode(response, *accept), std::string(media_type(*accept)));
  finish(200, "");
}

master_operator_front::outcome master_operator_front::dispatch(std::size_t master,
                                                               const MasterCall& call,
                                                               MasterResponse& out) {
  switch (call.type()) {
    case MasterCall::GET_HEALTH:
      out.set_type(MasterResponse::GET_HEALTH);
      out.mutable_get_health()->set_healthy(true);
      return {200, ""};
    case MasterCall::GET_VERSION:
      out.set_type(MasterResponse::GET_VERSION);
      out.mutable_get_version()->mutable_version_info()->set_version(c_.opts_.version);
      return {200, ""};
    case MasterCall::GET_FLAGS: {
      out.set_type(MasterResponse::GET_FLAGS);
      auto& flags = *out.mutable_get_flags();
      const auto& info = c_.masters_[master].info;
      add_flag(flags, "authenticate_http_frameworks",
               c_.opts_.credentials.empty() && c_.opts_.bearer_tokens.empty() ? "false" : "true");
      add_flag(flags, "hostname", info.hostname());
      add_flag(flags, "ip", c_.opts_.bind_address);
      add_flag(flags, "port", std::to_string(info.port()));
      add_flag(flags, "work_dir", c_.work_dir_);
      if (!c_.opts_.zookeeper.empty())
        add_flag(flags, "zk", "(set)"); // a zk:// URL may carry a password
      return {200, ""};
    }
    case MasterCall::GET_METRICS: {
      out.set_type(MasterResponse::GET_METRICS);
      auto& m = *out.mutable_get_metrics();
      std::size_t connected = 0, running = 0, staging = 0, agents = 0;
      for (const auto& [id, fw] : c_.state_.frameworks)
        connected += fw.stream ? 1 : 0;
      for (const auto& [key, t] : c_.state_.tasks) {
        running += t.latest.state() == mesos::v1::TASK_RUNNING ? 1 : 0;
        staging += t.latest.state() == mesos::v1::TASK_STAGING ? 1 : 0;
      }
      for (const auto& node : c_.agents_.nodes)
        agents += node->running ? 1 : 0;
      add_metric(m, "master/elected", 1);
      add_metric(m, "master/frameworks_active", static_cast<double>(connected));
      add_metric(m, "master/frameworks_connected", static_cast<double>(connected));
      add_metric(m, "master/frameworks_disconnected",
                 static_cast<double>(c_.state_.frameworks.size() - connected));
      add_metric(m, "master/slaves_active", static_cast<double>(agents));
      add_metric(m, "master/tasks_running", static_cast<double>(running));
      add_metric(m, "master/tasks_staging", static_cast<double>(staging));
      add_metric(m, "master/outstanding_offers", static_cast<double>(c_.state_.offers.size()));
      return {200, ""};
    }
    case MasterCall::GET_MASTER:
      out.set_type(MasterResponse::GET_MASTER);
      *out.mutable_get_master()->mutable_master_info() = c_.masters_[master].info;
      return {200, ""};
    case MasterCall::GET_STATE:
      out.set_type(MasterResponse::GET_STATE);
      *out.mutable_get_state() = operator_state(c_);
      return {200, ""};
    case MasterCall::GET_AGENTS:
      out.set_type(MasterResponse::GET_AGENTS);
      *out.mutable_get_agents() = operator_agents(c_);
      return {200, ""};
    case MasterCall::GET_FRAMEWORKS:
      out.set_type(MasterResponse::GET_FRAMEWORKS);
      *out.mutable_get_frameworks() = operator_frameworks(c_);
      return {200, ""};
    case MasterCall::GET_EXECUTORS:
      out.set_type(MasterResponse::GET_EXECUTORS);
      *out.mutable_get_executors() = operator_executors(c_);
      return {200, ""};
    case MasterCall::GET_TASKS:
      out.set_type(MasterResponse::GET_TASKS);
      *out.mutable_get_tasks() = operator_tasks(c_);
      return {200, ""};
    case MasterCall::GET_ROLES:
      out.set_type(MasterResponse::GET_ROLES);
      *out.mutable_get_roles() = operator_roles(c_);
      return {200, ""};
    case MasterCall::GET_MAINTENANCE_SCHEDULE:
      out.set_type(MasterResponse::GET_MAINTENANCE_SCHEDULE);
      *out.mutable_get_maintenance_schedule()->mutable_schedule() = c_.state_.maintenance_schedule;
      return {200, ""};
    case MasterCall::GET_MAINTENANCE_STATUS: {
      out.set_type(MasterResponse::GET_MAINTENANCE_STATUS);
      auto& status = *out.mutable_get_maintenance_status()->mutable_status();
      for (const auto& w : c_.state_.maintenance_schedule.windows())
        for (const auto& m : w.machine_ids())
          if (!is_down(c_.state_.down_machines, m))
            *status.add_draining_machines()->mutable_id() = m;
      for (const auto& m : c_.state_.down_machines)
        *status.add_down_machines() = m;
      return {200, ""};
    }
    case MasterCall::GET_QUOTA: {
      out.set_type(MasterResponse::GET_QUOTA);
      auto& status = *out.mutable_get_quota()->mutable_status();
      for (const auto& [role, config] : c_.state_.quotas)
        *status.add_configs() = config;
      return {200, ""};
    }
    case MasterCall::UPDATE_MAINTENANCE_SCHEDULE:
      return update_maintenance_schedule(call);
    case MasterCall::START_MAINTENANCE:
      return start_maintenance(call);
    case MasterCall::STOP_MAINTENANCE:
      return stop_maintenance(call);
    case MasterCall::UPDATE_QUOTA:
      return update_quota(call);
    default:
      return {501, "The simulator does not implement " + MasterCall::Type_Name(call.type())};
  }
}

master_operator_front::outcome
master_operator_front::update_maintenance_schedule(const MasterCall& call) {
  const auto& schedule = call.update_maintenance_schedule().schedule();
  std::vector<mesos::v1::MachineID> seen;
  for (const auto& w : schedule.windows()) {
    if (w.machine_ids().empty())
      return {400, "List of machines in the maintenance window is empty"};
    for (const auto& m : w.machine_ids()) {
      if (m.hostname().empty() && m.ip().empty())
        return {400, "A machine needs a 'hostname' or an 'ip'"};
      if (is_down(seen, m))
        return {400, "Machine '" + machine_text(m) + "' appears in more than one window"};
      seen.push_back(m);
    }
  }
  for (const auto& m : c_.state_.down_machines)
    if (!is_down(seen, m))
      return {400, "Machine '" + machine_text(m) + "' is down: it must stay in the schedule "
                   "until STOP_MAINTENANCE"};
  c_.state_.maintenance_schedule = schedule;
  return {200, ""};
}

master_operator_front::outcome master_operator_front::start_maintenance(const MasterCall& call) {
  const auto& machines = call.start_maintenance().machines();
  for (const auto& m : machines) {
    if (!scheduled(c_.state_.maintenance_schedule, m))
      return {400, "Machine '" + machine_text(m) + "' is not part of a maintenance schedule"};
    if (is_down(c_.state_.down_machines, m))
      return {400, "Machine '" + machine_text(m) + "' is already down"};
  }
  for (const auto& m : machines)
    c_.state_.down_machines.push_back(m);
  return {200, ""};
}

master_operator_front::outcome master_operator_front::stop_maintenance(const MasterCall& call) {
  const auto& machines = call.stop_maintenance().machines();
  for (const auto& m : machines)
    if (!is_down(c_.state_.down_machines, m))
      return {400, "Machine '" + machine_text(m) + "' is not down"};
  auto& down = c_.state_.down_machines;
  for (const auto& m : machines)
    down.erase(std::remove_if(down.begin(), down.end(),
                              [&](const auto& d) { return same_machine(d, m); }),
               down.end());
  // A machine brought up leaves the schedule (and windows left empty go with it).
  auto& windows = *c_.state_.maintenance_schedule.mutable_windows();
  for (auto& w : windows) {
    auto& ids = *w.mutable_machine_ids();
    for (int i = ids.size() - 1; i >= 0; --i)
      for (const auto& m : machines)
        if (same_machine(ids.Get(i), m)) {
          ids.DeleteSubrange(i, 1);
          break;
        }
  }
  for (int i = windows.size() - 1; i >= 0; --i)
    if (windows.Get(i).machine_ids().empty())
      windows.DeleteSubrange(i, 1);
  return {200, ""};
}

master_operator_front::outcome master_operator_front::update_quota(const MasterCall& call) {
  const auto& configs = call.update_quota().quota_configs();
  for (const auto& q : configs) {
    if (q.role().empty() || q.role() == "*")
      return {400, "Invalid QuotaConfig: role '" + q.role() + "' cannot have a quota"};
    for (const auto& [name, guarantee] : q.guarantees()) {
      auto limit = q.limits().find(name);
      if (limit != q.limits().end() && guarantee.value() > limit->second.value())
        return {400, "Invalid QuotaConfig: guarantee of '" + name + "' above its limit for role '" +
                     q.role() + "'"};
    }
  }
  for (const auto& q : configs) {
    if (q.guarantees().empty() && q.limits().empty())
      c_.state_.quotas.erase(q.role()); // the default quota: no entry
    else
      c_.state_.quotas[q.role()] = q;
  }
  return {200, ""};
}

} // namespace mesos_actor::sim
