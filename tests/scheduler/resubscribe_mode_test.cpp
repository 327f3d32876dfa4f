// The two resubscription rules after a disconnection, against simulated masters that
// all answer 503: backoff counts max_num_resubscribe attempts in all; per_master
// (erl_mesos) gives every master max_num_resubscribe attempts, resubscribe_interval apart.
#include <doctest/doctest.h>

#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::content_type;
using mesos_actor::errc;
using mesos_actor::resubscribe_mode;

namespace {

// SUBSCRIBE requests to masters made after `since`.
std::vector<mesos_actor::sim::request_record> subscribes_after(const mesos_actor::sim::cluster& sim,
                                                               std::chrono::steady_clock::time_point since) {
  std::vector<mesos_actor::sim::request_record> out;
  for (auto& r : sim.requests())
    if (r.server == mesos_actor::sim::server_kind::master && r.time >= since && r.method == "POST"
        && (!r.call || r.call->type() == Call::SUBSCRIBE)) // a 503 answer decodes nothing
      out.push_back(r);
  return out;
}

struct outage {
  std::vector<mesos_actor::sim::request_record> attempts; ///< SUBSCRIBEs after the break
  caf::error reason;                                       ///< how the scheduler ended
};

// Subscribes, then makes every master answer 503 and ends the stream; returns what
// the scheduler tried until it gave up.
outage run_outage(sim_fixture& f, mesos_actor::scheduler_options opts) {
  opts.min_stable_subscription = std::chrono::milliseconds{0}; // every attempt is a real request
  auto a = f.spawn(f.behaviour(), opts);
  auto reg = f.log->wait("registered");
  REQUIRE(reg);
  auto broken_at = std::chrono::steady_clock::now();
  f.cluster.faults().no_leader();
  f.cluster.faults().close_stream(reg->detail, mesos_actor::sim::close_mode::clean);
  auto reason = wait_exit(f.sys, a, 20s);
  REQUIRE(reason);
  return {subscribes_after(f.cluster, broken_at), *reason};
}

std::vector<std::size_t> masters_of(const std::vector<mesos_actor::sim::request_record>& rs) {
  std::vector<std::size_t> out;
  for (auto& r : rs)
    out.push_back(r.server_index);
  return out;
}

} // namespace

TEST_CASE("backoff mode: max_num_resubscribe = 1 with three masters gives up after one attempt") {
  sim_fixture f{3};
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 1;
  auto o = run_outage(f, opts);
  CHECK(mesos_actor::error_code(o.reason) == errc::resubscribe_exhausted);
  CHECK(masters_of(o.attempts) == std::vector<std::size_t>{0});
}

TEST_CASE("backoff mode: attempts move to the next master each time, max_num_resubscribe in all") {
  sim_fixture f{3};
  auto opts = f.options(content_type::protobuf);
  opts.max_num_resubscribe = 4;
  auto o = run_outage(f, opts);
  CHECK(mesos_actor::error_code(o.reason) == errc::resubscribe_exhausted);
  CHECK(masters_of(o.attempts) == std::vector<std::size_t>{0, 1, 2, 0});
}

TEST_CASE("per_master mode (erl_mesos): max_num_resubscribe = 1 tries each of three masters once") {
  sim_fixture f{3};
  auto opts = f.options(content_type::protobuf);
  opts.resubscription = resubscribe_mode::per_master;
  opts.max_num_resubscribe = 1;
  opts.resubscribe_interval = std::chrono::milliseconds{60};
  auto o = run_outage(f, opts);
  CHECK(mesos_actor::error_code(o.reason) == errc::resubscribe_exhausted);
  CHECK(masters_of(o.attempts) == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("per_master mode: each master gets max_num_resubscribe attempts in a row, resubscribe_interval apart") {
  sim_fixture f{2};
  auto opts = f.options(content_type::protobuf);
  opts.resubscription = resubscribe_mode::per_master;
  opts.max_num_resubscribe = 2;
  opts.resubscribe_interval = std::chrono::milliseconds{80};
  opts.backoff_initial = std::chrono::milliseconds{1000}; // would show if backoff were used
  opts.backoff_max = std::chrono::milliseconds{1000};
  auto o = run_outage(f, opts);
  CHECK(mesos_actor::error_code(o.reason) == errc::resubscribe_exhausted);
  REQUIRE(masters_of(o.attempts) == std::vector<std::size_t>{0, 0, 1, 1});
  for (std::size_t i = 1; i < o.attempts.size(); ++i) {
    auto gap = std::chrono::duration_cast<std::chrono::milliseconds>(o.attempts[i].time
                                                                     - o.attempts[i - 1].time);
    CAPTURE(i);
    CHECK(gap >= std::chrono::milliseconds{70}); // the interval (less the clocks' slack)
    CHECK(gap < std::chrono::milliseconds{900}); // never the backoff
  }
}

TEST_CASE("resubscription mode is validated") {
  mesos_actor::scheduler_options o;
  o.resubscription = static_cast<resubscribe_mode>(7);
  auto err = mesos_actor::validate(o);
  CHECK(mesos_actor::error_code(err) == errc::bad_option);
  CHECK(mesos_actor::error_detail(err).find("resubscription") != std::string::npos);
}
