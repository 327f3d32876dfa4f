#include "operator_stream.hpp"

#include <cstdio>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace mesos_actor::sim {

namespace {

bool write_chunk(httplib::DataSink& sink, const std::string& data) {
  char size[24];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return sink.write(size, static_cast<std::size_t>(n)) && sink.write(data.data(), data.size())
         && sink.write("\r\n", 2);
}

} // namespace

operator_stream::operator_stream(content_type encoding, std::size_t max_queued)
  : encoding_(encoding), max_queued_(max_queued) {}

bool operator_stream::push(const mesos::v1::master::Event& event) {
  std::string record;
  recordio_append(record, encode(event, encoding_));
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (dropped_ || ended_)
      return false;
    if (queue_.size() >= max_queued_) {
      dropped_ = true; // a subscriber that does not read is dead to the master
      cv_.notify_all();
      return false;
    }
    queue_.push_back(std::move(record));
  }
  cv_.notify_all();
  return true;
}

void operator_stream::drop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    dropped_ = true;
  }
  cv_.notify_all();
}

bool operator_stream::closed() const {
  std::lock_guard<std::mutex> lk(mu_);
  return dropped_ || ended_;
}

bool operator_stream::provide(httplib::DataSink& sink, std::chrono::milliseconds slice) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, slice, [&] { return dropped_ || !queue_.empty(); });
  while (!dropped_ && !queue_.empty()) {
    auto record = std::move(queue_.front());
    queue_.pop_front();
    lk.unlock();
    bool ok = write_chunk(sink, record);
    lk.lock();
    if (!ok) {
      ended_ = true;
      return false;
    }
  }
  if (dropped_) {
    ended_ = true;
    return false;
  }
  return true;
}

} // namespace mesos_actor::sim
