#include "toolkit/resource_rules.hpp"

#include "mesos_actor/resources.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor::toolkit {

using mesos::v1::Resource;
using mesos::v1::Value;
using source_type = Resource::DiskInfo::Source;

namespace {

// The parts of a resource that say which resource it is (all but the value).
bool same_identity(const Resource& a, const Resource& b) {
  if (a.name() != b.name() || a.type() != b.type())
    return false;
  if (a.has_allocation_info() != b.has_allocation_info() ||
      a.allocation_info().role() != b.allocation_info().role())
    return false;
  if (a.has_provider_id() != b.has_provider_id() ||
      a.provider_id().value() != b.provider_id().value())
    return false;
  if (a.has_revocable() != b.has_revocable() || a.has_shared() != b.has_shared())
    return false;
  if (a.reservations_size() != b.reservations_size())
    return false;
  for (int i = 0; i < a.reservations_size(); ++i) {
    const auto& x = a.reservations(i);
    const auto& y = b.reservations(i);
    if (x.type() != y.type() || x.role() != y.role() || x.has_principal() != y.has_principal() ||
        x.principal() != y.principal() || x.has_labels() != y.has_labels() ||
        x.labels().SerializeAsString() != y.labels().SerializeAsString())
      return false;
  }
  if (a.has_disk() != b.has_disk())
    return false;
  if (a.has_disk()) {
    const auto& x = a.disk();
    const auto& y = b.disk();
    if (x.has_source() != y.has_source() ||
        (x.has_source() && x.source().SerializeAsString() != y.source().SerializeAsString()))
      return false;
    // Volume and persistence principal are left out: Mesos ignores them here.
    if (x.has_persistence() != y.has_persistence() ||
        x.persistence().id() != y.persistence().id())
      return false;
  }
  return true;
}

// A disk that cannot be split or merged: MOUNT and BLOCK always, RAW with an id.
bool exclusive_disk(const Resource& r) {
  if (!r.has_disk() || !r.disk().has_source())
    return false;
  switch (r.disk().source().type()) {
    case source_type::MOUNT:
    case source_type::BLOCK:
      return true;
    case source_type::RAW:
      return r.disk().source().has_id();
    default:
      return false;
  }
}

} // namespace

bool same_value(const Resource& a, const Resource& b) {
  if (a.type() != b.type())
    return false;
  switch (a.type()) {
    case Value::SCALAR:
      return to_fixed(a.scalar().value()) == to_fixed(b.scalar().value());
    case Value::RANGES:
      return coalesce(ranges_of(a.ranges())) == coalesce(ranges_of(b.ranges()));
    case Value::SET:
      return set_contains(a.set(), b.set()) && set_contains(b.set(), a.set());
    default:
      return false;
  }
}

bool addable(const Resource& a, const Resource& b) {
  if (!same_identity(a, b))
    return false;
  if (a.has_shared()) // shared copies are counted, never merged
    return same_value(a, b);
  if (exclusive_disk(a))
    return false;
  return !(a.has_disk() && a.disk().has_persistence());
}

bool subtractable(const Resource& a, const Resource& b) {
  if (!same_identity(a, b))
    return false;
  if (a.has_shared() || exclusive_disk(a) || (a.has_disk() && a.disk().has_persistence()))
    return same_value(a, b);
  return true;
}

bool contains(const Resource& a, const Resource& b) {
  if (!subtractable(a, b))
    return false;
  switch (a.type()) {
    case Value::SCALAR:
      return to_fixed(b.scalar().value()) <= to_fixed(a.scalar().value());
    case Value::RANGES:
      return ranges_contain(ranges_of(a.ranges()), ranges_of(b.ranges()));
    case Value::SET:
      return set_contains(a.set(), b.set());
    default:
      return false;
  }
}

bool is_empty(const Resource& r) {
  switch (r.type()) {
    case Value::SCALAR:
      return to_fixed(r.scalar().value()) == 0;
    case Value::RANGES:
      return r.ranges().range_size() == 0;
    case Value::SET:
      return r.set().item_size() == 0;
    default:
      return true;
  }
}

bool is_negative(const Resource& r) {
  return r.type() == Value::SCALAR && to_fixed(r.scalar().value()) < 0;
}

void add_value(Resource& a, const Resource& b) {
  switch (a.type()) {
    case Value::SCALAR:
      a.mutable_scalar()->set_value(
        from_fixed(fixed_add(to_fixed(a.scalar().value()), to_fixed(b.scalar().value()))));
      break;
    case Value::RANGES:
      set_ranges(*a.mutable_ranges(), ranges_union(ranges_of(a.ranges()), ranges_of(b.ranges())));
      break;
    case Value::SET:
      set_add(*a.mutable_set(), b.set());
      break;
    default:
      break;
  }
}

void subtract_value(Resource& a, const Resource& b) {
  switch (a.type()) {
    case Value::SCALAR:
      a.mutable_scalar()->set_value(
        from_fixed(fixed_sub(to_fixed(a.scalar().value()), to_fixed(b.scalar().value()))));
      break;
    case Value::RANGES:
      set_ranges(*a.mutable_ranges(),
                 ranges_difference(ranges_of(a.ranges()), ranges_of(b.ranges())));
      break;
    case Value::SET:
      set_subtract(*a.mutable_set(), b.set());
      break;
    default:
      break;
  }
}

void normalize_value(Resource& r) {
  if (r.type() == Value::SCALAR)
    r.mutable_scalar()->set_value(from_fixed(to_fixed(r.scalar().value())));
  else if (r.type() == Value::RANGES)
    set_ranges(*r.mutable_ranges(), coalesce(ranges_of(r.ranges())));
}

} // namespace mesos_actor::toolkit
