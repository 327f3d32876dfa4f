#pragma once
// An actor system, a fake agent and a callback log: what the executor tests that talk
// to the fake agent share.

#include <memory>

#include <mesos_actor/executor/options.hpp>

#include "executor/fake_agent.hpp"
#include "support/recording_executor.hpp"

namespace test {

struct agent_fixture : system_fixture {
  fake_agent agent;
  std::shared_ptr<callback_log> log = std::make_shared<callback_log>();

  /// Options that reach the fake agent, with the executor's own logging off.
  mesos_actor::executor_options options(bool checkpoint = false) {
    mesos_actor::executor_options o;
    o.environment = agent.environment(checkpoint);
    o.logging.min_level = mesos_actor::log_level::off; // keep test output clean
    // The fake agent's httplib server drops pipelined requests: one call at a time.
    o.max_pipelined_calls = 1;
    return o;
  }
};

} // namespace test
