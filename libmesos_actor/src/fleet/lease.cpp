#include "fleet/lease.hpp"

namespace mesos_actor::fleet {

namespace {

std::int64_t ns(lease::clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

} // namespace

void lease::renewed(clock::time_point sent) {
  auto value = ns(sent);
  auto cur = sent_ns_.load();
  // Answers may arrive out of order: keep the newest send time.
  while (cur < value && !sent_ns_.compare_exchange_weak(cur, value)) {
  }
}

bool lease::negotiated(std::chrono::milliseconds t) {
  if (t.count() <= 0)
    return false;
  return timeout_ms_.exchange(t.count()) != t.count();
}

void lease::revoke() { sent_ns_.store(INT64_MIN); }

bool lease::valid(clock::time_point now) const {
  auto sent = sent_ns_.load();
  if (sent == INT64_MIN)
    return false;
  auto limit = std::chrono::duration_cast<std::chrono::nanoseconds>(validity()).count();
  return ns(now) - sent < limit;
}

} // namespace mesos_actor::fleet
