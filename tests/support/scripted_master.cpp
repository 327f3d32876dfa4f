#include "support/scripted_master.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <httplib.h>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace test {

using mesos::v1::scheduler::Call;
using mesos::v1::scheduler::Event;
using namespace std::chrono_literals;

struct scripted_master::impl {
  mesos_actor::content_type ct;
  std::string body; // SUBSCRIBED + the scripted records, RecordIO-framed
  httplib::Server server;
  int port = 0;
  std::thread thread;
  std::atomic<bool> stopping{false};
  mutable std::mutex mtx;
  std::condition_variable cv;
  std::vector<Call> calls;

  impl(mesos_actor::content_type ct, const std::string& records, const scripted_master_options& opts)
    : ct(ct) {
    Event subscribed;
    subscribed.set_type(Event::SUBSCRIBED);
    subscribed.mutable_subscribed()->mutable_framework_id()->set_value(opts.framework_id);
    subscribed.mutable_subscribed()->set_heartbeat_interval_seconds(opts.heartbeat_interval_seconds);
    body = mesos_actor::recordio_encode(mesos_actor::encode(subscribed, ct)) + records;
    server.Post("/api/v1/scheduler", [this](const httplib::Request& req, httplib::Response& res) {
      answer(req, res);
    });
    server.set_tcp_nodelay(true); // chunk framing is written in small pieces
    port = server.bind_to_any_port("127.0.0.1");
    // bind_to_any_port already listens, so clients may connect before the loop runs.
    thread = std::thread([this] { server.listen_after_bind(); });
  }

  ~impl() {
    stopping = true;
    server.stop();
    thread.join();
  }

  void answer(const httplib::Request& req, httplib::Response& res) {
    Call call;
    if (mesos_actor::decode(req.body, ct, call)) {
      res.status = 400;
      return;
    }
    if (call.type() != Call::SUBSCRIBE) {
      {
        std::lock_guard<std::mutex> guard{mtx};
        calls.push_back(call);
      }
      cv.notify_all();
      res.status = 202;
      return;
    }
    res.set_header("Mesos-Stream-Id", "fake-stream");
    res.set_chunked_content_provider(
      std::string{mesos_actor::media_type(ct)}, [this](size_t offset, httplib::DataSink& sink) {
        if (offset == 0) {
          constexpr std::size_t piece = 64 * 1024;
          for (std::size_t at = 0; at < body.size(); at += piece)
            if (!sink.write(body.data() + at, std::min(piece, body.size() - at)))
              return false;
          return true;
        }
        // Hold the stream open until the master goes away.
        std::this_thread::sleep_for(10ms);
        if (stopping) {
          sink.done();
          return true;
        }
        return sink.is_writable();
      });
  }
};

namespace {

std::string framed(mesos_actor::content_type ct, const std::vector<Event>& events) {
  std::string out;
  for (auto& e : events)
    mesos_actor::recordio_append(out, mesos_actor::encode(e, ct));
  return out;
}

} // namespace

scripted_master::scripted_master(mesos_actor::content_type ct, const std::vector<Event>& events,
                                 scripted_master_options opts)
  : scripted_master(ct, framed(ct, events), std::move(opts)) {}

scripted_master::scripted_master(mesos_actor::content_type ct, std::string records,
                                 scripted_master_options opts)
  : impl_(std::make_unique<impl>(ct, records, opts)) {}

scripted_master::~scripted_master() = default;

std::string scripted_master::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<Call> scripted_master::calls() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->calls;
}

bool scripted_master::wait_calls(std::size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{impl_->mtx};
  return impl_->cv.wait_for(lock, timeout, [&] { return impl_->calls.size() >= n; });
}

} // namespace test
