#pragma once
// How a client (scheduler or executor) talks HTTP to its peer: encoding, timeouts,
// TLS, proxy, credentials and bounds. scheduler_options and executor_options both
// derive from it, so `opts.tls`, `opts.connect_timeout`, ... read the same on both and
// are validated by one function. The stream's read timeout is not here: its default
// and its meaning (a backstop behind the master's heartbeats, or the agent's 30-minute
// HEARTBEAT) differ between the two clients.

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <caf/error.hpp>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/credentials.hpp"
#include "mesos_actor/transport/http_limits.hpp"
#include "mesos_actor/transport/proxy_options.hpp"
#include "mesos_actor/transport/tls_options.hpp"

namespace mesos_actor {

/// The connection settings scheduler_options and executor_options share.
struct connection_options {
  /// Durations are milliseconds.
  using millis = std::chrono::milliseconds;

  /// Encoding of calls and events.
  content_type content = content_type::protobuf;
  /// TCP connect timeout of the subscription and of the call connection (the TLS
  /// handshake is bounded by it apart).
  millis connect_timeout{2000};
  /// Time one call (not SUBSCRIBE) may take from its first byte sent to the last byte
  /// of the answer: a total deadline, not per read (Mesos docs suggest about 75 s).
  /// Also bounds the writing of the SUBSCRIBE request.
  millis request_timeout{30000};
  /// Extra HTTP headers on every request. Never logged. Authorization belongs in
  /// `auth` (both together are a bad_option), Proxy-Authorization in `proxy.url`.
  std::vector<std::pair<std::string, std::string>> extra_headers;

  /// Certificate verification and client certificate for https:// peers (a
  /// scheduler's masters; an executor reaches its agent over plain HTTP).
  tls_options tls;
  /// The HTTP proxy: url ("" = the HTTPS_PROXY or HTTP_PROXY environment, as the
  /// peer's scheme asks; "none" = direct) and no_proxy ("" = NO_PROXY environment).
  proxy_options proxy;
  /// How the client authenticates (HTTP Basic, bearer token); none by default. The
  /// Authorization header is built for each connection (a token source is asked each
  /// time). An executor without one sends the agent's
  /// MESOS_EXECUTOR_AUTHENTICATION_TOKEN, if any.
  credentials auth;

  /// Calls written on the call connection before their answers (HTTP/1.1 pipelining,
  /// in send order; Mesos's masters and agents answer them in that order); the others
  /// wait in the channel. 1: each call waits for the previous answer (always so through
  /// a forward proxy).
  std::size_t max_pipelined_calls = 64;
  /// While the call channel's thread sleeps (idle, or waiting for answers with room for
  /// more calls) on a plain connection, the framework actor writes its calls on that
  /// connection itself: one thread wake-up less per call. false: the channel's thread
  /// writes every call (the order and the rules are the same either way).
  bool direct_calls = true;

  /// Largest RecordIO record accepted on the event stream (a scheduler also bounds the
  /// bytes of received records waiting for its actor by it).
  std::size_t max_record_size = 64u * 1024u * 1024u;
  /// Largest error body kept from a non-2xx answer.
  std::size_t max_error_body = 64u * 1024u;
  /// Bounds of every HTTP answer: header line, header count, head size, call body.
  mesos_actor::http_limits http_limits;
};

/// The first problem with `opts` as errc::bad_option naming the option, or none.
/// validate(scheduler_options) and validate(executor_options) start with it.
caf::error validate(const connection_options& opts);

} // namespace mesos_actor
