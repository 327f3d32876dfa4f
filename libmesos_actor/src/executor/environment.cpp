#include "mesos_actor/executor/environment.hpp"

#include <cstdlib>
#include <utility>

#include "mesos_actor/executor/duration_text.hpp"

namespace mesos_actor {

namespace {

using result = std::variant<executor_environment, environment_error>;

environment_error missing(std::string_view name) {
  return {std::string{name}, "not set (the Mesos agent sets it when it launches an executor)"};
}

// Reads a required, non-empty text variable unless an override supplies it.
std::optional<environment_error> read_text(const environment_lookup& lookup, std::string_view name,
                                           const std::optional<std::string>& override_value,
                                           std::string& out) {
  if (override_value) {
    out = *override_value;
    return std::nullopt;
  }
  auto value = lookup(name);
  if (!value)
    return missing(name);
  if (value->empty())
    return environment_error{std::string{name}, "is empty"};
  out = std::move(*value);
  return std::nullopt;
}

// "1" or "0" exactly, as the agent writes them.
std::optional<environment_error> read_flag(const environment_lookup& lookup, std::string_view name,
                                           bool required, bool& out) {
  auto value = lookup(name);
  if (!value)
    return required ? std::optional<environment_error>{missing(name)} : std::nullopt;
  if (*value != "1" && *value != "0")
    return environment_error{std::string{name}, "'" + *value + "' is neither \"1\" nor \"0\""};
  out = *value == "1";
  return std::nullopt;
}

std::optional<environment_error>
read_duration(const environment_lookup& lookup, std::string_view name,
              const std::optional<std::chrono::nanoseconds>& override_value, bool required,
              std::chrono::nanoseconds& out) {
  if (override_value) {
    out = *override_value;
    return std::nullopt;
  }
  auto value = lookup(name);
  if (!value)
    return required ? std::optional<environment_error>{missing(name)} : std::nullopt;
  auto parsed = parse_duration_text(*value);
  if (!parsed)
    return environment_error{std::string{name},
                             "'" + *value
                               + "' is not a duration (a number followed by "
                                 "ns|us|ms|secs|mins|hrs|days|weeks, e.g. 250ms or 15mins)"};
  out = *parsed;
  return std::nullopt;
}

std::optional<environment_error> read_agent(const environment_lookup& lookup,
                                            const executor_environment_overrides& overrides,
                                            agent_address& out) {
  if (overrides.agent) {
    out = *overrides.agent;
    return std::nullopt;
  }
  auto pid = lookup(env_var::slave_pid);
  auto address = lookup(env_var::agent_endpoint);
  std::optional<agent_address> from_address;
  if (address) {
    from_address = parse_agent_address(*address);
    if (!from_address)
      return environment_error{std::string{env_var::agent_endpoint},
                               "'" + *address + "' is not an address of the form ip:port"};
  }
  if (pid) {
    // The official library builds its URL from the PID, so it wins when both are set.
    auto parsed = parse_agent_pid(*pid);
    if (!parsed)
      return environment_error{std::string{env_var::slave_pid},
                               "'" + *pid + "' is not a libprocess PID of the form id@ip:port"};
    out = std::move(*parsed);
    return std::nullopt;
  }
  if (from_address) {
    out = std::move(*from_address);
    return std::nullopt;
  }
  return environment_error{std::string{env_var::slave_pid},
                           "not set, and neither is MESOS_AGENT_ENDPOINT (the agent sets both)"};
}

bool parse_port(std::string_view text, int& port) {
  if (text.empty() || text.size() > 5)
    return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return false;
    value = value * 10 + (c - '0');
  }
  if (value < 1 || value > 65535)
    return false;
  port = value;
  return true;
}

} // namespace

environment_lookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string{name}.c_str());
    if (value == nullptr)
      return std::nullopt;
    return std::string{value};
  };
}

environment_lookup environment_from(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto i = vars.find(std::string{name});
    if (i == vars.end())
      return std::nullopt;
    return i->second;
  };
}

std::optional<agent_address> parse_agent_address(std::string_view address) {
  agent_address result;
  std::string_view host;
  std::string_view port;
  if (!address.empty() && address.front() == '[') {
    auto close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size()
        || address[close + 1] != ':')
      return std::nullopt;
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    auto colon = address.rfind(':');
    if (colon == std::string_view::npos)
      return std::nullopt;
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return std::nullopt; // an IPv6 address must be bracketed
  }
  if (host.empty() || host.find_first_of(" /@") != std::string_view::npos
      || !parse_port(port, result.port))
    return std::nullopt;
  result.host = std::string{host};
  return result;
}

std::optional<agent_address> parse_agent_pid(std::string_view pid) {
  auto at = pid.find('@');
  if (at == std::string_view::npos || at == 0)
    return std::nullopt;
  auto id = pid.substr(0, at);
  if (id.find_first_of(" /@") != std::string_view::npos)
    return std::nullopt;
  auto result = parse_agent_address(pid.substr(at + 1));
  if (!result)
    return std::nullopt;
  result->path = "/" + std::string{id} + "/api/v1/executor";
  return result;
}

std::variant<executor_environment, environment_error>
read_executor_environment(const environment_lookup& lookup,
                          const executor_environment_overrides& overrides) {
  executor_environment out;
  if (auto socket = lookup(env_var::domain_socket); socket && !overrides.ignore_domain_socket)
    return environment_error{std::string{env_var::domain_socket},
                             "the agent serves the executor API on a Unix domain socket, which "
                             "this library does not support; run the agent without "
                             "--http_executor_domain_sockets or set ignore_domain_socket to use "
                             "TCP"};
  if (auto e = read_text(lookup, env_var::framework_id, overrides.framework_id, out.framework_id))
    return *e;
  if (auto e = read_text(lookup, env_var::executor_id, overrides.executor_id, out.executor_id))
    return *e;
  if (auto e = read_text(lookup, env_var::slave_id, overrides.agent_id, out.agent_id))
    return *e;
  if (auto e = read_agent(lookup, overrides, out.agent))
    return *e;
  if (auto e = read_text(lookup, env_var::directory, overrides.directory, out.directory))
    return *e;
  if (overrides.sandbox) {
    out.sandbox = *overrides.sandbox;
  } else if (auto sandbox = lookup(env_var::sandbox); sandbox && !sandbox->empty()) {
    out.sandbox = *sandbox;
  } else {
    out.sandbox = out.directory;
  }
  if (overrides.checkpoint) {
    out.checkpoint = *overrides.checkpoint;
  } else if (auto e = read_flag(lookup, env_var::checkpoint, true, out.checkpoint)) {
    return *e;
  }
  if (auto e = read_flag(lookup, env_var::http_command_executor, false,
                         out.http_command_executor))
    return *e;
  if (auto e = read_duration(lookup, env_var::shutdown_grace_period,
                             overrides.shutdown_grace_period, true, out.shutdown_grace_period))
    return *e;
  // The agent sets these only for checkpointing frameworks, whose recovery needs both.
  if (auto e = read_duration(lookup, env_var::recovery_timeout, overrides.recovery_timeout,
                             out.checkpoint, out.recovery_timeout))
    return *e;
  if (auto e = read_duration(lookup, env_var::subscription_backoff_max,
                             overrides.subscription_backoff_max, out.checkpoint,
                             out.subscription_backoff_max))
    return *e;
  if (overrides.authentication_token) {
    out.authentication_token = overrides.authentication_token;
  } else if (auto token = lookup(env_var::authentication_token)) {
    if (token->empty())
      return environment_error{std::string{env_var::authentication_token}, "is empty"};
    out.authentication_token = std::move(token);
  }
  return out;
}

} // namespace mesos_actor
