// What the event listener reports, and forwarding events to an actor.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

TEST_CASE_FIXTURE(fixture, "events of a crash and restart carry name, child, reason and restart count") {
  auto f = flags();
  f.name = "events";
  auto sup = start(f, {worker_spec(rec, "a")});
  REQUIRE(sup);
  auto a0 = child(sup, "a");
  make_exit(a0, crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a"));
  auto evs = rec->events();
  REQUIRE(evs.size() == 3);
  CHECK(evs[0].kind == event_kind::child_started);
  CHECK(evs[0].child == a0);
  CHECK(evs[1].kind == event_kind::child_exited);
  CHECK(evs[1].child == a0);
  CHECK(evs[1].reason == crash_reason());
  CHECK(evs[1].restart_count == 0);
  CHECK(evs[2].kind == event_kind::child_restarted);
  CHECK(evs[2].child == child(sup, "a"));
  CHECK(evs[2].restart_count == 1);
  for (auto& ev : evs) {
    CHECK(ev.supervisor == "events");
    CHECK(ev.child_id == "a");
  }
  CHECK(to_string(event_kind::child_restarted) == "child_restarted");
}

TEST_CASE_FIXTURE(fixture, "a listener can forward events to an event-sink actor") {
  auto sink_log = std::make_shared<recorder>();
  auto sink = sys.spawn(
    [](caf::event_based_actor*, std::shared_ptr<recorder> out) -> caf::behavior {
      return {[=](const supervisor_event& ev) {
        out->log(to_string(ev.kind) + ":" + ev.child_id);
      }};
    },
    sink_log);
  auto f = flags();
  f.on_event = [sink](const supervisor_event& ev) { caf::anon_send(sink, ev); };
  auto sup = start(f, {worker_spec(rec, "a")});
  REQUIRE(sup);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(sink_log->wait_line("child_restarted:a"));
  CHECK(joined(sink_log->lines()) == "child_started:a, child_exited:a, child_restarted:a");
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
}
