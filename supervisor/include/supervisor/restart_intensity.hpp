#pragma once

#include <chrono>
#include <deque>
#include <functional>

namespace supervisor {

/// The OTP restart-intensity window: remembers restart times and says when more
/// than max_restarts fell within the last period. Pure apart from the injected clock.
class restart_intensity {
public:
  /// Time source used for the window.
  using clock = std::chrono::steady_clock;
  /// Injectable "now" (tests pass a fake).
  using now_function = std::function<clock::time_point()>;

  /// A window of max_restarts within period, reading time from now (steady_clock by default).
  restart_intensity(int max_restarts, std::chrono::milliseconds period,
                    now_function now = &clock::now);

  /// Records one restart; false if the intensity is now exceeded (give up).
  bool add_restart();

  /// Restarts currently inside the window.
  std::size_t restarts_in_window() const { return times_.size(); }

private:
  int max_restarts_;
  std::chrono::milliseconds period_;
  now_function now_;
  std::deque<clock::time_point> times_;
};

} // namespace supervisor
