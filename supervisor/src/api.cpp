// Blocking helpers for callers outside the actor system: each sends one request
// of messages.hpp from a scoped_actor and waits for the reply.

#include "supervisor/supervisor.hpp"

#include <optional>

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>
#include <caf/system_messages.hpp>

#include "supervisor_actor.hpp"

namespace supervisor {

namespace {

// Sends xs to sup and waits for a reply of type T (or an error).
template <class T, class... Ts>
caf::expected<T> call(caf::actor_system& sys, const caf::actor& sup, call_timeout timeout,
                      Ts&&... xs) {
  if (!sup)
    return caf::make_error(caf::sec::invalid_argument, std::string{"no supervisor actor"});
  caf::scoped_actor self{sys};
  std::optional<T> value;
  caf::error err;
  self->request(sup, timeout.value, std::forward<Ts>(xs)...)
    .receive([&](T& x) { value = std::move(x); }, [&](caf::error& e) { err = std::move(e); });
  if (value)
    return std::move(*value);
  return err;
}

// The same for requests answered with ok_atom.
template <class... Ts>
caf::error call_ok(caf::actor_system& sys, const caf::actor& sup, call_timeout timeout,
                   Ts&&... xs) {
  auto res = call<caf::ok_atom>(sys, sup, timeout, std::forward<Ts>(xs)...);
  return res ? caf::error{} : std::move(res.error());
}

} // namespace

caf::expected<caf::actor> start_supervisor(caf::actor_system& sys, sup_flags flags,
                                           std::vector<child_spec> specs,
                                           call_timeout timeout) {
  if (auto err = check_flags(flags))
    return err;
  if (auto err = check_child_specs(flags, specs))
    return err;
  auto sup = detail::spawn_supervisor(sys, std::move(flags), std::move(specs));
  if (auto err = call_ok(sys, sup, timeout, init_atom::value)) {
    // A failed init has exited already; a slow one is not left behind.
    caf::anon_send_exit(sup, caf::exit_reason::kill);
    return err;
  }
  return sup;
}

child_spec supervisor_child_spec(std::string id, sup_flags flags, std::vector<child_spec> specs,
                                 restart_type restart) {
  child_spec spec;
  spec.id = std::move(id);
  spec.kind = child_kind::supervisor;
  spec.restart = restart;
  spec.start = [flags = std::move(flags),
                specs = std::move(specs)](caf::actor_system& sys,
                                          const caf::message&) -> caf::expected<caf::actor> {
    if (auto err = check_flags(flags))
      return err;
    if (auto err = check_child_specs(flags, specs))
      return err;
    return detail::spawn_supervisor(sys, flags, specs);
  };
  return spec;
}

caf::error stop_supervisor(caf::actor_system& sys, const caf::actor& sup, call_timeout timeout) {
  if (!sup)
    return caf::make_error(caf::sec::invalid_argument, std::string{"no supervisor actor"});
  caf::scoped_actor self{sys};
  self->monitor(sup);
  self->send_exit(sup, caf::exit_reason::user_shutdown);
  caf::error reason;
  bool down = false;
  auto on_down = [&](caf::down_msg& msg) {
    reason = std::move(msg.reason);
    down = true;
  };
  if (!timeout.value.valid()) {
    self->receive(on_down);
  } else {
    self->receive(on_down, caf::after(timeout.value) >> [] {});
  }
  if (!down) {
    self->send_exit(sup, caf::exit_reason::kill);
    self->receive(on_down);
  }
  return reason;
}

caf::expected<caf::actor> start_child(caf::actor_system& sys, const caf::actor& sup,
                                      child_spec spec, call_timeout timeout) {
  return call<caf::actor>(sys, sup, timeout, start_child_atom::value, std::move(spec));
}

caf::expected<caf::actor> start_child(caf::actor_system& sys, const caf::actor& sup,
                                      std::string id, caf::message args,
                                      call_timeout timeout) {
  return call<caf::actor>(sys, sup, timeout, start_child_atom::value, std::move(id),
                          std::move(args));
}

caf::error terminate_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id,
                           call_timeout timeout) {
  return call_ok(sys, sup, timeout, terminate_child_atom::value, id);
}

caf::expected<caf::actor> restart_child(caf::actor_system& sys, const caf::actor& sup,
                                        const std::string& id, call_timeout timeout) {
  return call<caf::actor>(sys, sup, timeout, restart_child_atom::value, id);
}

caf::error delete_child(caf::actor_system& sys, const caf::actor& sup, const std::string& id,
                        call_timeout timeout) {
  return call_ok(sys, sup, timeout, delete_child_atom::value, id);
}

caf::expected<std::vector<child_info>> which_children(caf::actor_system& sys,
                                                      const caf::actor& sup,
                                                      call_timeout timeout) {
  return call<std::vector<child_info>>(sys, sup, timeout, which_children_atom::value);
}

caf::expected<child_counts> count_children(caf::actor_system& sys, const caf::actor& sup,
                                           call_timeout timeout) {
  return call<child_counts>(sys, sup, timeout, count_children_atom::value);
}

} // namespace supervisor
