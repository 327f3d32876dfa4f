#include "mesos_actor/metrics/framework_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <mesos/v1/executor/executor.pb.h>
#include <mesos/v1/scheduler/scheduler.pb.h>

#include "mesos_actor/errors.hpp"
#include "metrics/counters.hpp"

namespace mesos_actor::metrics {

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

caf::error validate(const metrics_options& opts) {
  const auto& b = opts.latency_buckets;
  if (b.size() > 64)
    return make_error(errc::bad_option, "metrics.latency_buckets: at most 64 buckets");
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (!std::isfinite(b[i]) || b[i] <= 0)
      return make_error(errc::bad_option,
                        "metrics.latency_buckets: every bound must be a finite number > 0");
    if (i > 0 && b[i] <= b[i - 1])
      return make_error(errc::bad_option,
                        "metrics.latency_buckets: bounds must be strictly ascending");
  }
  return caf::none;
}

} // namespace mesos_actor::metrics

namespace mesos_actor::detail {

const char* to_string(call_result_kind k) {
  switch (k) {
    case call_result_kind::accepted: return "accepted";
    case call_result_kind::rejected: return "rejected";
    case call_result_kind::transport_error: return "transport_error";
    case call_result_kind::timeout: return "timeout";
    case call_result_kind::not_subscribed: return "not_subscribed";
    case call_result_kind::queue_full: return "queue_full";
    case call_result_kind::stopped: return "stopped";
    case call_result_kind::not_sent: return "not_sent";
    case call_result_kind::count_: break;
  }
  return "?";
}

latency_histogram::latency_histogram(std::vector<double> bounds_seconds)
  : bounds_(std::move(bounds_seconds)),
    buckets_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    buckets_[i].store(0, std::memory_order_relaxed);
  for (double b : bounds_)
    bounds_ns_.push_back(static_cast<std::int64_t>(std::llround(b * 1e9)));
}

void latency_histogram::observe(std::chrono::nanoseconds d) {
  auto ns = std::max<std::int64_t>(0, d.count());
  std::size_t i = 0;
  while (i < bounds_ns_.size() && ns > bounds_ns_[i])
    ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

histogram_snapshot latency_histogram::snapshot() const {
  histogram_snapshot out;
  out.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(running);
  }
  // The count is the sum of the buckets read here, so +Inf always equals _count.
  out.count = running + buckets_[bounds_.size()].load(std::memory_order_relaxed);
  out.sum = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return out;
}

namespace {

std::vector<double> checked_buckets(const metrics_options& opts) {
  if (auto err = validate(opts))
    throw std::invalid_argument(describe(err));
  return opts.latency_buckets;
}

} // namespace

counters::counters(framework_kind_tag k, const metrics_options& opts)
  : kind(k), latency(checked_buckets(opts)) {
  for (auto& e : events)
    e.store(0, std::memory_order_relaxed);
  for (auto& row : calls)
    for (auto& c : row)
      c.store(0, std::memory_order_relaxed);
}

void counters::rejected(int type, int status) {
  call(type, call_result_kind::rejected);
  std::lock_guard<std::mutex> guard{rejections_mtx};
  ++rejections[{type, status}];
}

} // namespace mesos_actor::detail

namespace mesos_actor::metrics {

namespace {

std::string event_name(framework_kind_tag kind, std::size_t type) {
  auto t = static_cast<int>(type);
  if (kind == framework_kind_tag::scheduler) {
    if (mesos::v1::scheduler::Event::Type_IsValid(t))
      return mesos::v1::scheduler::Event::Type_Name(static_cast<mesos::v1::scheduler::Event::Type>(t));
  } else if (mesos::v1::executor::Event::Type_IsValid(t)) {
    return mesos::v1::executor::Event::Type_Name(static_cast<mesos::v1::executor::Event::Type>(t));
  }
  return "UNKNOWN";
}

std::string call_name(framework_kind_tag kind, int t) {
  if (kind == framework_kind_tag::scheduler) {
    if (mesos::v1::scheduler::Call::Type_IsValid(t))
      return mesos::v1::scheduler::Call::Type_Name(static_cast<mesos::v1::scheduler::Call::Type>(t));
  } else if (mesos::v1::executor::Call::Type_IsValid(t)) {
    return mesos::v1::executor::Call::Type_Name(static_cast<mesos::v1::executor::Call::Type>(t));
  }
  return "UNKNOWN";
}

std::optional<double> seconds_since(std::int64_t steady_ns) {
  if (steady_ns == 0)
    return std::nullopt;
  auto now = detail::counters::now_ns();
  return static_cast<double>(std::max<std::int64_t>(0, now - steady_ns)) / 1e9;
}

} // namespace

framework_metrics::framework_metrics(framework_kind_tag kind, metrics_options opts)
  : counters_(std::make_unique<detail::counters>(kind, opts)) {
}

framework_metrics::~framework_metrics() = default;

framework_snapshot framework_metrics::snapshot() const {
  const auto& c = *counters_;
  framework_snapshot s;
  s.kind = c.kind == framework_kind_tag::scheduler ? "scheduler" : "executor";
  s.state = c.state_name.load(std::memory_order_relaxed);
  for (std::size_t t = 0; t < c.events.size(); ++t)
    if (auto n = c.events[t].load(std::memory_order_relaxed))
      s.events_received[event_name(c.kind, t)] += n;
  for (std::size_t t = 0; t < c.calls.size(); ++t)
    for (std::size_t k = 0; k < c.calls[t].size(); ++k)
      if (auto n = c.calls[t][k].load(std::memory_order_relaxed))
        s.calls.push_back({call_name(c.kind, static_cast<int>(t)),
                           to_string(static_cast<detail::call_result_kind>(k)), n});
  {
    std::lock_guard<std::mutex> guard{c.rejections_mtx};
    for (auto& [key, n] : c.rejections)
      s.rejections.push_back({call_name(c.kind, key.first), key.second, n});
  }
  s.bytes_in = c.bytes_in.load(std::memory_order_relaxed);
  s.decode_errors = c.decode_errors.load(std::memory_order_relaxed);
  s.subscribe_attempts = c.subscribe_attempts.load(std::memory_order_relaxed);
  s.disconnections = c.disconnections.load(std::memory_order_relaxed);
  s.reconnects = c.reconnects.load(std::memory_order_relaxed);
  s.seconds_since_last_event = seconds_since(c.last_event_ns.load(std::memory_order_relaxed));
  s.seconds_since_last_heartbeat =
    seconds_since(c.last_heartbeat_ns.load(std::memory_order_relaxed));
  s.call_latency = c.latency.snapshot();
  return s;
}

std::uint64_t framework_snapshot::events(std::string_view type) const {
  auto i = events_received.find(std::string{type});
  return i == events_received.end() ? 0 : i->second;
}

std::uint64_t framework_snapshot::calls_with(std::string_view type,
                                             std::string_view outcome) const {
  std::uint64_t n = 0;
  for (auto& c : calls)
    if (c.type == type && c.outcome == outcome)
      n += c.count;
  return n;
}

} // namespace mesos_actor::metrics
