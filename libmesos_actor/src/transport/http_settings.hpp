#pragma once
// Connection settings shared by the event stream and the call channel. A client core
// builds them once from its connection_options (settings_of) and gives each connection
// its peer and read timeout (for_peer).

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/credentials.hpp"
#include "mesos_actor/transport/endpoint.hpp"
#include "mesos_actor/transport/http_limits.hpp"
#include "mesos_actor/transport/connection_options.hpp"
#include "mesos_actor/transport/proxy_options.hpp"
#include "mesos_actor/transport/tls_options.hpp"

namespace mesos_actor::transport {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_settings {
  endpoint target;
  content_type encoding = content_type::protobuf;
  /// Bounds the TCP connect, and apart the TLS handshake.
  std::chrono::milliseconds connect_timeout{2000};
  /// For a call: the whole exchange, from its first byte written to the last byte of
  /// the answer (a total deadline, so a slow peer cannot stretch it). For a stream:
  /// the longest silence tolerated.
  std::chrono::milliseconds read_timeout{30000};
  /// For a stream: writing the SUBSCRIBE request.
  std::chrono::milliseconds write_timeout{30000};
  /// Sent on every request; never logged.
  header_list extra_headers;
  /// Applied by tls_client (tls_setup.hpp) for https targets.
  tls_options tls;
  /// The proxy, resolved against `target` and the environment by each connection.
  proxy_options proxy;
  /// Authorization for every request, resolved once per connection.
  credentials auth;
  std::size_t max_error_body = 64u * 1024u;
  /// Line, head and call-body bounds of every response.
  http_limits limits;

  /// These settings for one connection to `peer`, `read` being its read timeout.
  http_settings for_peer(endpoint peer, std::chrono::milliseconds read) const {
    http_settings out = *this;
    out.target = std::move(peer);
    out.read_timeout = read;
    return out;
  }
};

/// The settings `opts` asks for (no target yet; every write bounded by
/// request_timeout).
http_settings settings_of(const connection_options& opts);

} // namespace mesos_actor::transport
