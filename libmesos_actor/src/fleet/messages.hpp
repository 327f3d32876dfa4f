#pragma once
// Messages between the fleet's coordinator, its ZooKeeper I/O actor and its start/stop
// workers (all local to one process).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>

#include "fleet/nodes.hpp"

namespace mesos_actor::fleet {

/// io -> coordinator: (session_open_atom, session) a new ZooKeeper handle exists.
using session_open_atom = caf::atom_constant<caf::atom("fl_sopen")>;
/// coordinator -> io: (reopen_atom) close the session and open a new one.
using reopen_atom = caf::atom_constant<caf::atom("fl_reopen")>;
/// coordinator -> io: (reopen_reads_atom) the read session expired: open a new one.
using reopen_reads_atom = caf::atom_constant<caf::atom("fl_reread")>;
/// coordinator -> io: (register_atom, factories); io -> coordinator: (register_atom, session, rc).
using register_atom = caf::atom_constant<caf::atom("fl_reg")>;
/// coordinator -> io: (scan_atom, gen, skip): list the fleet and read every host and every
/// ref but those in `skip` (their cached entries are current; empty: read all);
/// io -> coordinator: (scan_atom, gen, fleet_read_ptr), sent from the read session's
/// client thread once every answer is in.
using scan_atom = caf::atom_constant<caf::atom("fl_scan")>;
/// coordinator -> io: (claim_atom, refs), all created together; io -> coordinator:
/// (claim_atom, refs, rcs, framework_ids), one result code and stored id ("" none) per ref.
using claim_atom = caf::atom_constant<caf::atom("fl_claim")>;
/// coordinator -> io: (hosts_atom); io -> coordinator: (hosts_atom, session, rc, names):
/// the names of the live hosts (one read, no data).
using hosts_atom = caf::atom_constant<caf::atom("fl_hosts")>;
/// coordinator -> io: (release_atom, ref): drop our owner node (and a removed ref's rest).
using release_atom = caf::atom_constant<caf::atom("fl_rel")>;
/// scheduler -> io: (fid_atom, ref, id, fid_reply): record the framework id once; the
/// reply's `done` gets none when it is stored, else why not.
using fid_atom = caf::atom_constant<caf::atom("fl_fid")>;
/// coordinator -> io: (ping_atom): an asynchronous request that renews the lease.
using ping_atom = caf::atom_constant<caf::atom("fl_ping")>;
/// host -> io: (declare_atom, ref, spec json) -> caf::error.
using declare_atom = caf::atom_constant<caf::atom("fl_decl")>;
/// host -> io: (undeclare_atom, ref) -> caf::error.
using undeclare_atom = caf::atom_constant<caf::atom("fl_undecl")>;
/// worker -> coordinator: (started_atom, ref, error).
using started_atom = caf::atom_constant<caf::atom("fl_started")>;
/// worker -> coordinator: (stopped_atom, ref).
using stopped_atom = caf::atom_constant<caf::atom("fl_stopped")>;
/// coordinator -> itself: (tick_atom) the fencing and rescan clock.
using tick_atom = caf::atom_constant<caf::atom("fl_tick")>;
/// io -> coordinator: (session_timeout_atom, ms) the server negotiated another T.
using session_timeout_atom = caf::atom_constant<caf::atom("fl_stime")>;
/// host -> coordinator: (factories_atom, names) the registered factories changed.
using factories_atom = caf::atom_constant<caf::atom("fl_facts")>;

using snapshot_ptr = std::shared_ptr<const snapshot>;

/// The sessions of a host's read-only ZooKeeper handle are numbered with this bit set,
/// those of its owner handle (ephemeral nodes, writes) without it: the coordinator tells
/// their events apart by the number alone, whichever message comes first.
constexpr std::uint64_t read_session_bit = std::uint64_t{1} << 62;
inline bool is_read_session(std::uint64_t session) { return (session & read_session_bit) != 0; }

/// One read of the fleet: the listings, and the nodes of the refs it read.
struct fleet_read {
  snapshot nodes;                     ///< every live host; only the refs read
  std::vector<std::string> ref_names; ///< every ref listed (valid names)
  bool full = false;                  ///< every listed ref was read
};
using fleet_read_ptr = std::shared_ptr<const fleet_read>;

/// Where the answer of a framework id's store goes (scheduler_options::store_framework_id).
struct fid_reply {
  std::function<void(caf::error)> done;
};

} // namespace mesos_actor::fleet

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::fleet::fleet_read_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mesos_actor::fleet::fid_reply)
