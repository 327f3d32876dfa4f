#include "call_validation.hpp"
#include "capabilities.hpp"
#include "legacy_fields.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <sstream>

namespace mesos_actor::sim {

bool valid_uuid(const std::string& bytes) {
  if (bytes.size() != 16)
    return false;
  int version = (static_cast<unsigned char>(bytes[6]) >> 4) & 0x0f;
  return version >= 1 && version <= 5;
}

namespace {
using Call = mesos::v1::scheduler::Call;

std::optional<std::string> missing(const char* field) {
  return "Expecting '" + std::string(field) + "' to be present";
}

bool multi_role(const mesos::v1::FrameworkInfo& info) {
  return has_capability(info, mesos::v1::FrameworkInfo::Capability::MULTI_ROLE);
}
} // namespace

// Role names as Mesos accepts them (roles::validate).
std::optional<std::string> validate_role(const std::string& role) {
  if (role == "*")
    return std::nullopt;
  if (role.empty())
    return "Empty role name is invalid";
  if (role == "." || role == "..")
    return "Role name '" + role + "' is invalid";
  if (role.front() == '-')
    return "Role name '" + role + "' cannot start with '-'";
  if (role.front() == '/' || role.back() == '/' || role.find("//") != std::string::npos)
    return "Role name '" + role + "' has an empty path component";
  for (char c : role)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c)))
      return "Role name '" + role + "' contains invalid characters";
  return std::nullopt;
}

std::optional<std::string> validate_framework_info(const mesos::v1::FrameworkInfo& info,
                                                   const std::vector<std::string>& suppressed) {
  std::vector<std::string> roles;
  if (multi_role(info)) {
    if (legacy_role(info))
      return std::string("'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable");
    std::set<std::string> seen;
    for (const auto& r : info.roles()) {
      if (!seen.insert(r).second)
        return "'FrameworkInfo.roles' contains duplicate role '" + r + "'";
      roles.push_back(r);
    }
  } else {
    if (info.roles_size() > 0)
      return std::string("'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable");
    roles.push_back(legacy_role(info).value_or("*"));
  }
  for (const auto& r : roles)
    if (auto err = validate_role(r))
      return err;
  // Mesos takes any value that is a Duration (negative ones too: removal at once).
  if (!std::isfinite(info.failover_timeout()) || std::fabs(info.failover_timeout()) > 9.2e9) {
    std::ostringstream text;
    text << "The framework failover_timeout (" << info.failover_timeout() << ") is invalid";
    return text.str();
  }
  for (const auto& s : suppressed)
    if (std::find(roles.begin(), roles.end(), s) == roles.end())
      return "Suppressed role '" + s + "' is not contained in the list of roles";
  return std::nullopt;
}

std::optional<std::string> validate_call(const Call& call,
                                         const std::optional<std::string>& principal) {
  if (!call.has_type())
    return missing("type");
  if (call.type() == Call::SUBSCRIBE) {
    if (!call.has_subscribe())
      return missing("subscribe");
    const auto& info = call.subscribe().framework_info();
    if (info.has_id() != call.has_framework_id() ||
        (info.has_id() && info.id().value() != call.framework_id().value()))
      return std::string("'framework_id' differs from 'subscribe.framework_info.id'");
    if (principal && info.has_principal() && info.principal() != *principal)
      return "Authenticated principal '" + *principal +
             "' does not match principal '" + info.principal() + "' set in `FrameworkInfo`";
    return std::nullopt;
  }
  if (!call.has_framework_id())
    return missing("framework_id");
  switch (call.type()) {
    case Call::ACCEPT:
      if (!call.has_accept()) return missing("accept");
      break;
    case Call::DECLINE:
      if (!call.has_decline()) return missing("decline");
      break;
    case Call::ACCEPT_INVERSE_OFFERS:
      if (!call.has_accept_inverse_offers()) return missing("accept_inverse_offers");
      break;
    case Call::DECLINE_INVERSE_OFFERS:
      if (!call.has_decline_inverse_offers()) return missing("decline_inverse_offers");
      break;
    case Call::KILL:
      if (!call.has_kill()) return missing("kill");
      break;
    case Call::SHUTDOWN:
      if (!call.has_shutdown()) return missing("shutdown");
      break;
    case Call::ACKNOWLEDGE:
      if (!call.has_acknowledge()) return missing("acknowledge");
      if (!valid_uuid(call.acknowledge().uuid()))
        return std::string("Not a valid UUID");
      break;
    case Call::ACKNOWLEDGE_OPERATION_STATUS:
      if (!call.has_acknowledge_operation_status())
        return missing("acknowledge_operation_status");
      if (!valid_uuid(call.acknowledge_operation_status().uuid()))
        return std::string("Not a valid UUID");
      if (!call.acknowledge_operation_status().has_agent_id())
        return missing("acknowledge_operation_status.agent_id");
      break;
    case Call::RECONCILE:
      if (!call.has_reconcile()) return missing("reconcile");
      break;
    case Call::RECONCILE_OPERATIONS:
      if (!call.has_reconcile_operations()) return missing("reconcile_operations");
      break;
    case Call::MESSAGE:
      if (!call.has_message()) return missing("message");
      break;
    case Call::REQUEST:
      if (!call.has_request()) return missing("request");
      break;
    case Call::UPDATE_FRAMEWORK:
      if (!call.has_update_framework()) return missing("update_framework");
      if (call.update_framework().framework_info().id().value() != call.framework_id().value())
        return std::string("'framework_id' differs from 'update_framework.framework_info.id'");
      break;
    default:
      break;
  }
  return std::nullopt;
}

} // namespace mesos_actor::sim
