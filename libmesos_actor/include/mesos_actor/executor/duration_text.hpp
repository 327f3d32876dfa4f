#pragma once
// Durations in stout's text form, the form the Mesos agent writes into the executor's
// environment (MESOS_RECOVERY_TIMEOUT=15mins, MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD=5secs):
// a decimal number followed directly by one of ns|us|ms|secs|mins|hrs|days|weeks.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mesos_actor {

/// Parses "250ms", "2secs", "1.5mins", "15mins", ".5hrs". Returns nullopt for anything else:
/// an empty or signed number, more than one '.', no digits, a missing or unknown unit,
/// or a value that does not fit in int64 nanoseconds.
std::optional<std::chrono::nanoseconds> parse_duration_text(std::string_view text);

/// Writes a duration as the agent does: in the largest unit not above it, with up to 15
/// significant digits ("15mins", "1.5secs", "250ms", "0ns").
std::string format_duration_text(std::chrono::nanoseconds d);

} // namespace mesos_actor
