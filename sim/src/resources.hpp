#pragma once
// Resource arithmetic for the simulator: named scalars plus the "ports" ranges,
// enough for what agents offer and tasks consume.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/repeated_field.h>
#include <mesos/v1/mesos.pb.h>

#include "mesos_actor/sim/options.hpp"

namespace mesos_actor::sim {

class resource_set {
public:
  resource_set() = default;
  static resource_set from_spec(const agent_resources& spec);
  /// Reads unreserved scalars and ranges; `error` is set for resources the simulator
  /// cannot account for (unknown types, reservations, negative values).
  static resource_set
  from_proto(const google::protobuf::RepeatedPtrField<mesos::v1::Resource>& resources,
             std::string& error);

  /// Writes unreserved resources, each tagged with allocation_info.role when given.
  void to_proto(google::protobuf::RepeatedPtrField<mesos::v1::Resource>& out,
                const std::string& role = {}) const;

  bool contains(const resource_set& other) const;
  void add(const resource_set& other);
  /// Precondition: contains(other).
  void subtract(const resource_set& other);
  bool empty() const;
  std::string to_string() const;

private:
  using range = std::pair<std::uint64_t, std::uint64_t>; // inclusive
  static void normalize(std::vector<range>& ranges);

  std::map<std::string, double> scalars_;
  std::map<std::string, std::vector<range>> ranges_;
};

} // namespace mesos_actor::sim
