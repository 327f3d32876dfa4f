#pragma once
// One open operator-API subscription (master SUBSCRIBE on /api/v1): encoded
// mesos.v1.master.Event records, RecordIO-framed, written as chunks of the HTTP
// response by the connection's server thread. Bounded: a subscriber that does not
// read is cut off when its queue is full.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include <httplib.h>
#include <mesos/v1/master/master.pb.h>

#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor::sim {

class operator_stream {
public:
  operator_stream(content_type encoding, std::size_t max_queued);

  content_type encoding() const { return encoding_; }
  /// Queues an event; false when the stream is closed or was cut off as too slow.
  bool push(const mesos::v1::master::Event& event);
  /// Ends the stream at once, without a terminating chunk (the master lost leadership).
  void drop();
  bool closed() const;
  /// The content provider body: waits up to `slice` for events and writes them.
  bool provide(httplib::DataSink& sink, std::chrono::milliseconds slice);

private:
  const content_type encoding_;
  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_; ///< framed records
  bool dropped_ = false;
  bool ended_ = false;
};

} // namespace mesos_actor::sim
