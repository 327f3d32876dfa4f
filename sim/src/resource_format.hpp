#pragma once
// The resource formats the master speaks with each framework, as Mesos 1.12 does.
// Internally (and to MULTI_ROLE + RESERVATION_REFINEMENT frameworks) resources are in
// the post-refinement format (`reservations`) with `allocation_info`. A framework
// without MULTI_ROLE gets offers with no allocation_info at all; one without
// RESERVATION_REFINEMENT gets the pre-refinement format (`role`, `reservation`;
// unreserved = role "*"), and resources with refined reservations are not offered to it.
// On ACCEPT the master validates what the framework sent, upgrades it to the
// post-refinement format and gives resources without allocation_info the offer's role.

#include <optional>
#include <string>

#include <google/protobuf/repeated_field.h>
#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::sim {

using resource_list = google::protobuf::RepeatedPtrField<mesos::v1::Resource>;

/// What a framework can read, from its FrameworkInfo.capabilities.
struct resource_format {
  bool multi_role = false;
  bool reservation_refinement = false;
  static resource_format of(const mesos::v1::FrameworkInfo& info);
};

/// More than one reservation (a refined reservation).
bool has_refined_reservations(const mesos::v1::Resource& r);

/// Post-refinement to pre-refinement format. False (and `r` unchanged) for refined
/// reservations, which the old format cannot express.
bool downgrade(mesos::v1::Resource& r);

/// Either format to the post-refinement one (as Mesos's upgradeResources). Expects a
/// resource that passed validate_resources.
void upgrade(mesos::v1::Resource& r);

/// The offer as the framework reads it: its resources (post-refinement, allocated to
/// the offer's role) stripped of allocation_info without MULTI_ROLE and downgraded
/// without RESERVATION_REFINEMENT (resources that cannot be downgraded are dropped).
void format_offer(mesos::v1::Offer& offer, const resource_format& fmt);

/// Mesos's Resources::validate for what the simulator can meet: names, value types,
/// scalars and ranges, role names and both reservation formats. The error reads as
/// Mesos's ("Resource 'cpus:-1' is invalid: Invalid scalar resource: value <= 0").
std::optional<std::string> validate_resources(const resource_list& resources);

/// ACCEPT, before the tasks are looked at: validates the resources of a LAUNCH or
/// LAUNCH_GROUP (tasks, their executors, the group's executor), upgrades them, and
/// injects allocation_info.role = `role` (the offer's) where none is set. Returns the
/// validation error (then `op` is left as it was). Other operations are untouched.
std::optional<std::string> normalize_launch(mesos::v1::Offer::Operation& op,
                                            const std::string& role);

/// Mesos's validateAllocatedToSingleRole: every resource allocated to one role.
std::optional<std::string> single_allocation_role(const resource_list& resources);

/// Whether `needed` can come out of an offer allocated to `role` as far as the
/// simulator's offers go (unreserved scalars and ranges allocated to `role`): false for
/// reserved resources, another allocation role or SET values. Amounts are checked
/// separately (resource_set).
bool offerable_kind(const resource_list& needed, const std::string& role);

/// Mesos's text for resources ("cpus(allocated: web):0.5; ports(allocated: web):[31000-31001]").
std::string describe(const resource_list& resources);

} // namespace mesos_actor::sim
