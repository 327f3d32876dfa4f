#include "scheduler/backoff.hpp"

#include <algorithm>

namespace mesos_actor {

std::chrono::milliseconds backoff_delay(const backoff_policy& p, std::size_t failures,
                                        std::mt19937_64& rng) {
  if (failures == 0 || p.initial.count() <= 0)
    return std::chrono::milliseconds{0};
  // Doubling stops at the cap, so no overflow however many failures.
  auto base = p.initial.count();
  const auto cap = std::max(p.max.count(), base);
  for (std::size_t i = 1; i < failures && base < cap; ++i)
    base = std::min(cap, base * 2);
  auto jitter = std::clamp(p.jitter, 0.0, 1.0);
  std::uniform_real_distribution<double> dist{0.0, jitter};
  auto shortened = static_cast<long long>(static_cast<double>(base) * (1.0 - dist(rng)));
  return std::chrono::milliseconds{std::max<long long>(shortened, 0)};
}

} // namespace mesos_actor
