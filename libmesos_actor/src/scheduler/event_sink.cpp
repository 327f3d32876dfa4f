#include "scheduler/event_sink.hpp"

#include <caf/send.hpp>

#include "mesos_actor/message_types.hpp"

namespace mesos_actor {

namespace {

class scheduler_event_sink : public transport::stream_sink {
public:
  scheduler_event_sink(caf::actor owner, std::uint64_t generation,
                       std::shared_ptr<scheduler_event_inbox> inbox)
    : owner_(std::move(owner)), generation_(generation), inbox_(std::move(inbox)) {
  }

  void on_response(transport::stream_response response) override {
    caf::anon_send(owner_, std::move(response));
  }

  // Decoding is the actor's (see event_inbox.hpp); it reports a bad record.
  std::optional<std::string> on_record(std::string_view record, content_type encoding,
                                       std::uint64_t) override {
    piece_.append(record);
    encoding_ = encoding;
    return std::nullopt;
  }

  void on_piece_end() override {
    if (piece_.empty())
      return;
    bool notify = inbox_->put(piece_, encoding_);
    piece_.clear();
    if (notify)
      caf::anon_send(owner_, scheduler_events{generation_, inbox_});
  }

  void on_closed(transport::stream_closed closed) override {
    on_piece_end();
    caf::anon_send(owner_, std::move(closed));
  }

private:
  caf::actor owner_;
  std::uint64_t generation_;
  std::shared_ptr<scheduler_event_inbox> inbox_;
  content_type encoding_ = content_type::protobuf;
  record_batch piece_;  // records of the current piece
};

} // namespace

std::shared_ptr<transport::stream_sink>
make_scheduler_event_sink(caf::actor owner, std::uint64_t generation,
                          std::shared_ptr<scheduler_event_inbox> inbox) {
  return std::make_shared<scheduler_event_sink>(std::move(owner), generation, std::move(inbox));
}

} // namespace mesos_actor
