#pragma once
// What went over the wire, recorded in order so tests can assert exact traffic.

#include <chrono>
#include <functional>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/codec/content_type.hpp"

namespace mesos_actor::sim {

/// Which server saw a request.
enum class server_kind { master, agent };

/// One HTTP request and the status it was answered with. The Authorization header
/// is recorded with its credentials replaced by "<redacted>".
struct request_record {
  /// When the server began to handle the request. Requests of one connection are
  /// handled one after another, so a request pipelined behind others is handled
  /// after they were (and after any wait of theirs for the cluster's state).
  std::chrono::steady_clock::time_point time;
  /// When the server's socket read that completed the request returned (at or before
  /// `time`): when the client's request had arrived, whatever was handled before it.
  std::chrono::steady_clock::time_point received;
  /// A master or an agent.
  server_kind server = server_kind::master;
  /// Which master or agent (index).
  std::size_t server_index = 0;
  /// HTTP method.
  std::string method;
  /// Request path.
  std::string path;
  /// Request headers (credentials redacted).
  std::vector<std::pair<std::string, std::string>> headers;
  /// The parsed Content-Type, when it was one of the two Mesos media types.
  std::optional<content_type> body_type;
  /// The decoded scheduler Call (master) / executor Call (agent), when it decoded.
  std::optional<mesos::v1::scheduler::Call> call;
  /// The decoded executor Call (agent), when it decoded.
  std::optional<mesos::v1::executor::Call> executor_call;
  /// HTTP status of the answer.
  int status = 0;
  /// The client pipelined it: it had sent this request before the answer to its
  /// previous request on the same connection was written (HTTP/1.1 pipelining).
  bool pipelined = false;
  /// Mesos-Stream-Id sent back (SUBSCRIBE) or presented (other calls).
  std::string stream_id;

  /// Header lookup (case-insensitive name); empty when absent.
  std::string header(const std::string& name) const;
};

/// One event written to a scheduler subscription stream.
struct event_record {
  /// When it was written.
  std::chrono::steady_clock::time_point time;
  /// The master whose stream carried it.
  std::size_t master = 0;
  /// The framework it went to.
  std::string framework_id;
  /// The subscription (Mesos-Stream-Id) it went to.
  std::string stream_id;
  /// How it was encoded on the wire.
  content_type encoding = content_type::json;
  /// The event.
  mesos::v1::scheduler::Event event;
  /// When the master queued it for the stream (earlier than `time` when the stream
  /// was paused or slow): a copy queued after an ACKNOWLEDGE was answered is a new send.
  std::chrono::steady_clock::time_point queued;
};

/// One event written to an executor subscription stream (filled by the agent's
/// executor API).
struct executor_event_record {
  /// When it was written.
  std::chrono::steady_clock::time_point time;
  /// The agent whose stream carried it.
  std::size_t agent = 0;
  /// The executor's framework.
  std::string framework_id;
  /// The executor it went to.
  std::string executor_id;
  /// The event.
  mesos::v1::executor::Event event;
};

/// Receives every trace record as it is made, whatever `max_trace_entries` is, so a
/// long run can check its traffic without keeping all of it. Called on the simulator
/// thread that made the record (several may call at once): keep it short and
/// thread-safe, and do not call the cluster from it. Requests are reported after
/// they were answered; events after they were written to the socket.
struct trace_observer {
  /// A request to a master or an agent, with the status it was answered with.
  std::function<void(const request_record&)> request;
  /// An event written to a scheduler subscription stream.
  std::function<void(const event_record&)> event;
  /// An event written to an executor subscription stream.
  std::function<void(const executor_event_record&)> executor_event;
};

} // namespace mesos_actor::sim
