#pragma once
// Cutting the blanks around a field. Which characters count as blanks is the format's:
// HTTP allows spaces and tabs around a header value, an INI line may end in \r, and
// free text (resource strings, NO_PROXY lists) allows any ASCII white space.
#include <string_view>

namespace mesos_actor::text {

inline constexpr std::string_view http_blanks = " \t";
inline constexpr std::string_view line_blanks = " \t\r";
inline constexpr std::string_view ascii_spaces = " \t\n\v\f\r";

inline std::string_view trim(std::string_view s, std::string_view blanks) {
  auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

} // namespace mesos_actor::text
