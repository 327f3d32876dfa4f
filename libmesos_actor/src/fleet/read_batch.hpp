#pragma once
// Reads (and creates) sent to ZooKeeper together and answered together: a scan of N refs costs
// about one round trip instead of 5N one after another (the server answers a session's
// requests in order, so an exists watch followed by a get of the same node stays
// consistent). Nobody waits for the answers: the batch's `then` gets them.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

namespace mesos_actor::fleet {

/// Answers that prove the server handled the request (so the session was alive).
inline bool answered(int rc) {
  return rc == ZOK || rc == ZNONODE || rc == ZNODEEXISTS || rc == ZNOTEMPTY || rc == ZBADVERSION
         || rc == ZNOAUTH;
}

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

  /// Sends nothing more; `done` runs once every request is answered: on the client's
  /// completion thread (here, if all are answered already). The client answers every
  /// request it sent exactly once (ZCONNECTIONLOSS when the connection goes, ZCLOSING
  /// when the handle closes), so `done` always runs. Completions run in the order the
  /// server answered, so `done`s that send messages send them in that order.
  void then(std::function<void(const read_batch&)> done);

  /// How many requests were sent.
  std::size_t sent() const { return sent_; }

  /// The read's result code (ZOK, ZNONODE, ...) and, for ZOK, the node's data.
  int rc(std::size_t index) const;
  const std::string& data(std::size_t index) const;

  struct state;

private:
  zhandle_t* zh_;
  watcher_fn watcher_;
  void* watcher_ctx_;
  std::shared_ptr<state> state_; // shared with the completions
  std::size_t sent_ = 0;
};

} // namespace mesos_actor::fleet
