#pragma once
// Everything a scheduler author needs.

#include "mesos_actor/errors.hpp"
#include "mesos_actor/scheduler/call_outcome.hpp"
#include "mesos_actor/scheduler/context.hpp"
#include "mesos_actor/scheduler/external_call.hpp"
#include "mesos_actor/scheduler/operations.hpp"
#include "mesos_actor/scheduler/options.hpp"
#include "mesos_actor/scheduler/behaviour.hpp"
#include "mesos_actor/scheduler/spawn.hpp"
