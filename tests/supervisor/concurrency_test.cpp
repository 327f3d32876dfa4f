// Many children started and stopped concurrently from several threads.

#include <doctest/doctest.h>

#include <thread>

#include "test_kit.hpp"

using namespace supervisor;
using namespace test_kit;

namespace {

constexpr int threads = 4;
constexpr int per_thread = 50;

} // namespace

TEST_CASE_FIXTURE(fixture, "concurrent start_child/terminate_child/delete_child from several threads") {
  auto sup = start(flags(), {worker_spec(rec, "anchor")});
  REQUIRE(sup);
  std::atomic<int> failures{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto id = "t" + std::to_string(t) + "-" + std::to_string(i);
        if (!start_child(sys, sup, worker_spec(rec, id), wait_bound))
          ++failures;
        if (i % 2 == 0)
          continue; // keep the even ones running
        if (terminate_child(sys, sup, id, wait_bound))
          ++failures;
        if (delete_child(sys, sup, id, wait_bound))
          ++failures;
        if (!which_children(sys, sup, wait_bound))
          ++failures;
      }
    });
  for (auto& th : pool)
    th.join();
  CHECK(failures == 0);
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->specs == 1 + threads * per_thread / 2);
  CHECK(counts->active == counts->specs);
  CHECK(stop_supervisor(sys, sup, wait_bound) == caf::exit_reason::user_shutdown);
  // Every started worker ended exactly once.
  auto lines = rec->lines();
  auto starts = std::count_if(lines.begin(), lines.end(),
                              [](auto& l) { return l.rfind("start:", 0) == 0; });
  auto exits = std::count_if(lines.begin(), lines.end(),
                             [](auto& l) { return l.rfind("exit:", 0) == 0; });
  CHECK(starts == 1 + threads * per_thread);
  CHECK(exits == starts);
}

TEST_CASE_FIXTURE(fixture, "concurrent dynamic children racing for the same ids: exactly one start wins per id") {
  child_spec tmpl = worker_spec(rec, "template");
  auto sup = start(flags(strategy::simple_one_for_one), {tmpl});
  REQUIRE(sup);
  std::atomic<int> started{0};
  std::atomic<int> already{0};
  std::atomic<int> other{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        auto res = start_child(sys, sup, "id" + std::to_string(i), caf::message{}, wait_bound);
        if (res)
          ++started;
        else if (is(res.error(), sup_error::already_started) && running_child(res.error()))
          ++already;
        else
          ++other;
      }
    });
  for (auto& th : pool)
    th.join();
  CHECK(started == per_thread);
  CHECK(already == (threads - 1) * per_thread);
  CHECK(other == 0);
  // Stop them all concurrently, then the supervisor is empty.
  pool.clear();
  std::atomic<int> stop_errors{0};
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = t; i < per_thread; i += threads)
        if (terminate_child(sys, sup, "id" + std::to_string(i), wait_bound))
          ++stop_errors;
    });
  for (auto& th : pool)
    th.join();
  CHECK(stop_errors == 0);
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->specs == 0);
}

TEST_CASE_FIXTURE(fixture, "children crashing concurrently while the supervisor serves requests") {
  auto sup = start(flags(strategy::one_for_one, 10000), {});
  REQUIRE(sup);
  constexpr int n = 40;
  for (int i = 0; i < n; ++i)
    REQUIRE(start_child(sys, sup, worker_spec(rec, "c" + std::to_string(i)), wait_bound));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = t; i < n; i += threads) {
        auto a = child(sup, "c" + std::to_string(i));
        if (a)
          make_exit(a, crash_reason());
        count_children(sys, sup, wait_bound);
      }
    });
  for (auto& th : pool)
    th.join();
  for (int i = 0; i < n; ++i)
    CHECK(rec->wait_event(event_kind::child_restarted, "c" + std::to_string(i)));
  auto counts = count_children(sys, sup, wait_bound);
  REQUIRE(counts);
  CHECK(counts->active == n);
}
