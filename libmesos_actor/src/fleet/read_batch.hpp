#pragma once
// Reads (and creates) sent to ZooKeeper together and awaited together: a scan of N refs costs about one
// round trip instead of 5N one after another (the server answers a session's requests
// in order, so an exists watch followed by a get of the same node stays consistent).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

namespace mesos_actor::fleet {

class read_batch {
public:
  /// `watcher`/`watcher_ctx`: set on nodes read with `watch`.
  read_batch(zhandle_t* zh, watcher_fn watcher, void* watcher_ctx);

  /// Queues a read of `path` (after an exists watch when `watch`, so that its creation is
  /// seen too); returns the index of its answer. A read that cannot be sent fails at once.
  std::size_t get(const std::string& path, bool watch);

  /// Queues a create of `path` (its answer has no data). The server commits the creates
  /// of a batch together (one log sync for many), instead of one sync each.
  std::size_t create(const std::string& path, const std::string& value, const ACL_vector* acl,
                     int flags);

  /// Waits for every answer, at most `bound`; unanswered reads fail with ZOPERATIONTIMEOUT.
  /// Returns how many requests were sent.
  std::size_t wait(std::chrono::milliseconds bound);

  /// The read's result code (ZOK, ZNONODE, ...) and, for ZOK, the node's data.
  int rc(std::size_t index) const;
  const std::string& data(std::size_t index) const;

  struct state;

private:
  zhandle_t* zh_;
  watcher_fn watcher_;
  void* watcher_ctx_;
  std::shared_ptr<state> state_; // shared with the completions, which may outlive wait()
  std::size_t sent_ = 0;
};

} // namespace mesos_actor::fleet
