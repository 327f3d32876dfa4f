#pragma once
// FrameworkInfo.capabilities lookups, one for the master, the allocator's offer format,
// the call validation and the agents.

#include <algorithm>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::sim {

inline bool has_capability(const mesos::v1::FrameworkInfo& info,
                           mesos::v1::FrameworkInfo::Capability::Type type) {
  const auto& all = info.capabilities();
  return std::any_of(all.begin(), all.end(), [&](const auto& c) { return c.type() == type; });
}

} // namespace mesos_actor::sim
