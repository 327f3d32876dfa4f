#pragma once
// Random UUIDs (version 4) as Mesos uses them: 16 raw bytes in status updates,
// canonical text in stream ids and object ids.

#include <string>

namespace mesos_actor::sim {

/// 16 random bytes with the version-4/variant bits set.
std::string random_uuid_bytes();
/// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" of 16 bytes.
std::string uuid_text(const std::string& bytes);
/// A fresh textual UUID.
std::string random_uuid_text();

} // namespace mesos_actor::sim
