#pragma once
// Reads and writes of deprecated v1 fields that Mesos 1.12 still honours
// (FrameworkInfo.role for frameworks without MULTI_ROLE, Resource.role for the
// pre-refinement resource format). Kept in one place so the deprecation warnings are
// silenced only here.

#include <optional>
#include <string>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::sim {

/// FrameworkInfo.role when set.
std::optional<std::string> legacy_role(const mesos::v1::FrameworkInfo& info);
/// Resource.role when set.
std::optional<std::string> legacy_role(const mesos::v1::Resource& resource);
/// Sets Resource.role (nullopt clears it): the pre-refinement format.
void set_legacy_role(mesos::v1::Resource& resource, const std::optional<std::string>& role);

} // namespace mesos_actor::sim
