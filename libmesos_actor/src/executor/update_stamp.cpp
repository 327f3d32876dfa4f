#include "executor/update_stamp.hpp"

#include <cstdint>

namespace mesos_actor::detail {

std::string random_uuid_bytes(std::mt19937_64& rng) {
  std::string bytes(16, '\0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t r = rng();
    for (int i = 0; i < 8; ++i)
      bytes[half * 8 + i] = static_cast<char>((r >> (8 * i)) & 0xff);
  }
  // RFC 4122 version 4, variant 1.
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return bytes;
}

void stamp_status(mesos::v1::TaskStatus& status, const std::string& executor_id,
                  const std::string& agent_id, std::string uuid, double now_seconds) {
  status.set_uuid(std::move(uuid));
  status.set_source(mesos::v1::TaskStatus::SOURCE_EXECUTOR);
  if (!status.has_timestamp())
    status.set_timestamp(now_seconds);
  status.mutable_executor_id()->set_value(executor_id);
  if (!agent_id.empty())
    status.mutable_agent_id()->set_value(agent_id);
}

} // namespace mesos_actor::detail
