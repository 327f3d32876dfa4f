// Orderly shutdown: reverse start order, grace periods, brutal_kill, infinity,
// nested trees, and a supervisor that is killed taking its children along.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;
using namespace std::chrono_literals;

namespace {

child_spec with_shutdown(child_spec spec, shutdown_spec sd) {
  spec.shutdown = sd;
  return spec;
}

worker_options stubborn() {
  worker_options opts;
  opts.ignore_shutdown = true;
  return opts;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "stop_supervisor stops the children in reverse start order") {
  auto sup = start(flags(), {worker_spec(rec, "a"), worker_spec(rec, "b"), worker_spec(rec, "c"),
                             worker_spec(rec, "d")});
  REQUIRE(sup);
  auto mark = rec->lines().size();
  auto reason = stop_supervisor(sys, sup, wait_bound);
  CHECK(reason == caf::exit_reason::user_shutdown);
  CHECK(joined(rec->lines_since(mark)) == "exit:d, exit:c, exit:b, exit:a");
  CHECK(rec->count(event_kind::child_stopped) == 4);
  for (auto& ev : rec->events())
    if (ev.kind == event_kind::child_stopped)
      CHECK(ev.reason == caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(fixture, "an exit request with any reason stops the children and ends the supervisor with that reason") {
  auto sup = start(flags(), {worker_spec(rec, "a"), worker_spec(rec, "b")});
  REQUIRE(sup);
  caf::anon_send_exit(sup, caf::exit_reason::unhandled_exception);
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(*reason == caf::exit_reason::unhandled_exception);
  CHECK(joined(rec->lines()) == "start:a, start:b, exit:b, exit:a");
}

TEST_CASE_FIXTURE(fixture, "a child that ignores the stop request is killed after its grace period") {
  auto sup = start(flags(), {with_shutdown(worker_spec(rec, "polite"), shutdown_after(5000ms)),
                             with_shutdown(worker_spec(rec, "stubborn", restart_type::permanent,
                                                       stubborn()),
                                           shutdown_after(200ms))});
  REQUIRE(sup);
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(terminate_child(sys, sup, "stubborn", wait_bound));
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= 200ms);
  CHECK(took < 5s);
  auto st = info(sup, "stubborn");
  REQUIRE(st);
  CHECK(st->status == child_status::stopped);
  CHECK(st->last_exit_reason == caf::exit_reason::kill);
  t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(terminate_child(sys, sup, "polite", wait_bound));
  CHECK(std::chrono::steady_clock::now() - t0 < 4s); // it did not wait out its 5 s
  auto po = info(sup, "polite");
  REQUIRE(po);
  CHECK(po->last_exit_reason == caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(fixture, "brutal_kill kills at once, even a child that would stop politely") {
  auto sup = start(flags(), {with_shutdown(worker_spec(rec, "a"), brutal_kill()),
                             with_shutdown(worker_spec(rec, "s", restart_type::permanent,
                                                       stubborn()),
                                           brutal_kill())});
  REQUIRE(sup);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(stop_supervisor(sys, sup, wait_bound) == caf::exit_reason::user_shutdown);
  CHECK(std::chrono::steady_clock::now() - t0 < 4s);
  CHECK(joined(rec->lines()) == "start:a, start:s, exit:s, exit:a");
  for (auto& ev : rec->events())
    if (ev.kind == event_kind::child_stopped)
      CHECK(ev.reason == caf::exit_reason::kill);
}

TEST_CASE_FIXTURE(fixture, "shutdown infinity waits for the child's own exit") {
  auto sup = start(flags(), {with_shutdown(worker_spec(rec, "a"), shutdown_infinity())});
  REQUIRE(sup);
  CHECK_FALSE(terminate_child(sys, sup, "a", wait_bound));
  auto a = info(sup, "a");
  REQUIRE(a);
  CHECK(a->last_exit_reason == caf::exit_reason::user_shutdown);
}

TEST_CASE_FIXTURE(fixture, "shutdown of a stubborn child during supervisor shutdown is bounded by its timeout") {
  auto sup = start(flags(), {worker_spec(rec, "a"),
                             with_shutdown(worker_spec(rec, "s", restart_type::permanent,
                                                       stubborn()),
                                           shutdown_after(100ms))});
  REQUIRE(sup);
  CHECK(stop_supervisor(sys, sup, wait_bound) == caf::exit_reason::user_shutdown);
  CHECK(joined(rec->lines()) == "start:a, start:s, exit:s, exit:a");
}

TEST_CASE_FIXTURE(fixture, "stop_supervisor kills a supervisor that does not finish within the timeout") {
  auto sup = start(flags(), {worker_spec(rec, "a"),
                             with_shutdown(worker_spec(rec, "s", restart_type::permanent,
                                                       stubborn()),
                                           shutdown_infinity())});
  REQUIRE(sup);
  auto reason = stop_supervisor(sys, sup, 200ms);
  CHECK(reason == caf::exit_reason::kill);
  // The killed supervisor takes its children along.
  REQUIRE(rec->wait_line("exit:s"));
  REQUIRE(rec->wait_line("exit:a"));
}

TEST_CASE_FIXTURE(fixture, "nested trees shut down depth-first in reverse order") {
  auto sub = supervisor_child_spec("sub", flags(), {worker_spec(rec, "s1"), worker_spec(rec, "s2")});
  auto sup = start(flags(), {worker_spec(rec, "a"), sub, worker_spec(rec, "z")});
  REQUIRE(sup);
  CHECK(joined(rec->lines()) == "start:a, start:s1, start:s2, start:z");
  auto mark = rec->lines().size();
  CHECK(stop_supervisor(sys, sup, wait_bound) == caf::exit_reason::user_shutdown);
  CHECK(joined(rec->lines_since(mark)) == "exit:z, exit:s2, exit:s1, exit:a");
}

TEST_CASE_FIXTURE(fixture, "a supervisor killed outright takes its children (and grandchildren) along") {
  auto sub = supervisor_child_spec("sub", flags(), {worker_spec(rec, "s1")});
  auto sup = start(flags(), {worker_spec(rec, "a"), sub});
  REQUIRE(sup);
  caf::anon_send_exit(sup, caf::exit_reason::kill);
  auto reason = wait_down(sup);
  REQUIRE(reason);
  CHECK(*reason == caf::exit_reason::kill);
  REQUIRE(rec->wait_line("exit:a"));
  REQUIRE(rec->wait_line("exit:s1"));
}

TEST_CASE_FIXTURE(fixture, "a normal exit request is ignored, as in OTP") {
  auto sup = start(flags(), {worker_spec(rec, "a")});
  REQUIRE(sup);
  caf::anon_send_exit(sup, caf::exit_reason::normal);
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->active == 1);
}

TEST_CASE_FIXTURE(fixture, "a stray error message does not end the supervisor") {
  auto sup = start(flags(), {worker_spec(rec, "a")});
  REQUIRE(sup);
  caf::anon_send(sup, caf::make_error(caf::sec::runtime_error, std::string{"stray"}));
  caf::anon_send(sup, std::string{"unknown message"});
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->active == 1);
}
