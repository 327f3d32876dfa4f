// The master's operator event streams (SUBSCRIBE on /api/v1): SUBSCRIBED with the
// whole state, then HEARTBEAT on the heartbeat interval and one event per change of
// tasks, agents and frameworks, as Mesos's Master sends them to its subscribers.
#include "cluster_impl.hpp"

#include <algorithm>

#include "operator_views.hpp"

namespace mesos_actor::sim {

namespace {

using OperatorEvent = mesos::v1::master::Event;

constexpr auto operator_stream_slice = std::chrono::milliseconds(50);

} // namespace

void cluster::impl::operator_subscribe(content_type encoding, httplib::Response& res) {
  auto stream = std::make_shared<operator_stream>(encoding, opts_.max_queued_events);
  res.set_header("Transfer-Encoding", "chunked"); // written by operator_stream itself
  res.set_content_provider(
    std::string(media_type(encoding)),
    [stream](std::size_t, httplib::DataSink& sink) {
      return stream->provide(sink, operator_stream_slice);
    },
    [this, stream](bool) {
      std::lock_guard<std::mutex> lk(mu_);
      auto& all = operator_streams_;
      all.erase(std::remove(all.begin(), all.end(), stream), all.end());
    });
  OperatorEvent subscribed;
  subscribed.set_type(OperatorEvent::SUBSCRIBED);
  *subscribed.mutable_subscribed()->mutable_get_state() = operator_state(*this);
  subscribed.mutable_subscribed()->set_heartbeat_interval_seconds(
    std::chrono::duration<double>(opts_.heartbeat_interval).count());
  stream->push(subscribed);
  OperatorEvent hb;
  hb.set_type(OperatorEvent::HEARTBEAT);
  stream->push(hb);
  operator_streams_.push_back(std::move(stream));
  log("operator subscriber added (" + std::to_string(operator_streams_.size()) + " open)");
}

void cluster::impl::operator_broadcast(const OperatorEvent& e) {
  for (const auto& s : operator_streams_)
    s->push(e);
}

void cluster::impl::operator_task_added(const task_entry& t) {
  if (operator_streams_.empty())
    return;
  OperatorEvent e;
  e.set_type(OperatorEvent::TASK_ADDED);
  *e.mutable_task_added()->mutable_task() = operator_task(t);
  operator_broadcast(e);
}

void cluster::impl::operator_task_updated(const task_entry& t) {
  if (operator_streams_.empty())
    return;
  OperatorEvent e;
  e.set_type(OperatorEvent::TASK_UPDATED);
  auto* u = e.mutable_task_updated();
  u->mutable_framework_id()->set_value(t.framework_id);
  *u->mutable_status() = t.latest;
  u->set_state(t.latest.state());
  operator_broadcast(e);
}

void cluster::impl::operator_agent_added(const std::string& agent_id) {
  if (operator_streams_.empty())
    return;
  auto agents = operator_agents(*this); // a named copy: a temporary would die before the loop
  for (const auto& a : agents.agents())
    if (a.agent_info().id().value() == agent_id) {
      OperatorEvent e;
      e.set_type(OperatorEvent::AGENT_ADDED);
      *e.mutable_agent_added()->mutable_agent() = a;
      operator_broadcast(e);
    }
}

void cluster::impl::operator_agent_removed(const std::string& agent_id) {
  if (operator_streams_.empty())
    return;
  OperatorEvent e;
  e.set_type(OperatorEvent::AGENT_REMOVED);
  e.mutable_agent_removed()->mutable_agent_id()->set_value(agent_id);
  operator_broadcast(e);
}

void cluster::impl::operator_framework_changed(const std::string& framework_id, bool added) {
  if (operator_streams_.empty())
    return;
  auto frameworks = operator_frameworks(*this); // a named copy: a temporary would die before the loop
  for (const auto& f : frameworks.frameworks())
    if (f.framework_info().id().value() == framework_id) {
      OperatorEvent e;
      if (added) {
        e.set_type(OperatorEvent::FRAMEWORK_ADDED);
        *e.mutable_framework_added()->mutable_framework() = f;
      } else {
        e.set_type(OperatorEvent::FRAMEWORK_UPDATED);
        *e.mutable_framework_updated()->mutable_framework() = f;
      }
      operator_broadcast(e);
    }
}

void cluster::impl::operator_framework_removed(const mesos::v1::FrameworkInfo& info) {
  if (operator_streams_.empty())
    return;
  OperatorEvent e;
  e.set_type(OperatorEvent::FRAMEWORK_REMOVED);
  *e.mutable_framework_removed()->mutable_framework_info() = info;
  operator_broadcast(e);
}

void cluster::impl::operator_heartbeats(sim_clock::time_point now) {
  if (now < next_operator_heartbeat_)
    return;
  next_operator_heartbeat_ = now + opts_.heartbeat_interval;
  OperatorEvent hb;
  hb.set_type(OperatorEvent::HEARTBEAT);
  operator_broadcast(hb);
}

void cluster::impl::drop_operator_streams() {
  for (const auto& s : operator_streams_)
    s->drop();
  operator_streams_.clear();
}

} // namespace mesos_actor::sim
