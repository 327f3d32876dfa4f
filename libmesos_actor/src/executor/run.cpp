#include <cstdlib>
#include <iostream>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/executor/spawn.hpp"

namespace mesos_actor {

int run_executor(std::unique_ptr<executor> behaviour, executor_options opts) {
  // Resolve before anything starts so a bad environment is one clear line.
  auto env = resolve_executor_environment(opts);
  if (!env) {
    std::cerr << "executor cannot start: " << describe(env.error()) << '\n';
    return EXIT_FAILURE;
  }
  if (!opts.environment) {
    // As Mesos's own library does: the token is the executor's, not its tasks'.
    ::unsetenv(std::string{env_var::authentication_token}.c_str());
  }
  // The resolved values replace the environment so it is not read twice.
  auto& o = opts.overrides;
  o.framework_id = env->framework_id;
  o.executor_id = env->executor_id;
  o.agent_id = env->agent_id;
  o.agent = env->agent;
  o.directory = env->directory;
  o.sandbox = env->sandbox;
  o.checkpoint = env->checkpoint;
  o.shutdown_grace_period = env->shutdown_grace_period;
  o.recovery_timeout = env->recovery_timeout;
  o.subscription_backoff_max = env->subscription_backoff_max;
  o.authentication_token = env->authentication_token;
  o.ignore_domain_socket = true; // already checked above

  caf::actor_system_config cfg;
  add_error_category(cfg);
  // One actor with little traffic: CAF's default work-stealing workers poll while idle
  // (2-6% of a core per executor process, one process per executor on every agent);
  // "sharing" workers sleep on a condition variable until there is work.
  cfg.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system sys{cfg};
  caf::error reason;
  {
    caf::scoped_actor self{sys};
    auto started = start_executor_actor(sys, std::move(behaviour), std::move(opts));
    if (!started) {
      std::cerr << "executor cannot start: " << describe(started.error()) << '\n';
      return EXIT_FAILURE;
    }
    self->monitor(*started);
    self->receive([&](caf::down_msg& down) { reason = std::move(down.reason); });
  }
  if (reason) {
    std::cerr << "executor ended: " << describe(reason) << '\n';
    return EXIT_FAILURE;
  }
  return EXIT_SUCCESS;
}

} // namespace mesos_actor
