#pragma once
// The fleet's ZooKeeper layout (docs/fleet.md) and the contents of its nodes: paths,
// names, and JSON encoding/decoding with errors that say what is wrong.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "mesos_actor/host.hpp"

namespace mesos_actor::fleet {

/// A live host as its ephemeral node describes it.
struct host_info {
  std::string name;
  std::size_t capacity = 0;
  std::vector<std::string> factories;

  bool has_factory(const std::string& f) const;
};

/// A declared ref (its persistent spec node).
struct ref_spec {
  std::string factory;
  std::vector<std::string> master_hosts;
  std::map<std::string, std::string> params;
  std::vector<std::string> preference;
  restart_policy policy;
};

/// One ref as a scan found it.
struct ref_entry {
  std::string ref;
  std::optional<ref_spec> spec; ///< none: absent (being removed) or malformed
  std::string owner;            ///< host name in the owner node; "" = unowned
  std::string framework_id;     ///< "" until the first SUBSCRIBED was recorded
};

/// Everything under the fleet path, read at one moment (with watches set).
struct snapshot {
  std::vector<host_info> hosts;  ///< sorted by name
  std::vector<ref_entry> refs;   ///< sorted by ref
  std::vector<std::string> problems; ///< malformed nodes, skipped (one line each)
  /// False when a read failed (connection loss...): a partial view, never acted on
  /// (a ref missing from it is not a removed ref).
  bool complete = true;
};

/// Host names and refs: 1..128 of [A-Za-z0-9._-], not "." nor "..".
bool valid_name(std::string_view name);

/// Why `path` cannot be a fleet root ("/a/b", segments as valid_name); none if it can.
std::optional<std::string> path_problem(const std::string& path);

/// Paths under the fleet root.
struct layout {
  std::string root;
  std::string hosts() const { return root + "/hosts"; }
  std::string host(const std::string& name) const { return hosts() + "/" + name; }
  std::string refs() const { return root + "/refs"; }
  std::string ref(const std::string& r) const { return refs() + "/" + r; }
  std::string spec(const std::string& r) const { return ref(r) + "/spec"; }
  std::string owner(const std::string& r) const { return ref(r) + "/owner"; }
  std::string framework_id(const std::string& r) const { return ref(r) + "/framework_id"; }
};

std::string encode_host(const host_info& h);
/// errc::decode_error naming the field at fault.
caf::expected<host_info> decode_host(std::string_view json);

std::string encode_spec(const ref_spec& s);
/// errc::decode_error naming the field at fault (unknown restart type, bad names...).
caf::expected<ref_spec> decode_spec(std::string_view json);

} // namespace mesos_actor::fleet
