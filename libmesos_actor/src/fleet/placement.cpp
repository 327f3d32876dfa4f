#include "fleet/placement.hpp"

#include <algorithm>

namespace mesos_actor::fleet {

std::map<std::string, std::string> place(const std::vector<host_info>& hosts,
                                         const std::vector<ref_entry>& refs) {
  std::map<std::string, const host_info*> live;
  for (auto& h : hosts)
    live[h.name] = &h;
  std::map<std::string, std::size_t> load;
  for (auto& r : refs)
    if (r.spec && !r.owner.empty() && live.count(r.owner) > 0)
      ++load[r.owner];
  auto can_run = [&](const std::string& host, const ref_spec& spec) {
    auto i = live.find(host);
    return i != live.end() && i->second->has_factory(spec.factory);
  };
  std::vector<const ref_entry*> sorted;
  for (auto& r : refs)
    if (r.spec)
      sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const ref_entry* a, const ref_entry* b) { return a->ref < b->ref; });
  std::map<std::string, std::string> out;
  for (auto* r : sorted) {
    auto& spec = *r->spec;
    std::string chosen;
    for (auto& h : spec.preference)
      if (can_run(h, spec)) {
        chosen = h;
        break;
      }
    bool owned = !r->owner.empty() && live.count(r->owner) > 0;
    if (chosen.empty() && owned)
      chosen = r->owner;
    if (chosen.empty() && !r->owner.empty() && live.count(r->owner) == 0) {
      // The owner node outlives its host node only for the moment both ephemeral
      // nodes take to go: nobody can claim before it is gone anyway.
      chosen = r->owner;
    }
    if (chosen.empty()) {
      const host_info* best = nullptr;
      for (auto& h : hosts) {
        if (!h.has_factory(spec.factory) || load[h.name] >= h.capacity)
          continue;
        if (best == nullptr) {
          best = &h;
          continue;
        }
        // load/capacity compared without division: a/b < c/d <=> a*d < c*b
        auto lhs = load[h.name] * best->capacity;
        auto rhs = load[best->name] * h.capacity;
        if (lhs < rhs || (lhs == rhs && h.name < best->name))
          best = &h;
      }
      if (best != nullptr) {
        chosen = best->name;
        ++load[chosen];
      }
    }
    out[r->ref] = chosen;
  }
  return out;
}

} // namespace mesos_actor::fleet
