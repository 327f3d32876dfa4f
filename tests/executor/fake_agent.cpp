#include "executor/fake_agent.hpp"

#include <stdexcept>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace test {

using mesos::v1::executor::Call;
using mesos::v1::executor::Event;

fake_agent::fake_agent() {
  start();
}

fake_agent::~fake_agent() {
  stop();
}

std::map<std::string, std::string> fake_agent::environment(bool checkpoint) const {
  std::map<std::string, std::string> env{
    {"MESOS_FRAMEWORK_ID", "fw-1"},
    {"MESOS_EXECUTOR_ID", "exec-1"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + std::to_string(port_)},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:" + std::to_string(port_)},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", checkpoint ? "1" : "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "2secs"},
  };
  if (checkpoint) {
    env["MESOS_RECOVERY_TIMEOUT"] = "5secs";
    env["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "50ms";
  }
  return env;
}

void fake_agent::start() {
  std::unique_lock<std::mutex> guard{mtx_};
  stopping_ = false;
  server_ = std::make_unique<httplib::Server>();
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
  server_->Post("/slave\\(1\\)/api/v1/executor", handler);
  server_->Post("/api/v1/executor", handler);
  if (port_ == 0) {
    port_ = server_->bind_to_any_port("127.0.0.1");
  } else if (!server_->bind_to_port("127.0.0.1", port_)) {
    throw std::runtime_error("fake agent cannot bind its port again");
  }
  if (port_ <= 0)
    throw std::runtime_error("fake agent cannot bind");
  thread_ = std::thread{[srv = server_.get()] { srv->listen_after_bind(); }};
  // stop() is a no-op until the server runs, so do not return before it does.
  auto* srv = server_.get();
  guard.unlock();
  while (!srv->is_running())
    std::this_thread::sleep_for(1ms);
}

void fake_agent::stop() {
  std::unique_ptr<httplib::Server> server;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!server_)
      return;
    stopping_ = true;
    ++stream_generation_;
    server = std::move(server_);
  }
  cv_.notify_all();
  server->stop();
  if (thread_.joinable())
    thread_.join();
}

void fake_agent::set_subscribe_status(int status) {
  std::lock_guard<std::mutex> guard{mtx_};
  subscribe_status_ = status == 0 ? 200 : status;
}

void fake_agent::set_call_status(int status) {
  std::lock_guard<std::mutex> guard{mtx_};
  call_status_ = status;
}

void fake_agent::set_auto_subscribed(bool on) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto_subscribed_ = on;
}

void fake_agent::push(const Event& event) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    queue_.push_back(event);
  }
  cv_.notify_all();
}

void fake_agent::close_stream() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    ++stream_generation_;
  }
  cv_.notify_all();
}

std::vector<recorded_call> fake_agent::calls() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return calls_;
}

std::vector<recorded_call> fake_agent::calls_of(Call::Type type) const {
  std::vector<recorded_call> out;
  for (auto& c : calls())
    if (c.call.type() == type)
      out.push_back(c);
  return out;
}

bool fake_agent::wait_for(const std::function<bool()>& pred,
                          std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock<std::mutex> guard{mtx_};
  while (true) {
    guard.unlock();
    bool ok = pred();
    guard.lock();
    if (ok)
      return true;
    if (cv_.wait_until(guard, std::min(deadline, std::chrono::steady_clock::now() + 20ms))
          == std::cv_status::timeout
        && std::chrono::steady_clock::now() >= deadline) {
      guard.unlock(); // pred takes the lock itself (calls_of)
      return pred();
    }
  }
}

int fake_agent::streams() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return streams_;
}

void fake_agent::handle(const httplib::Request& req, httplib::Response& res) {
  recorded_call rec;
  rec.path = req.path;
  rec.authorization = req.get_header_value("Authorization");
  auto type = mesos_actor::parse_content_type(req.get_header_value("Content-Type"));
  if (!type || mesos_actor::decode(req.body, *type, rec.call)) {
    res.status = 400;
    return;
  }
  std::unique_lock<std::mutex> guard{mtx_};
  bool subscribe = rec.call.type() == Call::SUBSCRIBE;
  rec.status = subscribe ? subscribe_status_ : (rec.call.type() == Call::HEARTBEAT ? 202 : call_status_);
  res.status = rec.status;
  calls_.push_back(rec);
  cv_.notify_all();
  if (!subscribe || rec.status != 200)
    return;
  int generation = ++stream_generation_; // a new stream ends the older one
  ++streams_;
  if (auto_subscribed_) {
    Event subscribed;
    subscribed.set_type(Event::SUBSCRIBED);
    auto* s = subscribed.mutable_subscribed();
    s->mutable_executor_info()->mutable_executor_id()->set_value("exec-1");
    s->mutable_framework_info()->set_user("test");
    s->mutable_framework_info()->set_name("fw");
    s->mutable_agent_info()->set_hostname("localhost");
    s->mutable_agent_info()->mutable_id()->set_value("agent-1");
    queue_.push_front(subscribed);
  }
  guard.unlock();
  res.set_chunked_content_provider(
    "application/x-protobuf", [this, generation](size_t, httplib::DataSink& sink) {
      std::unique_lock<std::mutex> lock{mtx_};
      cv_.wait_for(lock, 50ms, [&] {
        return !queue_.empty() || stream_generation_ != generation || stopping_;
      });
      if (stopping_)
        return false; // abrupt end
      if (stream_generation_ != generation) {
        lock.unlock();
        sink.done();
        return true;
      }
      std::string out;
      while (!queue_.empty()) {
        mesos_actor::recordio_append(
          out, mesos_actor::encode(queue_.front(), mesos_actor::content_type::protobuf));
        queue_.pop_front();
      }
      lock.unlock();
      if (!out.empty())
        return sink.write(out.data(), out.size());
      return sink.is_writable();
    });
}

} // namespace test
