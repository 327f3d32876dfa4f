#include "client/init_handshake.hpp"

#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include <supervisor/messages.hpp>

#include "mesos_actor/errors.hpp"

namespace mesos_actor::detail {

caf::expected<caf::actor> await_init(caf::actor_system& sys, caf::actor actor,
                                     std::chrono::milliseconds timeout, const std::string& what) {
  caf::scoped_actor self{sys};
  caf::error failure;
  self->request(actor, timeout, supervisor::init_atom::value)
    .receive([](caf::ok_atom) {}, [&](caf::error& err) { failure = std::move(err); });
  if (!failure)
    return actor;
  if (failure == caf::sec::request_timeout) {
    self->send_exit(actor, caf::exit_reason::kill);
    return make_error(errc::timeout, "the " + what + "'s init did not finish within "
                                       + std::to_string(timeout.count()) + " ms (init_timeout)");
  }
  return failure;
}

} // namespace mesos_actor::detail
