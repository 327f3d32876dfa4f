#pragma once
// Number text -> value with Mesos's reading rules, shared by the two JSON readers so
// that both accept, convert and refuse exactly alike (with the same words).

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

namespace mesos_actor::detail {

inline bool is_plain_integer(std::string_view text) {
  return text.find_first_of(".eE") == std::string_view::npos;
}

/// Integers keep every digit; fractions and exponents are truncated as Mesos does.
/// On failure `why` says what is wrong.
template <class T>
bool parse_integer(std::string_view text, T& out, std::string& why) {
  if (text.empty()) {
    why = "expected a number";
    return false;
  }
  const char* const end = text.data() + text.size();
  if (is_plain_integer(text)) {
    auto [stop, ec] = std::from_chars(text.data(), end, out);
    if (ec == std::errc::result_out_of_range) {
      why = "number " + std::string(text) + " is out of range";
      return false;
    }
    if (ec != std::errc{} || stop != end) {
      why = "expected an integer, got '" + std::string(text) + "'";
      return false;
    }
    return true;
  }
  double v = 0;
  auto [stop, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc{} || stop != end || !std::isfinite(v)) {
    why = "expected an integer, got '" + std::string(text) + "'";
    return false;
  }
  // 2^31, 2^32, 2^63 or 2^64: exact in a double, one past the largest value.
  const double upper = std::ldexp(1.0, std::numeric_limits<T>::digits);
  const double lower = std::is_signed_v<T> ? -upper : 0.0;
  v = std::trunc(v);
  if (v < lower || v >= upper) {
    why = "number " + std::string(text) + " is out of range";
    return false;
  }
  out = static_cast<T>(v);
  return true;
}

/// Also takes "Infinity", "-Infinity" and "NaN" (the strings Mesos writes).
inline bool parse_double(std::string_view text, double& out, std::string& why) {
  const char* const end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, out);
  if (ec == std::errc::result_out_of_range) {
    why = "number " + std::string(text) + " is out of range";
    return false;
  }
  if (ec != std::errc{} || stop != end || text.empty()) {
    why = "expected a number, got '" + std::string(text) + "'";
    return false;
  }
  return true;
}

/// A double that fits a float (infinities and NaN do); false when its magnitude is
/// beyond the largest float.
inline bool fits_float(double v) {
  return !(std::isfinite(v) && std::fabs(v) > std::numeric_limits<float>::max());
}

} // namespace mesos_actor::detail
