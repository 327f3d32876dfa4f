// The library against a real Mesos master and agent (run by tests/conformance/run.sh
// with MESOS_BUILD_DIR set; every case is skipped without it): every scheduler call and
// the master's answer, reconciliation, framework failover, master restart, agent
// restart with a checkpointing custom executor, and TEARDOWN. Each case starts a
// fresh master+agent (real_cluster) and ends them.
#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>

#include <caf/send.hpp>

#include "support/child_process.hpp"
#include "conformance/real_cluster.hpp"
#include "support/fast_options.hpp"
#include "support/recording_scheduler.hpp"
#include "support/wait.hpp"

using namespace test;
using mesos_actor::action;
using mesos_actor::call_outcome;
using mesos_actor::content_type;
using ctx_t = recording_scheduler::ctx_t;
using conformance::real_cluster;

#ifndef MESOS_ACTOR_BUILD_DIR
#error "MESOS_ACTOR_BUILD_DIR must be defined"
#endif

#define SKIP_WITHOUT_MESOS()                                                                    \
  if (auto why = real_cluster::unavailable()) {                                               \
    MESSAGE("skipped: " << *why);                                                              \
    return;                                                                                    \
  }

namespace {

template <class T>
T with_value(const std::string& v) {
  T x;
  x.set_value(v);
  return x;
}

// n random bytes; 16 of them form an RFC 4122 version-4 UUID (Mesos refuses 16 bytes
// whose version nibble is not 1..5 with "Not a valid UUID").
std::string random_uuid_bytes(std::size_t n = 16) {
  std::random_device rd;
  std::string out(n, '\0');
  for (auto& c : out)
    c = static_cast<char>(rd() & 0xff);
  if (n == 16) {
    out[6] = static_cast<char>((out[6] & 0x0f) | 0x40);
    out[8] = static_cast<char>((out[8] & 0x3f) | 0x80);
  }
  return out;
}

// Options for a real master: its 15 s heartbeats, a restart taking seconds.
mesos_actor::scheduler_options real_options(const real_cluster& c, content_type ct) {
  mesos_actor::scheduler_options o;
  o.master_hosts = {c.master()};
  o.content = ct;
  o.backoff_initial = std::chrono::milliseconds(200);
  o.backoff_max = std::chrono::seconds(2);
  o.max_num_resubscribe = 60;
  if (!std::getenv("SCHED_TEST_LOG"))
    o.logging.min_level = mesos_actor::log_level::off;
  return o;
}

// A continuation that logs the outcome as an "outcome" entry whose detail is `label`.
mesos_actor::call_continuation record(std::shared_ptr<event_log> log, std::string label) {
  return [log, label](ctx_t&, const call_outcome& o) {
    entry e;
    e.name = "outcome";
    e.detail = label;
    e.outcome = o;
    log->push(std::move(e));
    return action::keep;
  };
}

std::optional<call_outcome> outcome(event_log& log, const std::string& label,
                                    std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  for (auto& e : log.snapshot())
    if (e.name == "outcome" && e.detail == label)
      return e.outcome;
  if (auto e = log.wait("outcome", timeout, label))
    return e->outcome;
  return std::nullopt;
}

// The status update entry for `task` in `state` (detail "task STATE"), awaited.
std::optional<entry> update(event_log& log, const std::string& task, const std::string& state,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30),
                            std::size_t from = 0) {
  return log.wait("status_update", timeout, task + " " + state, from);
}

mesos::v1::TaskInfo shell_task(const std::string& id, const mesos::v1::AgentID& agent,
                               const std::string& command) {
  return mesos_actor::command_task(id, id, agent, command,
                                   {mesos_actor::scalar_resource("cpus", 0.1),
                                    mesos_actor::scalar_resource("mem", 32)});
}

// A task run by example_executor (the agent starts it), doing `job` (its TaskInfo.data).
mesos::v1::TaskInfo executor_task(const std::string& id, const mesos::v1::AgentID& agent,
                                  const std::string& job) {
  auto t = shell_task(id, agent, "unused");
  t.clear_command();
  t.set_data(job);
  auto& e = *t.mutable_executor();
  e.mutable_executor_id()->set_value("conformance-executor");
  const char* path = std::getenv("MESOS_CONFORMANCE_EXECUTOR");
  e.mutable_command()->set_value(path ? path : MESOS_ACTOR_BUILD_DIR "/examples/example_executor");
  return t;
}

struct actors {
  system_config cfg;
  caf::actor_system sys{cfg};
};

// An OFFERS handler that launches one task, made by `task` for the offer's agent, on the
// first offer it sees and declines every other offer for an hour.
template <class MakeTask>
auto launch_once(MakeTask task) {
  auto launched = std::make_shared<bool>(false);
  return [launched, task](ctx_t& ctx, const Event::Offers& offers) {
    for (auto& offer : offers.offers()) {
      if (*launched) {
        ctx.decline({offer.id()}, mesos_actor::refuse_filters(3600));
        continue;
      }
      *launched = true;
      ctx.accept({offer.id()}, {mesos_actor::launch({task(offer.agent_id())})});
    }
    return action::keep;
  };
}

// Tears the framework down through its handle_info, waits for the actor to end normally
// and checks the real master lists no active framework afterwards.
void teardown_and_check_gone(actors& a, const caf::actor& fw, real_cluster& cluster) {
  caf::anon_send(fw, std::string{"teardown"});
  auto down = wait_exit(a.sys, fw, std::chrono::seconds(20));
  REQUIRE(down);
  CHECK(!*down);
  CHECK(cluster.active_frameworks() == 0);
}

} // namespace

TEST_CASE("every scheduler call answered by a real master as our docs say; TEARDOWN ends the framework") {
  SKIP_WITHOUT_MESOS();
  for (auto ct : {content_type::protobuf, content_type::json}) {
    CAPTURE(mesos_actor::content_type_name(ct));
    real_cluster cluster{"calls"};
    actors a;
    auto log = std::make_shared<event_log>();
    auto b = std::make_unique<recording_scheduler>(log);
    b->info_template.set_user("root");
    b->info_template.set_name("conformance-calls");
    b->info_template.add_capabilities()->set_type(
      mesos::v1::FrameworkInfo::Capability::TASK_KILLING_STATE);
    auto agent = std::make_shared<mesos::v1::AgentID>();
    bool launched = false;
    b->on_offers = [&, log, agent](ctx_t& ctx, const Event::Offers& offers) {
      for (auto& offer : offers.offers()) {
        if (launched) {
          // DECLINE of a live offer; then of the same (now unknown) offer again.
          ctx.decline({offer.id()}, mesos_actor::refuse_filters(3600), record(log, "DECLINE"));
          ctx.decline({offer.id()}, std::nullopt, record(log, "DECLINE unknown offer"));
          continue;
        }
        launched = true;
        *agent = offer.agent_id();
        ctx.accept({offer.id()}, {mesos_actor::launch({shell_task("t1", offer.agent_id(), "sleep 60")})},
                   mesos_actor::refuse_filters(1), record(log, "ACCEPT"));
      }
      return action::keep;
    };
    b->on_update = [&, log, agent](ctx_t& ctx, const Event::Update& u) {
      if (u.status().task_id().value() != "t1" || u.status().state() != mesos::v1::TASK_RUNNING
          || u.status().has_reason())
        return action::keep;
      ctx.reconcile_tasks({{u.status().task_id(), *agent}}, record(log, "RECONCILE explicit"));
      ctx.reconcile({}, record(log, "RECONCILE implicit"));
      ctx.reconcile_tasks({{with_value<mesos::v1::TaskID>("no-such-task"), *agent}},
                          record(log, "RECONCILE unknown task"));
      ctx.message(*agent, with_value<mesos::v1::ExecutorID>("t1"), "hello",
                  record(log, "MESSAGE"));
      mesos::v1::Request req;
      *req.mutable_agent_id() = *agent;
      ctx.request({req}, record(log, "REQUEST"));
      ctx.suppress({}, record(log, "SUPPRESS"));
      ctx.revive({}, record(log, "REVIVE"));
      ctx.suppress({"*"}, record(log, "SUPPRESS role"));
      ctx.revive({"*"}, record(log, "REVIVE role"));
      ctx.accept_inverse_offers({with_value<mesos::v1::OfferID>("no-such-inverse-offer")},
                                std::nullopt, record(log, "ACCEPT_INVERSE_OFFERS"));
      ctx.decline_inverse_offers({with_value<mesos::v1::OfferID>("no-such-inverse-offer")},
                                 std::nullopt, record(log, "DECLINE_INVERSE_OFFERS"));
      ctx.acknowledge(*agent, u.status().task_id(), random_uuid_bytes(),
                      record(log, "ACKNOWLEDGE unknown uuid"));
      ctx.acknowledge(*agent, u.status().task_id(), random_uuid_bytes(15),
                      record(log, "ACKNOWLEDGE 15-byte uuid"));
      ctx.acknowledge_operation_status(*agent, nullptr, random_uuid_bytes(),
                                       with_value<mesos::v1::OperationID>("no-such-operation"),
                                       record(log, "ACKNOWLEDGE_OPERATION_STATUS"));
      ctx.reconcile_operations({}, record(log, "RECONCILE_OPERATIONS"));
      auto info = ctx.framework_info();
      info.set_name("conformance-calls-renamed");
      ctx.update_framework(info, {}, record(log, "UPDATE_FRAMEWORK"));
      auto other_user = ctx.framework_info();
      other_user.set_user("someone-else");
      ctx.update_framework(other_user, {}, record(log, "UPDATE_FRAMEWORK changing user"));
      ctx.kill(with_value<mesos::v1::TaskID>("no-such-task-2"), *agent, std::nullopt,
               record(log, "KILL unknown task"));
      ctx.kill(u.status().task_id(), *agent, std::nullopt, record(log, "KILL"));
      ctx.shutdown(with_value<mesos::v1::ExecutorID>("t1"), *agent, record(log, "SHUTDOWN"));
      return action::keep;
    };
    b->on_info = [log](ctx_t& ctx, const caf::message&) {
      ctx.teardown(record(log, "TEARDOWN"));
      return action::keep;
    };
    auto opts = real_options(cluster, ct);
    auto fw = mesos_actor::spawn_scheduler(a.sys, std::move(b), opts);

    auto reg = log->wait("registered", std::chrono::seconds(20));
    REQUIRE(reg);
    auto framework_id = reg->detail;
    REQUIRE(update(*log, "t1", "TASK_RUNNING"));
    for (std::string label : {"ACCEPT", "RECONCILE explicit", "RECONCILE implicit", "RECONCILE unknown task",
                       "MESSAGE", "REQUEST", "SUPPRESS", "REVIVE", "SUPPRESS role", "REVIVE role",
                       "ACCEPT_INVERSE_OFFERS", "DECLINE_INVERSE_OFFERS", "ACKNOWLEDGE unknown uuid",
                       "ACKNOWLEDGE_OPERATION_STATUS", "RECONCILE_OPERATIONS", "KILL unknown task",
                       "KILL", "SHUTDOWN"}) {
      CAPTURE(label);
      auto o = outcome(*log, label);
      REQUIRE(o);
      INFO("answer: " << o->http_status << " " << o->body);
      CHECK(o->ok());
      CHECK(o->http_status == 202);
      CHECK(o->body.empty());
    }
    // UPDATE_FRAMEWORK is answered synchronously: 200 once applied.
    auto upd = outcome(*log, "UPDATE_FRAMEWORK");
    REQUIRE(upd);
    CHECK(upd->ok());
    CHECK(upd->http_status == 200);
    // 400 with the master's reason for what it refuses.
    auto bad_ack = outcome(*log, "ACKNOWLEDGE 15-byte uuid");
    REQUIRE(bad_ack);
    CHECK(bad_ack->result == call_outcome::status::rejected);
    CHECK(bad_ack->http_status == 400);
    MESSAGE("ACKNOWLEDGE with a 15-byte uuid: " << bad_ack->http_status << " " << bad_ack->body);
    CHECK(!bad_ack->body.empty());
    auto bad_upd = outcome(*log, "UPDATE_FRAMEWORK changing user");
    REQUIRE(bad_upd);
    CHECK(bad_upd->result == call_outcome::status::rejected);
    CHECK(bad_upd->http_status == 400);
    MESSAGE("UPDATE_FRAMEWORK changing the user: " << bad_upd->http_status << " " << bad_upd->body);
    CHECK(!bad_upd->body.empty());

    // Reconciliation answered by the master: no uuid, REASON_RECONCILIATION.
    auto rec = log->wait("status_update", std::chrono::seconds(20), "no-such-task TASK_");
    REQUIRE(rec);
    MESSAGE("explicit reconciliation of an unknown task on a live agent: " << rec->detail);
    CHECK(rec->detail == "no-such-task TASK_LOST"); // not PARTITION_AWARE
    CHECK(rec->event.update().status().reason() == mesos::v1::TaskStatus::REASON_RECONCILIATION);
    CHECK(!rec->event.update().status().has_uuid());
    CHECK(log->wait_until(
      [](const std::vector<entry>& es) {
        int running_reconciled = 0;
        for (auto& e : es)
          if (e.name == "status_update" && e.detail == "t1 TASK_RUNNING"
              && e.event.update().status().reason() == mesos::v1::TaskStatus::REASON_RECONCILIATION)
            ++running_reconciled;
        return running_reconciled >= 2; // explicit and implicit
      },
      std::chrono::seconds(20)));
    // KILL with TASK_KILLING_STATE: TASK_KILLING then TASK_KILLED.
    CHECK(update(*log, "t1", "TASK_KILLING"));
    CHECK(update(*log, "t1", "TASK_KILLED"));

    // TEARDOWN (made inside the actor: the test asks through handle_info): 202, the
    // actor ends normally, and the master keeps no active framework.
    CHECK(cluster.active_frameworks() == 1);
    caf::anon_send(fw, std::string{"teardown"});
    auto down = wait_exit(a.sys, fw, std::chrono::seconds(20));
    REQUIRE(down);
    CHECK(!*down);
    // The real master ends the subscription stream as it tears the framework down,
    // often before its 202 arrives: the actor then stops on the end of the stream
    // (TEARDOWN sent) and the continuation is not run. If it ran, it saw 202.
    if (auto td = outcome(*log, "TEARDOWN", std::chrono::milliseconds(0)))
      CHECK(td->http_status == 202);
    CHECK(cluster.active_frameworks() == 0);
    CHECK(cluster.get("/master/frameworks").find(framework_id) != std::string::npos); // completed
  }
}

TEST_CASE("framework failover: the scheduler process is killed, a new one with the persisted id keeps its tasks") {
  SKIP_WITHOUT_MESOS();
  real_cluster cluster{"failover"};
  // The first scheduler is the launch_tasks example in a process of its own, killed
  // (SIGKILL) once its task runs; its framework id is read from its output.
  testkit::child_process first{{MESOS_ACTOR_BUILD_DIR "/examples/launch_tasks", "--master",
                                cluster.master(), "--tasks", "1", "--command", "sleep 12",
                                "--failover-timeout", "300", "--timeout", "120"},
                               testkit::child_output{"", true, false}};
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (out.find("task-1: TASK_RUNNING") == std::string::npos
         && std::chrono::steady_clock::now() < deadline)
    out += first.read_all(std::chrono::milliseconds(500));
  INFO("launch_tasks said: " << out);
  REQUIRE(out.find("task-1: TASK_RUNNING") != std::string::npos);
  auto at = out.find("registered as framework ");
  REQUIRE(at != std::string::npos);
  auto id = out.substr(at + 24, out.find(' ', at + 24) - (at + 24));
  first.kill();
  CHECK(cluster.active_frameworks() == 1); // disconnected, kept for failover_timeout

  // The second scheduler subscribes with that id: a failover, the task lives on.
  actors a;
  auto log = std::make_shared<event_log>();
  auto b = std::make_unique<recording_scheduler>(log);
  b->info_template.set_user("root");
  b->info_template.set_name("launch_tasks");
  b->info_template.set_failover_timeout(300);
  b->on_registered = [log](ctx_t& ctx, const Event::Subscribed&) {
    ctx.reconcile({}, record(log, "RECONCILE implicit"));
    return action::keep;
  };
  b->on_reregistered = b->on_registered;
  b->on_info = [](ctx_t& ctx, const caf::message&) {
    ctx.teardown();
    return action::keep;
  };
  auto opts = real_options(cluster, content_type::protobuf);
  opts.framework_id = id;
  auto fw = mesos_actor::spawn_scheduler(a.sys, std::move(b), opts);
  auto sub = log->wait_until(
    [](const std::vector<entry>& es) {
      for (auto& e : es)
        if (e.name == "registered" || e.name == "reregistered")
          return true;
      return false;
    },
    std::chrono::seconds(20));
  REQUIRE(sub);
  auto entries = log->snapshot();
  for (auto& e : entries)
    if (e.name == "registered" || e.name == "reregistered")
      CHECK(e.detail == id); // the master accepted the failover: same framework id
  auto running = update(*log, "task-1", "TASK_RUNNING");
  REQUIRE(running); // from the implicit reconciliation: the task survived
  CHECK(update(*log, "task-1", "TASK_FINISHED", std::chrono::seconds(40)));
  CHECK(cluster.active_frameworks() == 1);
  teardown_and_check_gone(a, fw, cluster);
}

TEST_CASE("master restart under a running task: the scheduler resubscribes, the task's end arrives") {
  SKIP_WITHOUT_MESOS();
  real_cluster cluster{"master-restart"};
  actors a;
  auto log = std::make_shared<event_log>();
  auto b = std::make_unique<recording_scheduler>(log);
  b->info_template.set_user("root");
  b->info_template.set_name("conformance-master-restart");
  b->info_template.set_failover_timeout(300);
  b->on_offers = launch_once([](const mesos::v1::AgentID& agent) {
    return shell_task("t1", agent, "sleep 20");
  });
  b->on_info = [](ctx_t& ctx, const caf::message&) {
    ctx.teardown();
    return action::keep;
  };
  auto fw = mesos_actor::spawn_scheduler(a.sys, std::move(b), real_options(cluster, content_type::json));
  auto reg = log->wait("registered", std::chrono::seconds(20));
  REQUIRE(reg);
  REQUIRE(update(*log, "t1", "TASK_RUNNING"));
  auto before = log->size();
  cluster.stop_master();
  REQUIRE(log->wait("disconnected", std::chrono::seconds(20), "", before));
  auto down_at = std::chrono::steady_clock::now();
  cluster.start_master();
  auto back_at = std::chrono::steady_clock::now();
  auto rereg = log->wait("reregistered", std::chrono::seconds(60), "", before);
  REQUIRE(rereg);
  CHECK(rereg->detail == reg->detail); // same framework id on the new master
  MESSAGE("master down for "
          << std::chrono::duration_cast<std::chrono::milliseconds>(back_at - down_at).count()
          << " ms; resubscribed "
          << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now()
                                                                   - back_at).count()
          << " ms after it answered again");
  CHECK(update(*log, "t1", "TASK_FINISHED", std::chrono::seconds(90)));
  teardown_and_check_gone(a, fw, cluster);
}

TEST_CASE("agent restart with checkpointing: the custom executor reconnects, no update is lost") {
  SKIP_WITHOUT_MESOS();
  real_cluster cluster{"agent-restart"};
  actors a;
  auto log = std::make_shared<event_log>();
  auto b = std::make_unique<recording_scheduler>(log);
  b->info_template.set_user("root");
  b->info_template.set_name("conformance-agent-restart");
  b->info_template.set_checkpoint(true);
  b->info_template.set_failover_timeout(300);
  b->on_offers = launch_once([](const mesos::v1::AgentID& agent) {
    return executor_task("e1", agent, "builtin:sleep=15000");
  });
  b->on_info = [](ctx_t& ctx, const caf::message&) {
    ctx.teardown();
    return action::keep;
  };
  auto fw = mesos_actor::spawn_scheduler(a.sys, std::move(b), real_options(cluster, content_type::protobuf));
  REQUIRE(log->wait("registered", std::chrono::seconds(20)));
  REQUIRE(update(*log, "e1", "TASK_RUNNING"));
  cluster.stop_agent();
  cluster.start_agent(); // returns once the recovered agent is active again
  CHECK(update(*log, "e1", "TASK_FINISHED", std::chrono::seconds(60)));
  std::vector<std::string> states;
  for (auto& e : log->snapshot())
    if (e.name == "status_update" && e.detail.rfind("e1 ", 0) == 0
        && e.event.update().status().reason() != mesos::v1::TaskStatus::REASON_RECONCILIATION)
      states.push_back(e.detail.substr(3));
  CHECK(states == std::vector<std::string>{"TASK_RUNNING", "TASK_FINISHED"});
  teardown_and_check_gone(a, fw, cluster);
}
