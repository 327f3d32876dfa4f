#pragma once
// Small builders for the common pieces of ACCEPT calls.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor {

/// An unreserved scalar resource, e.g. scalar_resource("cpus", 0.1).
mesos::v1::Resource scalar_resource(const std::string& name, double value);
/// A ranges resource, e.g. ranges_resource("ports", {{31000, 31001}}).
mesos::v1::Resource ranges_resource(const std::string& name,
                                    const std::vector<std::pair<std::uint64_t, std::uint64_t>>& ranges);

/// The scalar amount of `name` in `resources` (0 when absent).
double scalar_amount(const google::protobuf::RepeatedPtrField<mesos::v1::Resource>& resources,
                     const std::string& name);

/// A command task running `shell_command` through /bin/sh on `agent_id`.
mesos::v1::TaskInfo command_task(const std::string& task_id, const std::string& name,
                                 const mesos::v1::AgentID& agent_id,
                                 const std::string& shell_command,
                                 const std::vector<mesos::v1::Resource>& resources);

/// Offer::Operation LAUNCH of `tasks`.
mesos::v1::Offer::Operation launch(const std::vector<mesos::v1::TaskInfo>& tasks);
/// Offer::Operation LAUNCH_GROUP of `tasks` under `executor`.
mesos::v1::Offer::Operation launch_group(const mesos::v1::ExecutorInfo& executor,
                                         const std::vector<mesos::v1::TaskInfo>& tasks);

/// Filters with refuse_seconds.
mesos::v1::Filters refuse_filters(double refuse_seconds);

} // namespace mesos_actor
