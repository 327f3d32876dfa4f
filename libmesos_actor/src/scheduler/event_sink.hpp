#pragma once
// Feeds a scheduler actor from a subscription stream: decodes each record as a
// mesos::v1::scheduler::Event on the stream's thread and sends it, tagged with the
// stream's generation, to the actor.

#include <memory>

#include <caf/actor.hpp>

#include "transport/event_stream.hpp"

namespace mesos_actor {

std::shared_ptr<transport::stream_sink> make_scheduler_event_sink(caf::actor owner,
                                                                   std::uint64_t generation);

} // namespace mesos_actor
