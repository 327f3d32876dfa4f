#pragma once
// The INI subset of the files in config/ (CAF 0.17 style): "[section]" lines,
// "key=value" lines, ';' or '#' comment lines. A value is a quoted string, a number,
// true/false or a one-line [list] of those. Anything else is an error naming the line.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace mesos_actor::config {

/// One value as written; numbers keep their text so each option parses its own type.
struct ini_value {
  enum class kind { string, number, boolean, list };
  kind type = kind::string;
  std::string text;                ///< string contents (unescaped), number text, "true"/"false"
  std::vector<ini_value> items;    ///< list elements (no nested lists)
};

/// One "key=value" line, or a "[section]" line (empty key).
struct ini_entry {
  std::string section;  ///< the last "[section]" above it ("" before any)
  std::string key;      ///< empty for the "[section]" line itself
  ini_value value;
  std::size_t line = 0; ///< 1-based
};

/// Parses `text`; `origin` (a file name) prefixes error messages: "<origin>:<line>: ...".
/// A key given twice in one section is an error too.
caf::expected<std::vector<ini_entry>> parse_ini(std::string_view text, const std::string& origin);

/// Reads and parses the file at `path` (errc::bad_option if it cannot be read).
caf::expected<std::vector<ini_entry>> read_ini_file(const std::string& path);

} // namespace mesos_actor::config
