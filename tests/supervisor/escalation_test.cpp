// Restart intensity at the boundary, escalation through nested supervisors,
// and failed restarts counting towards the intensity.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

TEST_CASE_FIXTURE(fixture, "max_restarts restarts are fine; one more escalates and stops the children in reverse order") {
  auto f = flags(strategy::one_for_one, 3);
  f.name = "boundary";
  auto sup = start(f, {worker_spec(rec, "a"), worker_spec(rec, "b"), worker_spec(rec, "c")});
  REQUIRE(sup);
  for (std::size_t i = 1; i <= 3; ++i) {
    make_exit(child(sup, "b"), crash_reason());
    REQUIRE(rec->wait_event(event_kind::child_restarted, "b", i));
  }
  auto b = info(sup, "b");
  REQUIRE(b);
  CHECK(b->restart_count == 3);
  auto mark = rec->lines().size();
  make_exit(child(sup, "b"), crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
  CHECK(describe(*reason).find("'boundary'") != std::string::npos);
  CHECK(joined(rec->lines_since(mark)) == "exit:b, exit:c, exit:a");
  CHECK(rec->count(event_kind::intensity_reached, "b") == 1);
  CHECK(rec->count(event_kind::supervisor_stopping) == 1);
}

TEST_CASE_FIXTURE(fixture, "max_restarts 0: the first crash escalates") {
  auto sup = start(flags(strategy::one_for_one, 0), {worker_spec(rec, "a")});
  REQUIRE(sup);
  make_exit(child(sup, "a"), crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
  CHECK(rec->count(event_kind::child_restarted) == 0);
}

TEST_CASE_FIXTURE(fixture, "exits that are not restarted do not count towards the intensity") {
  auto sup = start(flags(strategy::one_for_one, 0),
                   {worker_spec(rec, "t", restart_type::transient),
                    worker_spec(rec, "tmp", restart_type::temporary), worker_spec(rec, "p")});
  REQUIRE(sup);
  make_exit(child(sup, "t"), caf::make_error(caf::exit_reason::user_shutdown));
  make_exit(child(sup, "tmp"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_exited, "t"));
  REQUIRE(rec->wait_event(event_kind::child_exited, "tmp"));
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->specs == 2);
  CHECK(counts->active == 1);
}

TEST_CASE_FIXTURE(fixture, "the default intensity (1 in 5 s) allows one restart, then escalates") {
  sup_flags f; // OTP defaults
  f.on_event = rec->listener();
  auto sup = start(f, {worker_spec(rec, "a")});
  REQUIRE(sup);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a"));
  make_exit(child(sup, "a"), crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
}

TEST_CASE_FIXTURE(fixture, "nested trees: a sub-supervisor that gives up is restarted by its parent, which gives up in turn") {
  auto sub_flags = flags(strategy::one_for_one, 0);
  sub_flags.name = "sub";
  auto root_flags = flags(strategy::one_for_one, 1);
  root_flags.name = "root";
  auto sup = start(root_flags, {worker_spec(rec, "first"),
                                supervisor_child_spec("sub", sub_flags, {worker_spec(rec, "w")}),
                                worker_spec(rec, "last")});
  REQUIRE(sup);
  CHECK(joined(rec->lines()) == "start:first, start:w, start:last");
  auto sub0 = child(sup, "sub");
  REQUIRE(sub0);
  auto kids = which_children(sys, sub0, wait_bound);
  REQUIRE(kids);
  REQUIRE(kids->size() == 1);
  // w crashes: sub exceeds its intensity 0 and exits; root restarts sub, which starts w again.
  make_exit(kids->front().actor, crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "sub", 1, "root"));
  auto sub_info = info(sup, "sub");
  REQUIRE(sub_info);
  CHECK(sub_info->kind == child_kind::supervisor);
  CHECK(is(sub_info->last_exit_reason, sup_error::reached_max_restart_intensity));
  CHECK(sub_info->actor != sub0);
  CHECK(rec->occurrences("start:w") == 2);
  CHECK(rec->occurrences("exit:first") == 0); // one_for_one: siblings untouched
  // Again: root's intensity (1) is now exceeded, so root stops everything and exits.
  auto w1 = child(sub_info->actor, "w");
  REQUIRE(w1);
  make_exit(w1, crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
  CHECK(describe(*reason).find("'root'") != std::string::npos);
  CHECK(rec->occurrences("exit:first") == 1);
  CHECK(rec->occurrences("exit:last") == 1);
  CHECK(rec->occurrences("exit:w") == 2);
}

TEST_CASE_FIXTURE(fixture, "a failed restart is retried via the mailbox and counts towards the intensity") {
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup = start(flags(strategy::one_for_one, 5),
                   {worker_spec(rec, "a", restart_type::permanent, {}, failures)});
  REQUIRE(sup);
  failures->store(2); // the next two starts fail
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a"));
  CHECK(rec->count(event_kind::child_start_failed, "a") == 2);
  CHECK(rec->occurrences("failstart:a") == 2);
  auto a = info(sup, "a");
  REQUIRE(a);
  CHECK(a->status == child_status::running);
  // Three restart attempts were counted (1 crash + 2 retries): two more fit in 5, the third not.
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a", 2));
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a", 3));
  make_exit(child(sup, "a"), crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
}

TEST_CASE_FIXTURE(fixture, "a restart that keeps failing escalates instead of looping") {
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup = start(flags(strategy::one_for_one, 3),
                   {worker_spec(rec, "a", restart_type::permanent, {}, failures)});
  REQUIRE(sup);
  failures->store(1000);
  make_exit(child(sup, "a"), crash_reason());
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(is(*reason, sup_error::reached_max_restart_intensity));
  CHECK(rec->occurrences("failstart:a") == 3); // 1 restart + 2 retries allowed, the 4th gives up
}

TEST_CASE_FIXTURE(fixture, "a shutdown request is served while restarts keep failing") {
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup = start(flags(strategy::one_for_one, 1000000),
                   {worker_spec(rec, "ok"), worker_spec(rec, "a", restart_type::permanent, {}, failures)});
  REQUIRE(sup);
  failures->store(1 << 30);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_line("failstart:a"));
  auto reason = stop_supervisor(sys, sup, wait_bound);
  CHECK(reason == caf::exit_reason::user_shutdown);
  CHECK(rec->occurrences("exit:ok") == 1);
  auto tried = rec->occurrences("failstart:a");
  CHECK(tried >= 1);
  CHECK(tried < 1000000); // it stopped retrying
}

TEST_CASE_FIXTURE(fixture, "one_for_all: a failed restart leaves the rest restarting until the retry succeeds") {
  auto failures = std::make_shared<std::atomic<int>>(0);
  auto sup = start(flags(strategy::one_for_all, 10),
                   {worker_spec(rec, "a"), worker_spec(rec, "b", restart_type::permanent, {}, failures),
                    worker_spec(rec, "c")});
  REQUIRE(sup);
  failures->store(1);
  make_exit(child(sup, "a"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "c"));
  auto kids = which_children(sys, sup, wait_bound);
  REQUIRE(kids);
  for (auto& k : *kids)
    CHECK(k.status == child_status::running);
  CHECK(rec->occurrences("failstart:b") == 1);
  // Retried one_for_all: a was started twice after the crash (first round and retry round).
  CHECK(rec->occurrences("start:a") == 3);
  CHECK(rec->occurrences("start:c") == 2);
}
