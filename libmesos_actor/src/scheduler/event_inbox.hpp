#pragma once
// The hand-over between a subscription stream's worker thread and the scheduler actor:
// whole RecordIO records, still encoded, back to back in one buffer. The worker only
// frames; the actor decodes each record into one reused Event right before its
// callback. So no Event crosses threads, decoding runs beside the socket reads
// instead of after them, and a burst costs its wire size in memory, not its decoded size.

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor {

/// Encoded records in arrival order.
class record_batch {
public:
  void append(std::string_view record) {
    bytes_.append(record);
    ends_.push_back(bytes_.size());
  }
  void append(const record_batch& other) {
    auto base = bytes_.size();
    bytes_.append(other.bytes_);
    for (auto end : other.ends_)
      ends_.push_back(base + end);
  }
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::size_t bytes() const { return bytes_.size(); }
  std::size_t capacity() const { return bytes_.capacity(); }
  std::string_view operator[](std::size_t i) const {
    auto begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view{bytes_}.substr(begin, ends_[i] - begin);
  }
  /// Empties the batch; keeps its buffers for the next one unless a burst made them
  /// bigger than `keep_bytes` (it does not pin its memory).
  void clear(std::size_t keep_bytes = 1024 * 1024) {
    if (bytes_.capacity() > keep_bytes) {
      std::string{}.swap(bytes_);
      std::vector<std::size_t>{}.swap(ends_);
    }
    bytes_.clear();
    ends_.clear();
  }
  void swap(record_batch& other) noexcept {
    bytes_.swap(other.bytes_);
    ends_.swap(other.ends_);
  }

private:
  std::string bytes_;
  std::vector<std::size_t> ends_;  // end offset of each record in bytes_
};

/// Records framed by the worker and not yet taken by the actor, at most `max_bytes`
/// (plus one received piece): a worker that finds it full waits, so TCP holds the
/// master back instead of this process buffering without bound.
class scheduler_event_inbox {
public:
  explicit scheduler_event_inbox(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// Worker: moves the records of one piece in (waiting for room). Returns true when
  /// the actor must be told (the inbox was idle); false also once closed.
  bool put(record_batch& piece, content_type encoding) {
    std::unique_lock<std::mutex> guard{mtx_};
    room_.wait(guard, [&] { return closed_ || records_.bytes() < max_bytes_; });
    if (closed_)
      return false;
    if (records_.empty())
      records_.swap(piece); // the piece's buffer gets the ones the actor emptied
    else
      records_.append(piece);
    encoding_ = encoding;
    bool notify = !notified_;
    notified_ = true;
    return notify;
  }

  /// Actor: takes everything (into an empty batch, whose buffers go back to the worker).
  content_type take(record_batch& into) {
    content_type encoding;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      into.swap(records_);
      notified_ = false;
      encoding = encoding_;
    }
    room_.notify_one();
    return encoding;
  }

  /// Actor: the stream is being stopped; a waiting worker gives up at once.
  void close() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      closed_ = true;
    }
    room_.notify_all();
  }

private:
  const std::size_t max_bytes_;
  std::mutex mtx_;
  std::condition_variable room_;
  record_batch records_;
  content_type encoding_ = content_type::protobuf;  // of the stream's answer
  bool notified_ = false;  // a scheduler_events message is on its way
  bool closed_ = false;
};

} // namespace mesos_actor
