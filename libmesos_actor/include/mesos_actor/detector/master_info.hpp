#pragma once
// What a ZooKeeper master group says (PROTOCOL.md section 6): which child node is the
// leader, and where the master described by a node's JSON MasterInfo listens.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace mesos_actor {

/// The label every master since Mesos 0.24 uses: nodes are "json.info_<sequence>".
inline constexpr std::string_view master_node_label = "json.info";

/// The child named json.info_<sequence> with the lowest sequence; other names
/// (log_replicas, legacy labels, unparsable sequences) are skipped. nullopt = none.
std::optional<std::string> pick_leader_node(const std::vector<std::string>& children);

/// Where a master listens, from its MasterInfo.
struct master_address {
  /// Host name or address.
  std::string host;
  /// TCP port.
  std::uint16_t port = 0;
  std::string id; ///< MasterInfo.id (may be empty)
};

/// Reads a node's JSON MasterInfo: address.hostname (else address.ip) and
/// address.port; without `address`, the top-level hostname and port; the legacy
/// network-byte-order `ip` integer only when no name or address is there.
/// errc::protocol_error when it is not JSON MasterInfo or names no usable address.
caf::expected<master_address> parse_master_info(std::string_view json);

} // namespace mesos_actor
