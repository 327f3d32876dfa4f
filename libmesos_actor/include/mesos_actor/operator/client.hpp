#pragma once
// The operator API v1 client: an actor that sends master and agent operator calls
// (POST /api/v1) and answers each with its Response, never blocking its callers.
//
//   operator_api::client_options opts;
//   opts.targets = {"master1:5050", "master2:5050"};     // or {"zk://zk1:2181/mesos"}
//   auto client = operator_api::spawn_client(sys, opts);
//   self->request(*client, std::chrono::seconds(30), operator_api::call_atom::value,
//                 operator_api::master_call(mesos::v1::master::Call::GET_STATE))
//     .then([](const mesos::v1::master::Response& r) { ... },
//           [](const caf::error& e) { ... });           // errc::rejected "400 ..."
//
// Calls go to the leading master: a 307 is followed (client_options::max_redirects),
// a master that cannot be connected to or answers 503 hands the call to the next one
// (a call is retried only when it cannot have been acted upon). Calls are sent one
// after another on one keep-alive connection. A call without a result (maintenance,
// quota updates) answers a Response with no type. Failures are "mesos" errors:
// rejected (4xx/5xx, status and body in the detail), unauthorized (401/403),
// redirect_limit, transport_error, timeout, decode_error, no_master_reachable.

#include <chrono>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>

#include <mesos/v1/agent/agent.pb.h>
#include <mesos/v1/master/master.pb.h>

#include "mesos_actor/operator/options.hpp"

namespace mesos_actor::operator_api {

/// (call_atom, mesos::v1::master::Call) -> mesos::v1::master::Response;
/// (call_atom, mesos::v1::agent::Call) -> mesos::v1::agent::Response.
using call_atom = caf::atom_constant<caf::atom("op_call")>;

/// Spawns a client. errc::bad_option for bad options (see validate()).
caf::expected<caf::actor> spawn_client(caf::actor_system& sys, client_options opts);

/// From a thread that is not an actor: sends `call` and waits up to `timeout`.
caf::expected<mesos::v1::master::Response>
call_master(caf::actor_system& sys, const caf::actor& client, const mesos::v1::master::Call& call,
            std::chrono::milliseconds timeout);
/// The same for an agent call.
caf::expected<mesos::v1::agent::Response>
call_agent(caf::actor_system& sys, const caf::actor& client, const mesos::v1::agent::Call& call,
           std::chrono::milliseconds timeout);

} // namespace mesos_actor::operator_api

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::master::Call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::master::Response)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::agent::Call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos::v1::agent::Response)
