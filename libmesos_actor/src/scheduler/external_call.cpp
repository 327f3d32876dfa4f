// call_scheduler: the request protocol of external_call.hpp, made from a plain thread.
#include "mesos_actor/scheduler/external_call.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

// CAF's own answers, in the library's words.
caf::error translate(caf::error err, const std::string& type, std::chrono::milliseconds timeout) {
  if (err == caf::sec::request_receiver_down)
    return make_error(errc::stopped, type + ": the scheduler actor is not running");
  if (err == caf::sec::request_timeout)
    return make_error(errc::timeout, type + ": no outcome within "
                                       + std::to_string(timeout.count())
                                       + " ms (the call may still be made)");
  return err;
}

} // namespace

caf::expected<call_outcome> call_scheduler(caf::actor_system& sys,
                                           const caf::actor& scheduler_actor,
                                           mesos::v1::scheduler::Call call,
                                           std::chrono::milliseconds timeout) {
  auto type = mesos::v1::scheduler::Call::Type_Name(call.type());
  if (!scheduler_actor)
    return make_error(errc::stopped, type + ": no scheduler actor");
  if (timeout.count() <= 0)
    return make_error(errc::bad_option, type + ": the wait for a call's outcome must be > 0 ms");
  caf::scoped_actor self{sys};
  caf::expected<call_outcome> result{caf::error{}};
  self->request(scheduler_actor, timeout, scheduler_call_atom::value, std::move(call))
    .receive([&](call_outcome& outcome) { result = std::move(outcome); },
             [&](caf::error& err) { result = translate(std::move(err), type, timeout); });
  return result;
}

} // namespace mesos_actor
