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
#include "executor/recording_executor.hpp"

using namespace test;
using namespace mesos_actor;
using SchedEvent = mesos::v1::scheduler::Event;

namespace {

const std::string test_process = MESOS_ACTOR_BUILD_DIR "/tests/test_executor_process";
const std::string example_process = MESOS_ACTOR_BUILD_DIR "/examples/example_executor";

/// What the scheduler saw, for the test thread.
struct scheduler_view {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<mesos::v1::TaskStatus> updates;
  std::vector<std::string> messages;
  std::vector<SchedEvent::Failure> failures;
  std::vector<mesos::v1::Offer> offers;
  std::deque<std::function<void(scheduler_context&)>> work;

  template <class F>
  bool wait(F pred, std::chrono::milliseconds timeout = 15s) {
    std::unique_lock<std::mutex> lk(mu);
    return cv.wait_for(lk, timeout, [&] { return pred(); });
  }
  std::size_t count(const std::string& task, mesos::v1::TaskState state) {
    std::size_t n = 0;
    for (auto& u : updates)
      if (u.task_id().value() == task && u.state() == state)
        ++n;
    return n;
  }
};

struct test_scheduler : scheduler {
  std::shared_ptr<scheduler_view> view;
  bool checkpoint;
  bool partition_aware = false;
  test_scheduler(std::shared_ptr<scheduler_view> v, bool cp) : view(std::move(v)), checkpoint(cp) {}

  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>&) override {
    mesos::v1::FrameworkInfo fi;
    fi.set_user("test");
    fi.set_name("executor-integration");
    fi.set_checkpoint(checkpoint);
    if (partition_aware)
      fi.add_capabilities()->set_type(mesos::v1::FrameworkInfo::Capability::PARTITION_AWARE);
    return fi;
  }
  action resource_offers(scheduler_context&, const SchedEvent::Offers& o) override {
    std::lock_guard<std::mutex> lk(view->mu);
    for (auto& offer : o.offers())
      view->offers.push_back(offer);
    view->cv.notify_all();
    return action::keep;
  }
  action status_update(scheduler_context&, const SchedEvent::Update& u) override {
    std::lock_guard<std::mutex> lk(view->mu);
    view->updates.push_back(u.status());
    view->cv.notify_all();
    return action::keep;
  }
  action framework_message(scheduler_context&, const SchedEvent::Message& m) override {
    std::lock_guard<std::mutex> lk(view->mu);
    view->messages.push_back(m.data());
    view->cv.notify_all();
    return action::keep;
  }
  action executor_lost(scheduler_context&, const SchedEvent::Failure& f) override {
    std::lock_guard<std::mutex> lk(view->mu);
    view->failures.push_back(f);
    view->cv.notify_all();
    return action::keep;
  }
  action handle_info(scheduler_context& ctx, const caf::message&) override {
    std::deque<std::function<void(scheduler_context&)>> todo;
    {
      std::lock_guard<std::mutex> lk(view->mu);
      todo.swap(view->work);
    }
    for (auto& f : todo)
      f(ctx);
    return action::keep;
  }
};

mesos::v1::Resource scalar(const std::string& name, double value) {
  mesos::v1::Resource r;
  r.set_name(name);
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

struct fixture : system_fixture {
  std::unique_ptr<sim::cluster> cluster;
  std::shared_ptr<scheduler_view> view = std::make_shared<scheduler_view>();
  caf::actor sched;
  std::string framework_id;

  void start(bool framework_checkpoint, sim::cluster_options opts = {}) {
    opts.allocation_interval = 50ms;
    opts.default_refuse = 50ms;
    opts.executors.shutdown_grace_period = 1500ms;
    opts.executors.subscription_backoff_max = 100ms;
    opts.executors.reregistration_timeout = 5s;
    opts.executors.recovery_timeout = 10s;
    opts.executors.registration_timeout = 10s;
    cluster = std::make_unique<sim::cluster>(opts);
    cluster->start();
    scheduler_options so;
    so.master_hosts = {cluster->master_urls()[0]};
    so.log = [](log_level, const std::string&) {};
    sched = spawn_scheduler(*sys, std::make_unique<test_scheduler>(view, framework_checkpoint), so);
    REQUIRE(cluster->wait_for([&] { return !cluster->frameworks().empty(); }, 10s));
    framework_id = cluster->frameworks()[0].id;
  }

  ~fixture() {
    if (sched) {
      caf::anon_send_exit(sched, caf::exit_reason::user_shutdown);
      wait_down(sched, 5s);
    }
    cluster.reset();
  }

  /// Runs `f` inside the scheduler actor.
  void in_scheduler(std::function<void(scheduler_context&)> f) {
    {
      std::lock_guard<std::mutex> lk(view->mu);
      view->work.push_back(std::move(f));
    }
    caf::anon_send(sched, std::string{"work"});
  }

  mesos::v1::ExecutorInfo executor_info(const std::string& id, const std::string& binary) {
    mesos::v1::ExecutorInfo e;
    e.mutable_executor_id()->set_value(id);
    e.mutable_framework_id()->set_value(framework_id);
    e.mutable_command()->set_value(binary);
    return e;
  }

  mesos::v1::TaskInfo task(const std::string& id, const std::string& data, const std::string& agent) {
    mesos::v1::TaskInfo t;
    t.set_name(id);
    t.mutable_task_id()->set_value(id);
    t.mutable_agent_id()->set_value(agent);
    *t.add_resources() = scalar("cpus", 0.1);
    *t.add_resources() = scalar("mem", 16);
    t.set_data(data);
    return t;
  }

  /// Takes the next offer and launches `tasks` on `executor` (as a group or one by one).
  void launch(const mesos::v1::ExecutorInfo& executor,
              const std::vector<std::pair<std::string, std::string>>& tasks, bool group = false) {
    REQUIRE(view->wait([&] { return !view->offers.empty(); }));
    mesos::v1::Offer offer;
    {
      std::lock_guard<std::mutex> lk(view->mu);
      offer = view->offers.back();
      view->offers.clear();
    }
    mesos::v1::Offer::Operation op;
    if (group) {
      op.set_type(mesos::v1::Offer::Operation::LAUNCH_GROUP);
      *op.mutable_launch_group()->mutable_executor() = executor;
      for (auto& [id, data] : tasks)
        *op.mutable_launch_group()->mutable_task_group()->add_tasks() =
          task(id, data, offer.agent_id().value());
    } else {
      op.set_type(mesos::v1::Offer::Operation::LAUNCH);
      for (auto& [id, data] : tasks) {
        auto t = task(id, data, offer.agent_id().value());
        *t.mutable_executor() = executor;
        *op.mutable_launch()->add_task_infos() = t;
      }
    }
    in_scheduler([offer, op](scheduler_context& ctx) { ctx.accept({offer.id()}, {op}); });
  }

  bool wait_state(const std::string& task, mesos::v1::TaskState state,
                  std::chrono::milliseconds timeout = 15s) {
    return view->wait([&] { return view->count(task, state) >= 1; }, timeout);
  }

  std::string agent_id() { return cluster->agents()[0].id; }

  std::size_t executor_events(mesos::v1::executor::Event::Type type) {
    std::size_t n = 0;
    for (auto& e : cluster->executor_events())
      if (e.event.type() == type)
        ++n;
    return n;
  }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "sim: launch, kill, messages both ways and acknowledgements") {
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
  in_scheduler([agent](scheduler_context& ctx) {
    mesos::v1::AgentID aid;
    aid.set_value(agent);
    mesos::v1::ExecutorID eid;
    eid.set_value("e1");
    ctx.message(aid, eid, "hello");
  });
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

TEST_CASE_FIXTURE(fixture, "sim: launch group") {
  start(false);
  launch(executor_info("eg", test_process), {{"g1", "run"}, {"g2", "run"}}, true);
  REQUIRE(wait_state("g1", mesos::v1::TASK_RUNNING));
  REQUIRE(wait_state("g2", mesos::v1::TASK_RUNNING));
  CHECK(executor_events(mesos::v1::executor::Event::LAUNCH_GROUP) == 1);
}

TEST_CASE_FIXTURE(fixture, "sim: the example executor runs commands and built-in jobs") {
  REQUIRE(std::filesystem::exists(example_process));
  start(false);
  auto exec = executor_info("ex", example_process);
  launch(exec, {{"ok", "builtin:finish"}, {"bad", "builtin:fail"}, {"nap", "builtin:sleep=100"}});
  REQUIRE(wait_state("ok", mesos::v1::TASK_FINISHED));
  REQUIRE(wait_state("bad", mesos::v1::TASK_FAILED));
  REQUIRE(wait_state("nap", mesos::v1::TASK_FINISHED));
  CHECK(view->count("ok", mesos::v1::TASK_RUNNING) == 1);
  CHECK(view->count("nap", mesos::v1::TASK_RUNNING) == 1);
}

TEST_CASE_FIXTURE(fixture, "sim: SHUTDOWN ends an executor that ignores it within the grace period") {
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

TEST_CASE_FIXTURE(fixture, "sim: agent restart with checkpointing; an update made while it is down arrives once") {
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

TEST_CASE_FIXTURE(fixture, "sim: agent restart without framework checkpointing kills the executor") {
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

TEST_CASE_FIXTURE(fixture, "sim: an executor whose agent never comes back gives up after its recovery timeout") {
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
  o.log = [](log_level, const std::string&) {};
  cluster->faults().kill_agent(0);
  auto a = spawn_executor(*sys, std::make_unique<recording_executor>(log), o);
  auto reason = wait_down(a, 10s);
  REQUIRE(reason);
  CHECK(error_code(*reason) == errc::recovery_timed_out);
  CHECK(log->count("registered") == 0);
}

TEST_CASE_FIXTURE(fixture, "sim: the agent refuses calls of an executor it does not know") {
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
  o.log = [](log_level, const std::string&) {};
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
