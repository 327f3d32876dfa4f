#pragma once
// ASCII case-insensitive equality: HTTP header names, tokens and media types compare so.
#include <cstddef>
#include <string_view>

namespace mesos_actor::text {

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != (y >= 'A' && y <= 'Z' ? y + 32 : y))
      return false;
  }
  return true;
}

} // namespace mesos_actor::text
