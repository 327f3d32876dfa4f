// An executor re-subscribing, as Mesos's agent answers it (Slave::subscribe). The tests
// speak the executor protocol themselves, as the executor the agent launched (a process
// that never subscribes on its own).
#include <doctest/doctest.h>

#include <atomic>

#include <mesos/v1/executor/executor.pb.h>

#include "mesos_actor/codec/message_codec.hpp"
#include "sim_client.hpp"
#include "support/sigpipe_guard.hpp"

using namespace simtest;
using mesos_actor::sim::cluster;
using mesos::v1::TaskStatus;
using ExecCall = mesos::v1::executor::Call;
using ExecEvent = mesos::v1::executor::Event;

namespace {

constexpr const char* executor_path = "/api/v1/executor";

// An executor SUBSCRIBE stream held open on its own thread; the bytes are not read
// (the simulator's executor event trace says what was written).
class executor_stream {
public:
  executor_stream(const std::string& agent_url, const ExecCall& subscribe) : cli_(make_client(agent_url)) {
    auto body = mesos_actor::encode(subscribe, mesos_actor::content_type::json);
    reader_ = std::thread([this, body] {
      testkit::sigpipe_guard no_sigpipe;
      httplib::Request req;
      req.method = "POST";
      req.path = executor_path;
      req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
      req.body = body;
      req.content_receiver = [this](const char*, std::size_t, std::uint64_t, std::uint64_t) {
        return !closing_.load();
      };
      httplib::Response res;
      httplib::Error err = httplib::Error::Success;
      cli_->send(req, res, err);
    });
  }
  ~executor_stream() { close(); }
  void close() {
    closing_ = true;
    cli_->stop();
    if (reader_.joinable())
      reader_.join();
  }

private:
  std::unique_ptr<httplib::Client> cli_;
  std::atomic<bool> closing_{false};
  std::thread reader_;
};

ExecCall exec_call(ExecCall::Type type, const std::string& fid) {
  ExecCall c;
  c.set_type(type);
  c.mutable_framework_id()->set_value(fid);
  c.mutable_executor_id()->set_value("x");
  return c;
}

TaskStatus exec_status(const std::string& task, mesos::v1::TaskState state, const std::string& uuid) {
  TaskStatus s;
  s.mutable_task_id()->set_value(task);
  s.set_state(state);
  s.set_source(TaskStatus::SOURCE_EXECUTOR);
  s.set_uuid(uuid);
  return s;
}

std::size_t executor_events(const cluster& sim, ExecEvent::Type type, const std::string& uuid = {}) {
  std::size_t n = 0;
  for (const auto& e : sim.executor_events())
    if (e.event.type() == type
        && (uuid.empty() || e.event.acknowledged().uuid() == uuid))
      ++n;
  return n;
}

// ACCEPT launching `task_id` on executor "x", a custom executor whose process never
// subscribes: the test is that executor.
Call launch_on_silent_executor(const mesos::v1::Offer& offer, const std::string& task_id) {
  auto accept = launch_call(offer, task_id, "unused");
  auto* task = accept.mutable_accept()->mutable_operations(0)->mutable_launch()->mutable_task_infos(0);
  task->clear_command();
  auto* exec = task->mutable_executor();
  exec->mutable_executor_id()->set_value("x");
  exec->mutable_command()->set_value("sleep 30");
  return accept;
}

} // namespace

// An update the agent never got, for a task whose terminal update was acknowledged
// meanwhile (the master has forgotten the task): Mesos forwards it to the framework and
// retries until it is acknowledged (the agent's status-update manager opens a new
// stream; Master::statusUpdate forwards before it looks the task up).
TEST_CASE("an update for a task the master has forgotten is forwarded and acknowledged, as in Mesos") {
  cluster sim(fast_options());
  sim.start();
  // Checkpointing: the agent waits for the executor to come back after its stream ends
  // (otherwise it shuts the executor down, and whether the re-SUBSCRIBE or the agent's
  // noticing the end comes first is a race).
  auto subscribe = subscribe_call("forgotten", {}, {}, 3600);
  subscribe.mutable_subscribe()->mutable_framework_info()->set_checkpoint(true);
  session s(sim.master_urls()[0], subscribe);
  auto offers = s.sub.next(Event::OFFERS);
  REQUIRE(offers);
  REQUIRE(s.send(launch_on_silent_executor(offers->offers().offers(0), "t")).status == 202);

  auto agent_url = sim.agents().at(0).url;
  const std::string running_uuid(16, 'R'), finished_uuid(16, 'F');
  {
    executor_stream first(agent_url, [&] {
      auto c = exec_call(ExecCall::SUBSCRIBE, s.fid);
      c.mutable_subscribe();
      return c;
    }());
    REQUIRE(sim.wait_for([&] { return executor_events(sim, ExecEvent::LAUNCH) == 1; }, 5s));
    // TASK_RUNNING is "lost on the way"; TASK_FINISHED reaches the agent.
    auto update = exec_call(ExecCall::UPDATE, s.fid);
    *update.mutable_update()->mutable_status() = exec_status("t", mesos::v1::TASK_FINISHED, finished_uuid);
    REQUIRE(post_raw(agent_url, mesos_actor::encode(update, mesos_actor::content_type::json),
                     {{"Content-Type", "application/json"}}, executor_path).status == 202);
    auto finished = s.sub.next(Event::UPDATE);
    REQUIRE(finished);
    CHECK(finished->update().status().state() == mesos::v1::TASK_FINISHED);
    REQUIRE(s.send(ack_call(finished->update().status())).status == 202);
    REQUIRE(sim.wait_for([&] { // acknowledged: the master moves it to its completed tasks
      auto t = sim.task("t");
      return t && t->state == mesos::v1::TASK_FINISHED && sim.unacknowledged_updates(s.fid).empty();
    }, 5s));
    first.close();
  }
  // The executor comes back and lists the update that never got through.
  auto resubscribe = exec_call(ExecCall::SUBSCRIBE, s.fid);
  *resubscribe.mutable_subscribe()->add_unacknowledged_updates()->mutable_status() =
    exec_status("t", mesos::v1::TASK_RUNNING, running_uuid);
  std::optional<executor_stream> again;
  // Bounded retries: a SUBSCRIBE racing the agent's noticing the first stream's end.
  REQUIRE(sim.wait_for([&] {
    again.emplace(agent_url, resubscribe);
    if (sim.wait_for([&] { return executor_events(sim, ExecEvent::SUBSCRIBED) >= 2; }, 1s))
      return true;
    again.reset();
    return false;
  }, 10s));
  auto running = s.sub.next(Event::UPDATE);
  REQUIRE(running);
  CHECK(running->update().status().state() == mesos::v1::TASK_RUNNING);
  CHECK(running->update().status().uuid() == running_uuid);
  CHECK(running->update().status().executor_id().value() == "x");
  REQUIRE(s.send(ack_call(running->update().status())).status == 202);
  CHECK(sim.wait_for([&] { return executor_events(sim, ExecEvent::ACKNOWLEDGED, running_uuid) == 1; }, 5s));
  CHECK(sim.wait_for([&] { return sim.unacknowledged_updates(s.fid).empty(); }, 5s));
  again.reset();
  sim.stop();
}

// The agent wrote LAUNCH into a connection the executor had already given up: the
// executor SUBSCRIBEs again before the agent noticed, and does not list the task.
// Mesos's agent checks every SUBSCRIBE, not only one after a disconnection it saw.
TEST_CASE("a task sent to an executor that re-subscribes without listing it is lost, as in Mesos") {
  cluster sim(fast_options());
  sim.start();
  session s(sim.master_urls()[0], subscribe_call("resubscribe", {}, {}, 3600));
  auto offers = s.sub.next(Event::OFFERS);
  REQUIRE(offers);
  REQUIRE(s.send(launch_on_silent_executor(offers->offers().offers(0), "t")).status == 202);
  auto agent_url = sim.agents().at(0).url;
  auto subscribe = exec_call(ExecCall::SUBSCRIBE, s.fid);
  subscribe.mutable_subscribe();
  executor_stream first(agent_url, subscribe);
  REQUIRE(sim.wait_for([&] { return executor_events(sim, ExecEvent::LAUNCH) == 1; }, 5s));
  // Still connected as far as the agent knows: the second SUBSCRIBE replaces the first.
  executor_stream second(agent_url, subscribe);
  REQUIRE(sim.wait_for([&] { return executor_events(sim, ExecEvent::SUBSCRIBED) == 2; }, 5s));
  auto lost = s.sub.next(Event::UPDATE);
  REQUIRE(lost);
  CHECK(lost->update().status().task_id().value() == "t");
  CHECK(lost->update().status().state() == mesos::v1::TASK_LOST); // not PARTITION_AWARE
  CHECK(lost->update().status().reason() == TaskStatus::REASON_AGENT_RESTARTED);
  CHECK(lost->update().status().source() == TaskStatus::SOURCE_AGENT);
  REQUIRE(s.send(ack_call(lost->update().status())).status == 202);
  CHECK(sim.wait_for([&] { return sim.unacknowledged_updates(s.fid).empty(); }, 5s));
  second.close();
  first.close();
  sim.stop();
}
