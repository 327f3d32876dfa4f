// Restart policies: a misbehaving framework is restarted (fresh behaviour, same
// framework id) or given up, and its neighbours never notice.

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

#include <caf/send.hpp>

#include <mesos_actor/errors.hpp>
#include <supervisor/errors.hpp>

#include "host/host_fixture.hpp"

using namespace host_test;
using mesos_actor::framework_status;
using mesos_actor::host_event_kind;
using supervisor::restart_type;

namespace {

// Streams on which the master sent SUBSCRIBED for framework `id`.
std::set<std::string> subscribed_streams(mesos_actor::sim::cluster& c, const std::string& id) {
  std::set<std::string> streams;
  for (auto& ev : c.events(id))
    if (ev.event.type() == mesos::v1::scheduler::Event::SUBSCRIBED
        && ev.event.subscribed().framework_id().value() == id)
      streams.insert(ev.stream_id);
  return streams;
}

} // namespace

TEST_CASE_FIXTURE(fixture, "a throwing callback: fresh behaviour, same framework id, neighbour undisturbed") {
  mesos_actor::host h{host_opts()};
  auto jbad = std::make_shared<journal>();
  auto jgood = std::make_shared<journal>();
  auto bad = h.start_scheduler("flaky", factory_for(jbad), options(), fast_policy());
  REQUIRE(bad);
  REQUIRE(h.start_scheduler("steady", factory_for(jgood), options(), fast_policy()));
  auto bad_id = wait_subscribed(h, "flaky");
  auto good_id = wait_subscribed(h, "steady");
  REQUIRE_FALSE(bad_id.empty());
  REQUIRE_FALSE(good_id.empty());
  auto good_stream = cluster.framework(good_id).value().stream_id;
  auto bad_stream = cluster.framework(bad_id).value().stream_id;

  caf::anon_send(*bad, throw_now);
  REQUIRE(events.wait_count("flaky", host_event_kind::restarted, 1));
  auto exited = events.read([&] {
    for (auto& ev : events.events)
      if (ev.ref == "flaky" && ev.what == host_event_kind::exited)
        return ev.reason;
    return caf::error{};
  });
  CHECK(mesos_actor::error_code(exited) == mesos_actor::errc::callback_exception);
  CHECK(mesos_actor::error_detail(exited).find("deliberate failure") != std::string::npos);

  // A second behaviour object, told the id of the first, which the master accepts
  // as a failover of the same framework on a new stream.
  CHECK(jbad->wait_for([&] { return jbad->inits == 2; }));
  CHECK(jbad->read([&] { return jbad->previous_ids.at(1); }) == bad_id);
  CHECK(cluster.wait_for(
    [&] {
      auto fw = cluster.framework(bad_id);
      return fw && fw->subscribed && fw->stream_id != bad_stream;
    },
    10s));
  CHECK(cluster.wait_for([&] { return subscribed_streams(cluster, bad_id).size() == 2; }, 5s));
  CHECK(cluster.frameworks().size() == 2);

  auto row = row_of(h.which_schedulers(), "flaky");
  REQUIRE(row);
  CHECK(row->status == framework_status::running);
  CHECK(row->restarts == 1);
  CHECK(row->framework_id == bad_id);
  CHECK(row->actor != *bad);
  CHECK(mesos_actor::error_code(row->last_exit_reason) == mesos_actor::errc::callback_exception);

  // The neighbour: same stream, heartbeats still flowing, never restarted.
  auto beats = heartbeats(good_id);
  CHECK(cluster.wait_for([&] { return heartbeats(good_id) >= beats + 3; }, 5s));
  auto good = cluster.framework(good_id);
  REQUIRE(good);
  CHECK(good->subscribed);
  CHECK(good->stream_id == good_stream);
  CHECK(jgood->read([&] { return jgood->inits; }) == 1);
  CHECK(jgood->read([&] { return jgood->terminated; }) == 0);
  CHECK(events.count("steady", host_event_kind::exited) == 0);
}

TEST_CASE_FIXTURE(fixture, "unreachable master: retries exhausted, restarted per policy, then given up alone") {
  mesos_actor::host h{host_opts()};
  auto jgood = std::make_shared<journal>();
  REQUIRE(h.start_scheduler("steady", factory_for(jgood), options(), fast_policy()));
  auto good_id = wait_subscribed(h, "steady");
  REQUIRE_FALSE(good_id.empty());
  auto good_stream = cluster.framework(good_id).value().stream_id;

  // A port nobody listens on: bind a simulator, note its port, stop it.
  std::string dead_master;
  {
    mesos_actor::sim::cluster gone{fast_cluster()};
    gone.start();
    dead_master = gone.master_urls()[0];
  }
  auto opts = options();
  opts.master_hosts = {dead_master};
  opts.max_num_subscribe = 2;
  auto jlost = std::make_shared<journal>();
  auto lost = h.start_scheduler("lost", factory_for(jlost), opts, fast_policy(restart_type::transient, 2));
  REQUIRE(lost);

  // 1 start + 2 restarts, then the third exit exceeds the intensity.
  REQUIRE(events.wait_count("lost", host_event_kind::gave_up, 1, 20s));
  CHECK(events.count("lost", host_event_kind::restarted) == 2);
  CHECK(events.count("lost", host_event_kind::exited) == 3);
  CHECK(jlost->read([&] { return jlost->inits; }) == 3);
  auto row = row_of(h.which_schedulers(), "lost");
  REQUIRE(row);
  CHECK(row->status == framework_status::failed);
  CHECK_FALSE(row->actor);
  CHECK(mesos_actor::error_code(row->last_exit_reason) == mesos_actor::errc::no_master_reachable);

  // The other framework (and the host's tree) never noticed.
  auto good = cluster.framework(good_id);
  REQUIRE(good);
  CHECK(good->subscribed);
  CHECK(good->stream_id == good_stream);
  CHECK(events.count("steady", host_event_kind::exited) == 0);
  auto more = h.start_scheduler("newcomer", factory_for(jgood), options(), fast_policy());
  REQUIRE(more);
  CHECK_FALSE(wait_subscribed(h, "newcomer").empty());

  // A failed ref can be started again (and stop of a failed ref just forgets it).
  CHECK_FALSE(h.stop_scheduler("lost"));
  CHECK_FALSE(row_of(h.which_schedulers(), "lost"));
}

TEST_CASE_FIXTURE(fixture, "restart types: temporary never, transient on faults only, permanent always") {
  mesos_actor::host h{host_opts()};
  auto jt = std::make_shared<journal>();
  auto jtr = std::make_shared<journal>();
  auto jp = std::make_shared<journal>();
  auto temp = h.start_scheduler("temporary", factory_for(jt), options(), fast_policy(restart_type::temporary));
  auto trans = h.start_scheduler("transient", factory_for(jtr), options(), fast_policy(restart_type::transient));
  auto perm = h.start_scheduler("permanent", factory_for(jp), options(), fast_policy(restart_type::permanent));
  REQUIRE(temp);
  REQUIRE(trans);
  REQUIRE(perm);
  for (auto ref : {"temporary", "transient", "permanent"})
    REQUIRE_FALSE(wait_subscribed(h, ref).empty());

  // temporary + fault: not restarted.
  caf::anon_send(*temp, throw_now);
  REQUIRE(events.wait_count("temporary", host_event_kind::exited, 1));
  // transient + normal stop: not restarted; transient + fault: restarted.
  caf::anon_send(*trans, stop_now);
  REQUIRE(events.wait_count("transient", host_event_kind::exited, 1));
  // permanent + normal stop: restarted.
  caf::anon_send(*perm, stop_now);
  REQUIRE(events.wait_count("permanent", host_event_kind::restarted, 1));
  CHECK(jp->wait_for([&] { return jp->inits == 2; }));

  auto rows = h.which_schedulers();
  auto t = row_of(rows, "temporary");
  auto tr = row_of(rows, "transient");
  auto p = row_of(rows, "permanent");
  REQUIRE(t);
  REQUIRE(tr);
  REQUIRE(p);
  CHECK(t->status == framework_status::stopped);
  CHECK(t->restarts == 0);
  CHECK(mesos_actor::error_code(t->last_exit_reason) == mesos_actor::errc::callback_exception);
  CHECK(tr->status == framework_status::stopped);
  CHECK_FALSE(tr->last_exit_reason);
  CHECK(p->status == framework_status::running);
  CHECK(p->restarts == 1);
  CHECK(events.count("temporary", host_event_kind::restarted) == 0);
  CHECK(events.count("transient", host_event_kind::restarted) == 0);
  CHECK(jt->read([&] { return jt->inits; }) == 1);
  CHECK(jtr->read([&] { return jtr->inits; }) == 1);

  // An ended ref may be started again.
  auto trans2 = h.start_scheduler("transient", factory_for(jtr), options(), fast_policy(restart_type::transient));
  REQUIRE(trans2);
  caf::anon_send(*trans2, throw_now);
  REQUIRE(events.wait_count("transient", host_event_kind::restarted, 1));
  CHECK(jtr->wait_for([&] { return jtr->inits == 3; }));
}

TEST_CASE_FIXTURE(fixture, "a listener that throws does not disturb the host") {
  mesos_actor::host_options o;
  std::mutex mtx;
  std::condition_variable cv;
  int calls = 0;
  o.on_event = [&](const mesos_actor::host_event&) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      ++calls;
    }
    cv.notify_all();
    throw std::runtime_error("observer bug");
  };
  mesos_actor::host h{o};
  auto j = std::make_shared<journal>();
  auto a = h.start_scheduler("observed", factory_for(j), options(), fast_policy());
  REQUIRE(a);
  REQUIRE_FALSE(wait_subscribed(h, "observed").empty());
  caf::anon_send(*a, throw_now);
  CHECK(j->wait_for([&] { return j->inits == 2; }));
  {
    // The restart's event may reach the listener after the new init ran: wait for it.
    std::unique_lock<std::mutex> guard{mtx};
    CHECK(cv.wait_for(guard, std::chrono::seconds(10), [&] { return calls >= 3; }));
  }
  REQUIRE_FALSE(h.stop_scheduler("observed"));
}

TEST_CASE_FIXTURE(fixture, "a factory that fails on restart: start_failed reported, retried, then given up") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  auto made = std::make_shared<std::atomic<int>>(0);
  auto factory = [j, made]() -> std::unique_ptr<mesos_actor::scheduler> {
    if (made->fetch_add(1) > 0)
      throw std::runtime_error("no more behaviours");
    return std::make_unique<journaling_scheduler>(j);
  };
  auto a = h.start_scheduler("fragile", factory, options(), fast_policy(restart_type::permanent, 2));
  REQUIRE(a);
  REQUIRE_FALSE(wait_subscribed(h, "fragile").empty());
  caf::anon_send(*a, throw_now);
  REQUIRE(events.wait_count("fragile", host_event_kind::gave_up, 1));
  CHECK(events.count("fragile", host_event_kind::start_failed) >= 1);
  auto failure = events.read([&] {
    for (auto& ev : events.events)
      if (ev.ref == "fragile" && ev.what == host_event_kind::start_failed)
        return ev.reason;
    return caf::error{};
  });
  CHECK(supervisor::describe(failure).find("no more behaviours") != std::string::npos);
  auto row = row_of(h.which_schedulers(), "fragile");
  REQUIRE(row);
  CHECK(row->status == framework_status::failed);
  CHECK(j->read([&] { return j->inits; }) == 1);
}

TEST_CASE_FIXTURE(fixture, "after resubscribe_exhausted the host restarts the framework under the same id") {
  mesos_actor::host h{host_opts()};
  auto j = std::make_shared<journal>();
  auto opts = options();
  opts.max_num_resubscribe = 2;
  opts.max_num_subscribe = 1000; // the restart waits for a leader as long as it takes
  auto started = h.start_scheduler("fw", factory_for(j), opts, fast_policy());
  REQUIRE(started);
  auto id = wait_subscribed(h, "fw");
  REQUIRE_FALSE(id.empty());
  auto first_stream = cluster.framework(id).value().stream_id;

  // Every master answers 503 and the stream ends: two failed resubscriptions.
  cluster.faults().no_leader();
  cluster.faults().close_stream(id, mesos_actor::sim::close_mode::clean);
  REQUIRE(events.wait_count("fw", host_event_kind::restarted, 1, 20s));
  auto exited = events.read([&] {
    for (auto& ev : events.events)
      if (ev.ref == "fw" && ev.what == host_event_kind::exited)
        return ev.reason;
    return caf::error{};
  });
  CHECK(mesos_actor::error_code(exited) == mesos_actor::errc::resubscribe_exhausted);

  // The fresh behaviour was told the id, and the master sees a failover of it.
  cluster.faults().set_leader(0);
  CHECK(j->wait_for([&] { return j->inits == 2; }));
  CHECK(j->read([&] { return j->previous_ids.at(1); }) == id);
  CHECK(cluster.wait_for(
    [&] {
      auto fw = cluster.framework(id);
      return fw && fw->subscribed && fw->stream_id != first_stream;
    },
    20s));
  CHECK(cluster.frameworks().size() == 1);
  auto row = row_of(h.which_schedulers(), "fw");
  REQUIRE(row);
  CHECK(row->status == framework_status::running);
  CHECK(row->restarts == 1);
  CHECK(row->framework_id == id);
  CHECK(row->actor != *started);
  CHECK(mesos_actor::error_code(row->last_exit_reason) == mesos_actor::errc::resubscribe_exhausted);
}
