#include "chaos/resources.hpp"

#include <dirent.h>
#include <malloc.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <utility>

namespace chaos {

namespace {

double status_field(const std::string& name) {
  std::ifstream status{"/proc/self/status"};
  std::string key;
  while (status >> key) {
    if (key == name) {
      double v = 0;
      status >> v;
      return v;
    }
    status.ignore(4096, '\n');
  }
  return 0;
}

double open_fds() {
  double n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (auto* e = ::readdir(d))
      if (e->d_name[0] != '.')
        ++n;
    ::closedir(d);
    --n; // the directory stream's own descriptor
  }
  return n;
}

double heap_in_use_kib() {
  auto m = ::mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd) / 1024.0;
}

trend fit(const std::vector<resource_sample>& s, double resource_sample::*field) {
  trend t;
  t.samples = s.size();
  if (s.empty())
    return t;
  t.first = s.front().*field;
  t.last = s.back().*field;
  t.min = t.max = t.first;
  double mt = 0, mv = 0;
  for (const auto& x : s) {
    mt += x.t;
    mv += x.*field;
    t.min = std::min(t.min, x.*field);
    t.max = std::max(t.max, x.*field);
  }
  mt /= static_cast<double>(s.size());
  mv /= static_cast<double>(s.size());
  double num = 0, den = 0;
  for (const auto& x : s) {
    num += (x.t - mt) * (x.*field - mv);
    den += (x.t - mt) * (x.t - mt);
  }
  t.per_hour = den > 0 ? num / den * 3600.0 : 0;
  return t;
}

} // namespace

resource_sample sample_now(const std::function<double()>& checker_kib) {
  resource_sample s;
  s.rss_kib = status_field("VmRSS:");
  s.threads = status_field("Threads:");
  s.fds = open_fds();
  s.heap_kib = heap_in_use_kib();
  if (checker_kib)
    s.checker_kib = checker_kib();
  return s;
}

resource_sampler::resource_sampler(std::chrono::milliseconds period,
                                   std::function<double()> checker_kib)
  : period_(period), checker_kib_(std::move(checker_kib)), thread_([this] { run(); }) {}

resource_sampler::~resource_sampler() { stop(); }

void resource_sampler::stop() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable())
    thread_.join();
}

void resource_sampler::run() {
  std::unique_lock<std::mutex> lk(mu_);
  while (!stopping_) {
    lk.unlock();
    auto s = sample_now(checker_kib_);
    s.t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    lk.lock();
    samples_.push_back(s);
    cv_.wait_for(lk, period_, [this] { return stopping_; });
  }
}

resource_report resource_sampler::report(double warm_up_s) const {
  std::vector<resource_sample> after;
  {
    std::lock_guard<std::mutex> lk(mu_);
    for (const auto& s : samples_)
      if (s.t >= warm_up_s)
        after.push_back(s);
  }
  std::vector<resource_sample> others = after; // heap_kib less the checker's share
  for (auto& s : others)
    s.heap_kib -= s.checker_kib;
  resource_report r;
  r.warm_up_s = warm_up_s;
  r.rss_kib = fit(after, &resource_sample::rss_kib);
  r.fds = fit(after, &resource_sample::fds);
  r.threads = fit(after, &resource_sample::threads);
  r.heap_kib = fit(after, &resource_sample::heap_kib);
  r.checker_kib = fit(after, &resource_sample::checker_kib);
  r.others_kib = fit(others, &resource_sample::heap_kib);
  return r;
}

} // namespace chaos
