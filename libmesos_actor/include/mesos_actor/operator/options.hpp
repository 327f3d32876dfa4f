#pragma once
// Options of an operator API client (mesos_actor/operator/client.hpp): where the calls
// go and how (encoding, timeouts, TLS, authentication, limits).

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/credentials.hpp"
#include "mesos_actor/detector/detector.hpp"
#include "mesos_actor/transport/http_limits.hpp"
#include "mesos_actor/transport/tls_options.hpp"

namespace mesos_actor::operator_api {

/// The operator API path, on masters and on agents.
inline constexpr const char* operator_api_path = "/api/v1";

/// How an operator client reaches its master (or agent).
struct client_options {
  /// Masters ("host:port", "http(s)://host:port[/path]"), tried in order; or one
  /// zk:// URL (the leader a ZooKeeper master detector names); or an agent's address
  /// for agent calls. A path given replaces /api/v1.
  std::vector<std::string> targets;
  /// Encoding of calls and responses.
  content_type encoding = content_type::protobuf;
  /// Bounds the TCP connect, and apart the TLS handshake.
  std::chrono::milliseconds connect_timeout{2000};
  /// Bounds one exchange: from the request's first byte to the answer's last.
  std::chrono::milliseconds request_timeout{30000};
  /// 307 hops followed per call (a non-leading master names the leader).
  std::size_t max_redirects = 3;
  /// Largest answer body (GET_STATE of a big cluster is large).
  std::size_t max_response_body = 64u * 1024u * 1024u;
  /// How long a call waits for a leader with a zk:// target before failing with
  /// errc::no_master_reachable.
  std::chrono::milliseconds leader_timeout{10000};
  /// Authorization sent with every call; never logged.
  credentials auth;
  /// TLS for https targets.
  tls_options tls;
  /// Head and line bounds of every answer.
  http_limits limits;
  /// The ZooKeeper master detector's options (zk:// targets only).
  detector_options detector;
};

/// errc::bad_option naming the first bad member, or none. Never contains a secret.
caf::error validate(const client_options& opts);

} // namespace mesos_actor::operator_api
