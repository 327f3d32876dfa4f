#include "mesos_actor/scheduler/spawn.hpp"

#include <caf/stateful_actor.hpp>

#include <supervisor/messages.hpp>

#include "client/init_handshake.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler/external_call.hpp"
#include "scheduler/scheduler_core.hpp"

namespace mesos_actor {

namespace {

struct scheduler_actor_state {
  std::unique_ptr<scheduler_core> core;
  static inline const char* name = "mesos_scheduler";
};

// CAF copies spawn arguments, so the move-only behaviour travels in a shared box.
struct start_args {
  std::unique_ptr<scheduler> behaviour;
  scheduler_options opts;
  /// Run init only when asked with (supervisor::init_atom) and answer the outcome.
  bool init_on_request = false;
};

caf::behavior scheduler_actor(caf::stateful_actor<scheduler_actor_state>* self,
                              std::shared_ptr<start_args> args) {
  self->state.core = std::make_unique<scheduler_core>(self, std::move(args->behaviour),
                                                      std::move(args->opts));
  auto* core = self->state.core.get();
  caf::behavior running{
    [core](transport::stream_response& r) { core->on_stream_response(r); },
    [core](scheduler_events& batch) { core->on_events(batch); },
    [core](transport::stream_closed& c) { core->on_stream_closed(c); },
    [core](transport::call_result& r) { core->on_call_result(r); },
    [core](transport::call_results& rs) {
      for (auto& r : rs) // as if each came alone: none after the actor began to stop
        if (!core->ending())
          core->on_call_result(r);
    },
    [core](outcome_atom, call_outcome& o) { core->on_local_outcome(o); },
    [core](watchdog_atom, std::uint64_t generation) { core->on_watchdog(generation); },
    [core](subscribe_atom, std::uint64_t token) { core->on_subscribe_timer(token); },
    [core](framework_id_stored_atom, std::uint64_t token, const std::string& id,
           const caf::error& err, bool timeout) {
      core->on_framework_id_stored(token, id, err, timeout);
    },
    [core](const master_leader& leader) { core->on_leader(leader); },
    // The stream worker and the call channel, as a supervisor lists its children.
    [core](supervisor::which_children_atom) { return core->which_children(); },
    // A call from outside the callbacks; answered when its outcome is known.
    [self, core](scheduler_call_atom, mesos::v1::scheduler::Call& call) {
      auto reply = self->make_response_promise();
      core->send_for(std::move(call), reply);
      return reply;
    },
  };
  auto start = [self, core] {
    // Exit requests (supervisor shutdown) run terminate first; the I/O children's
    // exits are the core's to handle; a normal exit of another linked actor is
    // ignored, as with OTP's trap_exit.
    self->set_exit_handler([core](caf::exit_msg& m) { core->on_exit(m); });
    self->set_default_handler(
      [core](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
        auto msg = x.move_content_to_message();
        core->on_info(msg);
        return caf::message{};
      });
    return core->start();
  };
  if (!args->init_on_request) {
    start();
    return running;
  }
  // Until init has run, other messages wait, and an exit request ends the actor
  // without init or terminate.
  self->set_default_handler(caf::skip);
  self->set_exit_handler([self](caf::exit_msg& m) {
    if (m.reason)
      self->quit(std::move(m.reason));
  });
  return {
    [self, start, running](supervisor::init_atom) -> caf::result<caf::ok_atom> {
      if (auto failure = start())
        return failure; // the actor has quit with it
      self->become(running);
      return caf::ok_atom::value;
    },
  };
}

} // namespace

caf::actor spawn_scheduler(caf::actor_system& sys, std::unique_ptr<scheduler> behaviour,
                           scheduler_options opts) {
  auto args = std::make_shared<start_args>(start_args{std::move(behaviour), std::move(opts)});
  // Pooled, not detached: a detached actor would wake faster (~35 us instead of ~100 us
  // per stream hand-over, measured), but CAF 0.17's clock holds a strong reference for
  // each pending delayed_send (the watchdog), and a detached actor's thread waits for
  // its last reference: actor_system shutdown then hangs (seen in test_host).
  return sys.spawn(scheduler_actor, std::move(args));
}

caf::expected<caf::actor> spawn_scheduler_init_ack(caf::actor_system& sys,
                                                   std::unique_ptr<scheduler> behaviour,
                                                   scheduler_options opts) {
  if (!behaviour)
    return make_error(errc::bad_option, "no scheduler behaviour given");
  if (auto err = validate(opts))
    return err;
  auto args = std::make_shared<start_args>(start_args{std::move(behaviour), std::move(opts), true});
  return sys.spawn(scheduler_actor, std::move(args));
}

caf::expected<caf::actor> start_scheduler_actor(caf::actor_system& sys,
                                                std::unique_ptr<scheduler> behaviour,
                                                scheduler_options opts) {
  auto timeout = opts.init_timeout;
  auto actor = spawn_scheduler_init_ack(sys, std::move(behaviour), std::move(opts));
  if (!actor)
    return actor;
  return detail::await_init(sys, std::move(*actor), timeout, "scheduler");
}

} // namespace mesos_actor
