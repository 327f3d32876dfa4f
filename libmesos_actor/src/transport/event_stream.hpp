#pragma once
// The subscription stream worker: one blocking POST (SUBSCRIBE) on its own thread
// (a detached CAF actor, so the actor system waits for it at shutdown) over our own
// HTTP connection (http_connection.hpp). It reports the HTTP answer (a bad or
// oversized head is an answer with status 0 and the reason), cuts the body into
// RecordIO records, hands each to a sink (which decodes it or passes it on), and
// reports one stream_closed at the end. It knows nothing of Mesos semantics, so
// schedulers and executors share it.
//
// It is an actor in the full sense: an exit signal ends it at once, even in the middle
// of a silent stream (its pending wait is cancelled), and it then exits with that
// signal's reason. Its owner's exit ends it whatever the reason, so an owner that links
// to it takes it down when it ends, and sees it die.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/fwd.hpp>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/transport/messages.hpp"
#include "transport/http_connection.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor::transport {

/// Receives what a stream produces; called on the stream's thread only.
class stream_sink {
public:
  virtual ~stream_sink() = default;
  /// The HTTP answer (once; status 0 = none). Not called after stop().
  virtual void on_response(stream_response response) = 0;
  /// One record of an open (200) stream in the encoding named by the answer.
  /// Returns an error text to end the stream with stream_end::decode_error.
  virtual std::optional<std::string> on_record(std::string_view record, content_type encoding,
                                               std::uint64_t index) = 0;
  /// After the records of one received piece were handed out (batching hook).
  virtual void on_piece_end() {}
  /// The end of an open stream (once, only after a 200 was reported).
  virtual void on_closed(stream_closed closed) = 0;
};

struct stream_config {
  http_settings http;
  std::string body;              ///< the encoded SUBSCRIBE call
  std::uint64_t generation = 0;
  std::size_t max_record_size = 64u * 1024u * 1024u;
};

/// Lets the owner stop a stream from any thread without blocking on network I/O.
class stream_control {
public:
  /// Idempotent. After it returns, the sink gets no more on_response/on_record; an
  /// open stream still ends with on_closed(stopped).
  void stop();
  bool stop_requested() const;

private:
  friend class stream_worker;
  mutable std::mutex mtx_;  // held while on_response runs, so stop() waits it out
  std::atomic<bool> stop_requested_{false};
  // Ends the connection's pending wait (connect, handshake, write, read) at once.
  std::shared_ptr<connection_cancel> cancel_ = std::make_shared<connection_cancel>();
};

/// A running stream: its actor (to link to, or to send an exit) and its control.
struct event_stream {
  caf::actor worker;
  std::shared_ptr<stream_control> control;
};

/// Starts the worker. `owner` (may be null) is the actor whose exit, normal or not,
/// ends it; linking is the owner's choice.
event_stream spawn_event_stream(caf::actor_system& sys, const caf::actor_addr& owner,
                                stream_config cfg, std::shared_ptr<stream_sink> sink);

} // namespace mesos_actor::transport
