#pragma once
// A scripted Mesos master over loopback HTTP, for events the simulator cannot produce
// (inverse offers, executor messages and failures, operation updates, unknown event
// types) and for streams of any size written as fast as the socket takes them (the
// scheduler benchmark): every SUBSCRIBE gets a 200 stream carrying SUBSCRIBED and then
// the scripted records, held open until the master is destroyed; other calls are
// recorded and get 202 (400 when they do not decode). Its cpp-httplib 0.11 server drops
// pipelined requests (those after the first in one read): clients of it must send one
// call at a time (scheduler_options::max_pipelined_calls = 1).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"

namespace test {

struct scripted_master_options {
  std::string framework_id = "fake-fw"; ///< in the SUBSCRIBED the master writes first
  /// In SUBSCRIBED. The master sends no heartbeats: a run longer than this plus the
  /// scheduler's heartbeat_timeout_window needs a larger value.
  double heartbeat_interval_seconds = 1;
};

class scripted_master {
public:
  /// `events` are sent in order after SUBSCRIBED.
  scripted_master(mesos_actor::content_type ct, const std::vector<mesos::v1::scheduler::Event>& events,
                  scripted_master_options opts = {});
  /// `records` (RecordIO-framed events in `ct`) are written after SUBSCRIBED.
  scripted_master(mesos_actor::content_type ct, std::string records, scripted_master_options opts = {});
  ~scripted_master();
  scripted_master(const scripted_master&) = delete;
  scripted_master& operator=(const scripted_master&) = delete;

  std::string url() const;
  /// Calls received other than SUBSCRIBE (decoded), in order.
  std::vector<mesos::v1::scheduler::Call> calls() const;
  /// Waits until at least n such calls were received.
  bool wait_calls(std::size_t n, std::chrono::milliseconds timeout);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace test
