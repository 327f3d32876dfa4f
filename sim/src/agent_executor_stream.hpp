#pragma once
// One executor's SUBSCRIBE stream on a simulated agent: executor events queued and
// written as RecordIO records into a chunked response (cpp-httplib's chunked content
// provider does the chunk framing; Mesos never compresses streams).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

#include <httplib.h>
#include <mesos/v1/executor/executor.pb.h>

#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor::sim {

class executor_stream {
public:
  /// Called on the server thread once per written event (for the trace).
  using written_fn = std::function<void(const mesos::v1::executor::Event&)>;

  executor_stream(content_type encoding, std::size_t max_queued, written_fn on_written);

  content_type encoding() const { return encoding_; }
  /// Queues an event; false when the stream is closed or its queue is full (then it
  /// is dropped: an executor that does not read is dead).
  bool push(const mesos::v1::executor::Event& event);
  /// Ends the stream cleanly after what is queued.
  void close();
  /// Ends the stream at once (the agent goes away).
  void drop();
  bool ended() const;

  /// The content provider body: waits up to `slice` for work so the server can notice
  /// its own shutdown; false ends the connection.
  bool provide(httplib::DataSink& sink, std::chrono::milliseconds slice);

private:
  const content_type encoding_;
  const std::size_t max_queued_;
  const written_fn on_written_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<mesos::v1::executor::Event> queue_;
  bool closing_ = false;
  bool dropped_ = false;
  bool ended_ = false;
};

} // namespace mesos_actor::sim
