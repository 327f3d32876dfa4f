#pragma once
// Turns what the shared event-stream worker produces into messages to the executor
// actor: the HTTP answer, each decoded mesos::v1::executor::Event (tagged with the
// stream's generation) and the end of the stream.

#include <cstdint>
#include <memory>

#include <caf/actor.hpp>

#include "transport/event_stream.hpp"

namespace mesos_actor::detail {

std::shared_ptr<transport::stream_sink> make_executor_stream_sink(caf::actor owner,
                                                                  std::uint64_t generation);

} // namespace mesos_actor::detail
