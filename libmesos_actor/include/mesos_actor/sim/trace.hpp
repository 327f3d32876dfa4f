#pragma once
// What went over the wire, recorded in order so tests can assert exact traffic.

#include <chrono>
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
  std::chrono::steady_clock::time_point time;
  server_kind server = server_kind::master;
  std::size_t server_index = 0;
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  /// The parsed Content-Type, when it was one of the two Mesos media types.
  std::optional<content_type> body_type;
  /// The decoded scheduler Call (master) / executor Call (agent), when it decoded.
  std::optional<mesos::v1::scheduler::Call> call;
  std::optional<mesos::v1::executor::Call> executor_call;
  int status = 0;
  /// Mesos-Stream-Id sent back (SUBSCRIBE) or presented (other calls).
  std::string stream_id;

  /// Header lookup (case-insensitive name); empty when absent.
  std::string header(const std::string& name) const;
};

/// One event written to a scheduler subscription stream.
struct event_record {
  std::chrono::steady_clock::time_point time;
  std::size_t master = 0;
  std::string framework_id;
  std::string stream_id;
  content_type encoding = content_type::json;
  mesos::v1::scheduler::Event event;
};

/// One event written to an executor subscription stream (filled by the agent's
/// executor API).
struct executor_event_record {
  std::chrono::steady_clock::time_point time;
  std::size_t agent = 0;
  std::string framework_id;
  std::string executor_id;
  mesos::v1::executor::Event event;
};

} // namespace mesos_actor::sim
