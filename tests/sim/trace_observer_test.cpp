// The trace observer: every record reaches it even when the trace keeps nothing, and
// an event's queued time tells when the master sent it apart from when it was written.
#include <doctest/doctest.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

namespace {
struct observed {
  std::mutex mu;
  std::vector<mesos_actor::sim::request_record> requests;
  std::vector<mesos_actor::sim::event_record> events;

  mesos_actor::sim::trace_observer observer() {
    mesos_actor::sim::trace_observer o;
    o.request = [this](const auto& r) { std::lock_guard<std::mutex> lk(mu); requests.push_back(r); };
    o.event = [this](const auto& r) { std::lock_guard<std::mutex> lk(mu); events.push_back(r); };
    return o;
  }
  std::size_t heartbeats() {
    std::lock_guard<std::mutex> lk(mu);
    return std::count_if(events.begin(), events.end(),
                         [](auto& e) { return e.event.type() == Event::HEARTBEAT; });
  }
};
} // namespace

TEST_CASE("trace observer: sees requests and events with max_trace_entries = 0") {
  observed seen;
  auto o = fast_options();
  o.agents = 0;
  o.max_trace_entries = 0;
  o.observe = seen.observer();
  cluster sim(o);
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call("observed"));
  REQUIRE(sub.next(Event::SUBSCRIBED));
  auto fid = sub.framework_id();
  REQUIRE(sim.wait_for([&] { return seen.heartbeats() >= 1; }, 5s));
  CHECK(sim.requests().empty()); // nothing kept
  CHECK(sim.events().empty());
  std::lock_guard<std::mutex> lk(seen.mu);
  REQUIRE_FALSE(seen.requests.empty());
  CHECK(seen.requests[0].call->type() == Call::SUBSCRIBE);
  CHECK(seen.requests[0].status == 200);
  REQUIRE_FALSE(seen.events.empty());
  CHECK(seen.events[0].event.type() == Event::SUBSCRIBED);
  CHECK(seen.events[0].framework_id == fid);
  CHECK(seen.events[0].queued <= seen.events[0].time);
}

TEST_CASE("trace observer: events held back by a paused stream were queued before they were written") {
  observed seen;
  auto o = fast_options();
  o.agents = 0;
  o.observe = seen.observer();
  cluster sim(o);
  sim.start();
  subscription sub(sim.master_urls()[0], subscribe_call("paused"));
  REQUIRE(sub.next(Event::SUBSCRIBED));
  auto fid = sub.framework_id();
  sim.faults().pause_stream(fid);
  auto paused_at = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(o.heartbeat_interval * 3); // heartbeats pile up unwritten
  auto before = seen.heartbeats();
  sim.faults().resume_stream(fid);
  REQUIRE(sim.wait_for([&] { return seen.heartbeats() >= before + 2; }, 5s));
  std::lock_guard<std::mutex> lk(seen.mu);
  std::size_t held = 0;
  for (const auto& e : seen.events)
    if (e.event.type() == Event::HEARTBEAT && e.queued > paused_at && e.queued < e.time - o.heartbeat_interval)
      ++held;
  CHECK(held >= 1);
  // The trace keeps the queued time too.
  auto kept = sim.events(fid);
  REQUIRE_FALSE(kept.empty());
  CHECK(kept.back().queued <= kept.back().time);
}
