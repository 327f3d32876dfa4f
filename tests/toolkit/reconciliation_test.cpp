// The reconciler against the simulator: explicit reconciliation until confirmed, then
// implicit; answers lost to failed calls, a master restart, an agent gone, tasks the
// master does not know and tasks the framework does not know.
#include <doctest/doctest.h>

#include "mesos_actor/offer_matching.hpp"
#include "mesos_actor/reconciliation.hpp"
#include "mesos_actor/sim/faults.hpp"
#include "mesos_actor/task_state.hpp"
#include "support/scheduler_fixture.hpp"
#include "toolkit/resource_helpers.hpp"

using namespace mesos_actor;
using test::entry;
using test::sim_fixture;

namespace {

using Call = mesos::v1::scheduler::Call;

reconciliation_options fast_reconciliation() {
  reconciliation_options o;
  o.backoff_initial = std::chrono::milliseconds(150);
  o.backoff_max = std::chrono::milliseconds(600);
  o.implicit_interval = std::chrono::milliseconds(300);
  return o;
}

// A framework that launches `tasks` long tasks (tracking `tracked` of them), starts
// reconciliation once each has sent an update and after every (re)subscription, and logs what the
// reconciler reports ("confirmed", "unknown <id> <state>", "untracked <id>").
struct rig {
  // fail_reconciles > 0: the first explicit rounds are answered 503 (no acknowledgements
  // are sent, so the calls that fail are those RECONCILE calls).
  rig(sim_fixture& f, int tasks, int tracked, std::vector<std::string> ghosts = {},
      std::size_t fail_reconciles = 0)
    : fix(f), ghosts(std::move(ghosts)) {
    auto log = f.log;
    reconciliation_callbacks cb;
    cb.confirmed = [log](scheduler_context&) { log->push(entry{"confirmed", "", {}, {}, {}}); };
    cb.unknown = [log](scheduler_context&, const mesos::v1::TaskStatus& s) {
      log->push(entry{"unknown", s.task_id().value() + " " + mesos::v1::TaskState_Name(s.state()), {}, {}, {}});
    };
    cb.untracked = [log](scheduler_context&, const mesos::v1::TaskStatus& s) {
      log->push(entry{"untracked", s.task_id().value(), {}, {}, {}});
    };
    auto made = reconciler::make(fast_reconciliation(), cb);
    REQUIRE(made);
    rec = std::make_shared<reconciler>(std::move(*made));
    auto b = f.behaviour();
    auto r = rec;
    auto state = std::make_shared<int>(0); // tasks launched
    auto running = std::make_shared<std::set<std::string>>();
    auto ghost_ids = this->ghosts;
    auto* cluster = &f.cluster;
    b->on_offers = [=](scheduler_context& ctx, const mesos::v1::scheduler::Event::Offers& o) {
      offer_plan plan(o.offers());
      task_requirements need;
      need.scalars = toolkit_test::R("cpus:0.1;mem:16");
      while (*state < tasks) {
        auto id = "task-" + std::to_string(*state);
        auto p = plan.place(need, id);
        if (!p)
          break;
        plan.launch(*p, command_task(id, id, p->agent_id, "sleep 60", {}));
        if (*state < tracked)
          r->track(id, p->agent_id);
        ++*state;
        for (const auto& g : ghost_ids) // tasks we believe in but never launched
          if (*state == 1)
            r->track(g, p->agent_id);
      }
      // Nothing offered again: the only calls after the launches are reconciliation's.
      plan.finish(ctx, refuse_filters(3600), refuse_filters(3600));
      return action::keep;
    };
    b->on_update = [=](scheduler_context& ctx, const mesos::v1::scheduler::Event::Update& u) {
      r->on_update(ctx, u.status());
      // Every task has reported (STARTING will do: without acknowledgements RUNNING is held back).
      if (!is_terminal(u.status().state()) && running->insert(u.status().task_id().value()).second &&
          static_cast<int>(running->size()) == tasks) {
        if (fail_reconciles > 0)
          cluster->faults().fail_next_calls(fail_reconciles, 503);
        r->start(ctx); // all are running: reconcile what we believe in
      }
      return action::keep;
    };
    b->on_reregistered = [=](scheduler_context& ctx, const mesos::v1::scheduler::Event::Subscribed&) {
      r->start(ctx);
      return action::keep;
    };
    b->on_disconnected = [=](scheduler_context&) {
      r->stop();
      return action::keep;
    };
    b->on_info = [=](scheduler_context& ctx, const caf::message& m) {
      r->on_info(ctx, m);
      return action::keep;
    };
    auto opts = f.options(content_type::protobuf);
    opts.auto_acknowledge = fail_reconciles == 0;
    actor = f.spawn(std::move(b), opts);
  }

  // RECONCILE calls seen by the simulator naming tasks (explicit) / none (implicit).
  std::size_t reconcile_calls(bool explicit_ones) const {
    std::size_t n = 0;
    for (const auto& r : test::calls_of(fix.cluster, Call::RECONCILE))
      if (r.call && (r.call->reconcile().tasks_size() > 0) == explicit_ones)
        ++n;
    return n;
  }

  bool wait_calls(bool explicit_ones, std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return fix.cluster.wait_for([&] { return reconcile_calls(explicit_ones) >= n; }, timeout);
  }

  sim_fixture& fix;
  std::vector<std::string> ghosts;
  std::shared_ptr<reconciler> rec;
  caf::actor actor;
};

} // namespace

TEST_CASE("reconciliation: options are validated") {
  reconciliation_options o;
  CHECK(o.validate().empty());
  o.backoff_initial = std::chrono::milliseconds(0);
  CHECK_FALSE(o.validate().empty());
  o = {};
  o.backoff_max = std::chrono::milliseconds(1);
  CHECK_FALSE(o.validate().empty());
  o = {};
  o.backoff_factor = 0.5;
  CHECK_FALSE(o.validate().empty());
  o = {};
  o.max_tasks_per_call = 0;
  CHECK_FALSE(o.validate().empty());
  o = {};
  o.implicit_interval = std::chrono::milliseconds(-1);
  auto bad = reconciler::make(o);
  REQUIRE_FALSE(bad);
  CHECK(error_detail(bad.error()).find("implicit_interval") != std::string::npos);
}

TEST_CASE("reconciliation: explicit until every task is confirmed, then implicit on a period") {
  sim_fixture f;
  rig r(f, 3, 3);
  REQUIRE(f.log->wait("confirmed", std::chrono::seconds(15)));
  // The simulator records a call after its handler ran, so the updates it caused can
  // reach the framework first: wait for the record rather than expect it.
  REQUIRE(r.wait_calls(true, 1));
  auto explicit_call = test::calls_of(f.cluster, Call::RECONCILE).front();
  REQUIRE(explicit_call.call);
  CHECK(explicit_call.call->reconcile().tasks_size() == 3);
  CHECK(explicit_call.call->reconcile().tasks(0).has_agent_id());
  // One implicit reconciliation at once, then one every 300 ms.
  CHECK(r.wait_calls(false, 3));
  CHECK(f.log->count("unknown") == 0);
  CHECK(f.log->count("untracked") == 0);
}

TEST_CASE("reconciliation: answers lost to failed calls are asked for again with backoff") {
  sim_fixture f;
  rig r(f, 1, 1, {}, 3);
  REQUIRE(f.log->wait("confirmed", std::chrono::seconds(20)));
  REQUIRE(r.wait_calls(true, 1)); // recorded after the updates it caused may arrive
  // The three rounds that failed (503, recorded before their body is read) were not
  // answered; the fourth was. Nothing else was sent in between (no acknowledgements).
  std::vector<std::chrono::steady_clock::time_point> times;
  for (const auto& rq : f.cluster.requests()) {
    bool failed_round = rq.status == 503;
    bool explicit_round = rq.call && rq.call->type() == Call::RECONCILE && rq.call->reconcile().tasks_size() > 0;
    if (failed_round || explicit_round)
      times.push_back(rq.time);
  }
  CHECK(f.log->count("call_failed") == 3);
  for (const auto& e : f.log->snapshot())
    if (e.name == "call_failed")
      CHECK(e.detail.rfind("RECONCILE ", 0) == 0);
  CHECK(r.reconcile_calls(true) == 1);
  REQUIRE(times.size() == 4);
  // Truncated exponential backoff: rounds 150, 300, 600 ms apart. The times are arrivals
  // at the simulator, and a round's request may arrive late under load while the next
  // timer runs from when it was sent: each gap is allowed a third less, the sum 150 ms.
  using ms = std::chrono::milliseconds;
  CHECK(times[1] - times[0] >= ms(100));
  CHECK(times[2] - times[1] >= ms(200));
  CHECK(times[3] - times[2] >= ms(400));
  CHECK(times[3] - times[0] >= ms(900));
  CHECK(r.wait_calls(false, 1)); // then implicit
}

TEST_CASE("reconciliation: tasks the master does not know are reported") {
  sim_fixture f;
  rig r(f, 2, 2, {"ghost-1", "ghost-2"});
  REQUIRE(f.log->wait("unknown", std::chrono::seconds(15), "ghost-1 TASK_LOST"));
  REQUIRE(f.log->wait("unknown", std::chrono::seconds(5), "ghost-2 TASK_LOST"));
  REQUIRE(f.log->wait("confirmed", std::chrono::seconds(5)));
  CHECK(f.log->count("unknown") == 2);
}

TEST_CASE("reconciliation: tasks the framework does not track are reported by implicit reconciliation") {
  sim_fixture f;
  rig r(f, 3, 1); // task-1 and task-2 are launched but not tracked
  REQUIRE(f.log->wait("untracked", std::chrono::seconds(15), "task-1"));
  REQUIRE(f.log->wait("untracked", std::chrono::seconds(5), "task-2"));
  CHECK(f.log->wait("confirmed", std::chrono::seconds(5)));
}

TEST_CASE("reconciliation: after a master restart the framework reconciles again") {
  sim_fixture f;
  rig r(f, 2, 2);
  REQUIRE(f.log->wait("confirmed", std::chrono::seconds(15)));
  REQUIRE(r.wait_calls(true, 1)); // recorded after the updates it caused may arrive
  auto before = r.reconcile_calls(true);
  f.cluster.faults().restart_master(0);
  // Re-registered: a new explicit phase, confirmed again.
  REQUIRE(f.log->wait("reregistered", std::chrono::seconds(15)));
  REQUIRE(r.wait_calls(true, before + 1));
  CHECK(f.log->wait_until([](const std::vector<entry>& es) {
    return std::count_if(es.begin(), es.end(), [](const entry& e) { return e.name == "confirmed"; }) >= 2;
  }, std::chrono::seconds(15)));
  CHECK(f.log->count("unknown") == 0);
}

TEST_CASE("reconciliation: tasks of an agent that is gone end as LOST and are no longer tracked") {
  sim_fixture f;
  rig r(f, 2, 2);
  REQUIRE(f.log->wait("confirmed", std::chrono::seconds(15)));
  f.cluster.faults().kill_agent(0);
  REQUIRE(f.log->wait("status_update", std::chrono::seconds(10), "task-0 TASK_LOST"));
  REQUIRE(f.log->wait("status_update", std::chrono::seconds(10), "task-1 TASK_LOST"));
  // Explicitly reconciling them again: the tasks are untracked, so the next implicit
  // rounds report nothing as unknown or untracked.
  auto implicit_before = r.reconcile_calls(false);
  REQUIRE(r.wait_calls(false, implicit_before + 2));
  CHECK(f.log->count("unknown") == 0);
  CHECK(f.log->count("untracked") == 0);
}
