// fault_injector: each fault applied to the cluster's state under its lock.
#include "cluster_impl.hpp"

#include <stdexcept>

namespace mesos_actor::sim {

namespace {
// Applies `f` to the streams of one framework, or of all when the id is empty.
template <class F>
void for_streams(cluster::impl& c, const std::string& framework_id, F f) {
  for (auto& [id, fw] : c.state_.frameworks)
    if ((framework_id.empty() || id == framework_id) && fw.stream)
      f(*fw.stream);
}
} // namespace

void fault_injector::close_stream(const std::string& framework_id, close_mode mode) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.log("fault: close stream of " + (framework_id.empty() ? std::string("every framework") : framework_id) +
        (mode == close_mode::clean ? " cleanly" : " abruptly"));
  for_streams(c, framework_id, [mode](event_stream& s) { s.close(mode); });
}

void fault_injector::pause_stream(const std::string& framework_id) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.log("fault: silent partition of " + (framework_id.empty() ? std::string("every framework") : framework_id));
  for_streams(c, framework_id, [](event_stream& s) { s.pause(true); });
}

void fault_injector::resume_stream(const std::string& framework_id) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  for_streams(c, framework_id, [](event_stream& s) { s.pause(false); });
}

void fault_injector::set_chunking(const std::string& framework_id, chunking mode) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  for_streams(c, framework_id, [mode](event_stream& s) { s.set_chunking(mode); });
}

void fault_injector::split_next_record(const std::string& framework_id,
                                       std::vector<std::size_t> offsets) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  for_streams(c, framework_id, [&](event_stream& s) { s.split_next(offsets); });
}

void fault_injector::corrupt_next_record(const std::string& framework_id) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  for_streams(c, framework_id, [](event_stream& s) { s.corrupt_next(); });
}

void fault_injector::send_oversized_length(const std::string& framework_id) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  for_streams(c, framework_id, [](event_stream& s) { s.oversized_length_next(); });
}

void fault_injector::delay_responses(std::chrono::milliseconds d) {
  auto& c = cluster_.internals();
  c.http_.response_delay_ms = d.count() < 0 ? 0 : d.count();
  c.log("fault: responses delayed by " + std::to_string(c.http_.response_delay_ms.load()) + " ms");
}

void fault_injector::fail_next_calls(std::size_t n, int status) {
  if (status < 400 || status > 599)
    throw std::invalid_argument("fail_next_calls needs an HTTP error status");
  auto& c = cluster_.internals();
  c.http_.failing_status = status;
  c.http_.failing_calls = n;
  c.log("fault: next " + std::to_string(n) + " calls answered " + std::to_string(status));
}

void fault_injector::rescind_offers(const std::string& framework_id) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.log("fault: rescind offers");
  c.allocator_.remove_offers_of(framework_id, true);
}

void fault_injector::kill_agent(std::size_t agent) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  if (agent >= c.agents_.nodes.size())
    throw std::out_of_range("no such agent");
  c.agent_lost(agent);
}

void fault_injector::restart_agent(std::size_t agent) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  if (agent >= c.agents_.nodes.size())
    throw std::out_of_range("no such agent");
  c.agent_restart(agent);
}

void fault_injector::set_leader(std::size_t master) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.change_leader(master);
}

void fault_injector::no_leader() {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.change_leader(std::nullopt);
}

void fault_injector::restart_master(std::size_t master) {
  auto& c = cluster_.internals();
  cluster::impl::state_lock lk(c);
  c.restart_master(master);
}

} // namespace mesos_actor::sim
