#pragma once
// A simulated cluster with one agent plus a real scheduler actor, for the executor
// integration tests: the test thread launches tasks with custom executors, acts
// inside the scheduler, and awaits what the scheduler saw.

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "mesos_actor/scheduler.hpp"
#include "mesos_actor/sim/cluster.hpp"
#include "support/recording_executor.hpp"

namespace test {

using SchedEvent = mesos::v1::scheduler::Event;

/// The executor processes the agent launches.
inline const std::string test_process = MESOS_ACTOR_BUILD_DIR "/tests/test_executor_process";
inline const std::string example_process = MESOS_ACTOR_BUILD_DIR "/examples/example_executor";

using namespace mesos_actor;



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

struct test_scheduler : mesos_actor::scheduler {
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
  action handle_info(scheduler_context& ctx, caf::message&) override {
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

inline mesos::v1::Resource scalar(const std::string& name, double value) {
  mesos::v1::Resource r;
  r.set_name(name);
  r.set_type(mesos::v1::Value::SCALAR);
  r.mutable_scalar()->set_value(value);
  return r;
}

struct sim_fixture : system_fixture {
  std::unique_ptr<sim::cluster> cluster;
  std::shared_ptr<scheduler_view> view = std::make_shared<scheduler_view>();
  caf::actor sched;
  std::string framework_id;

  /// Short timeouts so tests run fast; adjust before start().
  static sim::cluster_options test_options() {
    sim::cluster_options opts;
    opts.allocation_interval = 50ms;
    opts.default_refuse = 50ms;
    opts.executors.shutdown_grace_period = 1500ms;
    opts.executors.subscription_backoff_max = 100ms;
    opts.executors.reregistration_timeout = 5s;
    opts.executors.recovery_timeout = 10s;
    opts.executors.registration_timeout = 10s;
    return opts;
  }

  void start(bool framework_checkpoint, sim::cluster_options opts = test_options()) {
    cluster = std::make_unique<sim::cluster>(opts);
    cluster->start();
    scheduler_options so;
    so.master_hosts = {cluster->master_urls()[0]};
    so.logging.min_level = log_level::off;
    sched = spawn_scheduler(*sys, std::make_unique<test_scheduler>(view, framework_checkpoint), so);
    REQUIRE(cluster->wait_for([&] { return !cluster->frameworks().empty(); }, 10s));
    framework_id = cluster->frameworks()[0].id;
  }

  ~sim_fixture() {
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

  /// A framework message from the scheduler to `executor` on the first agent.
  void message_executor(const std::string& executor, const std::string& data) {
    in_scheduler([agent = agent_id(), executor, data](scheduler_context& ctx) {
      mesos::v1::AgentID aid;
      aid.set_value(agent);
      mesos::v1::ExecutorID eid;
      eid.set_value(executor);
      ctx.message(aid, eid, data);
    });
  }

  std::size_t executor_events(mesos::v1::executor::Event::Type type) {
    std::size_t n = 0;
    for (auto& e : cluster->executor_events())
      if (e.event.type() == type)
        ++n;
    return n;
  }
};


} // namespace test
