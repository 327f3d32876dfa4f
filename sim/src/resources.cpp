#include "resources.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "legacy_fields.hpp"

namespace mesos_actor::sim {

namespace {
// Mesos compares scalars with a fixed-point precision of three decimals.
constexpr double epsilon = 0.0005;
} // namespace

resource_set resource_set::from_spec(const agent_resources& spec) {
  resource_set r;
  r.scalars_["cpus"] = spec.cpus;
  r.scalars_["mem"] = spec.mem;
  r.scalars_["disk"] = spec.disk;
  if (spec.ports_end >= spec.ports_begin)
    r.ranges_["ports"].emplace_back(spec.ports_begin, spec.ports_end);
  return r;
}

resource_set
resource_set::from_proto(const google::protobuf::RepeatedPtrField<mesos::v1::Resource>& resources,
                         std::string& error) {
  resource_set r;
  for (const auto& res : resources) {
    if (res.reservations_size() > 0 || res.has_reservation() ||
        legacy_role(res).value_or("*") != "*") {
      error = "reserved resources are not supported by the simulator: " + res.name();
      return {};
    }
    switch (res.type()) {
      case mesos::v1::Value::SCALAR:
        if (!res.has_scalar() || !std::isfinite(res.scalar().value()) ||
            res.scalar().value() < 0) {
          error = "invalid scalar resource '" + res.name() + "'";
          return {};
        }
        r.scalars_[res.name()] += res.scalar().value();
        break;
      case mesos::v1::Value::RANGES:
        for (const auto& rg : res.ranges().range()) {
          if (rg.begin() > rg.end()) {
            error = "invalid range in resource '" + res.name() + "'";
            return {};
          }
          r.ranges_[res.name()].emplace_back(rg.begin(), rg.end());
        }
        break;
      default:
        error = "resource type of '" + res.name() + "' is not supported by the simulator";
        return {};
    }
  }
  for (auto& [name, rs] : r.ranges_)
    normalize(rs);
  return r;
}

void resource_set::to_proto(google::protobuf::RepeatedPtrField<mesos::v1::Resource>& out,
                            const std::string& role) const {
  auto tag = [&](mesos::v1::Resource& res) {
    if (!role.empty())
      res.mutable_allocation_info()->set_role(role);
  };
  for (const auto& [name, value] : scalars_) {
    if (value < epsilon)
      continue;
    auto& res = *out.Add();
    res.set_name(name);
    res.set_type(mesos::v1::Value::SCALAR);
    res.mutable_scalar()->set_value(std::round(value * 1000.0) / 1000.0);
    tag(res);
  }
  for (const auto& [name, rs] : ranges_) {
    if (rs.empty())
      continue;
    auto& res = *out.Add();
    res.set_name(name);
    res.set_type(mesos::v1::Value::RANGES);
    for (const auto& [b, e] : rs) {
      auto* rg = res.mutable_ranges()->add_range();
      rg->set_begin(b);
      rg->set_end(e);
    }
    tag(res);
  }
}

void resource_set::normalize(std::vector<range>& rs) {
  std::sort(rs.begin(), rs.end());
  std::vector<range> merged;
  for (const auto& r : rs) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  rs = std::move(merged);
}

bool resource_set::contains(const resource_set& other) const {
  for (const auto& [name, value] : other.scalars_) {
    auto it = scalars_.find(name);
    double have = it == scalars_.end() ? 0.0 : it->second;
    if (value > have + epsilon)
      return false;
  }
  for (const auto& [name, rs] : other.ranges_) {
    auto it = ranges_.find(name);
    for (const auto& [b, e] : rs) {
      bool covered = it != ranges_.end() &&
                     std::any_of(it->second.begin(), it->second.end(), [&](const range& have) {
                       return have.first <= b && e <= have.second;
                     });
      if (!covered)
        return false;
    }
  }
  return true;
}

void resource_set::add(const resource_set& other) {
  for (const auto& [name, value] : other.scalars_)
    scalars_[name] += value;
  for (const auto& [name, rs] : other.ranges_) {
    auto& mine = ranges_[name];
    mine.insert(mine.end(), rs.begin(), rs.end());
    normalize(mine);
  }
}

void resource_set::subtract(const resource_set& other) {
  for (const auto& [name, value] : other.scalars_) {
    auto& mine = scalars_[name];
    mine = std::max(0.0, mine - value);
  }
  for (const auto& [name, rs] : other.ranges_) {
    auto& mine = ranges_[name];
    for (const auto& [b, e] : rs) {
      std::vector<range> next;
      for (const auto& have : mine) {
        if (have.second < b || have.first > e) {
          next.push_back(have);
          continue;
        }
        if (have.first < b)
          next.emplace_back(have.first, b - 1);
        if (have.second > e)
          next.emplace_back(e + 1, have.second);
      }
      mine = std::move(next);
    }
  }
}

bool resource_set::empty() const {
  for (const auto& [name, value] : scalars_)
    if (value >= epsilon)
      return false;
  for (const auto& [name, rs] : ranges_)
    if (!rs.empty())
      return false;
  return true;
}

std::string resource_set::to_string() const {
  std::ostringstream os;
  const char* sep = "";
  for (const auto& [name, value] : scalars_) {
    os << sep << name << ":" << value;
    sep = "; ";
  }
  for (const auto& [name, rs] : ranges_) {
    os << sep << name << ":[";
    const char* rsep = "";
    for (const auto& [b, e] : rs) {
      os << rsep << b << "-" << e;
      rsep = ", ";
    }
    os << "]";
    sep = "; ";
  }
  return os.str();
}

} // namespace mesos_actor::sim
