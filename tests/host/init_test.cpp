// A framework whose init declines does not start (OTP start_child / proc_lib:init_ack):
// host::start_scheduler and host::start_executor return init's error, keep no ref and
// restart nothing; an init slower than init_timeout fails the start with a timeout.

#include <doctest/doctest.h>

#include <atomic>
#include <map>

#include <mesos_actor/errors.hpp>

#include "host/host_fixture.hpp"

using namespace host_test;
using mesos_actor::errc;
using mesos_actor::host_event_kind;

namespace {

/// How the journaling scheduler's init ends.
enum class init_outcome { decline, throw_exception };

class declining_scheduler : public journaling_scheduler {
public:
  declining_scheduler(std::shared_ptr<journal> j, init_outcome how)
    : journaling_scheduler(std::move(j)), how_(how) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    journaling_scheduler::init(previous_id); // counts the init
    if (how_ == init_outcome::throw_exception)
      throw std::runtime_error("no configuration");
    return mesos_actor::make_error(errc::init_failed, "quota service unreachable");
  }

private:
  init_outcome how_;
};

// An executor whose init declines (returns stop) and counts its inits and terminates.
struct declining_executor : mesos_actor::executor {
  declining_executor(std::shared_ptr<std::atomic<int>> inits,
                     std::shared_ptr<std::atomic<int>> terminated)
    : inits_(std::move(inits)), terminated_(std::move(terminated)) {}
  mesos_actor::action init(mesos_actor::executor_context&, call::Subscribe&) override {
    ++*inits_;
    return mesos_actor::action::stop;
  }
  void terminate(mesos_actor::executor_context&, const caf::error&) override { ++*terminated_; }
  std::shared_ptr<std::atomic<int>> inits_;
  std::shared_ptr<std::atomic<int>> terminated_;
};

mesos_actor::executor_options executor_env() {
  mesos_actor::executor_options o;
  // The agent's address is never used: init declines before any connection.
  o.environment = std::map<std::string, std::string>{
    {"MESOS_FRAMEWORK_ID", "fw-init-test"},
    {"MESOS_EXECUTOR_ID", "exec-1"},
    {"MESOS_SLAVE_ID", "agent-1"},
    {"MESOS_SLAVE_PID", "slave(1)@127.0.0.1:9"},
    {"MESOS_AGENT_ENDPOINT", "127.0.0.1:9"},
    {"MESOS_DIRECTORY", "/tmp"},
    {"MESOS_CHECKPOINT", "0"},
    {"MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "1secs"},
  };
  o.logging.min_level = mesos_actor::log_level::off;
  return o;
}

// Blocks in init until released (bounded), to outlast init_timeout.
class slow_scheduler : public mesos_actor::scheduler {
public:
  explicit slow_scheduler(std::shared_ptr<waitable> gate, std::shared_ptr<bool> open)
    : gate_(std::move(gate)), open_(std::move(open)) {}
  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    gate_->wait_for([&] { return *open_; }, 10s);
    return scheduler::init(previous_id);
  }

private:
  std::shared_ptr<waitable> gate_;
  std::shared_ptr<bool> open_;
};

} // namespace

TEST_CASE_FIXTURE(fixture, "a scheduler whose init declines fails start_scheduler with init's error, unrestarted") {
  mesos_actor::host h{host_opts()};
  for (auto how : {init_outcome::decline, init_outcome::throw_exception}) {
    auto j = std::make_shared<journal>();
    auto factory = [j, how] { return std::make_unique<declining_scheduler>(j, how); };
    // permanent: even the most eager restart type restarts nothing that never started.
    auto r = h.start_scheduler("declines", factory, options(),
                               fast_policy(supervisor::restart_type::permanent, 5));
    REQUIRE_FALSE(r);
    if (how == init_outcome::decline) {
      CHECK(mesos_actor::error_code(r.error()) == errc::init_failed);
      CHECK(mesos_actor::error_detail(r.error()) == "quota service unreachable");
    } else {
      CHECK(mesos_actor::error_code(r.error()) == errc::callback_exception);
      CHECK(mesos_actor::error_detail(r.error()).find("no configuration") != std::string::npos);
    }
    CHECK(j->read([&] { return j->inits; }) == 1);
    CHECK(j->read([&] { return j->terminated; }) == 0); // terminate follows a successful init only
    CHECK_FALSE(row_of(h.which_schedulers(), "declines"));
    CHECK(events.count("declines", host_event_kind::restarted) == 0);
    CHECK(events.count("declines", host_event_kind::started) == 0);
  }
  // Nothing reached the master, and the ref is free for a behaviour that starts.
  CHECK(cluster.frameworks().empty());
  auto j = std::make_shared<journal>();
  REQUIRE(h.start_scheduler("declines", factory_for(j), options(), fast_policy()));
  CHECK_FALSE(wait_subscribed(h, "declines").empty());
  CHECK(j->read([&] { return j->inits; }) == 1);
}

TEST_CASE_FIXTURE(fixture, "an executor whose init declines fails start_executor with init's error, unrestarted") {
  mesos_actor::host h{host_opts()};
  auto inits = std::make_shared<std::atomic<int>>(0);
  auto terminated = std::make_shared<std::atomic<int>>(0);
  auto factory = [inits, terminated] {
    return std::make_unique<declining_executor>(inits, terminated);
  };
  auto r = h.start_executor("declines", factory, executor_env(),
                            fast_policy(supervisor::restart_type::permanent, 5));
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == errc::init_failed);
  CHECK(inits->load() == 1);
  CHECK_FALSE(row_of(h.which_executors(), "declines"));
  CHECK(events.count("declines", host_event_kind::restarted) == 0);
  CHECK(events.count("declines", host_event_kind::started) == 0);
}

TEST_CASE_FIXTURE(fixture, "an init slower than init_timeout fails the start with a timeout") {
  mesos_actor::host h{host_opts()};
  auto gate = std::make_shared<waitable>();
  auto open = std::make_shared<bool>(false);
  auto o = options();
  o.init_timeout = 200ms;
  auto r = h.start_scheduler("slow", [gate, open] { return std::make_unique<slow_scheduler>(gate, open); },
                             o, fast_policy());
  gate->update([&] { *open = true; }); // let the blocked init return
  REQUIRE_FALSE(r);
  CHECK(mesos_actor::error_code(r.error()) == errc::timeout);
  CHECK(mesos_actor::error_detail(r.error()).find("init_timeout") != std::string::npos);
  CHECK_FALSE(row_of(h.which_schedulers(), "slow"));
  CHECK(events.count("slow", host_event_kind::restarted) == 0);
}
