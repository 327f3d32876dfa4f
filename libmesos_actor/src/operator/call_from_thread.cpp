// Operator calls from threads that are not actors (tools, tests, main()).
#include <caf/scoped_actor.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/operator/client.hpp"

namespace mesos_actor::operator_api {

namespace {

template <class Response, class Call>
caf::expected<Response> call_and_wait(caf::actor_system& sys, const caf::actor& client,
                                      const Call& call, std::chrono::milliseconds timeout) {
  caf::scoped_actor self{sys};
  caf::expected<Response> out{make_error(errc::timeout)};
  self->request(client, timeout, call_atom::value, call)
    .receive([&](Response& r) { out = std::move(r); },
             [&](caf::error& e) {
               out = e == caf::sec::request_timeout
                       ? make_error(errc::timeout, Call::Type_Name(call.type()) + ": no answer within "
                                                     + std::to_string(timeout.count()) + " ms")
                       : std::move(e);
             });
  return out;
}

} // namespace

caf::expected<mesos::v1::master::Response>
call_master(caf::actor_system& sys, const caf::actor& client, const mesos::v1::master::Call& call,
            std::chrono::milliseconds timeout) {
  return call_and_wait<mesos::v1::master::Response>(sys, client, call, timeout);
}

caf::expected<mesos::v1::agent::Response>
call_agent(caf::actor_system& sys, const caf::actor& client, const mesos::v1::agent::Call& call,
           std::chrono::milliseconds timeout) {
  return call_and_wait<mesos::v1::agent::Response>(sys, client, call, timeout);
}

} // namespace mesos_actor::operator_api
