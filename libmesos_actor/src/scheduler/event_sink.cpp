#include "scheduler/event_sink.hpp"

#include <caf/send.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/message_types.hpp"

namespace mesos_actor {

namespace {

class scheduler_event_sink : public transport::stream_sink {
public:
  scheduler_event_sink(caf::actor owner, std::uint64_t generation)
    : owner_(std::move(owner)), generation_(generation) {
  }

  void on_response(transport::stream_response response) override {
    caf::anon_send(owner_, std::move(response));
  }

  std::optional<std::string> on_record(std::string_view record, content_type encoding,
                                       std::uint64_t) override {
    if (recycled_.empty()) {
      decoded_.emplace_back();
    } else {
      decoded_.emplace_back(std::move(recycled_.back()));
      recycled_.pop_back();
    }
    auto& event = decoded_.back();
    bytes_ += record.size();
    if (auto err = decode(record, encoding, event)) {
      decoded_.pop_back();
      on_piece_end(); // what decoded before the bad record still counts
      return err->message;
    }
    return std::nullopt;
  }

  void on_piece_end() override {
    if (decoded_.empty())
      return;
    bool notify = false;
    {
      std::lock_guard<std::mutex> guard{inbox_->mtx};
      if (inbox_->events.empty())
        inbox_->events.swap(decoded_);
      else
        for (auto& e : decoded_)
          inbox_->events.emplace_back(std::move(e));
      inbox_->bytes += bytes_;
      notify = !inbox_->notified;
      inbox_->notified = true;
      if (recycled_.size() < inbox_->spare.size()) // take the bigger pile to decode into
        recycled_.swap(inbox_->spare);
    }
    decoded_.clear();
    bytes_ = 0;
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
  std::vector<mesos::v1::scheduler::Event> decoded_;  // of the current piece
  std::vector<mesos::v1::scheduler::Event> recycled_; // handled events to decode into
  std::uint64_t bytes_ = 0;                            // of the current piece
  std::shared_ptr<scheduler_event_inbox> inbox_ = std::make_shared<scheduler_event_inbox>();
};

} // namespace

std::shared_ptr<transport::stream_sink> make_scheduler_event_sink(caf::actor owner,
                                                                   std::uint64_t generation) {
  return std::make_shared<scheduler_event_sink>(std::move(owner), generation);
}

} // namespace mesos_actor
