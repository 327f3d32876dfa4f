#include "event_stream.hpp"

#include <algorithm>
#include <cstdio>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace mesos_actor::sim {

event_stream::event_stream(std::string stream_id, content_type encoding, std::size_t max_queued,
                           written_fn on_written)
  : id_(std::move(stream_id)), encoding_(encoding), max_queued_(max_queued),
    on_written_(std::move(on_written)) {}

bool event_stream::push(const mesos::v1::scheduler::Event& event) {
  std::lock_guard<std::mutex> lk(mu_);
  if (closing_ || ended_)
    return false;
  if (queue_.size() >= max_queued_) {
    closing_ = true;
    close_mode_ = close_mode::abrupt;
    cv_.notify_all();
    return false;
  }
  record r{event, recordio_encode(encode(event, encoding_)), std::chrono::steady_clock::now()};
  queue_.push_back(std::move(r));
  cv_.notify_all();
  return true;
}

void event_stream::close(close_mode mode) {
  std::lock_guard<std::mutex> lk(mu_);
  if (closing_)
    return;
  closing_ = true;
  close_mode_ = mode;
  cv_.notify_all();
}

void event_stream::drop() {
  std::lock_guard<std::mutex> lk(mu_);
  closing_ = true;
  drop_ = true;
  cv_.notify_all();
}

bool event_stream::closed() const {
  std::lock_guard<std::mutex> lk(mu_);
  return closing_ || ended_;
}

void event_stream::pause(bool paused) {
  std::lock_guard<std::mutex> lk(mu_);
  paused_ = paused;
  cv_.notify_all();
}

void event_stream::set_chunking(chunking mode) {
  std::lock_guard<std::mutex> lk(mu_);
  chunking_ = mode;
}

void event_stream::split_next(std::vector<std::size_t> offsets) {
  std::lock_guard<std::mutex> lk(mu_);
  split_next_ = std::move(offsets);
}

void event_stream::corrupt_next() {
  std::lock_guard<std::mutex> lk(mu_);
  corrupt_next_ = true;
}

void event_stream::oversized_length_next() {
  std::lock_guard<std::mutex> lk(mu_);
  oversized_next_ = true;
  cv_.notify_all();
}

bool event_stream::write_chunk(httplib::DataSink& sink, const char* data, std::size_t len) {
  if (len == 0)
    return true;
  // One write per chunk, so a chunk never reaches the client in pieces by accident.
  char head[32];
  int n = std::snprintf(head, sizeof head, "%zx\r\n", len);
  std::string chunk;
  chunk.reserve(static_cast<std::size_t>(n) + len + 2);
  chunk.append(head, static_cast<std::size_t>(n)).append(data, len).append("\r\n", 2);
  return sink.write(chunk.data(), chunk.size());
}

bool event_stream::write_record(httplib::DataSink& sink, record& r, chunking mode,
                                std::vector<std::size_t> splits, bool corrupt) {
  if (corrupt) {
    // Same length, garbage payload: framing stays valid, decoding must fail.
    auto payload_at = r.framed.find('\n') + 1;
    std::fill(r.framed.begin() + static_cast<std::ptrdiff_t>(payload_at), r.framed.end(), '\xff');
  }
  const auto& s = r.framed;
  if (mode == chunking::byte_per_chunk) {
    for (std::size_t i = 0; i < s.size(); ++i)
      if (!write_chunk(sink, s.data() + i, 1))
        return false;
    return true;
  }
  splits.erase(std::remove_if(splits.begin(), splits.end(),
                              [&](std::size_t o) { return o == 0 || o >= s.size(); }),
               splits.end());
  std::sort(splits.begin(), splits.end());
  splits.erase(std::unique(splits.begin(), splits.end()), splits.end());
  splits.push_back(s.size());
  std::size_t from = 0;
  for (auto to : splits) {
    if (!write_chunk(sink, s.data() + from, to - from))
      return false;
    from = to;
  }
  return true;
}

bool event_stream::provide(httplib::DataSink& sink, std::chrono::milliseconds slice) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, slice, [&] {
    return closing_ || oversized_next_ || (!paused_ && !queue_.empty());
  });
  if (drop_) {
    ended_ = true;
    return false;
  }
  if (oversized_next_) {
    oversized_next_ = false;
    paused_ = true; // nothing sane can follow a broken length
    static constexpr char huge[] = "99999999999999999999\n";
    lk.unlock();
    if (!write_chunk(sink, huge, sizeof huge - 1)) {
      ended_ = true;
      return false;
    }
    return true;
  }
  while (!paused_ && !queue_.empty()) {
    auto r = std::move(queue_.front());
    queue_.pop_front();
    auto mode = chunking_;
    auto splits = std::move(split_next_);
    split_next_.clear();
    bool corrupt = std::exchange(corrupt_next_, false);
    lk.unlock();
    bool ok = write_record(sink, r, mode, std::move(splits), corrupt);
    if (ok && on_written_)
      on_written_(r.event, r.queued);
    lk.lock();
    if (!ok) {
      ended_ = true;
      return false;
    }
  }
  if (closing_ && (paused_ || queue_.empty())) {
    ended_ = true;
    if (close_mode_ == close_mode::abrupt) {
      // A chunk header promising more bytes than follow, then the socket closes.
      static constexpr char partial[] = "10\r\n7\n{\"ty";
      lk.unlock();
      sink.write(partial, sizeof partial - 1);
      return false;
    }
    lk.unlock();
    sink.write("0\r\n\r\n", 5);
    sink.done();
    return true;
  }
  if (!sink.is_writable()) {
    ended_ = true; // the client went away
    return false;
  }
  return true;
}

} // namespace mesos_actor::sim
