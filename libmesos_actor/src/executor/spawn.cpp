#include "mesos_actor/executor/spawn.hpp"

#include <variant>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "mesos_actor/errors.hpp"
#include "executor/executor_core.hpp"

namespace mesos_actor {

namespace {

struct start_args {
  std::unique_ptr<executor> behaviour;
  executor_options opts;
  caf::expected<executor_environment> env{caf::error{}};
};

struct executor_actor_state {
  std::unique_ptr<executor_detail::executor_core> core;
  static inline const char* name = "mesos_executor";
};

caf::behavior executor_actor(caf::stateful_actor<executor_actor_state>* self,
                             std::shared_ptr<start_args> args) {
  if (!args->env) {
    self->quit(args->env.error());
    return {};
  }
  if (!args->behaviour) {
    self->quit(make_error(errc::bad_option, "no executor behaviour given"));
    return {};
  }
  self->state.core = std::make_unique<executor_detail::executor_core>(
    self, std::move(args->behaviour), std::move(args->opts), std::move(*args->env));
  return self->state.core->start();
}

} // namespace

caf::expected<executor_environment> resolve_executor_environment(const executor_options& opts) {
  if (auto err = validate(opts))
    return err;
  auto lookup = opts.environment ? environment_from(*opts.environment) : process_environment();
  auto result = read_executor_environment(lookup, opts.overrides);
  if (auto* problem = std::get_if<environment_error>(&result))
    return make_error(errc::bad_environment, problem->message());
  return std::get<executor_environment>(std::move(result));
}

caf::actor spawn_executor(caf::actor_system& sys, std::unique_ptr<executor> behaviour,
                          executor_options opts) {
  auto args = std::make_shared<start_args>();
  args->env = resolve_executor_environment(opts);
  args->behaviour = std::move(behaviour);
  args->opts = std::move(opts);
  return sys.spawn(executor_actor, std::move(args));
}

caf::expected<caf::actor> start_executor_actor(caf::actor_system& sys,
                                               std::unique_ptr<executor> behaviour,
                                               executor_options opts) {
  auto env = resolve_executor_environment(opts);
  if (!env)
    return env.error();
  if (!behaviour)
    return make_error(errc::bad_option, "no executor behaviour given");
  auto args = std::make_shared<start_args>();
  args->env = std::move(env);
  args->behaviour = std::move(behaviour);
  args->opts = std::move(opts);
  return sys.spawn(executor_actor, std::move(args));
}

} // namespace mesos_actor
