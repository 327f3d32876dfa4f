// One resource: Mesos's predicates, role rules, validation and normalization.
#include <cmath>
#include <unordered_set>

#include "mesos_actor/resources.hpp"
#include "toolkit/resource_rules.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor {

using mesos::v1::Resource;
using mesos::v1::Value;

std::string reservation_role(const Resource& r) {
  return r.reservations().empty() ? "*" : r.reservations().rbegin()->role();
}

bool is_reserved(const Resource& r, const std::optional<std::string>& role) {
  return !r.reservations().empty() && (!role || reservation_role(r) == *role);
}

bool is_unreserved(const Resource& r) {
  return r.reservations().empty();
}

bool is_dynamically_reserved(const Resource& r) {
  return !r.reservations().empty() &&
         r.reservations().rbegin()->type() == Resource::ReservationInfo::DYNAMIC;
}

bool is_statically_reserved(const Resource& r) {
  return !r.reservations().empty() &&
         r.reservations().rbegin()->type() == Resource::ReservationInfo::STATIC;
}

bool has_refined_reservations(const Resource& r) {
  return r.reservations_size() > 1;
}

bool is_strict_subrole(const std::string& child, const std::string& parent) {
  return child.size() > parent.size() + 1 && child.compare(0, parent.size(), parent) == 0 &&
         child[parent.size()] == '/';
}

bool is_allocatable_to(const Resource& r, const std::string& role) {
  if (is_unreserved(r))
    return true;
  auto owner = reservation_role(r);
  return role == owner || is_strict_subrole(role, owner);
}

bool is_persistent_volume(const Resource& r) {
  return r.has_disk() && r.disk().has_persistence();
}

bool is_revocable(const Resource& r) {
  return r.has_revocable();
}

bool is_shared(const Resource& r) {
  return r.has_shared();
}

std::string validate_role(const std::string& role) {
  if (role.empty())
    return "a role must not be empty";
  if (role == "*")
    return {};
  std::size_t start = 0;
  while (true) {
    auto slash = role.find('/', start);
    auto part = role.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part.empty())
      return "role '" + role + "' has an empty component";
    if (part == "." || part == "..")
      return "role '" + role + "' has a component '.' or '..'";
    if (part == "*")
      return "role '" + role + "': '*' is a role of its own, not a component";
    if (part[0] == '-')
      return "role '" + role + "' has a component starting with '-'";
    for (unsigned char c : part)
      if (c <= 0x20 || c == 0x7f || c == '\\')
        return "role '" + role + "' holds a blank, control character or backslash";
    if (slash == std::string::npos)
      return {};
    start = slash + 1;
  }
}

// The pre-refinement fields are deprecated in the protos; reading them is the point here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
std::string normalize_resource(Resource& r) {
  bool legacy_role = r.has_role() && r.role() != "*";
  if (!legacy_role && !r.has_reservation()) {
    r.clear_role();
    return {};
  }
  if (r.reservations_size() > 0) {
    // Both forms: Mesos accepts the legacy ones only when they agree with the last reservation.
    const auto& last = *r.reservations().rbegin();
    if ((legacy_role && r.role() != last.role()) ||
        (r.has_reservation() && r.reservation().principal() != last.principal()))
      return "resource '" + r.name() + "' has both 'role'/'reservation' and 'reservations', and they differ";
  } else if (!legacy_role) {
    return "resource '" + r.name() + "' has 'reservation' without a role";
  } else {
    auto* res = r.add_reservations();
    res->set_role(r.role());
    if (r.has_reservation()) {
      res->set_type(Resource::ReservationInfo::DYNAMIC);
      if (r.reservation().has_principal())
        res->set_principal(r.reservation().principal());
      if (r.reservation().has_labels())
        *res->mutable_labels() = r.reservation().labels();
    } else {
      res->set_type(Resource::ReservationInfo::STATIC);
    }
  }
  r.clear_role();
  r.clear_reservation();
  return {};
}
#pragma GCC diagnostic pop

std::string validate_resource(const Resource& input) {
  Resource r = input;
  if (auto err = normalize_resource(r); !err.empty())
    return err;
  if (r.name().empty())
    return "a resource has no name";
  const std::string who = "resource '" + r.name() + "'";
  switch (r.type()) {
    case Value::SCALAR: {
      if (!r.has_scalar() || r.has_ranges() || r.has_set())
        return who + " of type SCALAR must have a scalar value and nothing else";
      double v = r.scalar().value();
      if (!std::isfinite(v) || v < 0)
        return who + " has a scalar that is negative or not finite";
      if (v > max_scalar_value)
        return who + " has a scalar above " + toolkit::fixed_to_string(toolkit::to_fixed(max_scalar_value));
      break;
    }
    case Value::RANGES:
      if (!r.has_ranges() || r.has_scalar() || r.has_set())
        return who + " of type RANGES must have ranges and nothing else";
      for (const auto& range : r.ranges().range())
        if (range.begin() > range.end())
          return who + " has a range whose begin is after its end";
      break;
    case Value::SET: {
      if (!r.has_set() || r.has_scalar() || r.has_ranges())
        return who + " of type SET must have a set and nothing else";
      std::unordered_set<std::string> seen;
      for (const auto& item : r.set().item())
        if (!seen.insert(item).second)
          return who + " has the set item '" + item + "' twice";
      break;
    }
    default:
      return who + " has a type that is not SCALAR, RANGES or SET";
  }
  for (int i = 0; i < r.reservations_size(); ++i) {
    const auto& res = r.reservations(i);
    if (!res.has_role())
      return who + " has a reservation without a role";
    if (auto err = validate_role(res.role()); !err.empty())
      return who + ": " + err;
    if (res.role() == "*")
      return who + " is reserved to '*'";
    if (res.type() != Resource::ReservationInfo::STATIC &&
        res.type() != Resource::ReservationInfo::DYNAMIC)
      return who + " has a reservation that is neither STATIC nor DYNAMIC";
    if (i > 0) {
      if (res.type() != Resource::ReservationInfo::DYNAMIC)
        return who + ": only the first reservation may be STATIC";
      if (!is_strict_subrole(res.role(), r.reservations(i - 1).role()))
        return who + ": a refined reservation's role must be a sub-role of the one before";
    }
  }
  if (r.has_allocation_info()) {
    if (!r.allocation_info().has_role())
      return who + " has allocation_info without a role";
    if (auto err = validate_role(r.allocation_info().role()); !err.empty())
      return who + ": " + err;
  }
  if (r.has_disk()) {
    if (r.name() != "disk")
      return who + " has DiskInfo but is not 'disk'";
    if (r.disk().has_persistence() && r.disk().persistence().id().empty())
      return who + " has a persistent volume with an empty id";
    if (r.disk().has_volume() && !r.disk().has_persistence())
      return who + " has a volume but no persistence (volumes belong to persistent volumes)";
    if (r.disk().has_source() && (r.disk().source().type() == Resource::DiskInfo::Source::UNKNOWN))
      return who + " has a disk source of type UNKNOWN";
  }
  if (r.has_shared() && !is_persistent_volume(r))
    return who + " is shared but not a persistent volume (only those can be shared)";
  return {};
}

bool same_resource(const Resource& a, const Resource& b) {
  return toolkit::subtractable(a, b) && toolkit::same_value(a, b);
}

} // namespace mesos_actor
