// Agent faults: loss (FAILURE, TASK_LOST/TASK_UNREACHABLE, RESCIND) and restarts.
#include <doctest/doctest.h>

#include "sim_client.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;

namespace {
std::string launch_running(cluster& sim, session& s, const std::string& task) {
  auto e = s.sub.next(Event::OFFERS);
  REQUIRE(e);
  auto offer = e->offers().offers(0);
  REQUIRE(s.send(launch_call(offer, task, "sleep 60")).status == 202);
  REQUIRE(sim.wait_for([&] { auto t = sim.task(task); return t && t->pid > 0; }, 5s));
  return offer.agent_id().value();
}
} // namespace

TEST_CASE("kill_agent: RESCIND of its offers, TASK_LOST for its tasks, FAILURE with the agent id") {
  auto opts = fast_options();
  opts.agents = 2;
  cluster sim(opts);
  sim.start();
  session s(sim.master_urls()[0], subscribe_call());
  auto agent_id = launch_running(sim, s, "t");
  auto pid = sim.task("t")->pid;
  std::size_t index = 0;
  auto agents = sim.agents();
  for (std::size_t i = 0; i < agents.size(); ++i)
    if (agents[i].id == agent_id)
      index = i;
  sim.faults().kill_agent(index);
  auto lost = s.sub.next(Event::UPDATE, 3s);
  while (lost && lost->update().status().state() != mesos::v1::TASK_LOST)
    lost = s.sub.next(Event::UPDATE, 3s);
  REQUIRE(lost);
  CHECK(lost->update().status().task_id().value() == "t");
  CHECK(lost->update().status().reason() == mesos::v1::TaskStatus::REASON_AGENT_REMOVED);
  CHECK(lost->update().status().source() == mesos::v1::TaskStatus::SOURCE_MASTER);
  CHECK(!lost->update().status().has_uuid());
  auto failure = s.sub.next(Event::FAILURE, 3s);
  REQUIRE(failure);
  CHECK(failure->failure().agent_id().value() == agent_id);
  CHECK(!failure->failure().has_executor_id());
  CHECK(!sim.agents()[index].running);
  CHECK(sim.wait_for([&] { return ::kill(pid, 0) != 0; }, 3s));
  for (auto& o : sim.offers())
    CHECK(o.agent_id().value() != agent_id);
}

TEST_CASE("kill_agent: partition-aware frameworks see TASK_UNREACHABLE") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call("pa", {}, {}, 0, true));
  launch_running(sim, s, "u");
  sim.faults().kill_agent(0);
  std::optional<Event> e;
  do
    e = s.sub.next(Event::UPDATE, 3s);
  while (e && e->update().status().state() != mesos::v1::TASK_UNREACHABLE);
  REQUIRE(e);
  CHECK(e->update().status().has_unreachable_time());
  CHECK(s.sub.next(Event::FAILURE, 3s));
  CHECK(sim.task("u")->state == mesos::v1::TASK_UNREACHABLE);
}

TEST_CASE("restart_agent with checkpointing keeps task processes; without, they are lost") {
  SUBCASE("checkpointed") {
    cluster sim(fast_options());
    sim.start();
    session s(sim.master_urls()[0], subscribe_call());
    launch_running(sim, s, "k");
    auto pid = sim.task("k")->pid;
    auto before = sim.agents()[0];
    sim.faults().restart_agent(0);
    REQUIRE(sim.wait_for([&] { return sim.agents()[0].running; }, 5s));
    CHECK(sim.agents()[0].id == before.id);
    CHECK(sim.agents()[0].port == before.port);
    CHECK(::kill(pid, 0) == 0);
    CHECK(sim.task("k")->pid == pid);
  }
  SUBCASE("not checkpointed") {
    auto opts = fast_options();
    opts.agent_checkpoint = false;
    cluster sim(opts);
    sim.start();
    session s(sim.master_urls()[0], subscribe_call());
    launch_running(sim, s, "n");
    auto pid = sim.task("n")->pid;
    auto before = sim.agents()[0];
    sim.faults().restart_agent(0);
    std::optional<Event> e;
    do
      e = s.sub.next(Event::UPDATE, 3s);
    while (e && e->update().status().state() != mesos::v1::TASK_LOST);
    REQUIRE(e);
    CHECK(e->update().status().reason() == mesos::v1::TaskStatus::REASON_AGENT_RESTARTED);
    REQUIRE(sim.wait_for([&] { return sim.agents()[0].running; }, 5s));
    CHECK(sim.agents()[0].id != before.id);
    CHECK(sim.wait_for([&] { return ::kill(pid, 0) != 0; }, 3s));
    // The new agent's resources are offered again.
    auto offers = s.sub.next(Event::OFFERS, 3s);
    while (offers && offers->offers().offers(0).agent_id().value() != sim.agents()[0].id)
      offers = s.sub.next(Event::OFFERS, 3s);
    CHECK(offers);
  }
}
