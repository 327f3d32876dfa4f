// update_executor / message_executor: the request protocol of
// executor/external_call.hpp, made from a plain thread.
#include "mesos_actor/executor/external_call.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

// CAF's own answers, in the library's words.
caf::error translate(caf::error err, const char* what, std::chrono::milliseconds timeout) {
  if (err == caf::sec::request_receiver_down)
    return make_error(errc::stopped, std::string{what} + ": the executor actor is not running");
  if (err == caf::sec::request_timeout)
    return make_error(errc::timeout, std::string{what} + ": no outcome within "
                                       + std::to_string(timeout.count())
                                       + " ms (the call may still be made)");
  return err;
}

// Why a call cannot be asked at all; none when it can.
caf::error check(const caf::actor& executor_actor, const char* what,
                 std::chrono::milliseconds timeout) {
  if (!executor_actor)
    return make_error(errc::stopped, std::string{what} + ": no executor actor");
  if (timeout.count() <= 0)
    return make_error(errc::bad_option,
                      std::string{what} + ": the wait for a call's outcome must be > 0 ms");
  return caf::none;
}

} // namespace

caf::expected<std::string> update_executor(caf::actor_system& sys,
                                           const caf::actor& executor_actor,
                                           mesos::v1::TaskStatus status,
                                           std::chrono::milliseconds timeout) {
  if (auto err = check(executor_actor, "UPDATE", timeout))
    return err;
  caf::scoped_actor self{sys};
  caf::expected<std::string> result{caf::error{}};
  self->request(executor_actor, timeout, executor_update_atom::value, std::move(status))
    .receive([&](std::string& uuid) { result = std::move(uuid); },
             [&](caf::error& err) { result = translate(std::move(err), "UPDATE", timeout); });
  return result;
}

caf::error message_executor(caf::actor_system& sys, const caf::actor& executor_actor,
                            std::string data, std::chrono::milliseconds timeout) {
  if (auto err = check(executor_actor, "MESSAGE", timeout))
    return err;
  caf::scoped_actor self{sys};
  caf::error result;
  self->request(executor_actor, timeout, executor_message_atom::value, std::move(data))
    .receive([](caf::ok_atom) {},
             [&](caf::error& err) { result = translate(std::move(err), "MESSAGE", timeout); });
  return result;
}

} // namespace mesos_actor
