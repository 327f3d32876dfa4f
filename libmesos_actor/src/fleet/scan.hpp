#pragma once
// One read of the fleet's nodes, without blocking: every node's read goes out at once
// (read_batch), and the result is assembled from the answers on the client's completion
// thread. The ZooKeeper I/O actor is free meanwhile, so claims and declares never wait
// behind a read of 1,500 nodes. A read covers every host and the refs not skipped.

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fleet/messages.hpp"
#include "fleet/nodes.hpp"
#include "fleet/read_batch.hpp"

namespace mesos_actor::fleet {

/// The children listed before the nodes are read.
struct fleet_listing_names {
  std::vector<std::string> hosts;
  std::vector<std::string> refs;
  std::set<std::string> skip; ///< refs listed but not read (the caller knows them)
  bool complete = true; ///< false: a listing failed, the snapshot is partial
};

/// Reads the nodes of `names` but the skipped refs (exists watches on every spec and owner
/// read, so their creation and deletion are seen) and calls `done` with the result once
/// every answer is in, on the client's completion thread. Returns how many requests
/// were sent.
std::size_t read_nodes(zhandle_t* zh, watcher_fn watcher, void* watcher_ctx, const layout& lay,
                       fleet_listing_names names, std::function<void(fleet_read_ptr)> done);

} // namespace mesos_actor::fleet
