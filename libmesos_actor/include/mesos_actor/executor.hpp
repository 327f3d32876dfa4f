#pragma once
// Everything needed to write a Mesos executor with mesos-actor.

#include "mesos_actor/action.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/executor/behaviour.hpp"
#include "mesos_actor/executor/call_outcome.hpp"
#include "mesos_actor/executor/context.hpp"
#include "mesos_actor/executor/duration_text.hpp"
#include "mesos_actor/executor/environment.hpp"
#include "mesos_actor/executor/external_call.hpp"
#include "mesos_actor/executor/options.hpp"
#include "mesos_actor/executor/spawn.hpp"
