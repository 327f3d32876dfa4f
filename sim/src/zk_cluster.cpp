// The cluster's side of ZooKeeper candidacy: what a master writes into its node and
// how the leader follows the node order.
#include "cluster_impl.hpp"

#include <stdexcept>

#include "mesos_actor/codec/json.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor::sim {

void cluster::impl::start_zookeeper_membership() {
  auto url = parse_zk_url(opts_.zookeeper);
  if (!url)
    throw std::runtime_error("simulator: zookeeper: " + error_detail(url.error()));
  zk_ = std::make_unique<zk_membership>(
    std::move(*url), opts_.zookeeper_session_timeout,
    [this](std::size_t master) {
      state_lock lk(*this);
      return to_json(masters_[master].info); // JSON MasterInfo, as Mesos writes it
    },
    [this](std::optional<std::size_t> leader) {
      state_lock lk(*this);
      follow_leader(leader);
    },
    [this](const std::string& line) { log(line); });
  zk_->start(masters_.size(), opts_.zookeeper_session_timeout);
}

} // namespace mesos_actor::sim
