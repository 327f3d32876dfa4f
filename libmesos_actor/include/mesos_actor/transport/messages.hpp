#pragma once
// Messages the transport workers (event stream, call channel) send to the actor that
// owns them. Every message carries the generation of the connection it belongs to,
// so the owner drops what a superseded connection reports.

#include <cstdint>
#include <string>

namespace mesos_actor::transport {

/// The HTTP answer to a SUBSCRIBE POST (sent once per stream).
struct stream_response {
  /// The connection this answer belongs to.
  std::uint64_t generation = 0;
  int status = 0;               ///< 0: no HTTP answer (see transport_error)
  std::string stream_id;        ///< Mesos-Stream-Id (master only)
  std::string content_type;     ///< Content-Type of the events
  std::string location;         ///< Location of a 3xx
  std::string body;             ///< body of a non-200 answer (bounded)
  std::string transport_error;  ///< "Connection refused" etc. when status == 0
  bool timed_out = false;       ///< the transport error was a timeout
};

/// Why an open (200) stream ended.
enum class stream_end : std::uint8_t {
  eof,              ///< the server closed the stream cleanly
  transport_error,  ///< reset / read error / read timeout
  recordio_error,   ///< bad framing (bad length, oversized record, truncated)
  decode_error,     ///< a record did not decode as an event
  protocol_error,   ///< e.g. unknown Content-Type of the events
  stopped,          ///< the owner stopped the stream
};

/// The enumerator's name, e.g. "eof".
const char* to_string(stream_end e);

/// The end of an open stream (sent once, after the last event, only after a 200).
struct stream_closed {
  /// The connection that ended.
  std::uint64_t generation = 0;
  /// Why it ended.
  stream_end kind = stream_end::eof;
  std::string detail;           ///< e.g. "record 3 at byte 120: ..."
  std::uint64_t records = 0;    ///< records received before the end
};

/// The outcome of one call sent by a call channel.
struct call_result {
  /// The call channel connection that sent the call.
  std::uint64_t generation = 0;
  /// The call_request::call_id this answers.
  std::uint64_t call_id = 0;
  int status = 0;               ///< 0: no HTTP answer (see transport_error)
  std::string body;             ///< bounded
  /// "Connection refused" etc. when status == 0.
  std::string transport_error;
  /// The transport error was a timeout.
  bool timed_out = false;
};

/// A request to a call channel: POST `body` (already encoded), in order.
struct call_request {
  /// Chosen by the owner; echoed in the call_result.
  std::uint64_t call_id = 0;
  /// The encoded Call.
  std::string body;
  std::string stream_id;        ///< Mesos-Stream-Id header; empty = none (executor)
};

} // namespace mesos_actor::transport
