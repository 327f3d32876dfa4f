// The simulator's agent launching REAL executor processes (tests/executor_process and
// examples/executor.cpp), driven by a real scheduler actor: launch, launch group, kill,
// messages both ways, acknowledgements, shutdown with grace period, agent restarts
// with and without checkpointing, recovery timeout, bad environment.
#include <doctest/doctest.h>

#include <deque>
#include <fstream>
#include <sys/wait.h>
#include <filesystem>
#include <set>

#include <caf/send.hpp>

#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "support/recording_executor.hpp"
#include "executor/sim_fixture.hpp"

using namespace test;
using namespace mesos_actor;
using SchedEvent = mesos::v1::scheduler::Event;


TEST_CASE_FIXTURE(sim_fixture, "sim: launch, kill, messages both ways and acknowledgements") {
  REQUIRE(std::filesystem::exists(test_process));
  start(false);
  auto exec = executor_info("e1", test_process);
  launch(exec, {{"t1", "run"}, {"t2", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  REQUIRE(wait_state("t2", mesos::v1::TASK_RUNNING));
  // The agent acknowledged the executor's updates.
  REQUIRE(cluster->wait_for(
    [&] { return executor_events(mesos::v1::executor::Event::ACKNOWLEDGED) >= 2; }, 10s));
  CHECK(executor_events(mesos::v1::executor::Event::SUBSCRIBED) == 1);

  // The agent's status updates carry the executor's uuid and source.
  {
    std::lock_guard<std::mutex> lk(view->mu);
    for (auto& u : view->updates) {
      CHECK(u.uuid().size() == 16);
      CHECK(u.source() == mesos::v1::TaskStatus::SOURCE_EXECUTOR);
      CHECK(u.executor_id().value() == "e1");
    }
  }

  auto agent = agent_id();
  message_executor("e1", "hello");
  REQUIRE(view->wait([&] {
    return std::find(view->messages.begin(), view->messages.end(), "echo:hello")
           != view->messages.end();
  }));

  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::TaskID tid;
    tid.set_value("t1");
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    ctx.kill(tid, aid);
  });
  REQUIRE(wait_state("t1", mesos::v1::TASK_KILLED));
  CHECK(view->count("t2", mesos::v1::TASK_KILLED) == 0);

  // The executor process really got the Mesos environment of this agent.
  auto requests = cluster->requests();
  bool long_path = std::any_of(requests.begin(), requests.end(), [](const sim::request_record& r) {
    return r.path == "/slave(1)/api/v1/executor";
  });
  CHECK(long_path);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: the agent sends HEARTBEAT events; the executor ignores them") {
  auto opts = test_options();
  opts.executors.heartbeat_interval = 50ms;
  start(false, opts);
  launch(executor_info("eh", test_process), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  REQUIRE(cluster->wait_for(
    [&] { return executor_events(mesos::v1::executor::Event::HEARTBEAT) >= 3; }, 10s));
  // Still serving: a kill is answered.
  auto agent = agent_id();
  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::TaskID tid;
    tid.set_value("t1");
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    ctx.kill(tid, aid);
  });
  REQUIRE(wait_state("t1", mesos::v1::TASK_KILLED));
}

TEST_CASE_FIXTURE(sim_fixture, "sim: launch group") {
  start(false);
  launch(executor_info("eg", test_process), {{"g1", "run"}, {"g2", "run"}}, true);
  REQUIRE(wait_state("g1", mesos::v1::TASK_RUNNING));
  REQUIRE(wait_state("g2", mesos::v1::TASK_RUNNING));
  CHECK(executor_events(mesos::v1::executor::Event::LAUNCH_GROUP) == 1);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: the example executor runs commands and built-in jobs") {
  REQUIRE(std::filesystem::exists(example_process));
  start(false);
  auto exec = executor_info("ex", example_process);
  launch(exec, {{"ok", "builtin:finish"},
                {"bad", "builtin:fail"},
                {"nap", "builtin:sleep=100"},
                {"sh-ok", "test -n \"$MESOS_SANDBOX\""},
                {"sh-bad", "exit 3"},
                {"sh-long", "exec sleep 30"}});
  REQUIRE(wait_state("ok", mesos::v1::TASK_FINISHED));
  REQUIRE(wait_state("bad", mesos::v1::TASK_FAILED));
  REQUIRE(wait_state("nap", mesos::v1::TASK_FINISHED));
  REQUIRE(wait_state("sh-ok", mesos::v1::TASK_FINISHED));
  REQUIRE(wait_state("sh-bad", mesos::v1::TASK_FAILED));
  REQUIRE(wait_state("sh-long", mesos::v1::TASK_RUNNING));
  CHECK(view->count("ok", mesos::v1::TASK_RUNNING) == 1);
  CHECK(view->count("nap", mesos::v1::TASK_RUNNING) == 1);
  {
    std::lock_guard<std::mutex> lk(view->mu);
    for (auto& u : view->updates)
      if (u.task_id().value() == "sh-bad" && u.state() == mesos::v1::TASK_FAILED)
        CHECK(u.message() == "command exited with status 3");
  }
  auto agent = agent_id();
  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::TaskID tid;
    tid.set_value("sh-long");
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    ctx.kill(tid, aid);
  });
  REQUIRE(wait_state("sh-long", mesos::v1::TASK_KILLED));
}

TEST_CASE_FIXTURE(sim_fixture, "sim: SHUTDOWN ends an executor that ignores it within the grace period") {
  start(false);
  launch(executor_info("es", test_process), {{"t1", "ignore-shutdown"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  auto agent = agent_id();
  auto before = std::chrono::steady_clock::now();
  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::ExecutorID eid;
    eid.set_value("es");
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    ctx.shutdown(eid, aid);
  });
  REQUIRE(wait_state("t1", mesos::v1::TASK_KILLED));
  REQUIRE(view->wait([&] { return !view->failures.empty(); }, 10s));
  auto took = std::chrono::steady_clock::now() - before;
  CHECK(took < 5s);
  CHECK(view->failures[0].executor_id().value() == "es");
  CHECK(executor_events(mesos::v1::executor::Event::SHUTDOWN) == 1);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: agent restart with checkpointing; an update made while it is down arrives once") {
  start(true);
  launch(executor_info("ec", test_process), {{"t1", "finish-when-disconnected"}, {"t2", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  REQUIRE(wait_state("t2", mesos::v1::TASK_RUNNING));
  cluster->faults().restart_agent(0);
  REQUIRE(wait_state("t1", mesos::v1::TASK_FINISHED));
  REQUIRE(cluster->wait_for(
    [&] { return executor_events(mesos::v1::executor::Event::SUBSCRIBED) >= 2; }, 10s));
  // t2 still runs on the re-subscribed executor: a KILL reaches it.
  auto agent = agent_id();
  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::TaskID tid;
    tid.set_value("t2");
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    ctx.kill(tid, aid);
  });
  REQUIRE(wait_state("t2", mesos::v1::TASK_KILLED));
  CHECK(view->count("t1", mesos::v1::TASK_FINISHED) == 1);
  CHECK(view->count("t2", mesos::v1::TASK_LOST) == 0);
  // The update went with the re-SUBSCRIBE, not as a separate call.
  bool listed = false;
  for (auto& r : cluster->requests())
    if (r.executor_call && r.executor_call->type() == mesos::v1::executor::Call::SUBSCRIBE)
      for (auto& u : r.executor_call->subscribe().unacknowledged_updates())
        listed = listed || u.status().task_id().value() == "t1";
  CHECK(listed);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: agent restart without framework checkpointing kills the executor") {
  start(false);
  launch(executor_info("en", test_process), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  cluster->faults().restart_agent(0);
  REQUIRE(view->wait([&] {
    return view->count("t1", mesos::v1::TASK_LOST) + view->count("t1", mesos::v1::TASK_GONE)
             + view->count("t1", mesos::v1::TASK_FAILED) + view->count("t1", mesos::v1::TASK_KILLED)
           >= 1;
  }));
  CHECK(executor_events(mesos::v1::executor::Event::SUBSCRIBED) == 1);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: calls made together leave pipelined and reach the agent in order") {
  // The executor process answers "burst:40" with 40 messages in one callback that works
  // 100 ms after the first; they reach its call channel together when it returns, and
  // leave in one write (max_pipelined_calls 64).
  start(false);
  launch(executor_info("e1", test_process), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  message_executor("e1", "burst:40");
  constexpr int burst = 40;
  std::size_t pipelined = 0;
  auto burst_calls = [&] {
    std::vector<std::string> out;
    pipelined = 0;
    for (auto& r : cluster->requests())
      if (r.executor_call && r.executor_call->type() == mesos::v1::executor::Call::MESSAGE
          && r.executor_call->message().data().rfind("burst-", 0) == 0) {
        CHECK(r.status == 202);
        out.push_back(r.executor_call->message().data());
        pipelined += r.pipelined;
      }
    return out;
  };
  REQUIRE(cluster->wait_for([&] { return burst_calls().size() >= burst; }, 10s));
  auto calls = burst_calls();
  REQUIRE(calls.size() == burst);
  // All but the first went out before the answer to the one before came (sent on its
  // own, the first would have been answered before the second was made).
  CHECK(pipelined == burst - 1);
  for (int i = 0; i < burst; ++i)
    CHECK(calls[static_cast<std::size_t>(i)] == "burst-" + std::to_string(i + 1));
  // And the scheduler got them in that order.
  REQUIRE(view->wait([&] {
    return std::count_if(view->messages.begin(), view->messages.end(),
                         [](const std::string& m) { return m.rfind("burst-", 0) == 0; }) >= burst;
  }));
  std::lock_guard<std::mutex> lk(view->mu);
  std::vector<std::string> got;
  for (auto& m : view->messages)
    if (m.rfind("burst-", 0) == 0)
      got.push_back(m);
  CHECK(got == calls);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: an executor whose agent never comes back gives up after its recovery timeout") {
  // The executor actor in this process, pointed at the simulated agent's endpoint with
  // the environment the agent would give it.
  start(true);
  auto agent = cluster->agents()[0];
  auto log = std::make_shared<callback_log>();
  executor_options o;
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", framework_id},
    {"MESOS_EXECUTOR_ID", "unknown-to-agent"},
    {"MESOS_SLAVE_ID", agent.id},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:" + std::to_string(agent.port)},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "1"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "200ms"},
    {"MESOS_RECOVERY_TIMEOUT", "700ms"},
    {"MESOS_SUBSCRIPTION_BACKOFF_MAX", "50ms"},
  };
  o.logging.min_level = log_level::off;
  cluster->faults().kill_agent(0);
  auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), o);
  auto reason = wait_down(a, 10s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::recovery_timed_out);
  CHECK(log->count("registered") == 0);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: the agent refuses calls of an executor it does not know") {
  start(true);
  auto agent = cluster->agents()[0];
  auto log = std::make_shared<callback_log>();
  executor_options o;
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", framework_id},
    {"MESOS_EXECUTOR_ID", "never-launched"},
    {"MESOS_SLAVE_ID", agent.id},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:" + std::to_string(agent.port)},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "200ms"},
  };
  o.logging.min_level = log_level::off;
  auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), o);
  auto reason = wait_down(a, 10s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::subscription_refused);
  CHECK(describe(*reason).find("400") != std::string::npos);
}

TEST_CASE("sim: the executor process with a bad environment exits with a clear message") {
  REQUIRE(std::filesystem::exists(test_process));
  // No MESOS_* variables at all: run_executor must refuse, naming the first one.
  auto out = std::filesystem::temp_directory_path() / "mesos_actor_bad_env.txt";
  auto cmd = "env -i " + test_process + " 2> " + out.string();
  int status = std::system(cmd.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  std::ifstream in{out};
  std::string text{std::istreambuf_iterator<char>{in}, {}};
  CHECK(text.find("MESOS_FRAMEWORK_ID") != std::string::npos);
  CHECK(text.find("not set") != std::string::npos);
  std::filesystem::remove(out);
}

TEST_CASE_FIXTURE(sim_fixture, "sim: an agent restarting without checkpointing takes its executors with it") {
  auto opts = test_options();
  opts.agent_checkpoint = false;
  start(true, opts);
  launch(executor_info("ea", test_process), {{"t1", "run"}});
  REQUIRE(wait_state("t1", mesos::v1::TASK_RUNNING));
  cluster->faults().restart_agent(0);
  REQUIRE(view->wait([&] {
    return view->count("t1", mesos::v1::TASK_LOST) + view->count("t1", mesos::v1::TASK_GONE) >= 1;
  }));
  // The executor was killed, not re-subscribed: the new agent never hears from it.
  CHECK_FALSE(cluster->wait_for(
    [&] { return executor_events(mesos::v1::executor::Event::SUBSCRIBED) >= 2; }, 1s));
  CHECK(view->count("t1", mesos::v1::TASK_FINISHED) == 0);
}
