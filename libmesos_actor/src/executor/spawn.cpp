#include "mesos_actor/executor/spawn.hpp"

#include <variant>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <supervisor/messages.hpp>

#include "client/init_handshake.hpp"
#include "mesos_actor/errors.hpp"
#include "executor/executor_core.hpp"

namespace mesos_actor {

namespace {

struct start_args {
  std::unique_ptr<executor> behaviour;
  executor_options opts;
  caf::expected<executor_environment> env{caf::error{}};
  /// Run init only when asked with (supervisor::init_atom) and answer the outcome.
  bool init_on_request = false;
};

struct executor_actor_state {
  std::unique_ptr<detail::executor_core> core;
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
  self->state.core = std::make_unique<detail::executor_core>(
    self, std::move(args->behaviour), std::move(args->opts), std::move(*args->env));
  if (!args->init_on_request)
    return self->state.core->start();
  // Until init has run, other messages wait, and an exit request ends the actor
  // without init or terminate.
  self->set_default_handler(caf::skip);
  self->set_exit_handler([self](caf::exit_msg& m) {
    if (m.reason)
      self->quit(std::move(m.reason));
  });
  return {
    [self](supervisor::init_atom) -> caf::result<caf::ok_atom> {
      auto running = self->state.core->start(); // installs the actor's own handlers
      if (!running) {
        // A failed init ends the actor at once (no call of it has gone out).
        if (auto& reason = self->fail_state())
          return reason;
        return make_error(errc::init_failed, "the executor's init declined");
      }
      self->become(std::move(running));
      return caf::ok_atom::value;
    },
  };
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

caf::expected<caf::actor> spawn_executor_init_ack(caf::actor_system& sys,
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
  args->init_on_request = true;
  return sys.spawn(executor_actor, std::move(args));
}

caf::expected<caf::actor> start_executor_actor(caf::actor_system& sys,
                                               std::unique_ptr<executor> behaviour,
                                               executor_options opts) {
  auto timeout = opts.init_timeout;
  auto actor = spawn_executor_init_ack(sys, std::move(behaviour), std::move(opts));
  if (!actor)
    return actor;
  return detail::await_init(sys, std::move(*actor), timeout, "executor");
}

} // namespace mesos_actor
