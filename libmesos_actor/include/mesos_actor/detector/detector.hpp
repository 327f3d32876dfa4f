#pragma once
// The ZooKeeper master detector: an actor that watches the master group under a
// zk:// URL and tells its subscribers who leads.
//
//   auto det = spawn_master_detector(sys, "zk://127.0.0.1:2181/mesos", {});
//   self->send(*det, detector_subscribe_atom::value, self);   // -> master_leader now
//                                                              //    and on every change
// Subscribers are monitored (dropped when they go down). The detector runs detached
// (its own thread): closing a ZooKeeper handle may block up to the session timeout.

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>

#include "mesos_actor/log.hpp"

namespace mesos_actor {

/// Options of a ZooKeeper master detector.
struct detector_options {
  /// Durations are milliseconds.
  using millis = std::chrono::milliseconds;
  /// ZooKeeper session timeout asked for (the server may clamp it to its
  /// min/maxSessionTimeout). Mesos uses 10 s for detection.
  millis session_timeout{10000};
  /// A session that is not connected for this long (at start or after a connection
  /// loss) is closed and a new one opened; subscribers then hear "no leader"
  /// (ZooKeeper unreachable). A shorter loss keeps the last leader.
  millis connect_timeout{10000};
  /// Pause before retrying after a failure (handle creation, a read error), doubling
  /// up to retry_max.
  millis retry_initial{200};
  /// Longest pause between retries.
  millis retry_max{10000};
  /// Scheme a scheduler uses for the master the detector names ("http" or "https"):
  /// ZooKeeper records host and port only.
  std::string master_scheme = "http";
  /// Where the detector logs (component "detector": leader changes, ZooKeeper
  /// trouble; never the password). Unset level = info, empty sink = stderr.
  logging_options logging;
};

/// errc::bad_option naming the first bad member, or none.
caf::error validate(const detector_options& opts);

/// What a detector tells its subscribers: the leading master, or that there is none
/// (yet) and why.
struct master_leader {
  /// A master leads; host and port say where.
  bool has_leader = false;
  /// The leader's host name or address.
  std::string host;
  /// The leader's port.
  std::uint16_t port = 0;
  std::string master_id; ///< MasterInfo.id
  std::string node;      ///< the znode name, e.g. "json.info_0000000003"
  std::string why;       ///< when !has_leader: why not (no node, malformed data, ...)

  /// Same master (the node name aside), or no leader for the same reason.
  bool same_as(const master_leader& other) const {
    if (has_leader != other.has_leader)
      return false;
    if (!has_leader)
      return why == other.why;
    return host == other.host && port == other.port && master_id == other.master_id;
  }
};

/// CAF inspection, so master_leader can be sent in messages.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, master_leader& x) {
  return f(caf::meta::type_name("master_leader"), x.has_leader, x.host, x.port, x.master_id,
           x.node, x.why);
}

/// (detector_subscribe_atom, caf::actor): the actor gets the current master_leader at
/// once and again on every change.
using detector_subscribe_atom = caf::atom_constant<caf::atom("zk_sub")>;
/// (detector_unsubscribe_atom, caf::actor)
using detector_unsubscribe_atom = caf::atom_constant<caf::atom("zk_unsub")>;

/// Spawns a detector for `url` (zk://...). errc::bad_option for a bad URL or options
/// (the error never contains the password).
caf::expected<caf::actor> spawn_master_detector(caf::actor_system& sys, const std::string& url,
                                                detector_options opts = {});

} // namespace mesos_actor
