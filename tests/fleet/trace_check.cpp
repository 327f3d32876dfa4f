#include "fleet/trace_check.hpp"

#include <algorithm>
#include <map>

namespace fleet_test {

namespace {

using mesos::v1::scheduler::Event;

struct stream_info {
  std::string id;
  trace_clock::time_point subscribed; // its SUBSCRIBED event, queued
};

} // namespace

std::vector<double_subscription>
double_subscriptions(const std::vector<mesos_actor::sim::event_record>& events) {
  // Streams of each framework in the order the master subscribed them.
  std::map<std::string, std::vector<stream_info>> streams;
  for (auto& e : events)
    if (e.event.type() == Event::SUBSCRIBED)
      streams[e.framework_id].push_back({e.stream_id, e.queued});
  for (auto& [fid, list] : streams)
    std::sort(list.begin(), list.end(),
              [](const stream_info& a, const stream_info& b) { return a.subscribed < b.subscribed; });
  auto next_of = [&](const std::string& fid, const std::string& stream) -> const stream_info* {
    auto& list = streams[fid];
    for (std::size_t i = 0; i + 1 < list.size(); ++i)
      if (list[i].id == stream)
        return &list[i + 1];
    return nullptr;
  };
  auto own = [&](const std::string& fid, const std::string& stream) -> const stream_info* {
    for (auto& s : streams[fid])
      if (s.id == stream)
        return &s;
    return nullptr;
  };
  std::vector<double_subscription> out;
  std::set<std::string> reported; // old streams
  for (auto& e : events) {
    auto* self = own(e.framework_id, e.stream_id);
    auto* next = next_of(e.framework_id, e.stream_id);
    if (self == nullptr || next == nullptr || reported.count(e.stream_id) > 0)
      continue;
    bool failed_over = e.event.type() == Event::ERROR
                       && e.event.error().message() == "Framework failed over";
    bool late = !failed_over && e.queued > next->subscribed;
    if (!failed_over && !late)
      continue;
    reported.insert(e.stream_id);
    out.push_back({e.framework_id, e.stream_id, next->id, next->subscribed, self->subscribed,
                   failed_over ? "\"Framework failed over\" on the older stream"
                               : "an event queued on the older stream after the newer one's SUBSCRIBED"});
  }
  return out;
}

std::vector<double_subscription> outside(const std::vector<double_subscription>& found,
                                         const std::vector<fencing_window>& windows) {
  std::vector<double_subscription> out;
  for (auto& d : found) {
    bool inside = false;
    for (auto& w : windows)
      inside = inside
               || (w.framework_ids.count(d.framework_id) > 0 && d.at >= w.from && d.at <= w.to
                   && d.since < w.from);
    if (!inside)
      out.push_back(d);
  }
  return out;
}

std::string describe(const std::vector<double_subscription>& found) {
  std::string out;
  for (auto& d : found)
    out += "framework " + d.framework_id + ": stream " + d.old_stream + " still open when "
           + d.new_stream + " subscribed (" + d.why + ")\n";
  return out;
}

} // namespace fleet_test
