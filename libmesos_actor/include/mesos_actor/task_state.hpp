#pragma once
// Facts about Mesos task states shared by frameworks, executors and the simulator.

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor {

/// True for the states after which a task never changes again (FINISHED, FAILED,
/// KILLED, ERROR, LOST, DROPPED, GONE, GONE_BY_OPERATOR).
bool is_terminal(mesos::v1::TaskState state);

} // namespace mesos_actor
