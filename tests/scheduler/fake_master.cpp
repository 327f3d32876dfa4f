#include "scheduler/fake_master.hpp"

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace test {

using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;

fake_master::fake_master(mesos_actor::content_type ct, std::vector<Event> events)
  : ct_(ct), events_(std::move(events)) {
  server_.Post("/api/v1/scheduler", [this](const httplib::Request& req, httplib::Response& res) {
    Call call;
    if (mesos_actor::decode(req.body, ct_, call)) {
      res.status = 400;
      return;
    }
    if (call.type() != Call::SUBSCRIBE) {
      {
        std::lock_guard<std::mutex> guard{mtx_};
        calls_.push_back(call);
      }
      cv_.notify_all();
      res.status = 202;
      return;
    }
    res.set_header("Mesos-Stream-Id", "fake-stream");
    std::string body;
    Event subscribed;
    subscribed.set_type(Event::SUBSCRIBED);
    subscribed.mutable_subscribed()->mutable_framework_id()->set_value("fake-fw");
    subscribed.mutable_subscribed()->set_heartbeat_interval_seconds(1);
    mesos_actor::recordio_append(body, mesos_actor::encode(subscribed, ct_));
    for (auto& e : events_)
      mesos_actor::recordio_append(body, mesos_actor::encode(e, ct_));
    res.set_chunked_content_provider(
      std::string{mesos_actor::media_type(ct_)},
      [this, body](size_t offset, httplib::DataSink& sink) {
        if (offset == 0) {
          sink.write(body.data(), body.size());
          return true;
        }
        // Keep the stream open (heartbeats are not needed within a test's time).
        for (int i = 0; i < 10 && !stopping_; ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (stopping_) {
          sink.done();
          return true;
        }
        return sink.is_writable();
      });
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  // bind_to_any_port already listens, so clients may connect before the loop runs.
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

fake_master::~fake_master() {
  stopping_ = true;
  server_.stop();
  thread_.join();
}

std::string fake_master::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<Call> fake_master::calls() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return calls_;
}

bool fake_master::wait_calls(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{mtx_};
  return cv_.wait_for(lock, timeout, [&] { return calls_.size() >= n; });
}

} // namespace test
