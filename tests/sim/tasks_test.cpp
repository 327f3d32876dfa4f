// Command tasks and the status-update manager: STARTING/RUNNING/FINISHED with uuids,
// retries until ACKNOWLEDGE, kills, bad launches, reconciliation, teardown.
#include <doctest/doctest.h>

#include <fstream>
#include <unistd.h>
#include <sstream>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;
using mesos::v1::TaskStatus;

namespace {

// Next UPDATE for `task`, acknowledging it when it has a uuid and `ack` is set.
std::optional<TaskStatus> next_update(session& s, const std::string& task, bool ack = true,
                                      std::chrono::milliseconds timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto e = s.sub.next(Event::UPDATE, std::chrono::duration_cast<std::chrono::milliseconds>(
                                         deadline - std::chrono::steady_clock::now()));
    if (!e)
      return std::nullopt;
    const auto& st = e->update().status();
    if (st.task_id().value() != task)
      continue;
    if (ack && st.has_uuid())
      REQUIRE(s.send(ack_call(st)).status == 202);
    return st;
  }
  return std::nullopt;
}
} // namespace

TEST_CASE("a command task reports STARTING, RUNNING, FINISHED, each with a uuid, from the executor") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "t1", "echo hello-sandbox")).status == 202);
  std::vector<mesos::v1::TaskState> states;
  for (int i = 0; i < 3; ++i) {
    auto st = next_update(s, "t1");
    REQUIRE(st);
    states.push_back(st->state());
    CHECK(st->uuid().size() == 16);
    CHECK(st->source() == TaskStatus::SOURCE_EXECUTOR);
    CHECK(st->agent_id().value() == offer.agent_id().value());
    CHECK(st->executor_id().value() == "t1");
    CHECK(st->timestamp() > 0);
  }
  CHECK(states == std::vector<mesos::v1::TaskState>{mesos::v1::TASK_STARTING, mesos::v1::TASK_RUNNING,
                                                     mesos::v1::TASK_FINISHED});
  REQUIRE(sim.wait_for([&] { return sim.unacknowledged_updates().empty(); }, 2s));
  auto t = sim.task("t1");
  REQUIRE(t);
  CHECK(t->state == mesos::v1::TASK_FINISHED);
  std::ifstream out(t->sandbox + "/stdout");
  std::stringstream ss;
  ss << out.rdbuf();
  CHECK(ss.str() == "hello-sandbox\n");
}

TEST_CASE("a failing command reports TASK_FAILED with the exit status; argv form runs without a shell") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  auto c = launch_call(offer, "bad", "exit 3");
  auto* t2 = c.mutable_accept()->mutable_operations(0)->mutable_launch()->add_task_infos();
  *t2 = c.accept().operations(0).launch().task_infos(0);
  t2->mutable_task_id()->set_value("argv");
  t2->mutable_command()->set_shell(false);
  t2->mutable_command()->set_value("false");
  t2->mutable_command()->add_arguments("false");
  REQUIRE(s.send(c).status == 202);
  std::map<std::string, TaskStatus> last;
  while (true) {
    auto e = s.sub.next(Event::UPDATE);
    REQUIRE(e);
    auto st = e->update().status();
    REQUIRE(s.send(ack_call(st)).status == 202);
    if (st.state() == mesos::v1::TASK_FAILED)
      last[st.task_id().value()] = st;
    if (last.size() == 2)
      break;
  }
  CHECK(last["bad"].message() == "Command exited with status 3");
  CHECK(last["argv"].message() == "Command exited with status 1");
}

TEST_CASE("unacknowledged updates are retried and hold back the next update of the task") {
  auto opts = fast_options();
  opts.update_retry_initial = 200ms;
  cluster sim(opts);
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "r", "true")).status == 202);
  auto first = next_update(s, "r", false);
  REQUIRE(first);
  CHECK(first->state() == mesos::v1::TASK_STARTING);
  auto again = next_update(s, "r", false, 2s);
  REQUIRE(again);
  CHECK(again->state() == mesos::v1::TASK_STARTING); // the same update, resent
  CHECK(again->uuid() == first->uuid());
  auto pending = sim.unacknowledged_updates(s.fid);
  REQUIRE(pending.size() == 3); // STARTING (head), RUNNING, FINISHED queued behind it
  CHECK(pending[0].attempts >= 2);
  // An acknowledgement with a uuid that is not the head's changes nothing.
  auto wrong = *first;
  wrong.set_uuid(std::string("\x01\x02\x03\x04\x05\x06\x47\x08\x89\x0a\x0b\x0c\x0d\x0e\x0f\x10", 16)); // a valid version-4 UUID
  REQUIRE(s.send(ack_call(wrong)).status == 202);
  auto st = next_update(s, "r", false, 2s);
  REQUIRE(st);
  CHECK(st->state() == mesos::v1::TASK_STARTING);
  REQUIRE(s.send(ack_call(*first)).status == 202);
  auto next = next_update(s, "r");
  REQUIRE(next);
  CHECK(next->state() == mesos::v1::TASK_RUNNING);
}

TEST_CASE("KILL sends SIGTERM and reports TASK_KILLED; TASK_KILLING first with the capability") {
  cluster sim(fast_options());
  sim.start();
  auto sub = subscribe_call();
  sub.mutable_subscribe()->mutable_framework_info()->add_capabilities()->set_type(
    mesos::v1::FrameworkInfo::Capability::TASK_KILLING_STATE);
  session s(sim.master_urls()[0], sub);
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "long", "sleep 30")).status == 202);
  auto st = next_update(s, "long");
  st = next_update(s, "long");
  REQUIRE(st);
  REQUIRE(st->state() == mesos::v1::TASK_RUNNING);
  auto pid = sim.task("long")->pid;
  CHECK(pid > 0);
  Call kill = call_of(Call::KILL, s.fid);
  kill.mutable_kill()->mutable_task_id()->set_value("long");
  *kill.mutable_kill()->mutable_agent_id() = offer.agent_id();
  REQUIRE(s.send(kill).status == 202);
  auto killing = next_update(s, "long");
  REQUIRE(killing);
  CHECK(killing->state() == mesos::v1::TASK_KILLING);
  auto killed = next_update(s, "long");
  REQUIRE(killed);
  CHECK(killed->state() == mesos::v1::TASK_KILLED);
}

TEST_CASE("KILL escalates to SIGKILL after the grace period") {
  auto opts = fast_options();
  opts.kill_grace_period = 300ms;
  cluster sim(opts);
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "stubborn",
                             "trap '' TERM; touch trapped; sleep 30 & wait; sleep 30")).status == 202);
  next_update(s, "stubborn");
  REQUIRE(next_update(s, "stubborn")->state() == mesos::v1::TASK_RUNNING);
  // RUNNING comes at fork time; wait until the shell really ignores SIGTERM.
  auto sandbox = sim.task("stubborn")->sandbox;
  REQUIRE(sim.wait_for([&] { return ::access((sandbox + "/trapped").c_str(), F_OK) == 0; }, 5s));
  Call kill = call_of(Call::KILL, s.fid);
  kill.mutable_kill()->mutable_task_id()->set_value("stubborn");
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(s.send(kill).status == 202);
  auto killed = next_update(s, "stubborn");
  REQUIRE(killed);
  CHECK(killed->state() == mesos::v1::TASK_KILLED);
  CHECK(std::chrono::steady_clock::now() - t0 >= 250ms);
  CHECK(killed->message().find("signal") != std::string::npos);
}

TEST_CASE("bad launches: TASK_ERROR for invalid tasks, TASK_LOST/TASK_DROPPED for invalid offers") {
  cluster sim(fast_options());
  sim.start();
  SUBCASE("too many resources and missing command") {
    session s(sim.master_urls()[0], subscribe_call());
    auto offer = first_offer(s);
    auto c = launch_call(offer, "huge", "true", 1000);
    auto* t2 = c.mutable_accept()->mutable_operations(0)->mutable_launch()->add_task_infos();
    t2->set_name("nocmd");
    t2->mutable_task_id()->set_value("nocmd");
    *t2->mutable_agent_id() = offer.agent_id();
    REQUIRE(s.send(c).status == 202);
    std::map<std::string, TaskStatus> got;
    while (got.size() < 2) {
      auto e = s.sub.next(Event::UPDATE);
      REQUIRE(e);
      got[e->update().status().task_id().value()] = e->update().status();
    }
    for (auto& [id, st] : got) {
      CHECK(st.state() == mesos::v1::TASK_ERROR);
      CHECK(st.reason() == TaskStatus::REASON_TASK_INVALID);
      CHECK(st.source() == TaskStatus::SOURCE_MASTER);
      CHECK(!st.has_uuid());
    }
    // Mesos's text: "Total resources ... required by task and its executor is more than
    // available ...".
    CHECK(got["huge"].message().find("is more than available") != std::string::npos);
  }
  SUBCASE("offer no longer valid, not partition-aware -> TASK_LOST") {
    session s(sim.master_urls()[0], subscribe_call());
    auto offer = first_offer(s);
    offer.mutable_id()->set_value("gone");
    REQUIRE(s.send(launch_call(offer, "x", "true")).status == 202);
    auto st = next_update(s, "x");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_LOST);
    CHECK(st->reason() == TaskStatus::REASON_INVALID_OFFERS);
    CHECK(!st->has_uuid());
  }
  SUBCASE("partition-aware -> TASK_DROPPED") {
    session s(sim.master_urls()[0], subscribe_call("pa", {}, {}, 0, true));
    auto offer = first_offer(s);
    offer.mutable_id()->set_value("gone");
    REQUIRE(s.send(launch_call(offer, "y", "true")).status == 202);
    auto st = next_update(s, "y");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_DROPPED);
  }
  SUBCASE("an offer can be used only once") {
    session s(sim.master_urls()[0], subscribe_call());
    auto offer = first_offer(s);
    REQUIRE(s.send(launch_call(offer, "once", "sleep 5")).status == 202);
    REQUIRE(s.send(launch_call(offer, "twice", "true")).status == 202);
    auto st = next_update(s, "twice");
    REQUIRE(st);
    CHECK(st->state() == mesos::v1::TASK_LOST);
  }
}

TEST_CASE("reconciliation: implicit lists every task, explicit answers unknown tasks as Mesos") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "rec", "sleep 30")).status == 202);
  next_update(s, "rec");
  REQUIRE(next_update(s, "rec")->state() == mesos::v1::TASK_RUNNING);

  Call implicit = call_of(Call::RECONCILE, s.fid);
  implicit.mutable_reconcile();
  REQUIRE(s.send(implicit).status == 202);
  auto st = next_update(s, "rec");
  REQUIRE(st);
  CHECK(st->state() == mesos::v1::TASK_RUNNING);
  CHECK(st->reason() == TaskStatus::REASON_RECONCILIATION);
  CHECK(!st->has_uuid());

  Call r = call_of(Call::RECONCILE, s.fid);
  auto* t = r.mutable_reconcile()->add_tasks();
  t->mutable_task_id()->set_value("ghost");
  *t->mutable_agent_id() = offer.agent_id();
  r.mutable_reconcile()->add_tasks()->mutable_task_id()->set_value("ghost2");
  REQUIRE(s.send(r).status == 202);
  auto g = next_update(s, "ghost");
  REQUIRE(g);
  CHECK(g->state() == mesos::v1::TASK_LOST);
  CHECK(g->reason() == TaskStatus::REASON_RECONCILIATION);
  auto g2 = next_update(s, "ghost2");
  REQUIRE(g2);
  CHECK(g2->state() == mesos::v1::TASK_LOST);

  session pa(sim.master_urls()[0], subscribe_call("pa", {}, {}, 0, true));
  Call r2 = call_of(Call::RECONCILE, pa.fid);
  auto* t2 = r2.mutable_reconcile()->add_tasks();
  t2->mutable_task_id()->set_value("ghost");
  *t2->mutable_agent_id() = offer.agent_id();
  r2.mutable_reconcile()->add_tasks()->mutable_task_id()->set_value("ghost2");
  REQUIRE(pa.send(r2).status == 202);
  auto p1 = next_update(pa, "ghost");
  REQUIRE(p1);
  CHECK(p1->state() == mesos::v1::TASK_GONE);
  auto p2 = next_update(pa, "ghost2");
  REQUIRE(p2);
  CHECK(p2->state() == mesos::v1::TASK_UNKNOWN);
}

TEST_CASE("TEARDOWN kills the tasks, ends the stream, and the id cannot subscribe again") {
  cluster sim(fast_options());
  sim.start();
  auto url = sim.master_urls()[0];
  session s(url, subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "doomed", "sleep 30")).status == 202);
  next_update(s, "doomed");
  next_update(s, "doomed");
  auto pid = sim.task("doomed")->pid;
  REQUIRE(pid > 0);
  REQUIRE(s.send(call_of(Call::TEARDOWN, s.fid)).status == 202);
  CHECK(s.sub.wait_end());
  CHECK(sim.wait_for([&] { return sim.frameworks().empty(); }, 2s));
  CHECK(sim.wait_for([&] { return ::kill(pid, 0) != 0; }, 3s));
  CHECK(sim.task("doomed")->state == mesos::v1::TASK_KILLED);
  subscription again(url, subscribe_call("again", s.fid));
  REQUIRE(again.status() == 200);
  auto e = again.next();
  REQUIRE(e);
  CHECK(e->type() == Event::ERROR);
  CHECK(e->error().message() == "Framework has been removed");
  CHECK(again.wait_end());
}

TEST_CASE("SHUTDOWN of a command task's executor kills the task") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto offer = first_offer(s);
  REQUIRE(s.send(launch_call(offer, "sd", "sleep 30")).status == 202);
  next_update(s, "sd");
  next_update(s, "sd");
  Call sd = call_of(Call::SHUTDOWN, s.fid);
  sd.mutable_shutdown()->mutable_executor_id()->set_value("sd");
  *sd.mutable_shutdown()->mutable_agent_id() = offer.agent_id();
  REQUIRE(s.send(sd).status == 202);
  auto st = next_update(s, "sd");
  REQUIRE(st);
  CHECK(st->state() == mesos::v1::TASK_KILLED);

  Call msg = call_of(Call::MESSAGE, s.fid);
  *msg.mutable_message()->mutable_agent_id() = offer.agent_id();
  msg.mutable_message()->mutable_executor_id()->set_value("nobody");
  msg.mutable_message()->set_data("hi");
  CHECK(s.send(msg).status == 202);
}
