#pragma once
// A minimal stand-in for a Mesos agent's executor endpoint on loopback HTTP, so the
// executor actor can be tested call by call: it records every Call, answers with
// configurable statuses, and lets the test push events into the open SUBSCRIBE
// stream, close it, or take the whole agent down and bring it back on the same port.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <mesos/v1/executor/executor.pb.h>

namespace test {

using namespace std::chrono_literals;

struct recorded_call {
  mesos::v1::executor::Call call;
  std::string path;
  std::string authorization;
  int status = 0;
};

class fake_agent {
public:
  fake_agent();
  ~fake_agent();

  int port() const { return port_; }
  /// MESOS_* variables pointing at this agent (checkpointing or not).
  std::map<std::string, std::string> environment(bool checkpoint) const;

  /// Stops serving (open streams end abruptly) / serves again on the same port.
  void stop();
  void start();

  /// Status for the next SUBSCRIBEs (200 = stream); 0 restores 200.
  void set_subscribe_status(int status);
  /// Status for UPDATE/MESSAGE calls.
  void set_call_status(int status);
  /// Whether a SUBSCRIBE gets SUBSCRIBED at once (default yes).
  void set_auto_subscribed(bool on);

  /// Writes an event on the current stream (queued if none is open yet).
  void push(const mesos::v1::executor::Event& event);
  /// Ends the current stream cleanly.
  void close_stream();

  std::vector<recorded_call> calls() const;
  std::vector<recorded_call> calls_of(mesos::v1::executor::Call::Type type) const;
  bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const;
  /// Number of streams opened so far.
  int streams() const;

private:
  void serve();
  void handle(const httplib::Request& req, httplib::Response& res);

  mutable std::mutex mtx_;
  mutable std::condition_variable cv_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  int subscribe_status_ = 200;
  int call_status_ = 202;
  bool auto_subscribed_ = true;
  bool stopping_ = false;
  int stream_generation_ = 0; // bumped to end the current stream
  int streams_ = 0;
  std::deque<mesos::v1::executor::Event> queue_;
  std::vector<recorded_call> calls_;
};

} // namespace test
