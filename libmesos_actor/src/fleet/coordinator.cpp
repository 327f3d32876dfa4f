#include "fleet/coordinator.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <optional>
#include <set>

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

// The synchronous API (zoo_create, zoo_get...) of the multi-threaded client needs THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

#include "detector/zk_bridge.hpp"
#include "fleet/messages.hpp"
#include "fleet/placement.hpp"
#include "fleet/ref_cache.hpp"
#include "fleet/zk_io.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor::fleet {

namespace {

using clock = lease::clock;
using std::chrono::milliseconds;

/// (set_io_atom, io): the I/O actor to drive; the coordinator starts on it.
using set_io_atom = caf::atom_constant<caf::atom("fl_setio")>;

// A blocking start on its own thread; reports (started_atom, ref, error) and ends.
caf::behavior start_worker(caf::event_based_actor* self, caf::actor coordinator,
                           std::shared_ptr<host_ops> ops, std::string ref, ref_spec spec,
                           std::string framework_id, start_hooks hooks) {
  auto err = ops->start(ref, spec, framework_id, std::move(hooks));
  self->send(coordinator, started_atom::value, ref, err);
  return {};
}

// A blocking stop on its own thread; reports (stopped_atom, ref) and ends.
caf::behavior stop_worker(caf::event_based_actor* self, caf::actor coordinator,
                          std::shared_ptr<host_ops> ops, std::string ref) {
  ops->stop(ref);
  self->send(coordinator, stopped_atom::value, ref);
  return {};
}

struct local_ref {
  enum phase { starting, running, stopping } at = starting;
  // Read by the framework's subscribe guard: false from the moment this host decides
  // to stop it, so a restart racing with the stop cannot subscribe.
  std::shared_ptr<std::atomic<bool>> allowed = std::make_shared<std::atomic<bool>>(true);
  bool stop_wanted = false;                       // asked to stop while starting
  bool release_after = false;                     // give the owner node up once stopped
  host_event_kind why = host_event_kind::stopped; // told when the stop begins
  lease::clock::time_point since = lease::clock::now(); // for the debug log of its start
};

class coordinator {
public:
  coordinator(caf::event_based_actor* self, fleet_options opts, std::shared_ptr<host_ops> ops,
              std::shared_ptr<lease> lease_clock, std::shared_ptr<fleet_view> view,
              std::shared_ptr<fleet_counters> counters)
    : self_(self), opts_(std::move(opts)), ops_(std::move(ops)), lease_(std::move(lease_clock)),
      view_(std::move(view)), counters_(std::move(counters)) {}

  void set_io(caf::actor io) {
    io_ = std::move(io); // it opens its first session by itself
    tick();
  }

  void on_session_open(std::uint64_t session) {
    handle_failed_ = session == 0;
    if (handle_failed_)
      log(log_level::error, "zk_handle_failed",
          "cannot create a ZooKeeper handle; retrying every tick");
    else
      adopt(session);
  }

  void on_session_event(std::uint64_t session, int state) {
    if (is_read_session(session)) {
      on_read_session_event(session, state);
      return;
    }
    // The io actor numbers its sessions upwards; a session's first event may come
    // before the io actor's own session_open message (they come from two threads).
    if (session < session_)
      return;
    adopt(session);
    if (state == ZOO_CONNECTED_STATE) {
      if (!connected_)
        log(log_level::info, "zk_connected", "connected to ZooKeeper");
      connected_ = true;
      self_->send(io_, ping_atom::value);
      if (!registered_)
        register_host();
      else
        want_scan();
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
      log(log_level::warning, "zk_session_expired",
          "ZooKeeper session expired: every owner node of this host is gone; new session");
      connected_ = false;
      registered_ = false;
      lease_->revoke();
      fence_all("ZooKeeper session expired");
      self_->send(io_, reopen_atom::value);
    } else if (state == ZOO_AUTH_FAILED_STATE) {
      log(log_level::error, "zk_auth_failed", "ZooKeeper authentication failed");
      connected_ = false;
    } else if (connected_) {
      // CONNECTING: the client reconnects by itself; the lease decides when to fence.
      connected_ = false;
      log(log_level::warning, "zk_connection_lost",
          "connection to ZooKeeper lost; fleet frameworks are fenced if it is not back within "
            + std::to_string(lease_->validity().count()) + " ms of the last answer");
    }
  }

  void adopt(std::uint64_t session) {
    if (session <= session_)
      return;
    session_ = session;
    connected_ = false;
    registered_ = false;
    registering_ = false;
    // The owner nodes of the session before are gone: decide nothing before a full read.
    forget_reads();
  }

  // The read session: its watches tell what changed. A new session (or a reconnection,
  // which may have missed events) is followed by a full read; an expired one is replaced.
  void on_read_session_event(std::uint64_t session, int state) {
    if (session < read_session_)
      return;
    read_session_ = session;
    bool was = read_connected_;
    read_connected_ = state == ZOO_CONNECTED_STATE;
    if (read_connected_ && !was) {
      full_wanted_ = true;
      want_scan();
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
      log(log_level::warning, "zk_read_session_expired",
          "ZooKeeper read session expired; new read session");
      self_->send(io_, reopen_reads_atom::value);
    }
  }

  void forget_reads() {
    if (scan_busy_) { // its answer may predate the session change: ignored (gen)
      ++scan_gen_;
      scan_busy_ = false;
    }
    cache_.clear();
    hosts_.clear();
    have_read_ = false;
    dirty_.clear();
    full_wanted_ = true;
  }

  // The server gave the session another T than requested: fencing, ticks and shutdown
  // timeouts follow it from now on (docs/fleet.md).
  void on_session_timeout(std::int64_t ms) {
    auto requested = lease_->requested().count();
    if (ms != requested)
      log(log_level::warning, "zk_session_timeout",
          "ZooKeeper negotiated a session timeout of " + std::to_string(ms) + " ms (requested "
            + std::to_string(requested) + " ms); the lease and fencing use "
            + std::to_string(ms) + " ms: fenced " + std::to_string(ms / 2)
            + " ms after the last answer");
    else
      log(log_level::info, "zk_session_timeout",
          "ZooKeeper session timeout is back to the requested " + std::to_string(ms) + " ms");
  }

  // Every watch is on the read session. A ref's spec or owner changed: the next read
  // reads it. The listings and the hosts are read by every read.
  void on_watch(std::uint64_t session, int type, const std::string& path) {
    if (session != read_session_)
      return;
    auto node = ref_node(path);
    if (node)
      dirty_.insert(node->first);
    // An owner node that went with its host's session (the host is gone): act on the
    // last read with that host and its ownership removed, after one read of the host
    // list, instead of waiting for a read of the fleet. The read follows and has the
    // last word.
    if (node && type == ZOO_DELETED_EVENT && node->second == "owner" && have_read_) {
      const auto* e = cache_.find(node->first);
      if (e != nullptr && !e->owner.empty() && e->owner != opts_.host_name)
        gone_owners_[e->ref] = e->owner;
      if (!gone_owners_.empty() && !hosts_asked_) {
        hosts_asked_ = true;
        self_->send<caf::message_priority::high>(io_, hosts_atom::value);
      }
    }
    want_scan();
  }

  // The live host names, asked for by on_watch: refs whose owner node went and whose
  // owner is not live any more are unowned now; decide on that at once.
  void on_hosts(std::uint64_t session, int rc, const std::vector<std::string>& names) {
    hosts_asked_ = false;
    claim_from_gone_hosts(session, rc, names);
    scan_waiting(); // after the claims, so that they reach the server first
  }

  void claim_from_gone_hosts(std::uint64_t session, int rc, const std::vector<std::string>& names) {
    auto gone = std::move(gone_owners_);
    gone_owners_.clear();
    if (session != session_ || rc != ZOK || !have_read_ || gone.empty())
      return;
    std::set<std::string> live(names.begin(), names.end());
    hosts_.erase(std::remove_if(hosts_.begin(), hosts_.end(),
                                [&](const host_info& h) { return live.count(h.name) == 0; }),
                 hosts_.end());
    std::size_t freed = 0;
    for (auto& [ref, owner] : gone) {
      const auto* e = cache_.find(ref);
      // A live owner released it (a stop, a takeover, a failed start): the read decides;
      // only an owner that is gone leaves its refs to be claimed now.
      if (e != nullptr && e->owner == owner && live.count(owner) == 0) {
        cache_.owner_gone(ref);
        ++freed;
      }
    }
    if (freed == 0)
      return;
    log(log_level::debug, "fleet_owners_gone",
        std::to_string(freed) + " ref(s) of hosts that are gone; deciding before the read");
    decide(cache_.entries(), &gone);
  }

  void on_registered(std::uint64_t session, int rc) {
    if (session != session_)
      return; // an earlier session's answer; the current one registers on its own
    registering_ = false;
    if (rc == ZOK) {
      registered_ = true;
      log(log_level::info, "fleet_joined", "joined the fleet at " + opts_.path + " as "
                                              + opts_.host_name);
      // Factories registered while the registration was under way.
      self_->send(io_, factories_atom::value,
                  std::vector<std::string>(factories_.begin(), factories_.end()));
      want_scan();
    } else if (rc == ZNODEEXISTS) {
      log(log_level::error, "fleet_name_taken",
          "another live host is registered as '" + opts_.host_name + "'; retrying");
    } else {
      log(log_level::warning, "fleet_register_failed",
          std::string{"registering this host failed: "} + zerror(rc) + "; retrying");
    }
  }

  void on_scan(std::uint64_t gen, fleet_read_ptr read) {
    if (gen != scan_gen_)
      return;
    scan_busy_ = false;
    const auto& snap = read->nodes;
    auto what = "read " + std::to_string(snap.refs.size()) + " of "
                + std::to_string(read->ref_names.size()) + " ref(s) and "
                + std::to_string(snap.hosts.size()) + " host(s) in " + ms_since(scan_sent_) + " ms";
    if (!snap.complete) {
      // A read failed (ZooKeeper went away mid-scan): a ref missing from this view is
      // not a removed one, and the refs it was to read may have changed. Read them all
      // again at the next tick; the lease decides on fencing.
      log(log_level::debug, "fleet_scan", what + " (incomplete)");
      full_wanted_ = true;
      next_full_scan_ = clock::now();
      return;
    }
    if (!have_read_ && !read->full) { // cannot happen: the first read is a full one
      full_wanted_ = true;
      want_scan();
      return;
    }
    cache_.apply(gen, read->ref_names, snap.refs);
    hosts_ = snap.hosts;
    have_read_ = true;
    auto view = publish(); // one copy of the refs for the view, the report and the decisions
    counters_->live_hosts = hosts_.size();
    log(log_level::debug, "fleet_scan", what); // after publishing: tests wait for it
    for (auto& p : snap.problems)
      if (reported_.insert(p).second) {
        ++counters_->malformed_nodes;
        log(log_level::warning, "fleet_malformed_node", p);
      }
    report_unrunnable(view->refs);
    decide(view->refs);
    scan_waiting();
  }

  void on_claims(const std::vector<std::string>& refs, const std::vector<int>& rcs,
                 const std::vector<std::string>& framework_ids) {
    log(log_level::debug, "fleet_claims",
        "claimed " + std::to_string(refs.size()) + " ref(s) in " + ms_since(claims_sent_) + " ms");
    for (std::size_t i = 0; i < refs.size(); ++i) {
      const auto& ref = refs[i];
      claiming_.erase(ref);
      if (i >= rcs.size() || rcs[i] != ZOK)
        continue; // taken by another host (NODEEXISTS), or no answer: the next scan tells
      if (!have_read_) { // this host's reads start over (a new session): decide then
        release(ref);
        continue;
      }
      // Ours now, whatever a read sent before this answer shows; with the id read right
      // after the claim, newer than the last read's.
      cache_.claimed(ref, i < framework_ids.size() ? framework_ids[i] : std::string{},
                     scan_gen_ + 1);
      const auto* e = cache_.find(ref);
      if (e->spec)
        start_local(*e);
      else
        release(ref); // its spec went meanwhile
    }
    publish();
    want_scan();
  }

  void on_started(const std::string& ref, const caf::error& err) {
    auto i = local_.find(ref);
    if (i == local_.end())
      return;
    if (err) {
      // Give the ref up so that another host can try; stay away from it a while.
      log(log_level::warning, "fleet_start_failed",
          "starting " + ref + " failed (" + describe(err) + "): ownership released", ref);
      local_.erase(i);
      counters_->owned_refs = local_.size();
      cooldown_[ref] = clock::now() + T() * 2;
      release(ref);
      want_scan();
      return;
    }
    log(log_level::debug, "fleet_started", "started " + ref + " in " + ms_since(i->second.since) + " ms");
    i->second.at = local_ref::running;
    if (i->second.stop_wanted)
      begin_stop(ref, i->second.release_after, i->second.why);
    else
      want_scan(); // the world may have moved while it started
  }

  void on_stopped(const std::string& ref) {
    auto i = local_.find(ref);
    if (i == local_.end())
      return;
    if (i->second.release_after)
      release(ref);
    local_.erase(i);
    counters_->owned_refs = local_.size();
    want_scan();
  }

  void set_factories(std::vector<std::string> names) {
    factories_ = std::set<std::string>(names.begin(), names.end());
    if (registered_)
      self_->send(io_, factories_atom::value, std::move(names));
    want_scan();
  }

  // The fencing and housekeeping clock: every T/12.
  void tick() {
    auto now = clock::now();
    if (!lease_->valid(now) && !local_.empty())
      fence_all("no answer from ZooKeeper for " + std::to_string(lease_->validity().count())
                + " ms");
    if (handle_failed_ && io_) {
      handle_failed_ = false;
      self_->send(io_, reopen_atom::value);
    }
    if (connected_) {
      self_->send(io_, ping_atom::value);
      if (!registered_)
        register_host();
      else if (now >= next_full_scan_) {
        full_wanted_ = true;
        want_scan(); // also picks up refs whose desired host did not claim them
      }
      if (scan_busy_ && now - scan_sent_ > 2 * T())
        forget_scan(); // the client answers every request; this only bounds a surprise
    }
    self_->delayed_send(self_, std::max(T() / 12, milliseconds{10}),
                        tick_atom::value);
  }

private:
  std::chrono::milliseconds T() const { return lease_->session_timeout(); }

  static std::string ms_since(clock::time_point t) {
    return std::to_string(
      std::chrono::duration_cast<milliseconds>(clock::now() - t).count());
  }

  void log(log_level level, const char* event, const std::string& text,
           const std::string& = {}) {
    if (ops_->log)
      ops_->log(level, event, text);
  }

  void register_host() {
    if (registering_)
      return;
    registering_ = true;
    self_->send(io_, register_atom::value,
                std::vector<std::string>(factories_.begin(), factories_.end()));
  }

  void want_scan() {
    if (!connected_ || !registered_ || !read_connected_)
      return;
    // One read at a time; what changes meanwhile is read right after it, all in one
    // read. None while the live hosts are asked for: the claims their answer decides
    // go to the server first (the server answers a session's requests in order).
    if (scan_busy_ || hosts_asked_) {
      rescan_ = true;
      return;
    }
    scan_busy_ = true;
    scan_sent_ = clock::now();
    // Only what changed since the last read (the watches say what), unless a full read
    // is due: every ref's cached entry is then read anew.
    std::vector<std::string> skip;
    if (full_wanted_ || !have_read_)
      next_full_scan_ = scan_sent_ + T();
    else
      skip = cache_.clean_except(dirty_);
    full_wanted_ = false;
    dirty_.clear();
    self_->send(io_, scan_atom::value, ++scan_gen_, std::move(skip));
  }

  // The read under way gets no answer: its late answer is ignored (gen), read anew.
  void forget_scan() {
    log(log_level::warning, "fleet_scan_lost",
        "no answer to a read of the fleet within " + std::to_string(2 * T().count())
          + " ms; reading it again");
    ++scan_gen_;
    scan_busy_ = false;
    full_wanted_ = true;
    want_scan();
  }

  // A read wanted while one was under way (or while the hosts were asked for).
  void scan_waiting() {
    if (rescan_) {
      rescan_ = false;
      want_scan();
    }
  }

  // Our owner node of `ref` goes: no read sent before this shows the ref as ours.
  void release(const std::string& ref) {
    cache_.released(ref, scan_gen_ + 1);
    self_->send(io_, release_atom::value, ref);
  }

  // which_schedulers' view: the hosts of the last read, the refs as this host knows them.
  snapshot_ptr publish() {
    auto s = std::make_shared<snapshot>();
    s->hosts = hosts_;
    s->refs = cache_.entries();
    view_->publish(s);
    return s;
  }

  // "<path>/refs/<ref>/<node>" -> {ref, node}; none for any other path.
  std::optional<std::pair<std::string, std::string>> ref_node(const std::string& path) const {
    auto prefix = opts_.path + "/refs/";
    if (path.compare(0, prefix.size(), prefix) != 0)
      return std::nullopt;
    auto slash = path.find('/', prefix.size());
    if (slash == std::string::npos || slash == prefix.size())
      return std::nullopt;
    return std::pair{path.substr(prefix.size(), slash - prefix.size()), path.substr(slash + 1)};
  }

  // A spec whose factory no live host has: reported once (picked up when one joins).
  void report_unrunnable(const std::vector<ref_entry>& refs) {
    for (auto& e : refs) {
      if (!e.spec)
        continue;
      bool someone = false;
      for (auto& h : hosts_)
        someone = someone || h.has_factory(e.spec->factory);
      auto key = "nofactory:" + e.ref + ":" + e.spec->factory;
      if (!someone && reported_.insert(key).second)
        log(log_level::warning, "fleet_no_factory",
            "no live host has factory '" + e.spec->factory + "' for ref " + e.ref
              + "; it starts when such a host joins");
      if (someone)
        reported_.erase(key);
    }
  }

  // `refs`: the cache's entries, copied (deciding releases and claims, which change the
  // cache). `urgent`: refs whose owner is gone (on_hosts); their claims go ahead of
  // anything queued at the I/O actor, and no read is sent before them (want_scan). No
  // release of ours can be queued for them: the read that showed the other owner ran
  // after it.
  void decide(const std::vector<ref_entry>& refs,
              const std::map<std::string, std::string>* urgent = nullptr) {
    auto now = clock::now();
    if (!have_read_ || !connected_ || !registered_ || !lease_->valid(now))
      return;
    auto desired = place(hosts_, refs);
    const auto& me = opts_.host_name;
    std::set<std::string> seen;
    std::vector<std::string> to_claim, urgent_claims;
    for (auto& e : refs) {
      seen.insert(e.ref);
      // A claim under way: its answer decides (a read may show it done or not yet).
      if (claiming_.count(e.ref) > 0)
        continue;
      auto i = local_.find(e.ref);
      bool here = i != local_.end();
      if (!e.spec) { // stop_scheduler removed it (or its spec is malformed)
        if (here)
          stop_local(e.ref, true, host_event_kind::stopped);
        else if (e.owner == me)
          release(e.ref);
        continue;
      }
      auto want = desired[e.ref];
      if (e.owner == me) {
        if (!want.empty() && want != me) {
          // A preferred host is back: stop first, then release the owner node.
          if (here)
            stop_local(e.ref, true, host_event_kind::taken_over);
          else
            release(e.ref);
        } else if (!here) {
          if (factories_.count(e.spec->factory) > 0 && !cooling(e.ref, now))
            start_local(e);
          else
            release(e.ref);
        }
        unowned_since_.erase(e.ref);
        continue;
      }
      if (here)
        stop_local(e.ref, false, host_event_kind::lost);
      if (!e.owner.empty()) {
        unowned_since_.erase(e.ref);
        continue;
      }
      auto since = unowned_since_.emplace(e.ref, now).first->second;
      if (here || factories_.count(e.spec->factory) == 0)
        continue;
      if (cooling(e.ref, now))
        continue;
      bool mine = want == me;
      // Any host with the factory claims a ref the desired host left unowned for T.
      bool late = now - since > T() && local_.size() < opts_.capacity;
      if (mine || late) {
        claiming_.insert(e.ref);
        (urgent && urgent->count(e.ref) > 0 ? urgent_claims : to_claim).push_back(e.ref);
      }
    }
    // One batch each: the owner nodes are created together (zk_io::claim).
    if (!urgent_claims.empty() || !to_claim.empty())
      claims_sent_ = clock::now();
    if (!urgent_claims.empty())
      self_->send<caf::message_priority::high>(io_, claim_atom::value, std::move(urgent_claims));
    if (!to_claim.empty())
      self_->send(io_, claim_atom::value, std::move(to_claim));
    for (auto& [ref, l] : local_)
      if (seen.count(ref) == 0 && l.at != local_ref::stopping)
        pending_gone_.push_back(ref);
    for (auto& ref : pending_gone_)
      stop_local(ref, false, host_event_kind::stopped);
    pending_gone_.clear();
  }

  // True while a start of `ref` that failed here keeps this host away from it.
  bool cooling(const std::string& ref, clock::time_point now) {
    auto c = cooldown_.find(ref);
    if (c == cooldown_.end())
      return false;
    if (now < c->second)
      return true;
    cooldown_.erase(c);
    return false;
  }

  void start_local(const ref_entry& e) {
    auto& l = local_[e.ref];
    l = local_ref{};
    counters_->owned_refs = local_.size();
    ++counters_->acquired;
    auto spec = *e.spec;
    // A fenced host must be done stopping within the lease's spare time.
    spec.policy.shutdown_timeout = std::min(spec.policy.shutdown_timeout,
                                            T() / 6);
    auto lease_clock = lease_;
    auto ref = e.ref;
    auto guard = [lease_clock, ref, allowed = l.allowed]() -> caf::error {
      if (lease_clock->valid() && allowed->load())
        return caf::none;
      return make_error(errc::fenced, "fleet ref " + ref
                                        + ": this host's ZooKeeper lease ran out; another host "
                                          "may own it");
    };
    start_hooks hooks;
    hooks.guard = std::move(guard);
    // Stored before the behaviour hears of SUBSCRIBED (the scheduler holds the event
    // until the answer, without blocking a thread): a host that dies right after must
    // not leave the next owner without the id, or it would register a second framework
    // beside the first one's running tasks. A failure or no answer within T stops the
    // framework (errc::framework_id_not_stored; its restart policy applies). Nothing
    // blocks meanwhile, so the bound only says how long it may wait unregistered; a
    // host that cannot reach ZooKeeper fences itself at T/2 anyway.
    hooks.store = [io = io_, ref](const std::string& id, std::function<void(caf::error)> done) {
      // Urgent: it must not queue behind claims and releases.
      caf::anon_send<caf::message_priority::high>(io, fid_atom::value, ref, id,
                                                  fid_reply{std::move(done)});
    };
    hooks.store_timeout = T();
    ops_->notify(host_event_kind::acquired, e.ref, {});
    log(log_level::info, "fleet_acquired", "owns " + e.ref + "; starting it"
                                             + (e.framework_id.empty() ? std::string{}
                                                : " with framework id " + e.framework_id));
    self_->spawn<caf::detached>(start_worker, caf::actor_cast<caf::actor>(self_), ops_, e.ref,
                                std::move(spec), e.framework_id, std::move(hooks));
  }

  void stop_local(const std::string& ref, bool release, host_event_kind why) {
    auto i = local_.find(ref);
    if (i == local_.end() || i->second.at == local_ref::stopping)
      return;
    i->second.release_after = i->second.release_after || release;
    i->second.why = why;
    i->second.allowed->store(false);
    if (i->second.at == local_ref::starting) {
      i->second.stop_wanted = true;
      return;
    }
    begin_stop(ref, i->second.release_after, why);
  }

  void begin_stop(const std::string& ref, bool release, host_event_kind why) {
    auto& l = local_[ref];
    l.at = local_ref::stopping;
    l.allowed->store(false);
    l.release_after = release;
    if (why == host_event_kind::fenced)
      ++counters_->fenced;
    else if (why == host_event_kind::lost)
      ++counters_->lost;
    else if (why == host_event_kind::taken_over)
      ++counters_->taken_over;
    ops_->notify(why, ref, {});
    log(why == host_event_kind::stopped ? log_level::info : log_level::warning,
        why == host_event_kind::fenced       ? "fleet_fenced"
        : why == host_event_kind::lost       ? "fleet_lost"
        : why == host_event_kind::taken_over ? "fleet_taken_over"
                                             : "fleet_stopped",
        "stopping " + ref + " (" + to_string(why) + ")");
    self_->spawn<caf::detached>(stop_worker, caf::actor_cast<caf::actor>(self_), ops_, ref);
  }

  void fence_all(const std::string& why) {
    std::vector<std::string> refs;
    for (auto& [ref, l] : local_)
      if (l.at != local_ref::stopping)
        refs.push_back(ref);
    if (!refs.empty())
      log(log_level::warning, "fleet_fenced",
          why + ": stopping " + std::to_string(refs.size()) + " fleet framework(s)");
    for (auto& ref : refs)
      stop_local(ref, false, host_event_kind::fenced);
  }

  caf::event_based_actor* self_;
  fleet_options opts_;
  std::shared_ptr<host_ops> ops_;
  std::shared_ptr<lease> lease_;
  std::shared_ptr<fleet_view> view_;
  std::shared_ptr<fleet_counters> counters_;
  caf::actor io_;
  std::uint64_t session_ = 0;
  bool handle_failed_ = false;
  bool connected_ = false;
  bool registered_ = false;
  bool registering_ = false;
  std::uint64_t scan_gen_ = 0;
  bool scan_busy_ = false;
  bool rescan_ = false;
  clock::time_point next_full_scan_{};
  clock::time_point scan_sent_{};
  clock::time_point claims_sent_{};
  ref_cache cache_{opts_.host_name};
  std::vector<host_info> hosts_; // of the last read
  bool have_read_ = false;       // a full read of this session is in cache_
  std::set<std::string> dirty_;  // refs whose watches fired since the last read was sent
  bool full_wanted_ = true;
  std::uint64_t read_session_ = 0;
  bool read_connected_ = false;
  std::set<std::string> factories_;
  std::map<std::string, local_ref> local_;
  std::map<std::string, clock::time_point> unowned_since_;
  std::map<std::string, clock::time_point> cooldown_;
  std::set<std::string> claiming_;
  std::map<std::string, std::string> gone_owners_; // ref -> its owner, node deleted
  bool hosts_asked_ = false;
  std::set<std::string> reported_;
  std::vector<std::string> pending_gone_;
};

struct coordinator_state {
  std::unique_ptr<coordinator> core;
  static inline const char* name = "fleet_coordinator";
};

caf::behavior coordinator_actor(caf::stateful_actor<coordinator_state>* self, fleet_options opts,
                                std::shared_ptr<host_ops> ops, std::shared_ptr<lease> lease_clock,
                                std::shared_ptr<fleet_view> view,
                                std::shared_ptr<fleet_counters> counters) {
  self->state.core = std::make_unique<coordinator>(self, std::move(opts), std::move(ops),
                                                   std::move(lease_clock), std::move(view),
                                                   std::move(counters));
  auto* c = self->state.core.get();
  return {
    [c](set_io_atom, caf::actor io) { c->set_io(std::move(io)); },
    [c](session_open_atom, std::uint64_t session) { c->on_session_open(session); },
    [c](detail::zk_session_atom, std::uint64_t session, int state) {
      c->on_session_event(session, state);
    },
    [c](detail::zk_watch_atom, std::uint64_t session, int type, const std::string& path) {
      c->on_watch(session, type, path);
    },
    [c](hosts_atom, std::uint64_t session, int rc, const std::vector<std::string>& names) {
      c->on_hosts(session, rc, names);
    },
    [](detail::zk_auth_atom, std::uint64_t, int) {},
    [c](register_atom, std::uint64_t session, int rc) { c->on_registered(session, rc); },
    [c](scan_atom, std::uint64_t gen, fleet_read_ptr read) { c->on_scan(gen, std::move(read)); },
    [c](claim_atom, const std::vector<std::string>& refs, const std::vector<int>& rcs,
        const std::vector<std::string>& framework_ids) { c->on_claims(refs, rcs, framework_ids); },
    [c](started_atom, const std::string& ref, const caf::error& err) { c->on_started(ref, err); },
    [c](stopped_atom, const std::string& ref) { c->on_stopped(ref); },
    [c](factories_atom, std::vector<std::string> names) { c->set_factories(std::move(names)); },
    [c](tick_atom) { c->tick(); },
    [c](session_timeout_atom, std::int64_t ms) { c->on_session_timeout(ms); },
  };
}

// Sends an exit to `a` and waits (bounded) until it is gone.
void stop_and_wait(caf::actor_system& sys, caf::actor& a, milliseconds limit) {
  if (!a)
    return;
  caf::scoped_actor waiter{sys};
  waiter->monitor(a);
  waiter->send_exit(a, caf::exit_reason::user_shutdown);
  waiter->receive([](const caf::down_msg&) {}, caf::after(limit) >> [] {});
  a = nullptr;
}

} // namespace

void fleet_view::publish(std::shared_ptr<const snapshot> s) {
  std::lock_guard<std::mutex> guard{mtx_};
  last_ = std::move(s);
}

std::shared_ptr<const snapshot> fleet_view::last() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return last_;
}

caf::expected<std::unique_ptr<membership>> membership::start(caf::actor_system& sys,
                                                             const fleet_options& opts,
                                                             std::shared_ptr<host_ops> ops) {
  if (auto err = validate(opts))
    return err;
  auto url = parse_zk_url(opts.zookeeper);
  if (!url)
    return url.error();
  std::unique_ptr<membership> m{new membership(sys, opts.host_name)};
  auto lease_clock = std::make_shared<lease>(opts.session_timeout);
  m->counters_->session_timeout_ms = opts.session_timeout.count();
  m->coordinator_ = sys.spawn(coordinator_actor, opts, std::move(ops), lease_clock, m->view_,
                              m->counters_);
  zk_io_config cfg;
  cfg.url = std::move(*url);
  cfg.root = opts.path;
  cfg.host_name = opts.host_name;
  cfg.capacity = opts.capacity;
  cfg.session_timeout = opts.session_timeout;
  cfg.lease_clock = lease_clock;
  cfg.counters = m->counters_;
  m->io_ = spawn_zk_io(sys, std::move(cfg), m->coordinator_);
  caf::anon_send(m->coordinator_, set_io_atom::value, m->io_);
  return m;
}

membership::~membership() {
  halt();
  close();
}

void membership::set_factories(std::vector<std::string> names) {
  if (coordinator_)
    caf::anon_send(coordinator_, factories_atom::value, std::move(names));
}

caf::error membership::declare(const std::string& ref, const ref_spec& spec,
                               milliseconds timeout) {
  if (!io_)
    return make_error(errc::stopped, "the host's fleet is closed");
  caf::scoped_actor self{sys_};
  caf::error result;
  self->request(io_, timeout, declare_atom::value, ref, encode_spec(spec))
    .receive([&](caf::ok_atom) { result = caf::none; },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

caf::error membership::undeclare(const std::string& ref, milliseconds timeout) {
  if (!io_)
    return make_error(errc::stopped, "the host's fleet is closed");
  caf::scoped_actor self{sys_};
  caf::error result;
  self->request(io_, timeout, undeclare_atom::value, ref)
    .receive([&](caf::ok_atom) { result = caf::none; },
             [&](caf::error& err) { result = std::move(err); });
  return result;
}

void membership::halt() { stop_and_wait(sys_, coordinator_, std::chrono::seconds(10)); }

void membership::close() {
  // zookeeper_close may wait for the server up to about the session timeout.
  stop_and_wait(sys_, io_, std::chrono::seconds(60));
}

} // namespace mesos_actor::fleet
