#pragma once
// Feeds a scheduler actor from a subscription stream: on the stream's thread, collects
// the records of each received piece (still encoded) into the stream's inbox and
// wakes the actor, tagged with the stream's generation, when the inbox was idle.

#include <memory>

#include <caf/actor.hpp>

#include "scheduler/event_inbox.hpp"
#include "transport/event_stream.hpp"

namespace mesos_actor {

std::shared_ptr<transport::stream_sink>
make_scheduler_event_sink(caf::actor owner, std::uint64_t generation,
                          std::shared_ptr<scheduler_event_inbox> inbox);

} // namespace mesos_actor
