#include "child_table.hpp"

#include <algorithm>

namespace supervisor::detail {

child_entry& child_table::add(child_spec spec, caf::message args) {
  auto& e = entries_.emplace_back();
  e.spec = std::move(spec);
  e.args = std::move(args);
  return e;
}

std::optional<std::size_t> child_table::index_of(const std::string& id) const {
  for (std::size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].spec.id == id)
      return i;
  return std::nullopt;
}

child_entry* child_table::find_by_actor(const caf::actor_addr& addr) {
  for (auto& e : entries_)
    if (e.actor && e.actor.address() == addr)
      return &e;
  return nullptr;
}

child_entry* child_table::find(const std::string& id) {
  auto i = index_of(id);
  return i ? &entries_[*i] : nullptr;
}

void child_table::erase(const std::string& id) {
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const child_entry& e) { return e.spec.id == id; }),
                 entries_.end());
}

std::vector<std::string> child_table::ids_from(std::size_t from) const {
  std::vector<std::string> out;
  for (std::size_t i = from; i < entries_.size(); ++i)
    out.push_back(entries_[i].spec.id);
  return out;
}

std::vector<child_info> child_table::info() const {
  std::vector<child_info> out;
  for (auto& e : entries_)
    out.push_back(child_info{e.spec.id, e.actor, e.status, e.spec.kind, e.spec.restart,
                             e.restart_count, e.last_exit_reason});
  return out;
}

child_counts child_table::counts() const {
  child_counts c;
  c.specs = entries_.size();
  for (auto& e : entries_) {
    if (e.status == child_status::running)
      ++c.active;
    if (e.spec.kind == child_kind::supervisor)
      ++c.supervisors;
    else
      ++c.workers;
  }
  return c;
}

} // namespace supervisor::detail
