#pragma once
// The wire scenarios: the same requests sent to a real Mesos master and to the
// simulator, each answer and event recorded as a transcript (transcript.hpp).
//   subscribe          SUBSCRIBE (JSON): head, SUBSCRIBED, HEARTBEAT, OFFERS; TEARDOWN, end
//   launch             SUBSCRIBE (protobuf), ACCEPT a command task, its updates acknowledged,
//                      explicit reconciliation (known and unknown task), TEARDOWN, end, and
//                      a SUBSCRIBE with the removed id (ERROR, end)
//   bad_requests       405, 400, 415, 406, 501 and the master's texts for malformed calls
//   failover           a second SUBSCRIBE with the id ("Framework failed over" on the first
//                      stream), calls of a disconnected framework, resubscription
//   refused_subscribe  an invalid FrameworkInfo: 200, ERROR, end of stream

#include <string>
#include <vector>

#include "conformance/transcript.hpp"

namespace conformance {

/// The scenarios' names, in the order they run.
const std::vector<std::string>& scenario_names();

/// Runs one scenario against the master at host:port (an agent with at least 1 cpu and
/// 64 MB must be registered). When the master does not answer as the scenario needs
/// (no answer, an event that never comes) the transcript ends with a step of kind
/// "failed" naming it, after what was answered until then.
transcript run_scenario(const std::string& name, const std::string& master);

} // namespace conformance
