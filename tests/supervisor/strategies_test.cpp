// Each strategy x restart type x exit kind, with three workers a, b, c where b
// has the restart type under test and ends with the exit kind under test.

#include <doctest/doctest.h>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

namespace {

enum class exit_kind { normal, abnormal, shutdown };

caf::error reason_of(exit_kind k) {
  switch (k) {
    case exit_kind::normal: return {};
    case exit_kind::abnormal: return crash_reason();
    case exit_kind::shutdown: return caf::make_error(caf::exit_reason::user_shutdown);
  }
  return {};
}

std::string name_of(exit_kind k) {
  switch (k) {
    case exit_kind::normal: return "normal";
    case exit_kind::abnormal: return "abnormal";
    case exit_kind::shutdown: return "shutdown";
  }
  return "?";
}

std::string name_of(strategy s) {
  switch (s) {
    case strategy::one_for_one: return "one_for_one";
    case strategy::one_for_all: return "one_for_all";
    case strategy::rest_for_one: return "rest_for_one";
    default: return "simple_one_for_one";
  }
}

std::string name_of(restart_type r) {
  switch (r) {
    case restart_type::permanent: return "permanent";
    case restart_type::transient: return "transient";
    default: return "temporary";
  }
}

bool restarted(restart_type r, exit_kind k) {
  return r == restart_type::permanent || (r == restart_type::transient && k == exit_kind::abnormal);
}

// The log lines a restart of b produces, in order, after b's own "exit:b".
std::vector<std::string> expected_restart_lines(strategy s) {
  switch (s) {
    case strategy::one_for_all: return {"exit:c", "exit:a", "start:a", "start:b", "start:c"};
    case strategy::rest_for_one: return {"exit:c", "start:b", "start:c"};
    default: return {"start:b"};
  }
}

void run_case(strategy s, restart_type r, exit_kind k) {
  CAPTURE(name_of(s));
  CAPTURE(name_of(r));
  CAPTURE(name_of(k));
  fixture fx;
  auto sup = fx.start(fx.flags(s), {worker_spec(fx.rec, "a"), worker_spec(fx.rec, "b", r),
                                    worker_spec(fx.rec, "c")});
  REQUIRE(sup);
  CHECK(joined(fx.rec->lines()) == "start:a, start:b, start:c");
  auto a0 = fx.child(sup, "a");
  auto b0 = fx.child(sup, "b");
  auto c0 = fx.child(sup, "c");
  REQUIRE(b0);
  auto mark = fx.rec->lines().size();
  fx.make_exit(b0, reason_of(k));
  REQUIRE(fx.rec->wait_event(event_kind::child_exited, "b"));
  auto exited = fx.rec->events();
  for (auto& ev : exited)
    if (ev.kind == event_kind::child_exited && ev.child_id == "b")
      CHECK(ev.reason == reason_of(k));
  if (restarted(r, k)) {
    auto last = s == strategy::one_for_one ? "b" : "c";
    REQUIRE(fx.rec->wait_event(event_kind::child_restarted, last));
    auto want = expected_restart_lines(s);
    want.insert(want.begin(), "exit:b");
    CHECK(joined(fx.rec->lines_since(mark)) == joined(want));
    auto b1 = fx.info(sup, "b");
    REQUIRE(b1);
    CHECK(b1->status == child_status::running);
    CHECK(b1->actor != b0);
    CHECK(b1->restart_count == 1);
    CHECK(b1->last_exit_reason == reason_of(k));
    // Children outside the strategy's reach keep their actor.
    CHECK((fx.child(sup, "a") == a0) == (s != strategy::one_for_all));
    CHECK((fx.child(sup, "c") == c0) == (s == strategy::one_for_one));
  } else {
    // which_children is answered after the exit was handled (mailbox order).
    auto kids = which_children(fx.sys, sup, wait_bound);
    REQUIRE(kids);
    CHECK(joined(fx.rec->lines_since(mark)) == "exit:b");
    CHECK(fx.child(sup, "a") == a0);
    CHECK(fx.child(sup, "c") == c0);
    if (r == restart_type::temporary) {
      CHECK(kids->size() == 2); // its spec is gone
      CHECK_FALSE(fx.info(sup, "b"));
    } else {
      auto b1 = fx.info(sup, "b");
      REQUIRE(b1);
      CHECK(b1->status == child_status::stopped);
      CHECK_FALSE(b1->actor);
      CHECK(b1->last_exit_reason == reason_of(k));
      CHECK(b1->restart_count == 0);
    }
    CHECK(fx.rec->count(event_kind::child_restarted) == 0);
  }
  // The supervisor is still alive and answers.
  auto counts = count_children(fx.sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->workers == counts->specs);
}

} // namespace

TEST_CASE("strategy x restart type x exit kind") {
  for (auto s : {strategy::one_for_one, strategy::one_for_all, strategy::rest_for_one})
    for (auto r : {restart_type::permanent, restart_type::transient, restart_type::temporary})
      for (auto k : {exit_kind::normal, exit_kind::abnormal, exit_kind::shutdown})
        run_case(s, r, k);
}

TEST_CASE_FIXTURE(fixture, "one_for_all and rest_for_one drop temporary siblings instead of restarting them") {
  auto sup = start(flags(strategy::one_for_all),
                   {worker_spec(rec, "a", restart_type::temporary), worker_spec(rec, "b"),
                    worker_spec(rec, "c", restart_type::temporary)});
  REQUIRE(sup);
  make_exit(child(sup, "b"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "b"));
  auto kids = which_children(sys, sup, wait_bound);
  REQUIRE(kids);
  REQUIRE(kids->size() == 1);
  CHECK(kids->front().id == "b");
  CHECK(rec->occurrences("start:a") == 1);
  CHECK(rec->occurrences("start:c") == 1);
  CHECK(rec->occurrences("exit:a") == 1);
  CHECK(rec->occurrences("exit:c") == 1);
}

TEST_CASE_FIXTURE(fixture, "rest_for_one: the last child's crash restarts only itself") {
  auto sup = start(flags(strategy::rest_for_one),
                   {worker_spec(rec, "a"), worker_spec(rec, "b"), worker_spec(rec, "c")});
  REQUIRE(sup);
  auto a0 = child(sup, "a");
  auto b0 = child(sup, "b");
  make_exit(child(sup, "c"), crash_reason());
  REQUIRE(rec->wait_event(event_kind::child_restarted, "c"));
  CHECK(child(sup, "a") == a0);
  CHECK(child(sup, "b") == b0);
  CHECK(rec->count(event_kind::child_restarted) == 1);
}

TEST_CASE_FIXTURE(fixture, "a child killed from outside (exit_reason::kill) is restarted") {
  auto sup = start(flags(), {worker_spec(rec, "a", restart_type::transient)});
  REQUIRE(sup);
  caf::anon_send_exit(child(sup, "a"), caf::exit_reason::kill);
  REQUIRE(rec->wait_event(event_kind::child_restarted, "a"));
  auto a = info(sup, "a");
  REQUIRE(a);
  CHECK(a->last_exit_reason == caf::exit_reason::kill);
}
