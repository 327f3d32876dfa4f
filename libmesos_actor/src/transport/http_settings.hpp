#pragma once
// Connection settings shared by the event stream and the call channel.

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/credentials.hpp"
#include "mesos_actor/transport/endpoint.hpp"
#include "mesos_actor/transport/tls_options.hpp"

namespace mesos_actor::transport {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_settings {
  endpoint target;
  content_type encoding = content_type::protobuf;
  std::chrono::milliseconds connect_timeout{2000};
  /// Per read for calls; for a stream, the longest silence tolerated.
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  /// Sent on every request; never logged.
  header_list extra_headers;
  /// Applied by connection_security (tls_setup.hpp) for https targets.
  tls_options tls;
  /// Authorization for every request, resolved once per connection.
  credentials auth;
  std::size_t max_error_body = 64u * 1024u;
};

} // namespace mesos_actor::transport
