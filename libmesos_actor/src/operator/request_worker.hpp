#pragma once
// The operator client's I/O: a detached actor that POSTs one encoded call at a time on
// a keep-alive connection (reopened when the target changes) and reports each answer
// with the headers the client needs (Location, Content-Type). Operator answers can be
// large (GET_STATE), so the body bound is client_options::max_response_body.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

#include "mesos_actor/transport/endpoint.hpp"
#include "transport/http_connection.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor::operator_api {

/// POST `body` to `target`.
struct worker_request {
  std::uint64_t id = 0;
  endpoint target;
  std::string body;
};

/// The answer to a worker_request.
struct worker_reply {
  std::uint64_t id = 0;
  int status = 0;              ///< 0: no HTTP answer (see transport_error)
  std::string location;        ///< of a 3xx
  std::string content_type;    ///< of the body
  std::string body;            ///< bounded by max_response_body
  std::string transport_error; ///< when status == 0
  bool timed_out = false;
  bool never_sent = false;     ///< failed before any byte of the request left (safe to retry)
};

/// Spawns the worker; answers go to `owner`. `http.target` is ignored (each request
/// names its own); `cancel` ends any wait at once (the owner's exit).
caf::actor spawn_request_worker(caf::actor_system& sys, caf::actor owner,
                                transport::http_settings http, std::size_t max_response_body,
                                std::shared_ptr<transport::connection_cancel> cancel);

} // namespace mesos_actor::operator_api

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::operator_api::worker_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::operator_api::worker_reply)
