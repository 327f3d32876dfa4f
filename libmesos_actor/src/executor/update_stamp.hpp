#pragma once
// Completes a TaskStatus the way an executor must send it (PROTOCOL.md section 10): a
// fresh random 16-byte uuid, source SOURCE_EXECUTOR, a timestamp, the executor and
// agent ids. Pure apart from the random generator and the clock passed in.

#include <random>
#include <string>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::detail {

/// 16 random bytes (a version-4 UUID in binary, as Mesos's id::UUID::random()).
std::string random_uuid_bytes(std::mt19937_64& rng);

/// Fills in what the library owns; fields the caller set that Mesos would reject
/// (uuid, source) are overwritten, the timestamp is kept when the caller set it.
void stamp_status(mesos::v1::TaskStatus& status, const std::string& executor_id,
                  const std::string& agent_id, std::string uuid, double now_seconds);

} // namespace mesos_actor::detail
