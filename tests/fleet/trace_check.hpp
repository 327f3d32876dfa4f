#pragma once
// Issue 16's safety property on the simulator's trace: a framework id never has two
// subscribed instances, i.e. two open SUBSCRIBE streams, except inside a fencing
// window the test names (e.g. from a kill -9 until the moved frameworks resubscribed:
// the dead host's half-open streams stay open in the master until a write fails).

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <mesos_actor/sim/trace.hpp>

namespace fleet_test {

using trace_clock = std::chrono::steady_clock;

/// A stream of `framework_id` that was still open when another one subscribed.
struct double_subscription {
  std::string framework_id;
  std::string old_stream;
  std::string new_stream;
  trace_clock::time_point at;    ///< when the newer stream was subscribed
  trace_clock::time_point since; ///< when the older stream was subscribed
  std::string why;               ///< what in the trace shows it
};

/// Where a double subscription is expected: these frameworks, between `from` and
/// `to`, with an older stream subscribed before `from` (the owner that failed).
struct fencing_window {
  std::set<std::string> framework_ids;
  trace_clock::time_point from;
  trace_clock::time_point to;
};

/// Every double subscription the events show: the master's "Framework failed over"
/// ERROR on an older stream (it was open when the newer one subscribed), or an older
/// stream still being sent events queued after the newer one's SUBSCRIBED.
std::vector<double_subscription>
double_subscriptions(const std::vector<mesos_actor::sim::event_record>& events);

/// Those not inside any window.
std::vector<double_subscription> outside(const std::vector<double_subscription>& found,
                                         const std::vector<fencing_window>& windows);

/// One line per entry, for failure messages.
std::string describe(const std::vector<double_subscription>& found);

} // namespace fleet_test
