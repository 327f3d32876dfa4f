#include "legacy_fields.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace mesos_actor::sim {

std::optional<std::string> legacy_role(const mesos::v1::FrameworkInfo& info) {
  if (!info.has_role())
    return std::nullopt;
  return info.role();
}

std::optional<std::string> legacy_role(const mesos::v1::Resource& resource) {
  if (!resource.has_role())
    return std::nullopt;
  return resource.role();
}

void set_legacy_role(mesos::v1::Resource& resource, const std::optional<std::string>& role) {
  if (role)
    resource.set_role(*role);
  else
    resource.clear_role();
}

} // namespace mesos_actor::sim

#pragma GCC diagnostic pop
