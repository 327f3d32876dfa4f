#include "fleet/nodes.hpp"

#include <algorithm>

#include <mesos_actor/fleet/fleet.pb.h>

#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor::fleet {

namespace {

caf::error bad(const std::string& what) { return make_error(errc::decode_error, what); }

const char* restart_name(supervisor::restart_type t) {
  switch (t) {
    case supervisor::restart_type::permanent: return "permanent";
    case supervisor::restart_type::transient: return "transient";
    case supervisor::restart_type::temporary: return "temporary";
  }
  return "transient";
}

} // namespace

bool host_info::has_factory(const std::string& f) const {
  return std::find(factories.begin(), factories.end(), f) != factories.end();
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 128 || name == "." || name == "..")
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
           || c == '_' || c == '-';
  });
}

std::string encode_host(const host_info& h) {
  HostNode n;
  n.set_name(h.name);
  n.set_capacity(static_cast<std::uint32_t>(h.capacity));
  for (auto& f : h.factories)
    n.add_factories(f);
  return to_json(n);
}

caf::expected<host_info> decode_host(std::string_view json) {
  HostNode n;
  if (auto err = from_json(json, n))
    return bad("host node: " + err->message);
  if (!valid_name(n.name()))
    return bad("host node: bad name '" + n.name() + "'");
  if (n.capacity() == 0)
    return bad("host node " + n.name() + ": capacity must be >= 1");
  host_info h;
  h.name = n.name();
  h.capacity = n.capacity();
  h.factories.assign(n.factories().begin(), n.factories().end());
  return h;
}

std::string encode_spec(const ref_spec& s) {
  RefSpec n;
  n.set_factory(s.factory);
  for (auto& m : s.master_hosts)
    n.add_master_hosts(m);
  for (auto& [k, v] : s.params) {
    auto* p = n.add_params();
    p->set_key(k);
    p->set_value(v);
  }
  for (auto& h : s.preference)
    n.add_preference(h);
  auto* p = n.mutable_policy();
  p->set_restart(restart_name(s.policy.restart));
  p->set_max_restarts(static_cast<std::uint32_t>(std::max(0, s.policy.max_restarts)));
  p->set_period_ms(static_cast<std::uint64_t>(s.policy.period.count()));
  p->set_shutdown_timeout_ms(static_cast<std::uint64_t>(s.policy.shutdown_timeout.count()));
  return to_json(n);
}

caf::expected<ref_spec> decode_spec(std::string_view json) {
  RefSpec n;
  if (auto err = from_json(json, n))
    return bad("spec node: " + err->message);
  if (!valid_name(n.factory()))
    return bad("spec node: bad factory name '" + n.factory() + "'");
  ref_spec s;
  s.factory = n.factory();
  s.master_hosts.assign(n.master_hosts().begin(), n.master_hosts().end());
  for (auto& p : n.params())
    s.params[p.key()] = p.value();
  for (auto& h : n.preference()) {
    if (!valid_name(h))
      return bad("spec node: bad host name '" + h + "' in the preference list");
    s.preference.push_back(h);
  }
  if (n.has_policy()) {
    auto& p = n.policy();
    if (p.has_restart()) {
      if (p.restart() == "permanent")
        s.policy.restart = supervisor::restart_type::permanent;
      else if (p.restart() == "transient")
        s.policy.restart = supervisor::restart_type::transient;
      else if (p.restart() == "temporary")
        s.policy.restart = supervisor::restart_type::temporary;
      else
        return bad("spec node: unknown restart type '" + p.restart() + "'");
    }
    if (p.has_max_restarts())
      s.policy.max_restarts = static_cast<int>(std::min<std::uint32_t>(p.max_restarts(), 1000000));
    if (p.has_period_ms()) {
      if (p.period_ms() == 0 || p.period_ms() > 86400000ull * 365)
        return bad("spec node: policy.period_ms out of range");
      s.policy.period = std::chrono::milliseconds{p.period_ms()};
    }
    if (p.has_shutdown_timeout_ms()) {
      if (p.shutdown_timeout_ms() > 3600000ull)
        return bad("spec node: policy.shutdown_timeout_ms out of range");
      s.policy.shutdown_timeout = std::chrono::milliseconds{p.shutdown_timeout_ms()};
    }
  }
  return s;
}

} // namespace mesos_actor::fleet
