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

} // namespace mesos_actor::sim

#pragma GCC diagnostic pop
