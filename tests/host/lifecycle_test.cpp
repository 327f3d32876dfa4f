// Starting, listing and stopping schedulers through the host, against the simulator.

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/send.hpp>

#include <mesos_actor/errors.hpp>
#include <supervisor/errors.hpp>

#include "host/host_fixture.hpp"

using namespace host_test;
using mesos_actor::framework_status;
using mesos_actor::host_event_kind;

TEST_CASE_FIXTURE(fixture, "several refs run side by side; already_started; which; stop; not_found") {
  mesos_actor::host h{host_opts()};
  auto ja = std::make_shared<journal>();
  auto jb = std::make_shared<journal>();
  auto a = h.start_scheduler("alpha", factory_for(ja), options(), fast_policy());
  REQUIRE(a);
  auto b = h.start_scheduler("beta", factory_for(jb), options(), fast_policy());
  REQUIRE(b);
  CHECK(*a != *b);

  auto again = h.start_scheduler("alpha", factory_for(ja), options(), fast_policy());
  REQUIRE_FALSE(again);
  CHECK(supervisor::is(again.error(), supervisor::sup_error::already_started));
  CHECK(supervisor::running_child(again.error()) == *a);
  CHECK(ja->read([&] { return ja->inits; }) == 1); // no second behaviour was made

  auto id_a = wait_subscribed(h, "alpha");
  auto id_b = wait_subscribed(h, "beta");
  REQUIRE_FALSE(id_a.empty());
  REQUIRE_FALSE(id_b.empty());
  CHECK(id_a != id_b);

  auto rows = h.which_schedulers();
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].ref == "alpha");
  CHECK(rows[1].ref == "beta");
  CHECK(rows[0].actor == *a);
  CHECK(rows[0].status == framework_status::running);
  CHECK(rows[0].restarts == 0);
  CHECK(rows[0].framework_id == id_a);
  CHECK(events.count("alpha", host_event_kind::started) == 1);

  REQUIRE_FALSE(h.stop_scheduler("alpha"));
  // terminate ran before stop_scheduler returned, with the shutdown reason.
  CHECK(ja->read([&] { return ja->terminated; }) == 1);
  CHECK(ja->read([&] { return ja->terminate_reasons.at(0); }) == caf::exit_reason::user_shutdown);
  // The master sees the stream closed; the framework stays (failover timeout) but
  // disconnected. beta is untouched.
  CHECK(cluster.wait_for(
    [&] {
      auto fw = cluster.framework(id_a);
      return fw && !fw->subscribed;
    },
    5s));
  CHECK(cluster.framework(id_b).value().subscribed);
  CHECK(events.wait_count("alpha", host_event_kind::stopped, 1));
  CHECK(events.count("alpha", host_event_kind::restarted) == 0);

  rows = h.which_schedulers();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].ref == "beta");

  auto err = h.stop_scheduler("alpha");
  CHECK(supervisor::is(err, supervisor::sup_error::not_found));
  CHECK(supervisor::is(h.stop_scheduler("never-started"), supervisor::sup_error::not_found));

  // The ref is free again: a new framework (no id carried over from the stopped one).
  auto a2 = h.start_scheduler("alpha", factory_for(ja), options(), fast_policy());
  REQUIRE(a2);
  CHECK(ja->wait_for([&] { return ja->inits == 2; }));
  CHECK_FALSE(ja->read([&] { return ja->previous_ids.at(1); }).has_value());
}

TEST_CASE_FIXTURE(fixture, "stop with teardown removes the framework from the master") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  // permanent: the normal exit that follows the teardown must not start it again.
  REQUIRE(h.start_scheduler("doomed", factory_for(j), options(),
                            fast_policy(supervisor::restart_type::permanent)));
  auto id = wait_subscribed(h, "doomed");
  REQUIRE_FALSE(id.empty());
  mesos_actor::stop_options how;
  how.teardown = true;
  REQUIRE_FALSE(h.stop_scheduler("doomed", how));
  CHECK(j->read([&] { return j->terminated; }) == 1);
  auto teardown_seen = [&] {
    for (auto& r : cluster.requests())
      if (r.call && r.call->type() == mesos::v1::scheduler::Call::TEARDOWN
          && r.call->framework_id().value() == id && r.status == 202)
        return true;
    return false;
  };
  CHECK(cluster.wait_for(teardown_seen, 5s));
  CHECK(cluster.wait_for([&] { return !cluster.framework(id).has_value(); }, 5s));
  CHECK(h.which_schedulers().empty());
  CHECK(j->read([&] { return j->inits; }) == 1);
  CHECK(cluster.frameworks().empty());
}

TEST_CASE_FIXTURE(fixture, "concurrent starts and stops from several threads") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  constexpr int threads = 4;
  constexpr int per_thread = 5;
  std::atomic<int> started{0};
  std::atomic<int> already{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto r = h.start_scheduler("fw-" + std::to_string(t) + "-" + std::to_string(i),
                                   factory_for(j), options(), fast_policy());
        if (r)
          ++started;
      }
      // Every thread also races for one shared ref: exactly one wins.
      auto r = h.start_scheduler("shared", factory_for(j), options(), fast_policy());
      if (r)
        ++started;
      else if (supervisor::is(r.error(), supervisor::sup_error::already_started))
        ++already;
    });
  for (auto& th : pool)
    th.join();
  CHECK(started.load() == threads * per_thread + 1);
  CHECK(already.load() == threads - 1);
  CHECK(h.which_schedulers().size() == threads * per_thread + 1);
  CHECK(cluster.wait_for([&] { return cluster.frameworks().size() == threads * per_thread + 1; },
                         10s));

  pool.clear();
  std::atomic<int> stopped{0};
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i)
        if (!h.stop_scheduler("fw-" + std::to_string(t) + "-" + std::to_string(i)))
          ++stopped;
    });
  for (auto& th : pool)
    th.join();
  CHECK(stopped.load() == threads * per_thread);
  auto rows = h.which_schedulers();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].ref == "shared");
}

TEST_CASE_FIXTURE(fixture, "bad options, bad policy and no factory are refused synchronously") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();

  auto opts = options();
  opts.master_hosts.clear();
  auto r = h.start_scheduler("bad-masters", factory_for(j), opts, fast_policy());
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::bad_option);
  CHECK_FALSE(mesos_actor::error_detail(r.error()).empty());

  opts = options();
  opts.backoff_jitter = 7;
  r = h.start_scheduler("bad-jitter", factory_for(j), opts, fast_policy());
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::bad_option);

  auto p = fast_policy();
  p.max_restarts = -1;
  r = h.start_scheduler("bad-policy", factory_for(j), options(), p);
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::bad_option);
  CHECK(mesos_actor::error_detail(r.error()).find("max_restarts") != std::string::npos);

  r = h.start_scheduler("no-factory", nullptr, options(), fast_policy());
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::bad_option);

  // A factory that makes nothing: the start fails with the reason, nothing is kept.
  r = h.start_scheduler("empty-factory", [] { return nullptr; }, options(), fast_policy());
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::init_failed);

  CHECK(j->read([&] { return j->inits; }) == 0);
  CHECK(h.which_schedulers().empty());
}

TEST_CASE_FIXTURE(fixture, "two hosts in one process do not see each other") {
  mesos_actor::host h1{host_opts()};
  mesos_actor::host_options small;
  small.scheduler_threads = 1;
  mesos_actor::host h2{small};
  CHECK(&h1.system() != &h2.system());
  CHECK(h2.system().scheduler().num_workers() == 1);
  auto j = std::make_shared<journal>();
  REQUIRE(h1.start_scheduler("same-ref", factory_for(j), options(), fast_policy()));
  REQUIRE(h2.start_scheduler("same-ref", factory_for(j), options(), fast_policy()));
  CHECK(h1.which_schedulers().size() == 1);
  CHECK(h2.which_schedulers().size() == 1);
  REQUIRE_FALSE(h2.stop_scheduler("same-ref"));
  CHECK(h2.which_schedulers().empty());
  REQUIRE(h1.which_schedulers().size() == 1);
  CHECK(h1.which_schedulers()[0].status == framework_status::running);
}

TEST_CASE_FIXTURE(fixture, "host shutdown stops every framework, bounded, and refuses new starts") {
  auto j = std::make_shared<journal>();
  mesos_actor::host h{host_opts()};
  std::vector<std::string> ids;
  for (auto ref : {"one", "two", "three"}) {
    REQUIRE(h.start_scheduler(ref, factory_for(j), options(), fast_policy()));
    ids.push_back(wait_subscribed(h, ref));
    REQUIRE_FALSE(ids.back().empty());
  }
  auto t0 = std::chrono::steady_clock::now();
  h.shutdown();
  auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < 5s);
  CHECK(j->read([&] { return j->terminated; }) == 3);
  for (auto& id : ids)
    CHECK(cluster.wait_for(
      [&] {
        auto fw = cluster.framework(id);
        return fw && !fw->subscribed;
      },
      5s));
  // Newest first.
  std::vector<std::string> order;
  events.read([&] {
    for (auto& ev : events.events)
      if (ev.what == host_event_kind::stopped)
        order.push_back(ev.ref);
    return 0;
  });
  CHECK(order == std::vector<std::string>{"three", "two", "one"});
  auto r = h.start_scheduler("late", factory_for(j), options(), fast_policy());
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == mesos_actor::errc::stopped);
  h.shutdown(); // idempotent
}
