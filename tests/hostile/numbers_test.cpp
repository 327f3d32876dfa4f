// Numbers off the wire that used to overflow a cast: SUBSCRIBED's heartbeat interval
// of 1e308, inf, NaN, negative or tiny. The scheduler uses a safe interval, says so in
// a warning naming the value, and a master that heartbeats normally stays connected.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "hostile/hostile_fixture.hpp"

using namespace hostile;

namespace {

// SUBSCRIBED with `interval`, then a HEARTBEAT every 50 ms while the client listens.
script heartbeating_master(double interval) {
  return [=](peer_connection& c) {
    while (auto r = c.read_request()) {
      if (scheduler_call(*r) != mesos::v1::scheduler::Call::SUBSCRIBE) {
        c.write(call_answer());
        continue;
      }
      auto ct = content_type::protobuf;
      if (!c.write(stream_head(ct) + chunk(record(subscribed(interval), ct))))
        return;
      while (!c.stopping() && c.write(chunk(record(heartbeat(), ct))))
        c.pause(50ms);
      return;
    }
  };
}

struct heartbeat_case {
  double interval;
  std::chrono::milliseconds used;
  bool warned;
};

} // namespace

TEST_CASE("an absurd heartbeat_interval_seconds is replaced, named in a warning, and harmless") {
  // fast_options: stream_read_timeout 5000 ms - heartbeat_timeout_window 300 ms.
  const std::chrono::milliseconds ceiling{4700};
  const double inf = std::numeric_limits<double>::infinity();
  const heartbeat_case cases[] = {
    {1e308, ceiling, true},
    {inf, ceiling, true},
    {-inf, ceiling, true},
    {std::nan(""), ceiling, true},
    {-1.0, ceiling, true},
    {0.0, ceiling, true},
    {1e-9, 1ms, false},
    {0.25, 250ms, false},
  };
  for (auto& hc : cases) {
    CAPTURE(hc.interval);
    scripted_peer peer{heartbeating_master(hc.interval)};
    scheduler_run run;
    run.spawn(run.options(peer, content_type::protobuf));
    REQUIRE(run.log->wait("registered", 5s));
    // The interval in use, as the "subscribed" log line reports it.
    REQUIRE(run.logs.wait_count("scheduler", "subscribed", 1, 5s));
    for (auto& e : run.logs.of("scheduler"))
      if (e.event == "subscribed") {
        auto* used = e.field("heartbeat_interval_ms");
        REQUIRE(used);
        CHECK(*used == std::to_string(hc.used.count()));
      }
    CHECK((run.logs.count("scheduler", "bad_heartbeat_interval") == 1) == hc.warned);
    if (hc.warned) {
      auto entries = run.logs.of("scheduler");
      auto it = std::find_if(entries.begin(), entries.end(),
                             [](auto& e) { return e.event == "bad_heartbeat_interval"; });
      REQUIRE(it != entries.end());
      CHECK(it->level == mesos_actor::log_level::warning);
      CHECK(it->message.find("heartbeat_interval_seconds") != std::string::npos);
    }
    // Heartbeats every 50 ms keep every one of these subscriptions up (the shortest
    // deadline, 1 ms + heartbeat_timeout_window, leaves 250 ms for a loaded machine).
    CHECK_FALSE(run.log->wait("disconnected", 1200ms));
    CHECK(subscribes(peer.requests()).size() == 1);
  }
}
