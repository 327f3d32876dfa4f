#pragma once
// Who should own each ref: a pure function of a snapshot, the same on every host, so
// hosts agree without talking (the ephemeral owner node still arbitrates races).
//
// For a ref whose spec names a preference list: the first live host of the list that
// has the ref's factory (a current owner further down the list is taken over; a
// current owner not in the list keeps it unless a listed host is live). Without a
// list, or when no listed host is live: the current owner keeps it while it is live;
// an unowned ref goes to the live host with the factory and the lowest load
// (owned + already placed) / capacity, ties by name, skipping full hosts. Refs are
// placed in name order.

#include <map>
#include <string>
#include <vector>

#include "fleet/nodes.hpp"

namespace mesos_actor::fleet {

/// ref -> desired owner; "" when no live host can run it (no factory, all full).
/// Refs without a spec are left out.
std::map<std::string, std::string> place(const std::vector<host_info>& hosts,
                                         const std::vector<ref_entry>& refs);

} // namespace mesos_actor::fleet
