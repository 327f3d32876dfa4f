#pragma once
// A scripted master for events the simulator cannot produce (inverse offers, executor
// messages and failures, operation updates, unknown event types): SUBSCRIBE gets a
// 200 stream carrying the given events, other calls get 202 and are recorded.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"

namespace test {

class fake_master {
public:
  /// `events` are sent in order after SUBSCRIBED (which the fake writes itself with
  /// framework id "fake-fw" and a 1 s heartbeat interval).
  fake_master(mesos_actor::content_type ct, std::vector<mesos::v1::scheduler::Event> events);
  ~fake_master();

  std::string url() const;
  /// Calls received (decoded), in order.
  std::vector<mesos::v1::scheduler::Call> calls() const;
  /// Waits until at least n calls were received.
  bool wait_calls(std::size_t n, std::chrono::milliseconds timeout);

private:
  mesos_actor::content_type ct_;
  std::vector<mesos::v1::scheduler::Event> events_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<mesos::v1::scheduler::Call> calls_;
};

} // namespace test
