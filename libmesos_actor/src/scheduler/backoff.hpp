#pragma once
// Exponential backoff with jitter between failed subscription attempts (pure).

#include <chrono>
#include <cstddef>
#include <random>

namespace mesos_actor {

struct backoff_policy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{15000};
  double jitter = 0.5; ///< fraction in [0,1] the delay may be shortened by
};

/// Delay before retry number `failures` (1 = after the first failure):
/// min(max, initial * 2^(failures-1)) shortened by a random fraction up to jitter.
/// 0 failures = no delay.
std::chrono::milliseconds backoff_delay(const backoff_policy& p, std::size_t failures,
                                        std::mt19937_64& rng);

} // namespace mesos_actor
