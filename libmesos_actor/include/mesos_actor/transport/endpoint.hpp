#pragma once
// Where a Mesos master (or agent) API lives, parsed from the forms users write
// ("host:port", "http://host:port[/path]", "https://...") and from 307 Location
// headers ("//host:port/master/api/v1/scheduler", absolute URLs, absolute paths).

#include <cstdint>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

namespace mesos_actor {

/// The scheduler API path on a master (PROTOCOL.md section 1).
inline constexpr std::string_view scheduler_api_path = "/api/v1/scheduler";
/// The executor API path on an agent.
inline constexpr std::string_view executor_api_path = "/api/v1/executor";
/// Mesos master default port (not 5000).
inline constexpr std::uint16_t default_master_port = 5050;

/// A parsed master or agent address: scheme, host, port and request path.
struct endpoint {
  std::string scheme = "http";  ///< "http" or "https"
  std::string host;             ///< name or address; IPv6 without brackets
  /// TCP port.
  std::uint16_t port = default_master_port;
  std::string path;             ///< request path, starts with '/'

  /// "http://host:port" (IPv6 hosts bracketed): what an HTTP client connects to.
  std::string base_url() const;
  /// base_url() + path.
  std::string url() const;
  /// True for https.
  bool tls() const { return scheme == "https"; }

  /// Same scheme, host, port and path.
  friend bool operator==(const endpoint& a, const endpoint& b) {
    return a.scheme == b.scheme && a.host == b.host && a.port == b.port && a.path == b.path;
  }
  /// Not operator==.
  friend bool operator!=(const endpoint& a, const endpoint& b) { return !(a == b); }
};

/// Parses a master/agent address. Without a scheme "http" is used; without a port,
/// `default_port`; without a path (or with "/"), `default_path`. A path given in the
/// URL is used as the full request path. Errors (errc::bad_option) name the input.
caf::expected<endpoint> parse_endpoint(std::string_view text, std::string_view default_path,
                                       std::uint16_t default_port = default_master_port);

/// Resolves a Location header against the endpoint that answered 307:
/// "//host:port/path" keeps our scheme, "http(s)://..." is taken as is, "/path"
/// keeps our host. An empty or unparsable Location is errc::protocol_error.
caf::expected<endpoint> resolve_location(const endpoint& current, std::string_view location);

} // namespace mesos_actor
