#include "client/io_children.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/message_types.hpp"

namespace mesos_actor::detail {

io_children::io_children(caf::event_based_actor* owner) : owner_(owner) {
}

io_children::~io_children() {
  stop_stream();
  close_channel();
}

void io_children::start_stream(transport::stream_config cfg,
                               std::shared_ptr<transport::stream_sink> sink) {
  stop_stream();
  auto started = transport::spawn_event_stream(owner_->system(), owner_->address(), std::move(cfg),
                                               std::move(sink));
  stream_ = std::move(started.worker);
  stream_control_ = std::move(started.control);
  ++stream_starts_;
  // Linked after the spawn: a worker that already ended sends its exit at once.
  owner_->link_to(stream_);
}

void io_children::stop_stream() {
  if (stream_control_) {
    stream_control_->stop();
    stream_control_.reset();
  }
  retire(stream_);
}

void io_children::open_channel(transport::call_channel_config cfg, bool direct_calls) {
  close_channel();
  if (direct_calls)
    door_ = std::make_shared<transport::call_door>();
  channel_ = transport::spawn_call_channel(owner_->system(), caf::actor_cast<caf::actor>(owner_),
                                           std::move(cfg), door_);
  ++channel_starts_;
  owner_->link_to(channel_);
}

void io_children::close_channel() {
  flush_calls();
  if (channel_) // after the calls already sent
    by_mail([&] { caf::anon_send(channel_, stop_atom::value); });
  door_.reset();
  retire(channel_);
}

void io_children::send_call(transport::call_request req) {
  if (!channel_) // nothing to send to (CAF drops a message to no actor, too)
    return;
  held_calls_.push_back(std::move(req));
  if (batch_depth_ == 0)
    flush_calls();
}

void io_children::flush_calls() {
  if (held_calls_.empty())
    return;
  // Written on the socket here while the channel sleeps; else (or the rest) by message.
  if (door_ && door_->try_write(held_calls_) == transport::call_door::outcome::written_wake)
    caf::anon_send(channel_, transport::door_used_atom::value);
  if (held_calls_.empty())
    return;
  by_mail([&] {
    if (held_calls_.size() == 1)
      owner_->send(channel_, std::move(held_calls_.front()));
    else
      owner_->send(channel_, std::move(held_calls_));
  });
  held_calls_ = transport::call_requests{};
}

void io_children::retire(caf::actor& child) {
  if (!child)
    return;
  retired_.push_back(child.address());
  child = nullptr;
}

io_children::exit_of io_children::classify(const caf::exit_msg& m) {
  if (stream_ && m.source == stream_.address()) {
    stream_last_exit_ = m.reason;
    stream_control_.reset();
    stream_ = nullptr;
    return exit_of::stream;
  }
  if (channel_ && m.source == channel_.address()) {
    channel_last_exit_ = m.reason;
    channel_ = nullptr;
    door_.reset();
    return exit_of::channel;
  }
  auto i = std::find(retired_.begin(), retired_.end(), m.source);
  if (i == retired_.end())
    return exit_of::other;
  retired_.erase(i);
  return exit_of::replaced;
}

transport::stream_closed io_children::stream_died(std::uint64_t generation,
                                                  const caf::error& reason) {
  transport::stream_closed closed;
  closed.generation = generation;
  closed.kind = transport::stream_end::transport_error;
  closed.detail = "the stream worker ended: " + describe(reason);
  return closed;
}

std::vector<supervisor::child_info> io_children::which() const {
  auto row = [](const char* id, const caf::actor& a, std::size_t starts, const caf::error& last) {
    supervisor::child_info c;
    c.id = id;
    c.actor = a;
    c.status = a ? supervisor::child_status::running : supervisor::child_status::stopped;
    c.kind = supervisor::child_kind::worker;
    c.restart = supervisor::restart_type::transient; // replaced by the framework's own policy
    c.restart_count = starts > 0 ? starts - 1 : 0;
    c.last_exit_reason = last;
    return c;
  };
  return {row("event_stream", stream_, stream_starts_, stream_last_exit_),
          row("call_channel", channel_, channel_starts_, channel_last_exit_)};
}

} // namespace mesos_actor::detail
