// Part of the multi_framework example (not a program of its own): reads the frameworks
// file (config/frameworks.ini) into host options and per-framework settings, with an
// error naming the file, line and problem for every bad line. See framework_config.hpp
// for the format and examples/multi_framework.cpp for how to run it.
#include "framework_config.hpp"

#include <fstream>
#include <set>
#include <sstream>

namespace example {

namespace {

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return {};
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in{s};
  std::string item;
  while (std::getline(in, item, ','))
    if (auto t = trim(item); !t.empty())
      out.push_back(t);
  return out;
}

// Whole-string non-negative integer, or nullopt.
std::optional<long long> to_count(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 12)
    return std::nullopt;
  return std::stoll(s);
}

// Applies key = value to e; returns an error text or "".
std::string apply(framework_entry& e, const std::string& key, const std::string& value) {
  auto count = [&](auto& field) -> std::string {
    auto n = to_count(value);
    if (!n)
      return "'" + key + "' needs a non-negative integer, got '" + value + "'";
    field = static_cast<std::decay_t<decltype(field)>>(*n);
    return {};
  };
  auto millis = [&](std::chrono::milliseconds& field) -> std::string {
    auto n = to_count(value);
    if (!n)
      return "'" + key + "' needs milliseconds (a non-negative integer), got '" + value + "'";
    field = std::chrono::milliseconds{*n};
    return {};
  };
  if (key == "role") {
    if (value.empty())
      return "'role' must not be empty";
    e.role = value;
  } else if (key == "master") {
    if (value == "sim")
      e.masters.clear();
    else if ((e.masters = split_list(value)).empty())
      return "'master' needs 'sim' or host:port[,host:port...]";
  } else if (key == "content_type") {
    if (value == "protobuf")
      e.content = mesos_actor::content_type::protobuf;
    else if (value == "json")
      e.content = mesos_actor::content_type::json;
    else
      return "'content_type' is protobuf or json, got '" + value + "'";
  } else if (key == "restart") {
    if (value == "permanent")
      e.policy.restart = supervisor::restart_type::permanent;
    else if (value == "transient")
      e.policy.restart = supervisor::restart_type::transient;
    else if (value == "temporary")
      e.policy.restart = supervisor::restart_type::temporary;
    else
      return "'restart' is permanent, transient or temporary, got '" + value + "'";
  } else if (key == "max_restarts") {
    return count(e.policy.max_restarts);
  } else if (key == "period_ms") {
    return millis(e.policy.period);
  } else if (key == "shutdown_timeout_ms") {
    return millis(e.policy.shutdown_timeout);
  } else if (key == "failover_timeout_s") {
    auto n = to_count(value);
    if (!n)
      return "'failover_timeout_s' needs whole seconds, got '" + value + "'";
    e.failover_timeout_s = static_cast<double>(*n);
  } else if (key == "max_num_subscribe") {
    return count(e.max_num_subscribe);
  } else if (key == "max_num_resubscribe") {
    return count(e.max_num_resubscribe);
  } else if (key == "heartbeat_timeout_window_ms") {
    return millis(e.heartbeat_timeout_window);
  } else if (key == "throw_after_ms") {
    return millis(e.throw_after);
  } else {
    return "unknown key '" + key + "'";
  }
  return {};
}

} // namespace

parse_result read_frameworks(const std::string& path) {
  parse_result r;
  std::ifstream in{path};
  if (!in) {
    r.error = path + ": cannot open";
    return r;
  }
  std::set<std::string> refs;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    auto where = path + ":" + std::to_string(number) + ": ";
    auto text = trim(line);
    if (text.empty() || text[0] == '#' || text[0] == ';')
      continue;
    if (text.front() == '[') {
      const std::string prefix = "[framework ";
      if (text.back() != ']' || text.compare(0, prefix.size(), prefix) != 0) {
        r.error = where + "a section is written [framework REF]";
        return r;
      }
      auto ref = trim(text.substr(prefix.size(), text.size() - prefix.size() - 1));
      if (ref.empty() || !refs.insert(ref).second) {
        r.error = where + (ref.empty() ? "empty framework ref" : "duplicate ref '" + ref + "'");
        return r;
      }
      r.frameworks.push_back(framework_entry{});
      r.frameworks.back().ref = ref;
      continue;
    }
    auto eq = text.find('=');
    if (eq == std::string::npos) {
      r.error = where + "expected key = value, got '" + text + "'";
      return r;
    }
    if (r.frameworks.empty()) {
      r.error = where + "key outside a [framework REF] section";
      return r;
    }
    auto err = apply(r.frameworks.back(), trim(text.substr(0, eq)), trim(text.substr(eq + 1)));
    if (!err.empty()) {
      r.error = where + err;
      return r;
    }
  }
  if (r.frameworks.empty())
    r.error = path + ": no [framework REF] section";
  return r;
}

} // namespace example
