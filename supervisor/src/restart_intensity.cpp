#include "supervisor/restart_intensity.hpp"

namespace supervisor {

restart_intensity::restart_intensity(int max_restarts, std::chrono::milliseconds period,
                                     now_function now)
  : max_restarts_(max_restarts), period_(period), now_(std::move(now)) {
}

bool restart_intensity::add_restart() {
  auto now = now_();
  // Like OTP add_restart/3: forget restarts older than now - period, then count this one.
  auto threshold = now - period_;
  while (!times_.empty() && times_.front() < threshold)
    times_.pop_front();
  times_.push_back(now);
  return times_.size() <= static_cast<std::size_t>(max_restarts_ < 0 ? 0 : max_restarts_);
}

} // namespace supervisor
