#pragma once
// Stateless validation of a scheduler Call, as Mesos's master does before looking at
// the framework (failures are answered 400).

#include <optional>
#include <string>
#include <vector>

#include <mesos/v1/mesos.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

namespace mesos_actor::sim {

/// The reason the call is invalid, or nullopt.
std::optional<std::string> validate_call(const mesos::v1::scheduler::Call& call,
                                         const std::optional<std::string>& principal);

/// As Mesos's UUID::fromBytes: 16 bytes whose RFC 4122 version nibble is 1..5.
bool valid_uuid(const std::string& bytes);

/// A role name as Mesos's roles::validate accepts it ("*" included), or why not.
std::optional<std::string> validate_role(const std::string& role);

/// FrameworkInfo rules checked at SUBSCRIBE (reported as an ERROR event) and
/// UPDATE_FRAMEWORK (400): role names, MULTI_ROLE usage, failover_timeout, and
/// suppressed roles being a subset of the roles.
std::optional<std::string> validate_framework_info(const mesos::v1::FrameworkInfo& info,
                                                   const std::vector<std::string>& suppressed);

} // namespace mesos_actor::sim
