#pragma once
// A framework actor's I/O children, shared by the scheduler and the executor: the event
// stream worker (one per subscription attempt) and the call channel (one per
// subscription). Both are linked to the framework actor, as OTP links a process to the
// ports it opens: a child that dies is an exit the actor handles (classify() names it),
// and the actor's end, normal or not, takes both down.
//
//   framework actor ──link── event stream worker   (SUBSCRIBE, its own thread)
//                   └─link── call channel          (calls in order, its own thread)

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/system_messages.hpp>

#include "supervisor/child_info.hpp"
#include "transport/call_channel.hpp"
#include "transport/call_door.hpp"
#include "transport/event_stream.hpp"

namespace mesos_actor::detail {

class io_children {
public:
  explicit io_children(caf::event_based_actor* owner);
  /// Stops both children (the owner's exit also ends them, through the links).
  ~io_children();
  io_children(const io_children&) = delete;
  io_children& operator=(const io_children&) = delete;

  /// Replaces the stream worker (the old one is stopped).
  void start_stream(transport::stream_config cfg, std::shared_ptr<transport::stream_sink> sink);
  /// Stops the stream worker at once; idempotent.
  void stop_stream();
  /// A stream worker was started and has neither been stopped nor ended.
  bool stream_running() const { return static_cast<bool>(stream_); }

  /// Replaces the call channel (the old one ends after the calls already sent to it).
  /// `direct_calls`: the owner writes its calls itself while the channel sleeps.
  void open_channel(transport::call_channel_config cfg, bool direct_calls);
  /// Ends the call channel after the calls already sent to it; idempotent.
  void close_channel();
  /// The current call channel (invalid when none).
  const caf::actor& channel() const { return channel_; }

  /// Sends a call to the current channel, at once or, while a call_batch is open, with
  /// the batch's other calls when it closes (still before anything else reaches that
  /// channel: opening or closing a channel sends what is held first).
  void send_call(transport::call_request req);

  /// Holds the calls made while it lives (e.g. the ACCEPTs answering one OFFERS event)
  /// and sends them to the channel as one message: the channel wakes once and writes
  /// them in one go (pipelined), instead of waking for each. Nests.
  class call_batch {
  public:
    explicit call_batch(io_children& io) : io_(io) { ++io_.batch_depth_; }
    ~call_batch() {
      if (--io_.batch_depth_ == 0)
        io_.flush_calls();
    }
    call_batch(const call_batch&) = delete;
    call_batch& operator=(const call_batch&) = delete;

  private:
    io_children& io_;
  };

  /// Whose exit an exit_msg reports.
  enum class exit_of {
    stream,   ///< the current stream worker
    channel,  ///< the current call channel
    replaced, ///< an earlier child of ours, already stopped or replaced
    other,    ///< not a child: a supervisor or another linked actor
  };
  /// Names the sender of `m`; a current child that ended is forgotten.
  exit_of classify(const caf::exit_msg& m);

  /// The children as supervisor::which_children rows ("event_stream", "call_channel").
  std::vector<supervisor::child_info> which() const;

  /// Routes an exit signal to `core`. A stream worker that died becomes the
  /// stream_closed it never sent (one that ended normally has reported its end); a call
  /// channel that died, core.channel_died(reason); another actor's non-normal exit,
  /// core.exit_requested(reason), as with OTP's trap_exit (normal ones are ignored).
  /// Core: ending(), stream_generation(), on_stream_closed(stream_closed&),
  /// channel_died(const caf::error&), exit_requested(caf::error).
  template <class Core>
  void route_exit(caf::exit_msg& m, Core& core) {
    switch (classify(m)) {
      case exit_of::stream:
        if (m.reason && !core.ending()) {
          auto closed = stream_died(core.stream_generation(), m.reason);
          core.on_stream_closed(closed);
        }
        return;
      case exit_of::channel:
        if (m.reason)
          core.channel_died(m.reason); // also while ending: its calls must still fail
        return;
      case exit_of::replaced:
        return;
      case exit_of::other:
        if (m.reason)
          core.exit_requested(std::move(m.reason));
        return;
    }
  }

  /// Transport errors for the calls of `in_flight` (call id -> record with a
  /// channel_generation) that went out on channel `generation`, in id order: they may
  /// or may not have arrived, so they fail and are never resent silently.
  template <class Map>
  static std::vector<transport::call_result> cut_short(const Map& in_flight,
                                                       std::uint64_t generation,
                                                       const std::string& why) {
    std::vector<transport::call_result> out;
    for (const auto& [id, call] : in_flight)
      if (call.channel_generation == generation) {
        transport::call_result r;
        r.generation = generation;
        r.call_id = id;
        r.transport_error = why;
        out.push_back(std::move(r));
      }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.call_id < b.call_id; });
    return out;
  }

private:
  static transport::stream_closed stream_died(std::uint64_t generation, const caf::error& reason);
  void retire(caf::actor& child);
  void flush_calls();
  // Runs `send` (calls or a stop for channel_) so that no later call overtakes it.
  template <class Send>
  void by_mail(Send&& send) {
    if (door_)
      door_->by_mail(send);
    else
      send();
  }

  caf::event_based_actor* owner_;
  caf::actor stream_;
  std::shared_ptr<transport::stream_control> stream_control_;
  caf::actor channel_;
  std::shared_ptr<transport::call_door> door_;  // channel_'s; null with direct_calls off
  transport::call_requests held_calls_;  // for channel_, while a call_batch is open
  int batch_depth_ = 0;
  // Stopped or replaced children whose exit has not arrived yet (each one's does).
  std::vector<caf::actor_addr> retired_;
  std::size_t stream_starts_ = 0;
  std::size_t channel_starts_ = 0;
  caf::error stream_last_exit_;
  caf::error channel_last_exit_;
};

} // namespace mesos_actor::detail
