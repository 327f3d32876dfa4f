// offer_plan: tasks placed into one OFFERS event's offers, then ACCEPTs and a DECLINE.
#include <algorithm>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/offer_matching.hpp"
#include "mesos_actor/scheduler/context.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor {

using mesos::v1::Offer;
using mesos::v1::Resource;
using mesos::v1::Value;
namespace tk = toolkit;

offer_plan::offer_plan(const google::protobuf::RepeatedPtrField<Offer>& offers,
                       placement_strategy strategy)
  : strategy_(strategy) {
  for (const auto& offer : offers) {
    offer_state o;
    o.offer = &offer;
    if (auto r = resources::from_proto(offer.resources())) {
      o.remaining = std::move(*r);
      o.usable = true;
    } else {
      errors_.push_back("offer " + offer.id().value() + ": " + error_detail(r.error()));
    }
    offers_.push_back(std::move(o));
  }
}

namespace {

// What a task of `need` may draw from: resources its role may use, allocated to that
// role (or not allocated), plain (no volumes, no disks with a source, not shared).
bool usable_for(const Resource& r, const task_requirements& need) {
  if (!is_allocatable_to(r, need.role))
    return false;
  if (r.has_allocation_info() && r.allocation_info().role() != need.role)
    return false;
  if (r.has_revocable() && !need.allow_revocable)
    return false;
  return !r.has_disk() && !r.has_shared();
}

// The most specific reservation first: reserved to the role itself, then to its
// ancestors, unreserved last.
std::vector<Resource> by_preference(const resources& pool, const std::string& name,
                                    Value::Type type) {
  std::vector<Resource> out;
  for (const auto& r : pool.to_proto())
    if (r.name() == name && r.type() == type)
      out.push_back(r);
  std::stable_sort(out.begin(), out.end(), [](const Resource& a, const Resource& b) {
    return a.reservations_size() > b.reservations_size();
  });
  return out;
}

} // namespace

std::optional<resources> offer_plan::take(offer_state& o, const task_requirements& need,
                                          std::vector<std::uint64_t>& ports) const {
  auto pool = o.remaining.filter([&](const Resource& r) { return usable_for(r, need); });
  resources taken;
  for (const auto& want : need.scalars.to_proto()) {
    if (want.type() != Value::SCALAR)
      continue;
    auto left = tk::to_fixed(want.scalar().value());
    for (auto piece : by_preference(pool, want.name(), Value::SCALAR)) {
      if (left <= 0)
        break;
      auto amount = std::min(left, tk::to_fixed(piece.scalar().value()));
      piece.mutable_scalar()->set_value(tk::from_fixed(amount));
      auto part = resources::of(piece);
      if (!part)
        return std::nullopt;
      taken += *part;
      pool -= *part;
      left -= amount;
    }
    if (left > 0)
      return std::nullopt;
  }
  std::size_t ports_left = need.ports;
  for (auto piece : by_preference(pool, "ports", Value::RANGES)) {
    if (ports_left == 0)
      break;
    tk::range_list chosen;
    for (const auto& [b, e] : tk::coalesce(tk::ranges_of(piece.ranges()))) {
      for (auto port = b; ports_left > 0; ++port) {
        chosen.emplace_back(port, port);
        ports.push_back(port);
        --ports_left;
        if (port == e)
          break;
      }
      if (ports_left == 0)
        break;
    }
    tk::set_ranges(*piece.mutable_ranges(), tk::coalesce(chosen));
    auto part = resources::of(piece);
    if (!part)
      return std::nullopt;
    taken += *part;
    pool -= *part;
  }
  if (ports_left > 0)
    return std::nullopt;
  std::sort(ports.begin(), ports.end());
  return taken;
}

std::optional<placement> offer_plan::place(const task_requirements& need,
                                           const std::string& task_id, placement_group* group) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < offers_.size(); ++i)
    if (offers_[i].usable && (!group || group->allows(*offers_[i].offer)))
      order.push_back(i);
  if (strategy_ == placement_strategy::spread)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return offers_[a].placed < offers_[b].placed;
    });
  for (auto i : order) {
    auto& o = offers_[i];
    std::vector<std::uint64_t> ports;
    auto taken = take(o, need, ports);
    if (!taken)
      continue;
    o.remaining -= *taken;
    ++o.placed;
    if (group)
      group->placed(task_id, *o.offer);
    placement p;
    p.offer_index = i;
    p.task_id = task_id;
    p.agent_id = o.offer->agent_id();
    p.hostname = o.offer->hostname();
    p.taken = std::move(*taken);
    p.ports = std::move(ports);
    return p;
  }
  return std::nullopt;
}

void offer_plan::release(const placement& p, placement_group* group) {
  auto& o = offers_.at(p.offer_index);
  o.remaining += p.taken;
  if (o.placed > 0)
    --o.placed;
  if (group)
    group->forget(p.task_id);
}

void offer_plan::launch(const placement& p, mesos::v1::TaskInfo task) {
  *task.mutable_agent_id() = p.agent_id;
  *task.mutable_resources() = p.taken.to_proto();
  Offer::Operation op;
  op.set_type(Offer::Operation::LAUNCH);
  *op.mutable_launch()->add_task_infos() = std::move(task);
  offers_.at(p.offer_index).operations.push_back(std::move(op));
}

caf::error offer_plan::launch_group(const std::vector<placement>& ps,
                                    mesos::v1::ExecutorInfo executor,
                                    std::vector<mesos::v1::TaskInfo> tasks) {
  if (ps.empty() || ps.size() != tasks.size())
    return make_error(errc::bad_option, "launch_group needs one placement per task");
  for (const auto& p : ps)
    if (p.offer_index != ps.front().offer_index)
      return make_error(errc::bad_option, "launch_group: the placements are in different offers");
  Offer::Operation op;
  op.set_type(Offer::Operation::LAUNCH_GROUP);
  auto* group = op.mutable_launch_group();
  *group->mutable_executor() = std::move(executor);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    *tasks[i].mutable_agent_id() = ps[i].agent_id;
    *tasks[i].mutable_resources() = ps[i].taken.to_proto();
    *group->mutable_task_group()->add_tasks() = std::move(tasks[i]);
  }
  offers_.at(ps.front().offer_index).operations.push_back(std::move(op));
  return {};
}

caf::error offer_plan::reserve(std::size_t index, const resources& reserved) {
  if (index >= offers_.size() || !offers_[index].usable)
    return make_error(errc::bad_option, "reserve: no usable offer " + std::to_string(index));
  auto& o = offers_[index];
  auto source = reserved.pop_reservation();
  if (!source)
    return make_error(errc::bad_option, "reserve: " + error_detail(source.error()));
  if (!o.remaining.contains(*source))
    return make_error(errc::bad_option, "reserve: '" + source->to_string() +
                                          "' is not free in offer " + o.offer->id().value());
  o.remaining -= *source;
  o.remaining += reserved;
  o.operations.push_back(reserve_operation(reserved));
  return {};
}

caf::error offer_plan::create(std::size_t index, const resources& volumes) {
  if (index >= offers_.size() || !offers_[index].usable)
    return make_error(errc::bad_option, "create: no usable offer " + std::to_string(index));
  auto& o = offers_[index];
  resource_list plain;
  for (auto r : volumes.to_proto()) {
    if (!is_persistent_volume(r))
      return make_error(errc::bad_option, "create: '" + to_string(r) + "' is not a persistent volume");
    r.mutable_disk()->clear_persistence();
    r.mutable_disk()->clear_volume();
    if (r.disk().ByteSizeLong() == 0)
      r.clear_disk();
    r.clear_shared();
    *plain.Add() = std::move(r);
  }
  auto source = resources::from_proto(plain);
  if (!source)
    return make_error(errc::bad_option, "create: " + error_detail(source.error()));
  if (!o.remaining.contains(*source))
    return make_error(errc::bad_option, "create: '" + source->to_string() +
                                          "' is not free in offer " + o.offer->id().value());
  o.remaining -= *source;
  o.remaining += volumes;
  o.operations.push_back(create_operation(volumes));
  return {};
}

std::vector<offer_plan::accept_call> offer_plan::accepts() const {
  std::vector<accept_call> out;
  for (const auto& o : offers_)
    if (!o.operations.empty())
      out.push_back({o.offer->id(), o.operations});
  return out;
}

std::vector<mesos::v1::OfferID> offer_plan::unused() const {
  std::vector<mesos::v1::OfferID> out;
  for (const auto& o : offers_)
    if (o.operations.empty())
      out.push_back(o.offer->id());
  return out;
}

void offer_plan::finish(scheduler_context& ctx, const std::optional<mesos::v1::Filters>& accept_filters,
                        const std::optional<mesos::v1::Filters>& decline_filters) {
  for (const auto& call : accepts())
    ctx.accept({call.offer_id}, call.operations, accept_filters);
  if (auto rest = unused(); !rest.empty())
    ctx.decline(rest, decline_filters);
}

} // namespace mesos_actor
