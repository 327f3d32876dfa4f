#pragma once
// A fleet: hosts (processes, usually on different machines) that share one ZooKeeper
// path and run each declared framework on exactly one of them, moving it when its
// host dies (failover) and back when a preferred host returns (takeover). See
// docs/fleet.md for the node layout, the ownership rule and the fencing arithmetic.
//
//   mesos_actor::host_options o;
//   o.fleet.zookeeper = "zk://10.0.0.1:2181,10.0.0.2:2181/unused";
//   o.fleet.path = "/mesos-actor/fleet";
//   o.fleet.host_name = "node-a";
//   mesos_actor::host h{o};
//   h.register_scheduler_factory("analytics", [](const mesos_actor::fleet_context& c) {...},
//                                local_opts);   // credentials/TLS stay in local_opts
//   h.start_scheduler("analytics-1", "analytics", {}, policy, {"node-a", "node-b"});

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/scheduler/behaviour.hpp"

namespace mesos_actor {

/// The fleet section of host_options. A host whose `zookeeper` is empty has no fleet.
struct fleet_options {
  /// zk://[user:password@]host:port[,host:port...]/any-path: the servers and digest
  /// credentials (the URL's path is not used; `path` is the fleet's root).
  std::string zookeeper;
  /// The fleet's root node, e.g. "/mesos-actor/fleet". Hosts with the same path form a fleet.
  std::string path;
  /// This host's name in the fleet: unique among live hosts, [A-Za-z0-9._-]+.
  std::string host_name;
  /// Frameworks this host takes when no preference list decides (>= 1).
  std::size_t capacity = 100;
  /// The ZooKeeper session timeout T: a dead host's frameworks move after about T.
  /// The host fences itself (stops its fleet frameworks) when it has not heard from
  /// ZooKeeper for T/2 (docs/fleet.md). At least 300 ms.
  std::chrono::milliseconds session_timeout{std::chrono::seconds(6)};

  /// True when a ZooKeeper URL is set.
  bool enabled() const { return !zookeeper.empty(); }
};

/// errc::bad_option naming the first bad field (never the password); none when the
/// fleet is disabled.
caf::error validate(const fleet_options& o);

/// What a fleet factory gets for each (re)start of a ref on this host.
struct fleet_context {
  /// The ref the framework was declared under.
  std::string ref;
  /// This host's fleet name.
  std::string host_name;
  /// The spec's parameters (fleet_scheduler_options::params).
  std::map<std::string, std::string> params;
};

/// Makes a fresh behaviour for every start of a fleet ref on this host.
using fleet_scheduler_factory = std::function<std::unique_ptr<scheduler>(const fleet_context&)>;

/// What start_scheduler(ref, factory_name, ...) stores in ZooKeeper. It has no field
/// for a secret: those stay in the options each host registered with its factory.
struct fleet_scheduler_options {
  /// Replace the registered options' master_hosts when non-empty.
  std::vector<std::string> master_hosts;
  /// Handed to the factory as fleet_context::params.
  std::map<std::string, std::string> params;
};

/// A live host of a fleet, as read_fleet found its node.
struct fleet_host_row {
  std::string name;                   ///< its fleet name
  std::size_t capacity = 0;           ///< fleet_options::capacity
  std::vector<std::string> factories; ///< the factories it registered
};

/// A declared ref of a fleet, as read_fleet found it.
struct fleet_ref_row {
  std::string ref;                     ///< the ref
  std::string factory;                 ///< the spec's factory
  std::string owner;                   ///< the owning host; "" = none
  std::string framework_id;            ///< "" until its first SUBSCRIBED was stored
  std::vector<std::string> preference; ///< the spec's preference list (may be empty)
};

/// Everything under a fleet's path at one moment (docs/fleet.md, "ZooKeeper layout").
struct fleet_listing {
  std::vector<fleet_host_row> hosts;  ///< live hosts, by name
  std::vector<fleet_ref_row> refs;    ///< refs with a valid spec, by ref
  std::vector<std::string> problems;  ///< malformed nodes, skipped (one line each)
};

/// Reads a fleet from ZooKeeper without joining it (what `mesos-actor fleet` prints):
/// opens its own session, reads, closes. `zookeeper` is a zk:// URL as in
/// fleet_options (digest credentials are used, never put in an error). Errors:
/// errc::bad_option (bad URL or path), errc::timeout (no session within `timeout`),
/// errc::rejected (no node at `path`: no fleet there; or not authorised),
/// errc::transport_error (a read failed).
caf::expected<fleet_listing> read_fleet(const std::string& zookeeper, const std::string& path,
                                        std::chrono::milliseconds timeout);

} // namespace mesos_actor
