#include "mesos_actor/executor/duration_text.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>

namespace mesos_actor {

namespace {

struct unit {
  std::string_view name;
  double nanos;
};

// Largest first: the formatter picks the first unit not above the value.
constexpr std::array<unit, 8> units{{
  {"weeks", 7.0 * 24 * 3600 * 1e9},
  {"days", 24.0 * 3600 * 1e9},
  {"hrs", 3600.0 * 1e9},
  {"mins", 60.0 * 1e9},
  {"secs", 1e9},
  {"ms", 1e6},
  {"us", 1e3},
  {"ns", 1.0},
}};

} // namespace

std::optional<std::chrono::nanoseconds> parse_duration_text(std::string_view text) {
  std::size_t i = 0;
  std::size_t digits = 0;
  std::size_t dots = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c == '.')
      ++dots;
    else
      break;
  }
  if (digits == 0 || dots > 1)
    return std::nullopt;
  auto suffix = text.substr(i);
  for (const auto& u : units) {
    if (suffix != u.name)
      continue;
    // The number part is digits and at most one dot, so strtod cannot misread it.
    std::string number{text.substr(0, i)};
    double value = std::strtod(number.c_str(), nullptr) * u.nanos;
    // 2^63 is exactly representable; anything at or above it does not fit.
    if (!std::isfinite(value) || value >= 9223372036854775808.0)
      return std::nullopt;
    // Rounded, so that "0.29secs" is 290000000ns despite binary floating point.
    return std::chrono::nanoseconds{std::llround(value)};
  }
  return std::nullopt;
}

std::string format_duration_text(std::chrono::nanoseconds d) {
  std::ostringstream out;
  out.precision(std::numeric_limits<double>::digits10);
  auto nanos = static_cast<double>(d.count());
  if (nanos < 0) {
    out << '-';
    nanos = -nanos;
  }
  for (const auto& u : units) {
    if (nanos >= u.nanos || u.name == "ns") {
      out << nanos / u.nanos << u.name;
      break;
    }
  }
  return out.str();
}

} // namespace mesos_actor
