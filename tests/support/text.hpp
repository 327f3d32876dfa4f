#pragma once
// Text checks shared by the test suites.

#include <string>
#include <string_view>

namespace testkit {

// Whether `part` occurs in `s`.
inline bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

} // namespace testkit
