// How a scheduler's start meets its init (OTP start_link / proc_lib:init_ack):
// start_scheduler_actor and a supervisor's start_child return init's error;
// spawn_scheduler's actor ends with it before any SUBSCRIBE; a slow init is bounded.

#include <doctest/doctest.h>

#include <supervisor/supervisor.hpp>

#include "mesos_actor/scheduler/spawn.hpp"
#include "support/scheduler_fixture.hpp"

using namespace test;
using mesos_actor::errc;

namespace {

/// How the behaviour's init ends.
enum class init_end { decline, throw_exception, wait_for_gate };

/// A recording behaviour whose init declines, throws, or waits (bounded) for a gate.
struct init_scheduler : recording_scheduler {
  init_scheduler(std::shared_ptr<event_log> l, init_end how) : recording_scheduler(std::move(l)), how(how) {}

  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous) override {
    auto info = recording_scheduler::init(previous); // logs "init"
    switch (how) {
      case init_end::decline:
        return mesos_actor::make_error(errc::init_failed, "no quota");
      case init_end::throw_exception:
        throw std::runtime_error("config file missing");
      case init_end::wait_for_gate:
        log->wait("gate", 10s);
        return info;
    }
    return info;
  }

  init_end how;
};

struct fixture : sim_fixture {
  std::unique_ptr<init_scheduler> declining(init_end how) {
    return std::make_unique<init_scheduler>(log, how);
  }
  mesos_actor::scheduler_options opts() { return options(mesos_actor::content_type::protobuf); }
};

} // namespace

TEST_CASE_FIXTURE(fixture, "start_scheduler_actor returns init's error and the actor is gone") {
  auto declined = mesos_actor::start_scheduler_actor(sys, declining(init_end::decline), opts());
  REQUIRE_FALSE(declined);
  CHECK(mesos_actor::error_code(declined.error()) == errc::init_failed);
  CHECK(mesos_actor::error_detail(declined.error()) == "no quota");

  auto threw = mesos_actor::start_scheduler_actor(sys, declining(init_end::throw_exception), opts());
  REQUIRE_FALSE(threw);
  CHECK(mesos_actor::error_code(threw.error()) == errc::callback_exception);
  CHECK(mesos_actor::error_detail(threw.error()).find("config file missing") != std::string::npos);

  CHECK(log->count("init") == 2);
  CHECK(log->count("terminate") == 0); // terminate follows a successful init only
  CHECK(cluster.requests().empty());   // no SUBSCRIBE went out
}

TEST_CASE_FIXTURE(fixture, "start_scheduler_actor returns once init has run, and the actor subscribes") {
  auto started = mesos_actor::start_scheduler_actor(sys, behaviour(), opts());
  REQUIRE(started);
  spawned.push_back(*started);
  CHECK(log->count("init") == 1); // already, not eventually
  CHECK(log->wait("registered"));
}

TEST_CASE_FIXTURE(fixture, "spawn_scheduler: an init that declines ends the actor with init's reason, before any SUBSCRIBE") {
  auto a = mesos_actor::spawn_scheduler(sys, declining(init_end::decline), opts());
  auto reason = wait_exit(sys, a, 5s);
  REQUIRE(reason);
  CHECK(mesos_actor::error_code(*reason) == errc::init_failed);
  CHECK(mesos_actor::error_detail(*reason) == "no quota");
  CHECK(log->count("init") == 1);
  CHECK(log->count("terminate") == 0);
  CHECK(cluster.requests().empty());
}

TEST_CASE_FIXTURE(fixture, "a supervisor child made by spawn_scheduler_init_ack: start_child returns init's error") {
  auto sup = supervisor::start_supervisor(sys, supervisor::sup_flags{}, {}, 10s);
  REQUIRE(sup);
  auto spec_for = [this](bool decline) {
    supervisor::child_spec spec;
    spec.id = "framework";
    spec.init_ack = true;
    spec.restart = supervisor::restart_type::permanent;
    spec.start = [this, decline](caf::actor_system& s, const caf::message&) {
      if (decline)
        return mesos_actor::spawn_scheduler_init_ack(s, declining(init_end::decline), opts());
      return mesos_actor::spawn_scheduler_init_ack(s, behaviour(), opts());
    };
    return spec;
  };
  auto refused = supervisor::start_child(sys, *sup, spec_for(true), 10s);
  REQUIRE_FALSE(refused);
  auto text = supervisor::describe(refused.error());
  CHECK(text.find("no quota") != std::string::npos);
  auto kids = supervisor::which_children(sys, *sup, 10s);
  REQUIRE(kids);
  CHECK(kids->empty()); // no spec kept, nothing restarting

  auto started = supervisor::start_child(sys, *sup, spec_for(false), 10s);
  REQUIRE(started);
  CHECK(log->wait("registered"));
  CHECK(log->count("init") == 2);
  CHECK(supervisor::stop_supervisor(sys, *sup, 10s) == caf::exit_reason::user_shutdown);
  CHECK(log->wait("terminate"));
}

TEST_CASE_FIXTURE(fixture, "an init slower than init_timeout: start_scheduler_actor fails with timeout") {
  auto o = opts();
  o.init_timeout = 200ms;
  auto slow = mesos_actor::start_scheduler_actor(sys, declining(init_end::wait_for_gate), o);
  entry gate;
  gate.name = "gate";
  log->push(gate); // let the blocked init return
  REQUIRE_FALSE(slow);
  CHECK(mesos_actor::error_code(slow.error()) == errc::timeout);
  CHECK(mesos_actor::error_detail(slow.error()).find("init_timeout") != std::string::npos);
  // The actor was killed once its init returned: it never hears SUBSCRIBED.
  CHECK_FALSE(log->wait("registered", 500ms));
}
