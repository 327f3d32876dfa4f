// Constraints on agents (Marathon's operators) and the group that keeps them across offers.
#include <cstdlib>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/offer_matching.hpp"
#include "toolkit/resource_values.hpp"

namespace mesos_actor {

using mesos::v1::Offer;
using mesos::v1::Value;

std::optional<std::string> agent_field(const Offer& offer, const std::string& field) {
  if (field == "hostname")
    return offer.hostname();
  for (const auto& a : offer.attributes()) {
    if (a.name() != field)
      continue;
    switch (a.type()) {
      case Value::TEXT:
        return a.text().value();
      case Value::SCALAR:
        return toolkit::fixed_to_string(toolkit::to_fixed(a.scalar().value()));
      case Value::RANGES: {
        std::string out = "[";
        for (const auto& r : a.ranges().range())
          out += (out.size() > 1 ? ", " : "") + std::to_string(r.begin()) + "-" + std::to_string(r.end());
        return out + "]";
      }
      case Value::SET: {
        std::string out = "{";
        for (const auto& item : a.set().item())
          out += (out.size() > 1 ? ", " : "") + item;
        return out + "}";
      }
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

caf::expected<placement_group> placement_group::make(std::vector<constraint> constraints) {
  std::vector<rule> rules;
  for (auto& c : constraints) {
    if (c.field.empty())
      return make_error(errc::bad_option, "a constraint has no field");
    rule r{c, std::nullopt, 0};
    if (c.kind == constraint::op::like || c.kind == constraint::op::unlike) {
      try {
        r.pattern.emplace(c.value, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        return make_error(errc::bad_option,
                          "constraint on '" + c.field + "': bad regular expression '" + c.value + "'");
      }
    } else if (c.kind == constraint::op::max_per) {
      char* end = nullptr;
      auto n = std::strtoull(c.value.c_str(), &end, 10);
      if (c.value.empty() || *end != '\0' || n == 0 || c.value[0] == '-')
        return make_error(errc::bad_option, "constraint MAX_PER on '" + c.field +
                                              "' needs a positive number, not '" + c.value + "'");
      r.max = static_cast<std::size_t>(n);
    }
    rules.push_back(std::move(r));
  }
  return placement_group(std::move(rules));
}

std::size_t placement_group::count(const std::string& field, const std::string& value) const {
  std::size_t n = 0;
  for (const auto& [id, fields] : tasks_) {
    auto it = fields.find(field);
    if (it != fields.end() && it->second == value)
      ++n;
  }
  return n;
}

bool placement_group::allows(const Offer& offer) const {
  for (const auto& r : rules_) {
    auto value = agent_field(offer, r.c.field);
    switch (r.c.kind) {
      case constraint::op::unique:
        if (!value || count(r.c.field, *value) > 0)
          return false;
        break;
      case constraint::op::cluster: {
        if (!value)
          return false;
        if (!r.c.value.empty()) {
          if (*value != r.c.value)
            return false;
          break;
        }
        // No value given: wherever the group's tasks already are.
        for (const auto& [id, fields] : tasks_) {
          auto it = fields.find(r.c.field);
          if (it != fields.end() && it->second != *value)
            return false;
        }
        break;
      }
      case constraint::op::like:
        if (!value || !std::regex_match(*value, *r.pattern))
          return false;
        break;
      case constraint::op::unlike:
        if (value && std::regex_match(*value, *r.pattern))
          return false;
        break;
      case constraint::op::max_per:
        if (!value || count(r.c.field, *value) >= r.max)
          return false;
        break;
    }
  }
  return true;
}

void placement_group::placed(const std::string& task_id, const Offer& offer) {
  auto& fields = tasks_[task_id];
  for (const auto& r : rules_)
    if (auto value = agent_field(offer, r.c.field))
      fields[r.c.field] = *value;
}

void placement_group::forget(const std::string& task_id) {
  tasks_.erase(task_id);
}

} // namespace mesos_actor
