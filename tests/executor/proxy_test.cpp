// The executor through an HTTP proxy (tests/support's loopback proxy) to a fake
// agent: subscription, an update and its acknowledgement in absolute form, with the
// proxy's credentials; a refused password never shows.
#include <doctest/doctest.h>

#include <caf/send.hpp>

#include "executor/agent_fixture.hpp"
#include "support/loopback_proxy.hpp"

using namespace test;
using namespace mesos_actor;
using mesos::v1::executor::Call;
using mesos::v1::executor::Event;

namespace {

const std::string secret = "ex3cutor-pr0xy";

struct proxy_fixture : agent_fixture {
  loopback_proxy proxy;
  caf::actor spawn(recording_executor* behaviour, executor_options o) {
    return spawn_executor(*sys, std::unique_ptr<executor>{behaviour}, std::move(o));
  }
};

} // namespace

TEST_CASE_FIXTURE(proxy_fixture, "proxy: the executor subscribes and updates through the proxy") {
  proxy.require_credentials("exec", secret);
  auto* b = new recording_executor{log};
  b->on_launch = [](auto& ctx, const Event::Launch& l) {
    ctx.update(status_of(l.task().task_id().value(), mesos::v1::TASK_RUNNING));
    return action::keep;
  };
  auto o = options(true);
  o.proxy.url = proxy.url_with("exec", secret);
  auto a = spawn(b, o);
  REQUIRE(log->wait("registered"));
  Event launch;
  launch.set_type(Event::LAUNCH);
  *launch.mutable_launch()->mutable_task() = task_info("t1");
  agent.push(launch);
  REQUIRE(agent.wait_for([&] { return agent.calls_of(Call::UPDATE).size() == 1; }, 5s));
  auto target = "http://127.0.0.1:" + std::to_string(agent.port()) + "/slave(1)/api/v1/executor";
  auto seen = proxy.requests();
  REQUIRE(seen.size() >= 2); // SUBSCRIBE, UPDATE
  for (auto& r : seen) {
    CHECK(r.method == "POST");
    CHECK(r.target == target);
    CHECK_FALSE(r.refused);
  }
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  CHECK(wait_down(a, 5s));
}

TEST_CASE_FIXTURE(proxy_fixture, "proxy: the executor's refused proxy password never shows") {
  proxy.require_credentials("exec", "the-right-one");
  auto o = options(false);
  o.proxy.url = proxy.url_with("exec", secret);
  o.registration_timeout = 500ms;
  std::vector<std::string> lines;
  std::mutex mtx;
  o.logging.min_level = log_level::debug;
  o.logging.sink = [&](const log_entry& e) {
    std::lock_guard<std::mutex> guard{mtx};
    lines.push_back(format_log_line(e));
  };
  auto a = spawn(new recording_executor{log}, o);
  auto reason = wait_down(a, 10s);
  REQUIRE(reason);
  CHECK(*reason != caf::exit_reason::normal);
  CHECK(agent.calls().empty()); // nothing reached the agent
  REQUIRE_FALSE(proxy.requests().empty());
  CHECK(proxy.requests()[0].refused);
  std::lock_guard<std::mutex> guard{mtx};
  bool named = false;
  for (auto& l : lines) {
    CHECK(l.find(secret) == std::string::npos);
    auto display = "proxy http://***@127.0.0.1:" + std::to_string(proxy.port());
    named = named || l.find(display) != std::string::npos;
  }
  CHECK(named);
  CHECK(to_string(*reason).find(secret) == std::string::npos);
}
