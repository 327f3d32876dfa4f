#pragma once
// A transcript: what a master answered to one wire scenario, normalised so a real
// Mesos and the simulator can be compared field by field. Each step is a request and
// its answer (status, the headers that matter, the error text), an event (its type and
// every field it carries, with the values that have meaning), or the end of a stream.
// Ids, uuids, timestamps, hostnames and ports are replaced by placeholders.

#include <map>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "conformance/wire_client.hpp"

namespace conformance {

struct step {
  std::string kind;  ///< "call", "event" or "end"
  std::string what;  ///< the call's label, or the event type, or the stream's name
  int status = 0;    ///< calls: the HTTP status
  std::map<std::string, std::string> headers;  ///< calls: Content-Type, Mesos-Stream-Id, ...
  std::string body;  ///< calls: the answer's body (error texts), normalised
  /// events: every field path the event carries ("update.status.task_id.value"; repeated
  /// fields as "[]") with its value where it means something, else "*".
  std::map<std::string, std::string> fields;
};

struct transcript {
  std::string scenario;
  std::vector<step> steps;
};

/// The step for a call's answer (headers and body normalised).
step call_step(const std::string& label, const http_answer& answer);
/// The step for an event (fields flattened and normalised).
step event_step(const google::protobuf::Message& event, const std::string& type_name);
/// Replaces ids (framework/agent/offer ids, UUIDs), hosts and ports in a text.
std::string normalise_text(const std::string& text);

/// Pretty JSON, one step per line group (what tests/conformance/transcripts/ holds).
std::string to_json(const transcript& t);
/// Parses to_json's output; throws std::runtime_error on malformed input.
transcript from_json(const std::string& json);

/// One difference between an expected (recorded) and an actual transcript.
struct difference {
  std::size_t step = 0;  ///< index in the expected transcript
  std::string where;     ///< "status", "header Content-Type", "field update.status.reason", ...
  std::string expected;
  std::string actual;
};
/// Step by step: kinds, names, statuses, headers, bodies, field sets and values.
std::vector<difference> compare(const transcript& expected, const transcript& actual);
/// "step 3 (event UPDATE): field x: expected 'a', got 'b'".
std::string describe(const transcript& expected, const difference& d);

} // namespace conformance
