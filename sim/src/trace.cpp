// The recorded trace of requests and events (bounded by max_trace_entries).
#include "cluster_impl.hpp"

#include <strings.h>

namespace mesos_actor::sim {

std::string request_record::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (strcasecmp(k.c_str(), name.c_str()) == 0)
      return v;
  return {};
}

namespace {
template <class T>
void bounded_push(std::deque<T>& q, T item, std::size_t max) {
  if (max == 0)
    return;
  while (q.size() >= max)
    q.pop_front();
  q.push_back(std::move(item));
}
} // namespace

void cluster::impl::record_request(request_record r) {
  if (opts_.observe.request)
    opts_.observe.request(r);
  {
    std::lock_guard<std::mutex> lk(trace_mu_);
    bounded_push(requests_, std::move(r), opts_.max_trace_entries);
  }
  notify_changed();
}

void cluster::impl::record_event(event_record r) {
  if (opts_.observe.event)
    opts_.observe.event(r);
  {
    std::lock_guard<std::mutex> lk(trace_mu_);
    bounded_push(events_, std::move(r), opts_.max_trace_entries);
  }
  notify_changed();
}

void cluster::impl::record_executor_event(executor_event_record r) {
  if (opts_.observe.executor_event)
    opts_.observe.executor_event(r);
  {
    std::lock_guard<std::mutex> lk(trace_mu_);
    bounded_push(executor_events_, std::move(r), opts_.max_trace_entries);
  }
  notify_changed();
}

} // namespace mesos_actor::sim
