#pragma once
// The owner's shortcut into its call channel. While the channel's thread sleeps with its
// plain (not TLS) connection open and room for more calls, the owner writes its calls
// on that socket itself, so they leave at once instead of after a wake-up of the
// channel's thread: with every core busy, each such wake-up can wait for a scheduler
// slice. The channel then reads their answers and reports them as for any other call.
//
// Order. A call the owner sends as a message (by_mail) closes the door first, and the
// channel opens it again only when it sleeps with an empty mailbox, so a call written
// through the door never overtakes one sent before it. The channel takes what was
// written (close) before it writes or reads anything else; the calls it already had on
// the wire went out before them.
//
// The same rules as the channel's own writes: a call is written whole or queued in
// order (a write the kernel took in part leaves the rest of that call to the channel,
// and the calls behind it go as a message); an idle connection that the peer closed
// takes nothing; TLS and proxied connections are written by the channel only.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "mesos_actor/transport/messages.hpp"
#include "transport/http_connection.hpp"

namespace mesos_actor::transport {

/// The bytes of one call as the channel writes it (keep-alive POST, Mesos-Stream-Id if any).
void append_call(std::string& out, const call_request& req, const endpoint& target,
                 content_type encoding, const header_list& headers, bool absolute_form);

class call_door {
public:
  using clock = std::chrono::steady_clock;

  /// What the channel offers while it sleeps.
  struct room {
    http_connection* conn = nullptr;  ///< open, plain, not proxied in absolute form
    const endpoint* target = nullptr;
    content_type encoding = content_type::protobuf;
    std::chrono::milliseconds read_timeout{0};
    std::size_t calls = 0;  ///< more calls it may have unanswered
    bool idle = false;      ///< nothing unanswered: the connection must be checked first,
                            ///< and the channel must be woken to read the answers
  };

  /// What the owner wrote through the door since the channel opened it.
  struct written {
    struct call {
      std::uint64_t call_id;
      clock::time_point deadline;  // from its write to the end of its answer
    };
    std::vector<call> calls;  ///< on the wire (the last one perhaps in part), in order
    std::string tail;         ///< the rest of the last call, for the channel to write next
  };

  enum class outcome {
    none,          ///< nothing written: send every call by_mail
    written,       ///< calls written; the channel reads their answers without being told
    written_wake,  ///< calls written to an idle channel: wake it so it reads the answers
  };

  /// Owner: writes the leading calls of `reqs` that fit, and erases them from `reqs`;
  /// what is left goes by_mail.
  outcome try_write(std::vector<call_request>& reqs);

  /// Owner: runs `send` (which sends calls or a stop to the channel) with the door
  /// closed, so that no later call can overtake what it sends.
  template <class Send>
  void by_mail(Send&& send) {
    std::lock_guard<std::mutex> guard{mtx_};
    open_ = false;
    send();
  }

  /// Channel, before it sleeps with room for calls: opens the door when
  /// `mailbox_empty()` holds (checked under the lock that by_mail holds while sending).
  template <class Pred>
  void open(const room& r, Pred&& mailbox_empty) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!retired_ && mailbox_empty()) {
      room_ = r;
      open_ = true;
    }
  }

  /// Channel, when it wakes: closes the door and takes what was written through it.
  written close();

  /// Channel, at its end: the door never opens again.
  void retire();

  /// Whether the owner may write now (the channel sleeps with room).
  bool is_open() {
    std::lock_guard<std::mutex> guard{mtx_};
    return open_;
  }

private:
  std::mutex mtx_;
  bool open_ = false;
  bool retired_ = false;
  room room_;
  written written_;
  std::string bytes_;  // reused for formatting
};

} // namespace mesos_actor::transport
