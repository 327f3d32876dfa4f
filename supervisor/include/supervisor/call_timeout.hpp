#pragma once

#include <chrono>

#include <caf/duration.hpp>

namespace supervisor {

/// How long a blocking helper waits for the supervisor's reply; converts
/// implicitly from any std::chrono duration and from caf::infinite (no limit).
struct call_timeout {
  /// The limit; invalid (caf::infinite) means none.
  caf::duration value = caf::infinite;

  /// No limit.
  call_timeout() = default;
  /// No limit.
  call_timeout(caf::infinite_t) {}
  /// A CAF duration as is.
  call_timeout(caf::duration d) : value(d) {}
  /// Any chrono duration.
  template <class Rep, class Period>
  call_timeout(std::chrono::duration<Rep, Period> d) : value(d) {}
};

} // namespace supervisor
