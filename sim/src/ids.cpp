#include "ids.hpp"

#include <mutex>
#include <random>

namespace mesos_actor::sim {

std::string random_uuid_bytes() {
  static std::mutex mu;
  static std::mt19937_64 gen{std::random_device{}()};
  std::string bytes(16, '\0');
  {
    std::lock_guard<std::mutex> lk(mu);
    for (auto& b : bytes)
      b = static_cast<char>(gen() & 0xff);
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  return bytes;
}

std::string uuid_text(const std::string& bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out += '-';
    auto b = static_cast<unsigned char>(bytes[i]);
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

std::string random_uuid_text() { return uuid_text(random_uuid_bytes()); }

} // namespace mesos_actor::sim
