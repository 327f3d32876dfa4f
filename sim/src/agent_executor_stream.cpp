#include "agent_executor_stream.hpp"

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace mesos_actor::sim {

executor_stream::executor_stream(content_type encoding, std::size_t max_queued,
                                 written_fn on_written)
  : encoding_(encoding), max_queued_(max_queued), on_written_(std::move(on_written)) {
}

bool executor_stream::push(const mesos::v1::executor::Event& event) {
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (closing_ || dropped_)
      return false;
    if (queue_.size() >= max_queued_) {
      dropped_ = true;
      cv_.notify_all();
      return false;
    }
    queue_.push_back(event);
  }
  cv_.notify_all();
  return true;
}

void executor_stream::close() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    closing_ = true;
  }
  cv_.notify_all();
}

void executor_stream::drop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    dropped_ = true;
  }
  cv_.notify_all();
}

bool executor_stream::ended() const {
  std::lock_guard<std::mutex> lk(mu_);
  return ended_ || dropped_ || closing_;
}

bool executor_stream::provide(httplib::DataSink& sink, std::chrono::milliseconds slice) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, slice, [&] { return closing_ || dropped_ || !queue_.empty(); });
  if (dropped_) {
    ended_ = true;
    return false;
  }
  while (!queue_.empty()) {
    auto event = std::move(queue_.front());
    queue_.pop_front();
    lk.unlock();
    auto framed = recordio_encode(encode(event, encoding_));
    bool ok = sink.write(framed.data(), framed.size());
    if (ok && on_written_)
      on_written_(event);
    lk.lock();
    if (!ok) {
      ended_ = true;
      return false;
    }
  }
  if (closing_) {
    ended_ = true;
    lk.unlock();
    sink.done();
    return true;
  }
  return sink.is_writable();
}

} // namespace mesos_actor::sim
