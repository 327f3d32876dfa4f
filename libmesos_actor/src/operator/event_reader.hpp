#pragma once
// The operator subscriber's I/O: a blocking actor that POSTs the master SUBSCRIBE,
// then reads the RecordIO stream of mesos.v1.master.Event and sends each decoded
// event to its owner, then one reader_end. Every message carries the attempt's
// generation, so the owner drops what a superseded attempt reports.

#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <mesos/v1/master/master.pb.h>

#include "transport/http_connection.hpp"
#include "transport/http_settings.hpp"

namespace mesos_actor::operator_api {

/// One decoded event of attempt `generation`.
struct reader_event {
  std::uint64_t generation = 0;
  mesos::v1::master::Event event;
};

/// The end of attempt `generation`: no 200 (status, Location, body), or why an open
/// stream ended.
struct reader_end {
  std::uint64_t generation = 0;
  int status = 0;            ///< 0: no HTTP answer
  std::string location;      ///< of a 3xx
  std::string detail;        ///< transport error, error body, framing or decode problem
  bool timed_out = false;
  bool opened = false;       ///< a 200 was read: the stream was open
  bool malformed = false;    ///< the stream broke RecordIO or an event did not decode
};

struct reader_job {
  std::uint64_t generation = 0;
  transport::http_settings http; ///< target, encoding; read_timeout = longest silence
  std::string body;              ///< the encoded SUBSCRIBE
  std::size_t max_record_size = 0;
  std::shared_ptr<transport::connection_cancel> cancel;
};

/// Spawns the reader of one subscription attempt (ends with its stream).
caf::actor spawn_event_reader(caf::actor_system& sys, caf::actor owner, reader_job job);

} // namespace mesos_actor::operator_api

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::operator_api::reader_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::operator_api::reader_end)
