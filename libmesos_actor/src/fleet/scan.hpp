#pragma once
// One read of the whole fleet's nodes, without blocking: every node's read goes out at
// once (read_batch), and the snapshot is assembled from the answers on the client's
// completion thread. The ZooKeeper I/O actor is free meanwhile, so claims and declares
// never wait behind a read of 1,500 nodes.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "fleet/lease.hpp"
#include "fleet/messages.hpp"
#include "fleet/nodes.hpp"
#include "fleet/read_batch.hpp"

namespace mesos_actor::fleet {

/// The children listed before the nodes are read.
struct fleet_listing_names {
  std::vector<std::string> hosts;
  std::vector<std::string> refs;
  bool complete = true; ///< false: a listing failed, the snapshot is partial
};

/// Reads the nodes of `names` (exists watches on every spec and owner, so their creation
/// and deletion are seen) and calls `done` with the snapshot once every answer is in,
/// on the client's completion thread. An answer renews `lease_clock` from the send time.
/// Returns how many requests were sent.
std::size_t read_nodes(zhandle_t* zh, watcher_fn watcher, void* watcher_ctx, const layout& lay,
                       fleet_listing_names names, std::shared_ptr<lease> lease_clock,
                       std::function<void(snapshot_ptr)> done);

} // namespace mesos_actor::fleet
