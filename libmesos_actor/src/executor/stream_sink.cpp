#include "executor/stream_sink.hpp"

#include <caf/send.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/message_types.hpp"

namespace mesos_actor::detail {

namespace {

class executor_stream_sink final : public transport::stream_sink {
public:
  executor_stream_sink(caf::actor owner, std::uint64_t generation)
    : owner_(std::move(owner)), generation_(generation) {
  }

  void on_response(transport::stream_response response) override {
    caf::anon_send(owner_, std::move(response));
  }

  std::optional<std::string> on_record(std::string_view record, content_type encoding,
                                       std::uint64_t) override {
    mesos::v1::executor::Event event;
    // Decoded here, on the stream's thread, so the actor only sees whole events.
    if (auto err = decode(record, encoding, event))
      return err->message;
    caf::anon_send(owner_, executor_event_atom::value, generation_, std::move(event));
    return std::nullopt;
  }

  void on_closed(transport::stream_closed closed) override {
    caf::anon_send(owner_, std::move(closed));
  }

private:
  caf::actor owner_;
  std::uint64_t generation_;
};

} // namespace

std::shared_ptr<transport::stream_sink> make_executor_stream_sink(caf::actor owner,
                                                                  std::uint64_t generation) {
  return std::make_shared<executor_stream_sink>(std::move(owner), generation);
}

} // namespace mesos_actor::detail
