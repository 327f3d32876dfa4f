#include "chaos/resources.hpp"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <string>

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

resource_sample sample_now() {
  resource_sample s;
  s.rss_kib = status_field("VmRSS:");
  s.threads = status_field("Threads:");
  s.fds = open_fds();
  return s;
}

resource_sampler::resource_sampler(std::chrono::milliseconds period)
  : period_(period), thread_([this] { run(); }) {}

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
    auto s = sample_now();
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
  resource_report r;
  r.warm_up_s = warm_up_s;
  r.rss_kib = fit(after, &resource_sample::rss_kib);
  r.fds = fit(after, &resource_sample::fds);
  r.threads = fit(after, &resource_sample::threads);
  return r;
}

} // namespace chaos
