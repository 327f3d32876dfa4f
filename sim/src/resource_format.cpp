// Resource formats per framework capabilities (resource_format.hpp). The rules follow
// Mesos 1.12's master (offer, accept), common/resources_utils (convertResourceFormat,
// upgrade/downgrade) and common/resources (validate, stringification).
#include "resource_format.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "call_validation.hpp"
#include "capabilities.hpp"
#include "legacy_fields.hpp"

namespace mesos_actor::sim {

namespace {

using mesos::v1::Resource;
using Reservation = mesos::v1::Resource::ReservationInfo;

// Mesos keeps scalars in fixed point with three decimals.
long long fixed(double v) { return std::llround(v * 1000.0); }

std::string labels_text(const mesos::v1::Labels& labels) {
  std::string out = "{";
  for (int i = 0; i < labels.labels_size(); ++i) {
    const auto& l = labels.labels(i);
    out += (i > 0 ? ", " : "") + l.key();
    if (l.has_value())
      out += ": " + l.value();
  }
  return out + "}";
}

std::string describe(const Resource& r) {
  std::ostringstream os;
  os << r.name();
  if (r.has_allocation_info())
    os << "(allocated: " << r.allocation_info().role() << ")";
  if (r.reservations_size() > 0) {
    os << "(reservations: [";
    for (int i = 0; i < r.reservations_size(); ++i) {
      const auto& res = r.reservations(i);
      os << (i > 0 ? "," : "") << "(" << Reservation::Type_Name(res.type()) << "," << res.role();
      if (res.has_principal())
        os << "," << res.principal();
      if (res.has_labels())
        os << "," << labels_text(res.labels());
      os << ")";
    }
    os << "])";
  }
  if (r.has_revocable())
    os << "{REV}";
  if (r.has_shared())
    os << "<SHARED>";
  os << ":";
  switch (r.type()) {
    case mesos::v1::Value::SCALAR:
      os.precision(std::numeric_limits<double>::digits10);
      os << static_cast<double>(fixed(r.scalar().value())) / 1000.0;
      break;
    case mesos::v1::Value::RANGES:
      os << "[";
      for (int i = 0; i < r.ranges().range_size(); ++i)
        os << (i > 0 ? ", " : "") << r.ranges().range(i).begin() << "-"
           << r.ranges().range(i).end();
      os << "]";
      break;
    case mesos::v1::Value::SET:
      os << "{";
      for (int i = 0; i < r.set().item_size(); ++i)
        os << (i > 0 ? ", " : "") << r.set().item(i);
      os << "}";
      break;
    default:
      break;
  }
  return os.str();
}

bool is_strict_subrole(const std::string& child, const std::string& parent) {
  return child.size() > parent.size() + 1 && child.compare(0, parent.size(), parent) == 0 &&
         child[parent.size()] == '/';
}

// Value checks of Resources::validate(Resource).
std::optional<std::string> validate_value(const Resource& r) {
  if (r.name().empty())
    return std::string("Empty resource name");
  switch (r.type()) {
    case mesos::v1::Value::SCALAR:
      if (!r.has_scalar() || r.has_ranges() || r.has_set())
        return std::string("Invalid scalar resource");
      if (r.scalar().value() != 0 && fixed(r.scalar().value()) <= 0)
        return std::string("Invalid scalar resource: value <= 0");
      return std::nullopt;
    case mesos::v1::Value::RANGES: {
      if (r.has_scalar() || !r.has_ranges() || r.has_set())
        return std::string("Invalid ranges resource");
      const auto& rs = r.ranges().range();
      for (int i = 0; i < rs.size(); ++i) {
        if (rs[i].begin() > rs[i].end())
          return std::string("Invalid ranges resource: begin > end");
        for (int j = i + 1; j < rs.size(); ++j)
          if (rs[i].begin() <= rs[j].begin() && rs[j].begin() <= rs[i].end())
            return std::string("Invalid ranges resource: overlapping ranges");
      }
      return std::nullopt;
    }
    case mesos::v1::Value::SET: {
      if (r.has_scalar() || r.has_ranges() || !r.has_set())
        return std::string("Invalid set resource");
      const auto& items = r.set().item();
      for (int i = 0; i < items.size(); ++i)
        for (int j = i + 1; j < items.size(); ++j)
          if (items[i] == items[j])
            return std::string("Invalid set resource: duplicated elements");
      return std::nullopt;
    }
    default:
      return std::string("Unsupported resource type");
  }
}

// Reservation checks of Resources::validate(Resource), both formats.
std::optional<std::string> validate_reservations(const Resource& r) {
  auto role = legacy_role(r);
  if (r.reservations_size() == 0) {
    if (auto err = validate_role(role.value_or("*")))
      return err;
    if (r.has_reservation()) {
      if (r.reservation().has_type())
        return std::string("'Resource.ReservationInfo.type' must not be set for the "
                           "'Resource.reservation' field");
      if (r.reservation().has_role())
        return std::string("'Resource.ReservationInfo.role' must not be set for the "
                           "'Resource.reservation' field");
      if (role.value_or("*") == "*")
        return std::string("Invalid reservation: role \"*\" cannot be dynamically reserved");
    }
    return std::nullopt;
  }
  for (const auto& res : r.reservations()) {
    if (!res.has_type())
      return std::string("Invalid reservation: 'Resource.ReservationInfo.type' field must be set.");
    if (!res.has_role())
      return std::string("Invalid reservation: 'Resource.ReservationInfo.role' field must be set.");
    if (auto err = validate_role(res.role()))
      return err;
    if (res.role() == "*")
      return std::string("Invalid reservation: role \"*\" cannot be reserved");
  }
  for (int i = 1; i < r.reservations_size(); ++i) {
    const auto& res = r.reservations(i);
    if (res.type() == Reservation::STATIC)
      return std::string("Invalid refined reservation: A refined reservation cannot be STATIC");
    if (!is_strict_subrole(res.role(), r.reservations(i - 1).role()))
      return "Invalid refined reservation: role '" + res.role() + "' is not a refinement of '" +
             r.reservations(i - 1).role() + "'";
  }
  if (r.reservations_size() > 1) {
    if (role)
      return std::string("Invalid resource format: 'Resource.role' must not be set if there is "
                         "more than one reservation in 'Resource.reservations'");
    if (r.has_reservation())
      return std::string("Invalid resource format: 'Resource.reservation' must not be set if "
                         "there is more than one reservation in 'Resource.reservations'");
    return std::nullopt;
  }
  // One reservation: the old fields may be set alongside if they agree with it.
  const auto& res = r.reservations(0);
  if (role && *role != res.role())
    return "Invalid resource format: 'Resource.role' field with '" + *role +
           "' does not match the role '" + res.role() + "' in 'Resource.reservations'";
  switch (res.type()) {
    case Reservation::STATIC:
      if (r.has_reservation())
        return std::string("Invalid resource format: 'Resource.reservation' must not be set if "
                           "the single reservation in 'Resource.reservations' is STATIC");
      break;
    case Reservation::DYNAMIC:
      if (role.has_value() != r.has_reservation())
        return std::string("Invalid resource format: 'Resource.role' and "
                           "'Resource.reservation' must either be both set or both not set if "
                           "the single reservation in 'Resource.reservations' is DYNAMIC");
      if (r.has_reservation() && r.reservation().principal() != res.principal())
        return "Invalid resource format: 'Resource.reservation.principal' field with '" +
               r.reservation().principal() + "' does not match the principal '" +
               res.principal() + "' in 'Resource.reservations'";
      if (r.has_reservation() &&
          r.reservation().labels().SerializeAsString() != res.labels().SerializeAsString())
        return "Invalid resource format: 'Resource.reservation.labels' field with '" +
               labels_text(r.reservation().labels()) + "' does not match the labels '" +
               labels_text(res.labels()) + "' in 'Resource.reservations'";
      break;
    default:
      return std::string("Unsupported 'Resource.ReservationInfo.Type'");
  }
  return std::nullopt;
}

std::optional<std::string> validate_resource(const Resource& r) {
  if (auto err = validate_value(r))
    return err;
  if (r.has_disk() && r.name() != "disk")
    return "DiskInfo should not be set for " + r.name() + " resource";
  if (auto err = validate_reservations(r))
    return err;
  if (r.has_shared()) {
    if (r.name() != "disk")
      return "Resource " + r.name() + " cannot be shared";
    if (!r.has_disk() || !r.disk().has_persistence())
      return std::string("Only persistent volumes can be shared");
  }
  return std::nullopt;
}

// Every resource list of a LAUNCH / LAUNCH_GROUP, in Mesos's validation order.
template <class F>
std::optional<std::string> for_each_launch_list(mesos::v1::Offer::Operation& op, F&& f) {
  auto task_lists = [&](mesos::v1::TaskInfo& t) -> std::optional<std::string> {
    if (auto err = f(*t.mutable_resources()))
      return err;
    if (t.has_executor())
      return f(*t.mutable_executor()->mutable_resources());
    return std::nullopt;
  };
  if (op.type() == mesos::v1::Offer::Operation::LAUNCH) {
    for (auto& t : *op.mutable_launch()->mutable_task_infos())
      if (auto err = task_lists(t))
        return err;
  } else if (op.type() == mesos::v1::Offer::Operation::LAUNCH_GROUP) {
    auto& lg = *op.mutable_launch_group();
    if (lg.has_executor())
      if (auto err = f(*lg.mutable_executor()->mutable_resources()))
        return err;
    for (auto& t : *lg.mutable_task_group()->mutable_tasks())
      if (auto err = task_lists(t))
        return err;
  }
  return std::nullopt;
}

} // namespace

resource_format resource_format::of(const mesos::v1::FrameworkInfo& info) {
  using Cap = mesos::v1::FrameworkInfo::Capability;
  return {has_capability(info, Cap::MULTI_ROLE),
          has_capability(info, Cap::RESERVATION_REFINEMENT)};
}

bool has_refined_reservations(const Resource& r) { return r.reservations_size() > 1; }

bool downgrade(Resource& r) {
  if (has_refined_reservations(r))
    return false;
  if (r.reservations_size() == 0) {
    set_legacy_role(r, "*");
    return true;
  }
  const auto res = r.reservations(0);
  if (res.type() == Reservation::DYNAMIC) {
    auto* old = r.mutable_reservation();
    if (res.has_principal())
      old->set_principal(res.principal());
    if (res.has_labels())
      *old->mutable_labels() = res.labels();
  }
  set_legacy_role(r, res.role());
  r.clear_reservations();
  return true;
}

void upgrade(Resource& r) {
  auto role = legacy_role(r);
  if (r.reservations_size() > 0 || role.value_or("*") == "*") {
    // Already post-refinement (maybe with consistent old fields), or unreserved.
    set_legacy_role(r, std::nullopt);
    r.clear_reservation();
    return;
  }
  auto* res = r.add_reservations();
  if (r.has_reservation()) {
    *res = r.reservation();
    res->set_type(Reservation::DYNAMIC);
    r.clear_reservation();
  } else {
    res->set_type(Reservation::STATIC);
  }
  res->set_role(*role);
  set_legacy_role(r, std::nullopt);
}

void format_offer(mesos::v1::Offer& offer, const resource_format& fmt) {
  if (!fmt.multi_role) {
    // Pre-MULTI_ROLE schedulers compare whole resources; allocation_info would confuse
    // them, so Mesos strips it from the offer and its resources (MESOS-8237).
    offer.clear_allocation_info();
    for (auto& r : *offer.mutable_resources())
      r.clear_allocation_info();
  }
  if (!fmt.reservation_refinement) {
    resource_list kept;
    for (auto& r : *offer.mutable_resources())
      if (downgrade(r))
        *kept.Add() = std::move(r);
    offer.mutable_resources()->Swap(&kept);
  }
}

std::optional<std::string> validate_resources(const resource_list& resources) {
  for (const auto& r : resources)
    if (auto err = validate_resource(r))
      return "Resource '" + describe(r) + "' is invalid: " + *err;
  return std::nullopt;
}

std::optional<std::string> normalize_launch(mesos::v1::Offer::Operation& op,
                                            const std::string& role) {
  auto copy = op;
  if (auto err = for_each_launch_list(
        copy, [](resource_list& rs) { return validate_resources(rs); }))
    return err;
  for_each_launch_list(copy, [&](resource_list& rs) -> std::optional<std::string> {
    for (auto& r : rs) {
      upgrade(r);
      if (!r.has_allocation_info())
        r.mutable_allocation_info()->set_role(role);
    }
    return std::nullopt;
  });
  op = std::move(copy);
  return std::nullopt;
}

std::optional<std::string> single_allocation_role(const resource_list& resources) {
  std::optional<std::string> first;
  for (const auto& r : resources) {
    if (!r.allocation_info().has_role())
      return std::string("The resources are not allocated to a role");
    const auto& role = r.allocation_info().role();
    if (!first)
      first = role;
    else if (role != *first)
      return "The resources have multiple allocation roles ('" + role + "' and '" + *first +
             "') but only one allocation role is allowed";
  }
  return std::nullopt;
}

bool offerable_kind(const resource_list& needed, const std::string& role) {
  for (const auto& r : needed)
    if (r.reservations_size() > 0 || r.allocation_info().role() != role ||
        r.type() == mesos::v1::Value::SET || r.has_disk() || r.has_revocable() || r.has_shared())
      return false;
  return true;
}

std::string describe(const resource_list& resources) {
  if (resources.empty())
    return "{}";
  std::string out;
  for (const auto& r : resources)
    out += (out.empty() ? "" : "; ") + describe(r);
  return out;
}

} // namespace mesos_actor::sim
