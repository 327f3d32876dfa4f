#pragma once
// How one connection reaches its target: directly, or through the HTTP proxy the
// options or the environment name (proxy_options.hpp says the rules).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

#include "mesos_actor/transport/endpoint.hpp"
#include "mesos_actor/transport/proxy_options.hpp"

namespace mesos_actor::transport {

/// The proxy that carries a connection.
struct proxy_route {
  endpoint proxy;             ///< host and port of the proxy (scheme http)
  std::string display;        ///< "http://***@host:port": how every text names it
  std::string authorization;  ///< Proxy-Authorization value ("Basic ..."); never logged
  bool tunnel = false;        ///< CONNECT then TLS (https targets); else absolute-form
};

/// Parses "[http://][user[:password]@]host[:port][/]". Errors are errc::bad_option
/// and show the URL masked.
caf::expected<proxy_route> parse_proxy_url(std::string_view url);

/// Whether the NO_PROXY-style `list` names `target` (host, IP, CIDR, suffix, port, "*").
bool no_proxy_matches(std::string_view list, const endpoint& target);

/// Reads an environment variable; "" = unset or empty.
using env_lookup = std::function<std::string(const char* name)>;

/// The process environment (getenv).
std::string process_environment(const char* name);

/// What carries a connection to `target`: `route` empty = directly; `error` set (masked,
/// naming the option or variable) = a bad proxy URL, no connection possible.
struct proxy_choice {
  std::optional<proxy_route> route;
  std::string error;
};

/// Applies the options, then the environment, to `target` (precedence in proxy_options.hpp).
proxy_choice choose_proxy(const proxy_options& o, const endpoint& target,
                          const env_lookup& env = process_environment);

} // namespace mesos_actor::transport
