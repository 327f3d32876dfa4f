#pragma once
// Structured, levelled logging of the library. Every entry says when, how serious,
// which framework (the host's ref), which component, what happened (a stable event
// name such as "subscribed") and carries key=value fields. Entries go to a pluggable
// sink; the default writes one line per entry to stderr (never stdout). Entries never
// carry secrets (HTTP headers, credentials).
//
//   mesos_actor::scheduler_options o;
//   o.logging.min_level = mesos_actor::log_level::debug;
//   o.logging.sink = [](const mesos_actor::log_entry& e) { my_logger(e); };

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mesos_actor {

/// How serious an entry is. `off` is only meaningful as a minimum level: nothing passes.
enum class log_level { debug, info, warning, error, off };

/// "debug", "info", "warning", "error", "off".
const char* to_string(log_level level);
/// The inverse of to_string (also accepts "warn"); nullopt for anything else.
std::optional<log_level> parse_log_level(std::string_view text);

/// One key=value detail of an entry.
struct log_field {
  std::string key;    ///< e.g. "reason", "attempt", "backoff_ms"
  std::string value;  ///< the value as text
};

/// One log entry.
struct log_entry {
  std::chrono::system_clock::time_point time;  ///< when it was logged
  log_level level = log_level::info;           ///< how serious
  std::string framework;   ///< the framework's ref (filled in by a host); may be empty
  std::string component;   ///< "scheduler", "executor", "host", ...
  std::string event;       ///< stable name of what happened, e.g. "disconnected"
  std::string message;     ///< human-readable sentence
  std::vector<log_field> fields; ///< machine-readable details, in a stable order

  /// The value of field `key`, or nullptr.
  const std::string* field(std::string_view key) const;
};

/// Receives entries; may be called from several threads at once (make it thread-safe),
/// must not block for long and must not throw (exceptions are dropped).
using log_sink = std::function<void(const log_entry&)>;

/// The one line the default sink writes for `e` (without the newline), logfmt style:
///   time=2026-11-26T02:55:01.123Z level=info ref=analytics component=scheduler
///   event=subscribed msg="framework 5f..-0001 on http://127.0.0.1:5050" framework_id=...
/// `ref=` is left out when the entry has no framework ref. Values with spaces, quotes,
/// '=' or control characters are quoted and escaped, so an entry is always one line.
std::string format_log_line(const log_entry& e);

/// The default sink: format_log_line + '\n' to stderr, one write per entry.
log_sink stderr_log_sink();

/// Logging options of a framework (scheduler_options::logging,
/// executor_options::logging) or of a host (host_options::logging).
struct logging_options {
  /// Entries below this level are not even built. Unset: a hosted framework uses the
  /// host's level, anything else `info`.
  std::optional<log_level> min_level;
  /// Where entries go. Empty: a hosted framework uses the host's sink, anything else
  /// stderr_log_sink().
  log_sink sink;
  /// The framework ref written into entries. A host sets it to the ref it was given.
  std::string framework_ref;
};

} // namespace mesos_actor
