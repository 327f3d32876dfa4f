// SUBSCRIBE: new frameworks, failover of a known framework id, the refused
// subscription (200 + one ERROR + close), and what happens when a stream ends.
#include "cluster_impl.hpp"

#include <algorithm>
#include <cstdio>

#include "call_validation.hpp"
#include "ids.hpp"

namespace mesos_actor::sim {

namespace {
using Event = mesos::v1::scheduler::Event;

// How long a stream's server thread waits for events before checking for shutdown
// and a vanished client.
constexpr auto subscriber_stream_slice = std::chrono::milliseconds(50);

Event error_event(const std::string& message) {
  Event e;
  e.set_type(Event::ERROR);
  e.mutable_error()->set_message(message);
  return e;
}
} // namespace

std::string cluster::impl::subscribe(std::size_t master, const mesos::v1::scheduler::Call& call,
                                     const std::string& principal, content_type encoding,
                                     httplib::Response& res) {
  const auto& sub = call.subscribe();
  auto info = sub.framework_info();
  std::vector<std::string> suppressed(sub.suppressed_roles().begin(), sub.suppressed_roles().end());

  std::optional<std::string> error;
  if (info.has_id() && state_.removed_frameworks.count(info.id().value()))
    error = "Framework has been removed";
  else
    error = validate_framework_info(info, suppressed);

  std::string fid;
  if (info.has_id()) {
    fid = info.id().value();
  } else {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04zu", state_.next_framework++);
    fid = cluster_id_ + "-" + buf;
  }

  auto stream_id = random_uuid_text();
  auto on_written = [this, master, fid, stream_id, encoding](const Event& e,
                                                             sim_clock::time_point queued) {
    record_event(event_record{sim_clock::now(), master, fid, stream_id, encoding, e, queued});
  };
  auto stream = std::make_shared<event_stream>(stream_id, encoding, opts_.max_queued_events,
                                               on_written);
  res.set_header("Mesos-Stream-Id", stream_id);
  // The chunked coding is written by event_stream itself (see event_stream.hpp).
  res.set_header("Transfer-Encoding", "chunked");
  res.set_content_provider(
    std::string(media_type(encoding)),
    [stream](std::size_t, httplib::DataSink& sink) { return stream->provide(sink, subscriber_stream_slice); },
    [this, fid, stream](bool) { stream_ended(fid, stream); });

  if (error) {
    log("SUBSCRIBE of framework " + fid + " refused: " + *error);
    stream->push(error_event(*error));
    stream->close(close_mode::clean);
    return stream_id;
  }

  auto [it, added] = state_.frameworks.try_emplace(fid);
  auto& fw = it->second;
  if (!added) {
    if (fw.stream) {
      fw.stream->push(error_event("Framework failed over"));
      fw.stream->close(close_mode::clean);
    }
    // user and checkpoint cannot change; Mesos silently keeps the old values.
    info.set_user(fw.info.user());
    if (fw.info.has_checkpoint())
      info.set_checkpoint(fw.info.checkpoint());
    else
      info.clear_checkpoint();
    allocator_.remove_offers_of(fid, false);
    log("framework " + fid + " subscribed again (failover), stream " + stream_id);
  } else {
    log("framework " + fid + " (" + info.name() + ") subscribed, stream " + stream_id);
  }
  if (!principal.empty() && !info.has_principal())
    info.set_principal(principal);
  info.mutable_id()->set_value(fid);
  fw.id = fid;
  fw.info = info;
  fw.principal = info.principal();
  fw.suppressed = {suppressed.begin(), suppressed.end()};
  fw.stream = stream;
  fw.failover_deadline.reset();
  fw.next_heartbeat = sim_clock::now() + opts_.heartbeat_interval;
  operator_framework_changed(fid, added);

  Event subscribed;
  subscribed.set_type(Event::SUBSCRIBED);
  auto* s = subscribed.mutable_subscribed();
  s->mutable_framework_id()->set_value(fid);
  s->set_heartbeat_interval_seconds(
    std::chrono::duration<double>(opts_.heartbeat_interval).count());
  *s->mutable_master_info() = masters_[master].info;
  stream->push(subscribed);
  Event hb;
  hb.set_type(Event::HEARTBEAT);
  stream->push(hb);
  allocator_.mark_dirty();
  return stream_id;
}

void cluster::impl::stream_ended(const std::string& framework_id,
                                 const std::shared_ptr<event_stream>& s) {
  state_lock lk(*this);
  auto it = state_.frameworks.find(framework_id);
  if (it == state_.frameworks.end() || it->second.stream != s)
    return;
  auto& fw = it->second;
  fw.stream.reset();
  // Clamped so week-long production timeouts cannot overflow the clock.
  auto timeout = std::chrono::duration<double>(std::min(fw.info.failover_timeout(), 1e9));
  fw.failover_deadline =
    sim_clock::now() + std::chrono::duration_cast<sim_clock::duration>(timeout);
  allocator_.remove_offers_of(framework_id, false);
  operator_framework_changed(framework_id, false);
  log("framework " + framework_id + " disconnected; failover timeout " +
      std::to_string(fw.info.failover_timeout()) + " s");
}

} // namespace mesos_actor::sim
