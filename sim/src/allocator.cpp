// Offers: the agents' unreserved resources handed to subscribed frameworks, one role
// at a time, honouring suppression and refuse filters; rescinding and recovering
// (allocator.hpp).
#include "cluster_impl.hpp"

#include <algorithm>

#include "resource_format.hpp"

namespace mesos_actor::sim {

namespace {
using Event = mesos::v1::scheduler::Event;
} // namespace

void allocator::tick(sim_clock::time_point now) {
  if (!dirty_ && now < next_)
    return;
  dirty_ = false;
  next_ = now + c_.opts_.allocation_interval;
  allocate();
}

resource_set allocator::available(const agent_node& agent) const {
  auto r = agent.total;
  for (const auto& [key, t] : c_.state_.tasks)
    if (t.agent_id == agent.id && !t.terminal())
      r.subtract(t.resources);
  for (const auto& [id, o] : c_.state_.offers)
    if (o.agent_id == agent.id)
      r.subtract(o.resources);
  return r;
}

void allocator::allocate() {
  if (!c_.leader_)
    return;
  // Every (framework, role) that wants offers; rotated so frameworks take turns.
  std::vector<std::pair<framework_entry*, std::string>> wanting;
  for (auto& [id, fw] : c_.state_.frameworks) {
    if (!fw.stream)
      continue;
    for (const auto& role : fw.roles())
      if (!fw.suppressed.count(role))
        wanting.emplace_back(&fw, role);
  }
  if (wanting.empty())
    return;
  auto now = sim_clock::now();
  std::map<std::string, Event> batches; // framework id -> OFFERS
  std::size_t turn = next_offer_;
  for (auto& agent : c_.agents_.nodes) {
    if (!agent->running)
      continue;
    auto avail = available(*agent);
    if (avail.empty())
      continue;
    for (std::size_t k = 0; k < wanting.size(); ++k) {
      auto& [fw, role] = wanting[(turn + k) % wanting.size()];
      auto f = fw->filters.find(agent->id);
      if (f != fw->filters.end() && now < f->second)
        continue;
      offer_entry o;
      o.framework_id = fw->id;
      o.agent_id = agent->id;
      o.role = role;
      o.resources = avail;
      auto& offer = o.offer;
      offer.mutable_id()->set_value(c_.cluster_id_ + "-O" + std::to_string(next_offer_++));
      offer.mutable_framework_id()->set_value(fw->id);
      offer.mutable_agent_id()->set_value(agent->id);
      offer.set_hostname(agent->spec.hostname.empty() ? c_.hostname() : agent->spec.hostname);
      agent->add_attributes(*offer.mutable_attributes());
      auto* url = offer.mutable_url();
      url->set_scheme(c_.scheme());
      url->mutable_address()->set_hostname(c_.hostname());
      url->mutable_address()->set_ip(c_.opts_.bind_address);
      url->mutable_address()->set_port(agent->port);
      url->set_path("/slave(1)");
      avail.to_proto(*offer.mutable_resources(), role);
      offer.mutable_allocation_info()->set_role(role);
      auto& batch = batches[fw->id];
      batch.set_type(Event::OFFERS);
      // The master keeps its format; the framework reads the one its capabilities ask for.
      auto* sent = batch.mutable_offers()->add_offers();
      *sent = offer;
      format_offer(*sent, resource_format::of(fw->info));
      c_.state_.offers.emplace(offer.id().value(), std::move(o));
      ++turn;
      break;
    }
  }
  for (auto& [fid, e] : batches)
    c_.send_event(fid, e);
}

void allocator::remove_offer(const std::string& offer_id, bool rescind) {
  auto it = c_.state_.offers.find(offer_id);
  if (it == c_.state_.offers.end())
    return;
  if (rescind) {
    Event e;
    e.set_type(Event::RESCIND);
    e.mutable_rescind()->mutable_offer_id()->set_value(offer_id);
    c_.send_event(it->second.framework_id, e);
  }
  c_.state_.offers.erase(it);
}

void allocator::remove_offers_of(const std::string& framework_id, bool rescind) {
  std::vector<std::string> ids;
  for (const auto& [id, o] : c_.state_.offers)
    if (framework_id.empty() || o.framework_id == framework_id)
      ids.push_back(id);
  for (const auto& id : ids)
    remove_offer(id, rescind);
}

void allocator::rescind_offers_on(const std::string& agent_id) {
  std::vector<std::string> ids;
  for (const auto& [id, o] : c_.state_.offers)
    if (o.agent_id == agent_id)
      ids.push_back(id);
  for (const auto& id : ids)
    remove_offer(id, true);
}

void allocator::add_filter(framework_entry& fw, const std::string& agent_id,
                               const std::optional<double>& refuse_seconds) {
  auto refuse = std::chrono::duration_cast<std::chrono::milliseconds>(
    std::chrono::duration<double>(refuse_seconds && *refuse_seconds >= 0
                                    ? std::min(*refuse_seconds, 1e9)
                                    : std::chrono::duration<double>(c_.opts_.default_refuse).count()));
  refuse = std::min(refuse, c_.opts_.max_refuse);
  if (refuse.count() <= 0)
    return;
  auto until = sim_clock::now() + refuse;
  auto& f = fw.filters[agent_id];
  f = std::max(f, until);
}

} // namespace mesos_actor::sim
