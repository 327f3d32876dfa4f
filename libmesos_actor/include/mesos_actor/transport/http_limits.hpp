#pragma once
// Bounds on what one HTTP response from a master or agent may make the client hold.
// They are enforced as the bytes arrive (nothing is buffered beyond them), so a
// hostile or broken peer costs at most these many bytes per connection.

#include <cstddef>
#include <string_view>

#include <caf/error.hpp>

namespace mesos_actor {

/// Limits of the HTTP client (scheduler_options::http_limits, executor_options::http_limits).
struct http_limits {
  /// Longest line of a response head, chunk-size line or trailer, CRLF excluded.
  std::size_t max_header_line = 8u * 1024u;
  /// Most header fields in one response head (and, apart, in one trailer).
  std::size_t max_header_count = 100;
  /// Largest response head in bytes: status line, header lines, interim (1xx) heads.
  std::size_t max_head_size = 64u * 1024u;
  /// Largest body of a call's answer and of a non-200 answer to SUBSCRIBE. The event
  /// stream itself is unbounded (its records are bounded by max_record_size).
  std::size_t max_call_response_body = 1024u * 1024u;
};

/// The first bad limit as errc::bad_option named "<prefix>.<member>", or none: every
/// limit must be positive and max_header_line at most max_head_size.
caf::error validate(const http_limits& limits, std::string_view prefix);

} // namespace mesos_actor
