#pragma once
// The pieces of Mesos JSON text both JSON writers (reflection and wire transcoding)
// produce, so that they write byte-identical output.

#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace mesos_actor::detail {

/// A JSON string: quotes, backslashes and control characters escaped; bytes >= 0x80
/// pass through unchanged, as Mesos writes them (lossless round trips).
inline void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

/// An integer, every digit.
template <class T>
void append_json_integer(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

/// A float or double in its shortest exact form. Mesos writes infinities as quoted
/// strings; a NaN would be the invalid bare token NaN there, so it is quoted too to
/// keep the output valid JSON.
template <class T>
void append_json_floating(std::string& out, T v) {
  if (std::isnan(v)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}

} // namespace mesos_actor::detail
