#pragma once
// The fleet's fencing clock. A ZooKeeper session lives for T (session_timeout) after
// the server last heard from the client, so a host that got an answer to a request it
// sent at time s knows its session (and its owner nodes) lives at least until s + T.
// The host treats its ownership as valid only until s + T/2: past that it fences
// itself (stops its fleet frameworks, refuses their SUBSCRIBEs) with T/2 to spare
// before another host can own them. Written by ZooKeeper's completion thread, read by
// any actor thread; a process stopped (SIGSTOP) past T/2 finds it expired on resume.
// T starts as the requested session timeout and becomes the one the server negotiated
// once a session is connected (a server clamps it to [minSessionTimeout,
// maxSessionTimeout]): the arithmetic must use the session's real life time.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace mesos_actor::fleet {

class lease {
public:
  using clock = std::chrono::steady_clock;

  explicit lease(std::chrono::milliseconds session_timeout)
    : requested_(session_timeout), timeout_ms_(session_timeout.count()) {}

  /// A request sent at `sent` was answered: the session was alive then.
  void renewed(clock::time_point sent);
  /// The session is gone (expired, closed): invalid until the next renewal.
  void revoke();
  /// True while now < last renewal's send time + T/2.
  bool valid(clock::time_point now = clock::now()) const;
  /// T/2: how long after the last answered request the host fences itself.
  std::chrono::milliseconds validity() const { return session_timeout() / 2; }
  /// T: the negotiated session timeout once known, else the requested one.
  std::chrono::milliseconds session_timeout() const {
    return std::chrono::milliseconds{timeout_ms_.load()};
  }
  std::chrono::milliseconds requested() const { return requested_; }
  /// The server's answer (zoo_recv_timeout after connecting). Ignored when not
  /// positive. Returns true when T changed.
  bool negotiated(std::chrono::milliseconds t);

private:
  const std::chrono::milliseconds requested_;
  std::atomic<std::int64_t> timeout_ms_;
  std::atomic<std::int64_t> sent_ns_{INT64_MIN}; // steady clock, ns since its epoch
};

} // namespace mesos_actor::fleet
