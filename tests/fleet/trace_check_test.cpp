// The double-subscription check of the fleet tests (trace_check.hpp) on traces built
// by hand: it finds what it must, and a fencing window excuses only what it covers.
#include <doctest/doctest.h>

#include "fleet/trace_check.hpp"

using namespace std::chrono_literals;
using namespace fleet_test;
using mesos::v1::scheduler::Event;
using mesos_actor::sim::event_record;

namespace {

event_record rec(const std::string& fid, const std::string& stream, Event::Type type,
                 trace_clock::time_point at, const std::string& error = {}) {
  event_record r;
  r.framework_id = fid;
  r.stream_id = stream;
  r.event.set_type(type);
  if (type == Event::ERROR)
    r.event.mutable_error()->set_message(error);
  r.time = at;
  r.queued = at;
  return r;
}

} // namespace

TEST_CASE("a clean failover (the old stream closed first) is no double subscription") {
  auto t0 = trace_clock::now();
  std::vector<event_record> trace{rec("F", "s1", Event::SUBSCRIBED, t0),
                                  rec("F", "s1", Event::HEARTBEAT, t0 + 1s),
                                  rec("F", "s2", Event::SUBSCRIBED, t0 + 3s),
                                  rec("F", "s2", Event::HEARTBEAT, t0 + 4s),
                                  rec("G", "g1", Event::SUBSCRIBED, t0 + 1s)};
  CHECK(double_subscriptions(trace).empty());
}

TEST_CASE("an older stream told \"Framework failed over\" was a second subscribed instance") {
  auto t0 = trace_clock::now();
  std::vector<event_record> trace{rec("F", "s1", Event::SUBSCRIBED, t0),
                                  rec("F", "s2", Event::SUBSCRIBED, t0 + 3s),
                                  rec("F", "s1", Event::ERROR, t0 + 3s, "Framework failed over"),
                                  rec("G", "g1", Event::SUBSCRIBED, t0),
                                  rec("G", "g1", Event::ERROR, t0 + 5s, "Framework failed over")};
  auto found = double_subscriptions(trace);
  REQUIRE(found.size() == 1);
  CHECK(found[0].framework_id == "F");
  CHECK(found[0].old_stream == "s1");
  CHECK(found[0].new_stream == "s2");
  CHECK(found[0].at == t0 + 3s);
  // No window: it counts. A window over F around the new subscription excuses it;
  // one for another framework, one that ended before, or one that the old stream
  // began in (so not an owner that failed before the window) does not.
  CHECK(outside(found, {}).size() == 1);
  CHECK(outside(found, {{{"F"}, t0 + 1s, t0 + 4s}}).empty());
  CHECK(outside(found, {{{"G"}, t0 + 1s, t0 + 4s}}).size() == 1);
  CHECK(outside(found, {{{"F"}, t0 + 1s, t0 + 2s}}).size() == 1);
  CHECK(outside(found, {{{"F"}, t0 - 1s, t0 + 4s}}).size() == 1); // s1 began inside it
  CHECK_FALSE(describe(found).empty());
}

TEST_CASE("events still sent to the older stream after the newer one subscribed count too") {
  auto t0 = trace_clock::now();
  std::vector<event_record> trace{rec("F", "s1", Event::SUBSCRIBED, t0),
                                  rec("F", "s2", Event::SUBSCRIBED, t0 + 2s),
                                  rec("F", "s1", Event::HEARTBEAT, t0 + 3s)};
  auto found = double_subscriptions(trace);
  REQUIRE(found.size() == 1);
  CHECK(found[0].old_stream == "s1");
}
