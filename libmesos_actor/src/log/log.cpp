#include "mesos_actor/log.hpp"

#include <cstdio>
#include <ctime>

namespace mesos_actor {

const char* to_string(log_level level) {
  switch (level) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
    case log_level::off: return "off";
  }
  return "?";
}

std::optional<log_level> parse_log_level(std::string_view text) {
  for (auto l : {log_level::debug, log_level::info, log_level::warning, log_level::error,
                 log_level::off})
    if (text == to_string(l))
      return l;
  if (text == "warn")
    return log_level::warning;
  return std::nullopt;
}

const std::string* log_entry::field(std::string_view key) const {
  for (auto& f : fields)
    if (f.key == key)
      return &f.value;
  return nullptr;
}

namespace {

bool needs_quotes(std::string_view v) {
  if (v.empty())
    return true;
  for (unsigned char c : v)
    if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
      return true;
  return false;
}

// Appends key=value, quoting and escaping the value when needed so the entry stays
// on one line and splits unambiguously.
void append_pair(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty())
    out += ' ';
  out += key;
  out += '=';
  if (!needs_quotes(value)) {
    out += value;
    return;
  }
  out += '"';
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  auto since = t.time_since_epoch();
  auto secs = duration_cast<seconds>(since);
  auto millis = duration_cast<milliseconds>(since - secs).count();
  if (millis < 0) {
    secs -= seconds{1};
    millis += 1000;
  }
  std::time_t tt = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

} // namespace

std::string format_log_line(const log_entry& e) {
  std::string out;
  out.reserve(128 + e.message.size());
  append_pair(out, "time", utc_timestamp(e.time));
  append_pair(out, "level", to_string(e.level));
  if (!e.framework.empty())
    append_pair(out, "ref", e.framework);
  append_pair(out, "component", e.component);
  append_pair(out, "event", e.event);
  append_pair(out, "msg", e.message);
  for (auto& f : e.fields)
    append_pair(out, f.key, f.value);
  return out;
}

log_sink stderr_log_sink() {
  return [](const log_entry& e) {
    auto line = format_log_line(e);
    line += '\n';
    // One fwrite per entry: stdio locks the stream, so lines of concurrent entries
    // do not interleave.
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

} // namespace mesos_actor
