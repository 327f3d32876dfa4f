#pragma once
// ZooKeeper C client callbacks run on the client's own completion thread. These
// functions only copy what they get into a CAF message to the detector actor (never
// block, never touch actor state). Stale sessions are filtered by `session`.

#include <cstdint>
#include <string>

#include <caf/actor_addr.hpp>
#include <caf/atom.hpp>

#include <zookeeper/zookeeper.h>

namespace mesos_actor::detail {

/// (zk_session_atom, session, zk state)
using zk_session_atom = caf::atom_constant<caf::atom("zk_sess")>;
/// (zk_watch_atom, session, event type, path)
using zk_watch_atom = caf::atom_constant<caf::atom("zk_watch")>;
/// (zk_children_atom, session, read, rc, names)
using zk_children_atom = caf::atom_constant<caf::atom("zk_kids")>;
/// (zk_data_atom, session, read, rc, node, data)
using zk_data_atom = caf::atom_constant<caf::atom("zk_data")>;
/// (zk_exists_atom, session, read, rc)
using zk_exists_atom = caf::atom_constant<caf::atom("zk_exist")>;
/// (zk_auth_atom, session, rc)
using zk_auth_atom = caf::atom_constant<caf::atom("zk_auth")>;

/// Context of one ZooKeeper handle; outlives the handle (freed after zookeeper_close).
struct zk_bridge {
  caf::actor_addr detector;
  std::uint64_t session = 0;
};

/// Context of one asynchronous request; freed by its completion (which the client
/// always calls exactly once, with ZCLOSING at the latest).
struct zk_request {
  zk_bridge* bridge;
  std::uint64_t read;
  std::string node;
};

void zk_watcher(zhandle_t* zh, int type, int state, const char* path, void* ctx);
void zk_children_done(int rc, const String_vector* names, const void* data);
void zk_data_done(int rc, const char* value, int len, const Stat* stat, const void* data);
void zk_exists_done(int rc, const Stat* stat, const void* data);
void zk_auth_done(int rc, const void* data);
/// Drops the C client's own log lines (they would go to stderr).
void zk_client_log_drop(const char* message);

/// A ZooKeeper return code for logs and errors: "<zerror text> (<rc>)".
std::string zk_rc_text(int rc);

} // namespace mesos_actor::detail
