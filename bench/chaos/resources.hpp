#pragma once
// Samples this process's resident memory, open file descriptors and threads over a
// run, and fits a least-squares line through the samples after a warm-up: a leak
// shows as a positive slope per hour. Next to RSS it samples the bytes malloc has
// handed out and not got back (growth there is held data; RSS growth without it is
// the allocator's) and what the bench's own checker holds, so the library's and the
// simulator's share can be read apart from the bench's.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace chaos {

/// One reading of /proc/self.
struct resource_sample {
  double t = 0;       ///< seconds since the sampler started
  double rss_kib = 0; ///< VmRSS
  double fds = 0;     ///< entries of /proc/self/fd
  double threads = 0; ///< Threads of /proc/self/status
  double heap_kib = 0;    ///< malloc'd and not freed (mallinfo2: arenas + mmapped chunks)
  double checker_kib = 0; ///< held by the bench's checker (its estimate; part of heap_kib)
};

/// Slope (per hour) and range of one quantity over the samples after the warm-up.
struct trend {
  double per_hour = 0;
  double first = 0, last = 0, min = 0, max = 0;
  std::size_t samples = 0;
};

/// The trends; `others_kib` is heap_kib less checker_kib (the host, the simulator, CAF).
struct resource_report {
  trend rss_kib, fds, threads, heap_kib, checker_kib, others_kib;
  double warm_up_s = 0; ///< samples before this were left out of the fit
};

/// Reads the quantities now; `checker_kib` from the given estimate, if any.
resource_sample sample_now(const std::function<double()>& checker_kib = {});

/// Samples every `period` on its own thread until stop().
class resource_sampler {
public:
  resource_sampler(std::chrono::milliseconds period, std::function<double()> checker_kib);
  ~resource_sampler();
  resource_sampler(const resource_sampler&) = delete;
  resource_sampler& operator=(const resource_sampler&) = delete;

  void stop();
  /// Trends over the samples taken at or after `warm_up_s` seconds.
  resource_report report(double warm_up_s) const;

private:
  void run();

  const std::chrono::milliseconds period_;
  const std::function<double()> checker_kib_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::vector<resource_sample> samples_;
  std::thread thread_;
};

} // namespace chaos
