// Metrics: the histogram and option checks, counters moving against the simulator
// (events by type, calls by outcome incl. a 400, a decode error, a reconnect), the
// scheduler context's own view, host totals across frameworks and restarts.

#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "metrics/counters.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/metrics/framework_metrics.hpp"
#include "observability/obs_fixture.hpp"

using namespace obs_test;
using mesos_actor::metrics::framework_snapshot;

namespace {

std::optional<framework_snapshot> snapshot_of(const mesos_actor::host& h, const std::string& ref) {
  for (auto& f : h.metrics().frameworks)
    if (f.ref == ref)
      return f;
  return std::nullopt;
}

std::uint64_t rejections(const framework_snapshot& f, const std::string& type, int status) {
  for (auto& r : f.rejections)
    if (r.type == type && r.status == status)
      return r.count;
  return 0;
}

std::uint64_t all_calls(const framework_snapshot& f) {
  std::uint64_t n = 0;
  for (auto& c : f.calls)
    n += c.count;
  return n;
}

} // namespace

TEST_CASE("the latency histogram puts each observation in the first bucket that holds it") {
  mesos_actor::detail::latency_histogram h{{0.001, 0.01, 0.1}};
  h.observe(std::chrono::microseconds{500});   // <= 1 ms
  h.observe(std::chrono::milliseconds{1});     // == 1 ms: still the first bucket
  h.observe(std::chrono::milliseconds{5});     // <= 10 ms
  h.observe(std::chrono::seconds{2});          // +Inf only
  auto s = h.snapshot();
  REQUIRE(s.cumulative.size() == 3);
  CHECK(s.cumulative[0] == 2);
  CHECK(s.cumulative[1] == 3);
  CHECK(s.cumulative[2] == 3);
  CHECK(s.count == 4);
  CHECK(s.sum == doctest::Approx(2.0065));
}

TEST_CASE("bad latency buckets are a bad_option") {
  mesos_actor::metrics::metrics_options o;
  CHECK_FALSE(validate(o));
  o.latency_buckets = {0.1, 0.05};
  CHECK(mesos_actor::error_code(validate(o)) == mesos_actor::errc::bad_option);
  o.latency_buckets = {0, 1};
  CHECK(mesos_actor::error_code(validate(o)) == mesos_actor::errc::bad_option);
  o.latency_buckets.assign(65, 1.0);
  CHECK(mesos_actor::error_code(validate(o)) == mesos_actor::errc::bad_option);
  // So do a framework_metrics and a host, at construction.
  CHECK_THROWS_AS(mesos_actor::metrics::framework_metrics(
                    mesos_actor::metrics::framework_kind_tag::scheduler, o),
                  std::invalid_argument);
  mesos_actor::host_options ho;
  ho.metrics.latency_buckets = {1, 1};
  CHECK_THROWS_AS(mesos_actor::host{ho}, std::runtime_error);
}

TEST_CASE("scheduler counters follow events, calls and their outcomes, and a reconnect") {
  mesos_actor::sim::cluster cluster{fast_cluster(1)};
  cluster.start();
  auto s = std::make_shared<steered_scheduler::shared>();
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::off;
  ho.metrics.latency_buckets = {0.0005, 0.005, 0.05, 0.5, 5};
  mesos_actor::host h{ho};
  auto opts = fast_options(cluster.master_urls());
  auto a = h.start_scheduler("alpha", steered(s), opts, fast_policy());
  REQUIRE(a);

  // Offers arrive and are declined (accepted by the master); heartbeats flow.
  REQUIRE(wait_until(*s, [&] {
    auto f = snapshot_of(h, "alpha");
    return f && f->events("OFFERS") >= 1 && f->calls_with("DECLINE", "accepted") >= 1
           && f->events("HEARTBEAT") >= 2;
  }));
  auto f = *snapshot_of(h, "alpha");
  CHECK(f.kind == "scheduler");
  CHECK(f.state == "subscribed");
  CHECK(f.events("SUBSCRIBED") == 1);
  CHECK(f.bytes_in > 0);
  CHECK(f.subscribe_attempts == 1);
  CHECK(f.reconnects == 0);
  REQUIRE(f.seconds_since_last_heartbeat);
  CHECK(*f.seconds_since_last_heartbeat < 5.0);
  REQUIRE(f.seconds_since_last_event);
  CHECK(*f.seconds_since_last_event <= *f.seconds_since_last_heartbeat);

  // One call rejected with 400, seen by the host and by the scheduler's own context.
  cluster.faults().fail_next_calls(1, 400);
  caf::anon_send(*a, revive_now);
  REQUIRE(wait_until(*s, [&] { return s->revive_outcomes == 1; }));
  {
    std::lock_guard<std::mutex> guard{s->mtx};
    REQUIRE(s->have_context_snapshot);
    // The continuation runs after the outcome was counted.
    CHECK(s->from_context.calls_with("REVIVE", "rejected") == 1);
    CHECK(rejections(s->from_context, "REVIVE", 400) == 1);
  }
  f = *snapshot_of(h, "alpha");
  CHECK(f.calls_with("REVIVE", "rejected") == 1);
  CHECK(rejections(f, "REVIVE", 400) == 1);
  CHECK(f.calls_with("REVIVE", "accepted") == 0);
  // Every call with an answer is in the latency histogram, each bucket cumulative.
  CHECK(f.call_latency.count == all_calls(f));
  for (std::size_t i = 1; i < f.call_latency.cumulative.size(); ++i)
    CHECK(f.call_latency.cumulative[i] >= f.call_latency.cumulative[i - 1]);
  CHECK(f.call_latency.bounds.size() == 5);

  // The stream breaks: one disconnection, one more attempt, one reconnect.
  std::string id;
  {
    std::lock_guard<std::mutex> guard{s->mtx};
    id = s->framework_id;
  }
  cluster.faults().close_stream(id, mesos_actor::sim::close_mode::abrupt);
  REQUIRE(wait_until(*s, [&] {
    auto g = snapshot_of(h, "alpha");
    return g && g->reconnects == 1 && g->state == "subscribed";
  }));
  f = *snapshot_of(h, "alpha");
  CHECK(f.disconnections == 1);
  CHECK(f.subscribe_attempts == 2);
  CHECK(f.events("SUBSCRIBED") == 2);
  CHECK(f.decode_errors == 0);
  CHECK(f.restarts == 0);
}

TEST_CASE("a record that does not decode is counted") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  auto s = std::make_shared<steered_scheduler::shared>();
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::off;
  mesos_actor::host h{ho};
  auto opts = fast_options(cluster.master_urls());
  // JSON: a garbled record never parses (a garbled protobuf may).
  opts.content = mesos_actor::content_type::json;
  REQUIRE(h.start_scheduler("json", steered(s), opts, fast_policy()));
  REQUIRE(wait_until(*s, [&] { return !s->framework_id.empty(); }));
  std::string id;
  {
    std::lock_guard<std::mutex> guard{s->mtx};
    id = s->framework_id;
  }
  cluster.faults().corrupt_next_record(id);
  REQUIRE(wait_until(*s, [&] {
    auto f = snapshot_of(h, "json");
    return f && f->decode_errors == 1 && f->reconnects == 1;
  }));
}

TEST_CASE("calls made while disconnected count as not_subscribed") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  auto m = std::make_shared<mesos_actor::metrics::framework_metrics>(
    mesos_actor::metrics::framework_kind_tag::scheduler);
  auto s = std::make_shared<steered_scheduler::shared>();
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::off;
  mesos_actor::host h{ho};
  // Nobody listens there: every attempt fails, so the scheduler never subscribes.
  auto opts = fast_options({"127.0.0.1:1"});
  opts.metrics = m; // the caller's own metrics object, readable from this thread
  opts.max_num_subscribe = 1000;
  auto a = h.start_scheduler("lonely", steered(s), opts, fast_policy());
  REQUIRE(a);
  caf::anon_send(*a, revive_now);
  REQUIRE(wait_until(*s, [&] { return s->revive_outcomes == 1; }));
  auto f = m->snapshot();
  CHECK(f.calls_with("REVIVE", "not_subscribed") == 1);
  CHECK(f.call_latency.count == 0); // never sent
  CHECK(f.subscribe_attempts >= 1);
  CHECK(f.state != "subscribed");
  // The host reports the same object under the ref.
  CHECK(snapshot_of(h, "lonely")->calls_with("REVIVE", "not_subscribed") == 1);
}

TEST_CASE("host totals sum every framework, and restarts are counted per ref") {
  mesos_actor::sim::cluster cluster{fast_cluster()};
  cluster.start();
  auto s1 = std::make_shared<steered_scheduler::shared>();
  auto s2 = std::make_shared<steered_scheduler::shared>();
  mesos_actor::host_options ho;
  ho.logging.min_level = mesos_actor::log_level::off;
  mesos_actor::host h{ho};
  auto a = h.start_scheduler("one", steered(s1), fast_options(cluster.master_urls()),
                             fast_policy());
  REQUIRE(a);
  REQUIRE(h.start_scheduler("two", steered(s2), fast_options(cluster.master_urls()),
                            fast_policy()));
  REQUIRE(wait_until(*s1, [&] { return !s1->framework_id.empty(); }));
  REQUIRE(wait_until(*s2, [&] { return !s2->framework_id.empty(); }));
  caf::anon_send(*a, throw_now);
  REQUIRE(wait_until(*s1, [&] {
    auto f = snapshot_of(h, "one");
    return f && f->restarts == 1 && f->state == "subscribed" && f->events("SUBSCRIBED") == 2;
  }));
  auto snap = h.metrics();
  REQUIRE(snap.frameworks.size() == 2);
  CHECK(snap.frameworks[0].ref == "one");
  CHECK(snap.frameworks[1].ref == "two");
  CHECK(snap.totals.frameworks == 2);
  CHECK(snap.totals.running == 2);
  CHECK(snap.totals.restarts == 1);
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
  std::uint64_t reconnects = 0;
  for (auto& f : snap.frameworks) {
    for (auto& [type, n] : f.events_received)
      events += n;
    bytes += f.bytes_in;
    reconnects += f.reconnects;
  }
  CHECK(snap.totals.events_received == events);
  CHECK(snap.totals.bytes_in == bytes);
  CHECK(snap.totals.reconnects == reconnects);
  CHECK(events > 0);
  // A stopped framework leaves the host's snapshot.
  REQUIRE_FALSE(h.stop_scheduler("two"));
  CHECK(h.metrics().frameworks.size() == 1);
}
