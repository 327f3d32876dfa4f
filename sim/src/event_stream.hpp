#pragma once
// One open scheduler subscription: a queue of events written to the HTTP response
// as RecordIO inside a chunked body. The chunked transfer coding is written here
// (not by cpp-httplib) so faults can cut chunks anywhere, and so the stream is never
// compressed (Mesos never compresses streams).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <httplib.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"
#include "mesos_actor/sim/faults.hpp"

namespace mesos_actor::sim {

class event_stream {
public:
  /// Called (from the stream's server thread) once per written event, with the time
  /// it was queued (push).
  using written_fn = std::function<void(const mesos::v1::scheduler::Event&,
                                        std::chrono::steady_clock::time_point queued)>;

  event_stream(std::string stream_id, content_type encoding, std::size_t max_queued,
               written_fn on_written);

  const std::string& id() const { return id_; }
  content_type encoding() const { return encoding_; }

  /// Queues an event. Returns false when the stream is closed or its queue is full
  /// (it is then closed abruptly: a consumer that does not read is dead to Mesos too).
  bool push(const mesos::v1::scheduler::Event& event);
  /// Ends the stream after what is queued: clean = terminating chunk; abrupt = the
  /// connection drops in the middle of a chunk.
  void close(close_mode mode);
  /// Ends the stream at once, at a record boundary, without a terminating chunk (a
  /// master that lost leadership or restarted).
  void drop();
  bool closed() const;

  void pause(bool paused);
  void set_chunking(chunking mode);
  void split_next(std::vector<std::size_t> offsets);
  void corrupt_next();
  void oversized_length_next();

  /// The cpp-httplib content provider body: blocks up to `slice` waiting for work and
  /// returns so the server can notice its own shutdown.
  bool provide(httplib::DataSink& sink, std::chrono::milliseconds slice);

private:
  struct record {
    mesos::v1::scheduler::Event event;
    std::string framed;
    std::chrono::steady_clock::time_point queued;
  };
  bool write_chunk(httplib::DataSink& sink, const char* data, std::size_t len);
  bool write_record(httplib::DataSink& sink, record& r, chunking mode,
                    std::vector<std::size_t> splits, bool corrupt);

  const std::string id_;
  const content_type encoding_;
  const std::size_t max_queued_;
  const written_fn on_written_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<record> queue_;
  bool closing_ = false;
  close_mode close_mode_ = close_mode::clean;
  bool drop_ = false;
  bool paused_ = false;
  chunking chunking_ = chunking::per_record;
  std::vector<std::size_t> split_next_;
  bool corrupt_next_ = false;
  bool oversized_next_ = false;
  std::atomic<bool> ended_{false};
};

} // namespace mesos_actor::sim
