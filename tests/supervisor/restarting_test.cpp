// The "restarting" state between a failed restart and its retry. The event
// listener fires on the failure before the retry is queued, so requests it
// sends are answered while the child is still marked restarting.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

namespace {

// Records the replies it receives from the supervisor as text lines (errors
// answering an asynchronous message arrive at the error handler).
caf::behavior prober(caf::event_based_actor* self, std::shared_ptr<recorder> out) {
  self->set_error_handler([=](caf::error& err) { out->log("error:" + describe(err)); });
  return {
    [=](std::vector<child_info>& kids) {
      for (auto& k : kids)
        out->log("which:" + k.id + "=" + to_string(k.status));
    },
    [=](caf::actor&) { out->log("actor"); },
    [=](caf::ok_atom) { out->log("ok"); },
  };
}

} // namespace

TEST_CASE_FIXTURE(fixture, "while a restart is pending: status restarting, and restart_child/delete_child say so") {
  auto probe_log = std::make_shared<recorder>();
  auto probe = sys.spawn(prober, probe_log);
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup_handle = std::make_shared<caf::actor>();
  auto f = flags();
  auto r = rec;
  f.on_event = [=](const supervisor_event& ev) {
    r->event(ev);
    if (ev.kind == event_kind::child_start_failed && *sup_handle) {
      caf::send_as(probe, *sup_handle, which_children_atom::value);
      caf::send_as(probe, *sup_handle, restart_child_atom::value, std::string{"a"});
      caf::send_as(probe, *sup_handle, delete_child_atom::value, std::string{"a"});
    }
  };
  auto sup = start(f, {worker_spec(rec, "a", restart_type::permanent, {}, failures)});
  REQUIRE(sup);
  *sup_handle = sup;
  failures->store(1);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a"));
  REQUIRE(probe_log->wait_lines([](auto& ls) { return ls.size() >= 3; }));
  auto lines = probe_log->lines();
  CAPTURE(joined(lines));
  CHECK(lines[0] == "which:a=restarting");
  CHECK(lines[1].find("supervisor: restarting") != std::string::npos);
  CHECK(lines[2].find("supervisor: restarting") != std::string::npos);
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(fixture, "terminate_child cancels a pending restart") {
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup_handle = std::make_shared<caf::actor>();
  auto probe_log = std::make_shared<recorder>();
  auto probe = sys.spawn(prober, probe_log);
  auto f = flags();
  auto r = rec;
  f.on_event = [=](const supervisor_event& ev) {
    r->event(ev);
    if (ev.kind == event_kind::child_start_failed && *sup_handle)
      caf::send_as(probe, *sup_handle, terminate_child_atom::value, std::string{"a"});
  };
  auto sup = start(f, {worker_spec(rec, "a", restart_type::permanent, {}, failures)});
  REQUIRE(sup);
  *sup_handle = sup;
  failures->store(1);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(probe_log->wait_line("ok"));
  auto a = info(sup, "a"); // answered after the (now stale) retry message
  REQUIRE(a);
  CHECK(a->status == child_status::stopped);
  CHECK(rec->count(event_kind::child_restarted, "a") == 0);
  CHECK(rec->occurrences("start:a") == 1);
  caf::anon_send_exit(probe, caf::exit_reason::user_shutdown);
}
