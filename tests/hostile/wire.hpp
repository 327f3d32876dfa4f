#pragma once
// The bytes a scripted master or agent writes: HTTP heads, chunks, RecordIO records of
// real events, and ways to read which call a recorded request carried.

#include <string>
#include <string_view>
#include <vector>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "hostile/scripted_peer.hpp"
#include "mesos_actor/codec/content_type.hpp"

namespace hostile {

/// "HTTP/1.1 200 OK" head of an event stream (chunked) in `ct`, with a stream id
/// unless it is empty.
std::string stream_head(mesos_actor::content_type ct, const std::string& stream_id = "hostile-1");
/// One HTTP chunk carrying `data`.
std::string chunk(std::string_view data);
/// The last chunk, ending a chunked body.
inline const std::string last_chunk = "0\r\n\r\n";
/// A complete empty answer to a call.
std::string call_answer(int status = 202);

/// RecordIO record of `event` in `ct`.
std::string record(const google::protobuf::Message& event, mesos_actor::content_type ct);

/// Scheduler SUBSCRIBED with framework id "hostile-fw" and the given heartbeat interval.
mesos::v1::scheduler::Event subscribed(double heartbeat_seconds = 1.0);
/// Scheduler HEARTBEAT.
mesos::v1::scheduler::Event heartbeat();
/// Executor SUBSCRIBED for framework "fw-hostile" / executor "exec-hostile".
mesos::v1::executor::Event executor_subscribed();

/// The scheduler Call type of a request (UNKNOWN when its body does not decode).
mesos::v1::scheduler::Call::Type scheduler_call(const http_request& r);
/// The executor Call type of a request.
mesos::v1::executor::Call::Type executor_call(const http_request& r);
/// Arrival times of the requests carrying a SUBSCRIBE (scheduler or executor).
std::vector<steady::time_point> subscribes(const std::vector<http_request>& rs, bool executor = false);

} // namespace hostile
