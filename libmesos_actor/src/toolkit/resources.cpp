// mesos_actor::resources: the collection and its algebra, as mesos::Resources does it.
#include "mesos_actor/resources.hpp"

#include "mesos_actor/errors.hpp"
#include "toolkit/resource_rules.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor {

using mesos::v1::Resource;
using mesos::v1::Value;
namespace tk = toolkit;

caf::expected<resources> resources::build(std::vector<Resource> list) {
  resources out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto& r = list[i];
    if (auto err = validate_resource(r); !err.empty())
      return make_error(errc::decode_error, "resource " + std::to_string(i) + ": " + err);
    normalize_resource(r);
    tk::normalize_value(r);
    if (!tk::is_empty(r))
      out.add(entry{std::move(r), 1});
  }
  return out;
}

caf::expected<resources> resources::from_proto(const resource_list& list) {
  return build(std::vector<Resource>(list.begin(), list.end()));
}

caf::expected<resources> resources::of(const Resource& r) {
  return build({r});
}

caf::expected<resources> resources::scalar(const std::string& name, double value) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return of(r);
}

caf::expected<resources>
resources::ranges(const std::string& name,
                  const std::vector<std::pair<std::uint64_t, std::uint64_t>>& list) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::RANGES);
  tk::set_ranges(*r.mutable_ranges(), list);
  return of(r);
}

caf::expected<resources> resources::set(const std::string& name,
                                        const std::vector<std::string>& items) {
  Resource r;
  r.set_name(name);
  r.set_type(Value::SET);
  for (const auto& item : items)
    r.mutable_set()->add_item(item);
  return of(r);
}

resource_list resources::to_proto() const {
  resource_list out;
  for (const auto& e : entries_)
    for (std::int64_t i = 0; i < e.shared_count; ++i)
      *out.Add() = e.resource;
  return out;
}

void resources::add(const entry& e) {
  for (auto& mine : entries_) {
    if (tk::addable(mine.resource, e.resource)) {
      if (mine.resource.has_shared())
        mine.shared_count += e.shared_count;
      else
        tk::add_value(mine.resource, e.resource);
      return;
    }
  }
  entries_.push_back(e);
}

void resources::subtract(const entry& e) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (!tk::subtractable(it->resource, e.resource))
      continue;
    bool gone;
    if (it->resource.has_shared()) {
      it->shared_count -= e.shared_count;
      gone = it->shared_count <= 0;
    } else {
      tk::subtract_value(it->resource, e.resource);
      gone = tk::is_negative(it->resource) || tk::is_empty(it->resource);
    }
    if (gone)
      entries_.erase(it);
    return;
  }
}

resources& resources::operator+=(const resources& other) {
  for (const auto& e : other.entries_)
    add(e);
  return *this;
}

resources& resources::operator-=(const resources& other) {
  for (const auto& e : other.entries_)
    subtract(e);
  return *this;
}

bool resources::contains_one(const entry& e) const {
  for (const auto& mine : entries_)
    if (tk::contains(mine.resource, e.resource) &&
        (!mine.resource.has_shared() || mine.shared_count >= e.shared_count))
      return true;
  return false;
}

bool resources::contains(const resources& other) const {
  // Persistent volumes are distinct entries even when equal: each one of `other` must
  // find one of its own here, so they are taken away as they are matched.
  resources remaining = *this;
  for (const auto& e : other.entries_) {
    if (!remaining.contains_one(e))
      return false;
    if (is_persistent_volume(e.resource))
      remaining.subtract(e);
  }
  return true;
}

bool operator==(const resources& a, const resources& b) {
  return a.contains(b) && b.contains(a);
}

std::string resources::to_string() const {
  if (entries_.empty())
    return "{}";
  std::string out;
  for (const auto& e : entries_)
    for (std::int64_t i = 0; i < e.shared_count; ++i) {
      if (!out.empty())
        out += "; ";
      out += mesos_actor::to_string(e.resource);
    }
  return out;
}

// --- Filters ----------------------------------------------------------------------

resources resources::reserved(const std::optional<std::string>& role) const {
  return filter([&](const Resource& r) { return is_reserved(r, role); });
}
resources resources::unreserved() const {
  return filter(is_unreserved);
}
resources resources::allocatable_to(const std::string& role) const {
  return filter([&](const Resource& r) { return is_allocatable_to(r, role); });
}
resources resources::statically_reserved() const {
  return filter(is_statically_reserved);
}
resources resources::dynamically_reserved() const {
  return filter(is_dynamically_reserved);
}
resources resources::with_refined_reservations() const {
  return filter(has_refined_reservations);
}
resources resources::persistent_volumes() const {
  return filter(is_persistent_volume);
}
resources resources::revocable() const {
  return filter(is_revocable);
}
resources resources::non_revocable() const {
  return filter([](const Resource& r) { return !is_revocable(r); });
}
resources resources::shared() const {
  return filter(is_shared);
}
resources resources::non_shared() const {
  return filter([](const Resource& r) { return !is_shared(r); });
}
resources resources::named(const std::string& name) const {
  return filter([&](const Resource& r) { return r.name() == name; });
}

std::set<std::string> resources::names() const {
  std::set<std::string> out;
  for (const auto& e : entries_)
    out.insert(e.resource.name());
  return out;
}

// --- Amounts ----------------------------------------------------------------------

std::optional<double> resources::scalar_total(const std::string& name) const {
  std::optional<std::int64_t> total;
  for (const auto& e : entries_)
    if (e.resource.name() == name && e.resource.type() == Value::SCALAR)
      for (std::int64_t i = 0; i < e.shared_count; ++i)
        total = tk::fixed_add(total.value_or(0), tk::to_fixed(e.resource.scalar().value()));
  if (!total)
    return std::nullopt;
  return tk::from_fixed(*total);
}

std::vector<std::pair<std::uint64_t, std::uint64_t>>
resources::ranges_total(const std::string& name) const {
  tk::range_list total;
  for (const auto& e : entries_)
    if (e.resource.name() == name && e.resource.type() == Value::RANGES)
      total = tk::ranges_union(total, tk::ranges_of(e.resource.ranges()));
  return total;
}

std::set<std::string> resources::set_total(const std::string& name) const {
  std::set<std::string> total;
  for (const auto& e : entries_)
    if (e.resource.name() == name && e.resource.type() == Value::SET)
      total.insert(e.resource.set().item().begin(), e.resource.set().item().end());
  return total;
}

resources resources::scalar_quantities() const {
  resources out;
  for (const auto& e : entries_) {
    if (e.resource.type() != Value::SCALAR)
      continue;
    Resource r;
    r.set_name(e.resource.name());
    r.set_type(Value::SCALAR);
    *r.mutable_scalar() = e.resource.scalar();
    for (std::int64_t i = 0; i < e.shared_count; ++i)
      out.add(entry{r, 1});
  }
  return out;
}

// --- Reservations and allocation --------------------------------------------------

resources resources::flatten() const {
  resources out;
  for (auto e : entries_) {
    e.resource.clear_reservations();
    e.resource.clear_allocation_info();
    out.add(e);
  }
  return out;
}

caf::expected<resources> resources::flatten(const std::string& role) const {
  if (auto err = validate_role(role); !err.empty())
    return make_error(errc::decode_error, "flatten: " + err);
  resources out;
  for (auto e : entries_) {
    e.resource.clear_reservations();
    e.resource.clear_allocation_info();
    if (role != "*") {
      auto* res = e.resource.add_reservations();
      res->set_type(Resource::ReservationInfo::STATIC);
      res->set_role(role);
    }
    out.add(e);
  }
  return out;
}

resources resources::to_unreserved() const {
  resources out;
  for (auto e : entries_) {
    e.resource.clear_reservations();
    out.add(e);
  }
  return out;
}

caf::expected<resources>
resources::push_reservation(const Resource::ReservationInfo& reservation) const {
  resources out;
  for (auto e : entries_) {
    *e.resource.add_reservations() = reservation;
    if (auto err = validate_resource(e.resource); !err.empty())
      return make_error(errc::decode_error, "cannot reserve: " + err);
    out.add(e);
  }
  return out;
}

caf::expected<resources> resources::pop_reservation() const {
  resources out;
  for (auto e : entries_) {
    if (e.resource.reservations().empty())
      return make_error(errc::decode_error,
                        "cannot unreserve the unreserved resource '" + e.resource.name() + "'");
    e.resource.mutable_reservations()->RemoveLast();
    out.add(e);
  }
  return out;
}

caf::expected<resources> resources::allocate(const std::string& role) const {
  if (auto err = validate_role(role); !err.empty())
    return make_error(errc::decode_error, "allocate: " + err);
  resources out;
  for (auto e : entries_) {
    e.resource.mutable_allocation_info()->set_role(role);
    out.add(e);
  }
  return out;
}

resources resources::unallocate() const {
  resources out;
  for (auto e : entries_) {
    e.resource.clear_allocation_info();
    out.add(e);
  }
  return out;
}

std::map<std::string, resources> resources::allocations() const {
  std::map<std::string, resources> out;
  for (const auto& e : entries_)
    if (e.resource.has_allocation_info())
      out[e.resource.allocation_info().role()].add(e);
  return out;
}

} // namespace mesos_actor
