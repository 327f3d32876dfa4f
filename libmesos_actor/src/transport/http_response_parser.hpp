#pragma once
// A strict, incremental HTTP/1.1 response parser: bytes go in as they arrive (in any
// pieces, down to one byte), the head comes out parsed and the body comes out
// de-chunked through a callback. Pure: no I/O, no clock, no threads.
//
// Strict on purpose (the peer may be hostile), and every refusal is a sentence naming
// the problem or the limit:
// - status line "HTTP/1.<digit> <3 digits, 100..599> [reason]"; header lines
//   "name: value" with a token name; CRLF line ends (a bare LF or CR is refused);
//   no obs-fold (a line starting with a space or tab);
// - framing: Transfer-Encoding exactly "chunked", or one Content-Length (repeated
//   only with the same value), or neither (the body ends when the peer closes);
//   Content-Length together with Transfer-Encoding is refused;
// - chunks: 1..16 hex digits (checked against overflow and the body limit before any
//   data), an optional ";extension", CRLF after each chunk's data; the trailer after
//   the last chunk is bounded like a head and discarded;
// - interim (1xx) responses are skipped (101 is refused: we never ask to upgrade) and
//   their bytes count toward the head limits; 204 and 304 have no body;
// - the limits (http_limits) are checked as each byte arrives, so no line, head or
//   body grows past them in memory.
// One parser reads one response; bytes after its end are left unconsumed for the
// next one (what a pipelining connection would need).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mesos_actor/transport/http_limits.hpp"

namespace mesos_actor::transport {

/// The parsed head of a final (non-1xx) response.
struct http_response_head {
  int minor_version = 1;  ///< HTTP/1.<minor_version>
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  ///< in order, values trimmed

  /// The value of the first header named `name` (case-insensitive), or "".
  std::string get(std::string_view name) const;
};

class http_response_parser {
public:
  /// Receives the body in pieces (slices of the fed bytes); false asks the parser to
  /// stop feeding (the piece counts as consumed).
  using body_callback = std::function<bool(std::string_view)>;

  /// `max_body` bounds the body (0 = unbounded); with `unbounded_200` a 200 answer's
  /// body is not bounded (the event stream: its records are bounded by the RecordIO
  /// decoder) while any other answer's is. `body_limit_name` is how an error names
  /// the bound.
  explicit http_response_parser(const http_limits& limits, std::uint64_t max_body = 0,
                                bool unbounded_200 = false,
                                std::string body_limit_name = "max_call_response_body");

  /// Consumes a prefix of `data` and returns its length. It stops early when the head
  /// has just been completed (so the caller can look at it before the body flows),
  /// when the response is complete (the rest belongs to the next response), on an
  /// error, or when `on_body` returned false.
  std::size_t feed(std::string_view data, const body_callback& on_body = {});
  /// The peer closed the connection: ends a read-until-close body; anything else
  /// unfinished becomes an error.
  void on_eof();

  bool head_complete() const { return head_done_; }
  bool complete() const { return state_ == state::complete; }
  bool failed() const { return state_ == state::failed; }
  /// Why the response was refused (empty unless failed()).
  const std::string& error() const { return error_; }
  /// Valid once head_complete().
  const http_response_head& head() const { return head_; }
  /// Bytes consumed so far (0 = the peer has said nothing yet).
  std::uint64_t consumed() const { return consumed_; }
  /// Body bytes delivered so far.
  std::uint64_t body_size() const { return body_size_; }
  /// After complete(): the connection may carry another request (HTTP/1.1, no
  /// "Connection: close", the body was framed).
  bool reusable() const;

private:
  enum class state {
    status_line, header_lines, body_length, body_until_close, chunk_size, chunk_data,
    chunk_data_end, trailer_lines, complete, failed,
  };

  std::size_t fail(std::string text);
  // Takes one byte of a CRLF-ended line; true once the line is complete (failed()
  // tells a refused byte).
  bool line_byte(char c);
  bool take_status_line();
  bool take_header_line();
  bool take_trailer_line();
  bool end_of_head();
  bool choose_framing();
  bool take_chunk_size();
  bool check_body_room(std::uint64_t more);

  http_limits limits_;
  std::uint64_t max_body_;
  bool unbounded_200_;
  std::string body_limit_name_;
  state state_ = state::status_line;
  std::string error_;
  std::string line_;         // the line being assembled (bounded by max_header_line)
  bool saw_cr_ = false;      // the last byte of line_ was a CR (not stored)
  std::size_t head_bytes_ = 0;
  std::size_t header_count_ = 0;
  std::size_t trailer_bytes_ = 0;
  std::size_t trailer_count_ = 0;
  http_response_head head_;
  bool head_done_ = false;
  bool close_after_ = false;
  std::uint64_t remaining_ = 0;  // of the Content-Length body or of the current chunk
  std::uint64_t consumed_ = 0;
  std::uint64_t body_size_ = 0;
};

} // namespace mesos_actor::transport
