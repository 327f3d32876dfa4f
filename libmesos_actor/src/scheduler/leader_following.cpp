// zk:// masters: the scheduler follows the leader a ZooKeeper master detector names.
// A change of leader drops the current stream (or attempt) and subscribes to the new
// leader at once, instead of waiting for the heartbeat watchdog; while there is no
// leader, attempts fail with backoff (bounded by max_num_subscribe/resubscribe).
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "scheduler/scheduler_core.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "scheduler/zk_masters.hpp"

namespace mesos_actor {

bool scheduler_core::start_detection() {
  if (!uses_zookeeper(opts_.master_hosts))
    return false;
  detecting_ = true;
  detector_ = opts_.master_detector;
  if (!detector_) {
    auto dopts = opts_.zookeeper;
    if (!dopts.logging.sink && !dopts.logging.min_level)
      dopts.logging = opts_.logging; // same place and level as the scheduler's own log
    auto spawned = spawn_master_detector(self_->system(), opts_.master_hosts.front(), dopts);
    if (!spawned) {
      shut_down(std::move(spawned.error()));
      return true;
    }
    detector_ = std::move(*spawned);
    own_detector_ = true;
  }
  self_->send(detector_, detector_subscribe_atom::value, caf::actor_cast<caf::actor>(self_));
  // The detector answers at once, usually with the leader; if it knows none yet the
  // first attempt (a failed one) comes after the first backoff step.
  schedule_subscribe(backoff_delay(backoff_, 1, rng_));
  return true;
}

std::string scheduler_core::first_master_text() const {
  if (!uses_zookeeper(opts_.master_hosts))
    return rotation_.current().url();
  auto url = parse_zk_url(opts_.master_hosts.front());
  return url ? url->redacted() : std::string{"zk://<invalid>"};
}

void scheduler_core::stop_detection() {
  if (!detector_)
    return;
  if (own_detector_)
    caf::anon_send_exit(detector_, caf::exit_reason::user_shutdown);
  else
    caf::anon_send(detector_, detector_unsubscribe_atom::value, caf::actor_cast<caf::actor>(self_));
  detector_ = nullptr;
}

void scheduler_core::on_leader(const master_leader& leader) {
  if (stopped() || !detecting_)
    return;
  if (!leader.has_leader) {
    // An open stream stays: its master closes it if it really stopped leading.
    detected_leader_.reset();
    log_(log_level::warning, "no_leader", "ZooKeeper names no leading master: " + leader.why,
         {{"reason", leader.why}});
    return;
  }
  endpoint next;
  next.scheme = opts_.zookeeper.master_scheme;
  next.host = leader.host;
  next.port = leader.port;
  next.path = std::string{scheduler_api_path};
  if (detected_leader_ && *detected_leader_ == next)
    return;
  auto previous = rotation_.current();
  detected_leader_ = next;
  rotation_.follow(next);
  log_(log_level::info, "leader", "ZooKeeper names " + next.url() + " as the leading master",
       {{"master", next.url()}, {"node", leader.node}});
  if (state_ == scheduler_state::stopped)
    return;
  // The same master under another path (a 307 leads to /master/api/v1/scheduler) is
  // no change.
  bool same_master = previous.scheme == next.scheme && previous.host == next.host
                     && previous.port == next.port;
  if (state_ == scheduler_state::subscribed) {
    if (!same_master)
      lose_connection("the leading master changed to " + next.url());
    return;
  }
  // Subscribing or resubscribing: an attempt already on its way to this master goes
  // on; anything else (an attempt elsewhere, a backoff wait) is replaced right now.
  if (io_.stream_running() && same_master)
    return;
  ++retry_token_; // a pending backoff timer is stale now
  subscribe_now();
}

} // namespace mesos_actor
