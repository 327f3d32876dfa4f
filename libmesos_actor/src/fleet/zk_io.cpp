#include "fleet/zk_io.hpp"

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>

// The synchronous API (zoo_create, zoo_get...) of the multi-threaded client needs THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

#include "detector/zk_bridge.hpp"
#include "fleet/messages.hpp"
#include "fleet/read_batch.hpp"
#include "fleet/scan.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor::fleet {

namespace {

using clock = lease::clock;

// Context of one asynchronous ping; freed by its completion (always called once).
struct ping_request {
  std::shared_ptr<lease> lease_clock;
  clock::time_point sent;
};

void ping_done(int rc, const Stat*, const void* data) {
  std::unique_ptr<const ping_request> req{static_cast<const ping_request*>(data)};
  if (rc == ZOK || rc == ZNONODE)
    req->lease_clock->renewed(req->sent);
}

// Context of one asynchronous framework-id create; freed by its completion.
struct fid_request {
  std::shared_ptr<lease> lease_clock;
  clock::time_point sent;
  std::string what; // "ZooKeeper <url>: creating <path>"
  std::function<void(caf::error)> done;
};

// Called on the client's completion thread; `done` only sends a message.
void fid_done(int rc, const char*, const void* data) {
  std::unique_ptr<const fid_request> req{static_cast<const fid_request*>(data)};
  if (answered(rc))
    req->lease_clock->renewed(req->sent);
  // ZNODEEXISTS: written once, kept (an earlier attempt of this host stored it).
  if (rc == ZOK || rc == ZNODEEXISTS)
    req->done(caf::none);
  else
    req->done(make_error(errc::transport_error, req->what + ": " + detail::zk_rc_text(rc)));
}

// A sync's answer needs no handling: the reads sent after it on the same session wait
// for it at the server.
void sync_done(int, const char*, const void*) {}

class zk_io {
public:
  zk_io(caf::event_based_actor* self, zk_io_config cfg, caf::actor coordinator)
    : self_(self), cfg_(std::move(cfg)), lay_{cfg_.root}, coordinator_(std::move(coordinator)),
      buf_(1024 * 1024) {}

  ~zk_io() { close(); }

  // The owner session: this host's ephemeral nodes, every write, the lease. The read
  // session is opened with it the first time, and on its own when it expires.
  void reopen() {
    close_owner();
    ++session_;
    bridge_ = new detail::zk_bridge{coordinator_.address(), session_};
    zh_ = open_handle(bridge_);
    if (rh_ == nullptr)
      reopen_reads();
    // Without a handle (out of memory, bad server list) no session event ever comes;
    // the coordinator's tick asks again.
    self_->send(coordinator_, session_open_atom::value, zh_ != nullptr ? session_ : 0);
  }

  // The read session: the reads of the fleet and their watches, so that the server,
  // which answers one session's requests in order, never holds a claim or a ping behind
  // a read of the whole fleet. It owns no node, so its answers do not renew the lease.
  void reopen_reads() {
    close_reads();
    ++read_session_;
    read_bridge_ = new detail::zk_bridge{coordinator_.address(), read_session_};
    rh_ = open_handle(read_bridge_); // none: tried again at the next ping
  }

  std::uint64_t session() const { return session_; }

  int register_host(std::vector<std::string> factories) {
    factories_ = std::move(factories);
    for (auto& p : {std::string{}, lay_.hosts(), lay_.refs()}) {
      if (auto rc = ensure(p.empty() ? cfg_.root : p); rc != ZOK)
        return rc;
    }
    auto data = host_data();
    auto rc = create(lay_.host(cfg_.host_name), data, ZOO_EPHEMERAL);
    if (rc != ZNODEEXISTS)
      return rc;
    // Ours from this session (a re-registration), or another live host's name.
    Stat st{};
    auto sent = clock::now();
    count(false);
    rc = zoo_exists(zh_, lay_.host(cfg_.host_name).c_str(), 0, &st);
    note(rc, sent);
    if (rc != ZOK)
      return rc;
    if (st.ephemeralOwner != zoo_client_id(zh_)->client_id)
      return ZNODEEXISTS;
    return set(lay_.host(cfg_.host_name), data);
  }

  void update_factories(std::vector<std::string> factories) {
    factories_ = std::move(factories);
    if (zh_ != nullptr)
      set(lay_.host(cfg_.host_name), host_data());
  }

  // On the owner session: it does not wait behind a read of the fleet.
  int live_hosts(std::vector<std::string>& names) { return children(zh_, lay_.hosts(), names); }

  // On the read session. The listings are read here (they set the children watches).
  // The nodes are read at once and answered on the client's thread, which sends the
  // result to the coordinator: this actor is free meanwhile. A sync goes first: the
  // read session's server catches up with the leader, so the read shows every write the
  // owner session had an answer for when it was sent (with one server, it always does).
  void scan(std::uint64_t gen, std::vector<std::string> skip) {
    fleet_listing_names names;
    names.skip = std::set<std::string>(skip.begin(), skip.end());
    if (rh_ != nullptr) {
      count(false);
      zoo_async(rh_, cfg_.root.c_str(), sync_done, nullptr);
    }
    auto listed_ok = [](int rc) { return rc == ZOK || rc == ZNONODE; };
    names.complete = listed_ok(children(rh_, lay_.hosts(), names.hosts));
    names.complete = listed_ok(children(rh_, lay_.refs(), names.refs)) && names.complete;
    cfg_.counters->zk_requests += read_nodes(
      rh_, detail::zk_watcher, read_bridge_, lay_, std::move(names),
      [coordinator = coordinator_, gen](fleet_read_ptr r) {
        caf::anon_send(coordinator, scan_atom::value, gen, std::move(r));
      });
  }

  // Every owner node's create goes out at once: the server commits them together, so
  // claiming the 100 refs of a dead host costs about one write, not 100 in a row. Each
  // ref's framework id is read right after its create, so a claimed ref starts with the
  // id stored before (the coordinator's last read may be older than the store). The
  // answer goes to the coordinator from the client's thread, like a scan's: in the
  // order the server answered them, so a snapshot that arrives after a claim's answer
  // was read after the claim's creates.
  void claim(std::vector<std::string> refs) {
    auto sent = clock::now();
    read_batch batch{zh_, detail::zk_watcher, bridge_};
    std::size_t creates = 0;
    for (auto& ref : refs) {
      auto before = batch.sent();
      batch.create(lay_.owner(ref), cfg_.host_name, acl(), ZOO_EPHEMERAL);
      creates += batch.sent() - before;
      batch.get(lay_.framework_id(ref), false);
    }
    batch.then([refs = std::move(refs), lease_clock = cfg_.lease_clock, sent,
                coordinator = coordinator_](const read_batch& answers) mutable {
      std::vector<int> rcs;
      std::vector<std::string> ids;
      bool any_answered = false;
      for (std::size_t i = 0; i < refs.size(); ++i) {
        rcs.push_back(answers.rc(2 * i));
        ids.push_back(answers.rc(2 * i + 1) == ZOK ? answers.data(2 * i + 1) : std::string{});
        any_answered = any_answered || answered(rcs.back());
      }
      if (any_answered)
        lease_clock->renewed(sent);
      caf::anon_send(coordinator, claim_atom::value, std::move(refs), std::move(rcs),
                     std::move(ids));
    });
    cfg_.counters->zk_requests += batch.sent();
    cfg_.counters->zk_writes += creates;
  }

  void release(const std::string& ref) {
    std::string owner;
    if (get(lay_.owner(ref), owner) == ZOK && owner == cfg_.host_name)
      remove(lay_.owner(ref));
    std::string spec;
    if (get(lay_.spec(ref), spec) == ZNONODE)
      remove_ref_rest(ref); // stop_scheduler removed it: the last owner cleans up
  }

  /// Sends the id's create and returns: `done` gets its answer (none: stored) from the
  /// client's thread. Many first subscriptions at once are then committed together
  /// instead of one after another on this thread.
  void record_framework_id(const std::string& ref, const std::string& id,
                           std::function<void(caf::error)> done) {
    auto path = lay_.framework_id(ref);
    if (zh_ == nullptr) {
      done(failed("creating " + path, ZINVALIDSTATE));
      return;
    }
    count(true);
    auto* req = new fid_request{cfg_.lease_clock, clock::now(),
                                "ZooKeeper " + cfg_.url.redacted() + ": creating " + path,
                                std::move(done)};
    auto rc = zoo_acreate(zh_, path.c_str(), id.data(), static_cast<int>(id.size()), acl(), 0,
                          fid_done, req);
    if (rc != ZOK) {
      std::unique_ptr<fid_request> failed_req{req};
      failed_req->done(failed("creating " + path, rc));
    }
  }

  void ping() {
    if (rh_ == nullptr)
      reopen_reads();
    if (zh_ == nullptr)
      return;
    negotiated();
    count(false);
    auto* req = new ping_request{cfg_.lease_clock, clock::now()};
    if (zoo_aexists(zh_, lay_.host(cfg_.host_name).c_str(), 0, ping_done, req) != ZOK)
      delete req;
  }

  // The server clamps the requested timeout to its [min, max]SessionTimeout; the
  // connected handle knows the answer. The lease (and so fencing) uses it.
  void negotiated() {
    if (zoo_state(zh_) != ZOO_CONNECTED_STATE)
      return;
    std::chrono::milliseconds t{zoo_recv_timeout(zh_)};
    if (cfg_.lease_clock->negotiated(t)) {
      cfg_.counters->session_timeout_ms = t.count();
      self_->send(coordinator_, session_timeout_atom::value, static_cast<std::int64_t>(t.count()));
    }
  }

  // A declare may come before the first session is connected (right after the host's
  // construction): wait for it, bounded by the session timeout, on this thread only.
  void await_connected() {
    auto until = clock::now() + cfg_.session_timeout;
    while (zh_ != nullptr && zoo_state(zh_) != ZOO_CONNECTED_STATE && clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }

  caf::error declare(const std::string& ref, const std::string& spec) {
    await_connected();
    auto rc = create(lay_.ref(ref), "", 0);
    if (rc == ZNONODE) { // the fleet's first ref: its parents first (a write less per declare)
      if (auto parents = ensure(lay_.refs()); parents != ZOK)
        return failed("creating " + lay_.refs(), parents);
      rc = create(lay_.ref(ref), "", 0);
    }
    if (rc != ZOK && rc != ZNODEEXISTS)
      return failed("creating " + lay_.ref(ref), rc);
    rc = create(lay_.spec(ref), spec, 0);
    if (rc == ZNODEEXISTS)
      return make_error(errc::bad_option, "fleet ref '" + ref + "' is already declared");
    if (rc != ZOK)
      return failed("creating " + lay_.spec(ref), rc);
    return caf::none;
  }

  caf::error undeclare(const std::string& ref) {
    await_connected();
    auto rc = remove(lay_.spec(ref));
    if (rc == ZNONODE)
      return make_error(errc::bad_option, "fleet ref '" + ref + "' is not declared");
    if (rc != ZOK)
      return failed("removing " + lay_.spec(ref), rc);
    std::string owner;
    if (get(lay_.owner(ref), owner) == ZNONODE)
      remove_ref_rest(ref); // nobody runs it; otherwise its owner cleans up after its stop
    return caf::none;
  }

private:
  caf::error failed(const std::string& what, int rc) {
    return make_error(errc::transport_error, "ZooKeeper " + cfg_.url.redacted() + ": " + what
                                               + ": " + detail::zk_rc_text(rc));
  }

  std::string host_data() const {
    host_info h;
    h.name = cfg_.host_name;
    h.capacity = cfg_.capacity;
    h.factories = factories_;
    return encode_host(h);
  }

  void note(int rc, clock::time_point sent) {
    if (answered(rc))
      cfg_.lease_clock->renewed(sent);
  }

  void count(bool write) {
    ++cfg_.counters->zk_requests;
    if (write)
      ++cfg_.counters->zk_writes;
  }

  const ACL_vector* acl() const {
    return cfg_.url.user.empty() ? &ZOO_OPEN_ACL_UNSAFE : &ZOO_CREATOR_ALL_ACL;
  }

  int create(const std::string& path, const std::string& data, int flags) {
    if (zh_ == nullptr)
      return ZINVALIDSTATE;
    auto sent = clock::now();
    count(true);
    auto rc = zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()), acl(),
                         flags, nullptr, 0);
    note(rc, sent);
    return rc;
  }

  int ensure(const std::string& path) {
    for (auto slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
      auto prefix = path.substr(0, slash);
      auto rc = create(prefix, "", 0);
      if (rc != ZOK && rc != ZNODEEXISTS)
        return rc;
      if (slash == std::string::npos)
        return ZOK;
    }
  }

  int set(const std::string& path, const std::string& data) {
    if (zh_ == nullptr)
      return ZINVALIDSTATE;
    auto sent = clock::now();
    count(true);
    auto rc = zoo_set(zh_, path.c_str(), data.data(), static_cast<int>(data.size()), -1);
    note(rc, sent);
    return rc;
  }

  int remove(const std::string& path) {
    if (zh_ == nullptr)
      return ZINVALIDSTATE;
    auto sent = clock::now();
    count(true);
    auto rc = zoo_delete(zh_, path.c_str(), -1);
    note(rc, sent);
    return rc;
  }

  void remove_ref_rest(const std::string& ref) {
    remove(lay_.framework_id(ref));
    remove(lay_.ref(ref)); // ZNOTEMPTY: a new owner or spec appeared meanwhile
  }

  int get(const std::string& path, std::string& out) {
    if (zh_ == nullptr)
      return ZINVALIDSTATE;
    int len = static_cast<int>(buf_.size());
    Stat st{};
    auto sent = clock::now();
    count(false);
    auto rc = zoo_get(zh_, path.c_str(), 0, buf_.data(), &len, &st);
    note(rc, sent);
    out.assign(buf_.data(), rc == ZOK && len > 0 ? static_cast<std::size_t>(len) : 0);
    return rc;
  }

  // On the read session with a children watch; on the owner session without one (its
  // answer renews the lease).
  int children(zhandle_t* zh, const std::string& path, std::vector<std::string>& out) {
    if (zh == nullptr)
      return ZINVALIDSTATE;
    String_vector names{};
    auto sent = clock::now();
    count(false);
    int rc;
    if (zh == rh_) {
      rc = zoo_wget_children(zh, path.c_str(), detail::zk_watcher, read_bridge_, &names);
    } else {
      rc = zoo_get_children(zh, path.c_str(), 0, &names);
      note(rc, sent);
    }
    if (rc == ZOK) {
      for (int i = 0; i < names.count; ++i)
        out.emplace_back(names.data[i]);
      deallocate_String_vector(&names);
    }
    return rc;
  }

  // A handle whose session and watch events go to the coordinator, tagged by `bridge`;
  // none when the client cannot make one.
  zhandle_t* open_handle(detail::zk_bridge* bridge) {
    auto* zh = zookeeper_init2(cfg_.url.connect_string().c_str(), detail::zk_watcher,
                               static_cast<int>(cfg_.session_timeout.count()), nullptr, bridge,
                               0, detail::zk_client_log_drop);
    if (zh != nullptr && !cfg_.url.user.empty()) {
      auto cert = cfg_.url.user + ":" + cfg_.url.password;
      auto* req = new detail::zk_request{bridge, 0, {}};
      if (zoo_add_auth(zh, "digest", cert.data(), static_cast<int>(cert.size()),
                       detail::zk_auth_done, req)
          != ZOK)
        delete req;
    }
    return zh;
  }

  // Blocks until the client's threads are gone; only ever on this detached thread. No
  // callback can use the bridge once zookeeper_close returned.
  static void close_handle(zhandle_t*& zh, detail::zk_bridge*& bridge) {
    if (zh != nullptr)
      zookeeper_close(zh);
    zh = nullptr;
    delete bridge;
    bridge = nullptr;
  }

  void close_owner() {
    close_handle(zh_, bridge_);
    cfg_.lease_clock->revoke();
  }

  void close_reads() { close_handle(rh_, read_bridge_); }

  void close() {
    close_reads();
    close_owner();
  }

  caf::event_based_actor* self_;
  zk_io_config cfg_;
  layout lay_;
  caf::actor coordinator_;
  std::vector<char> buf_;
  std::vector<std::string> factories_;
  zhandle_t* zh_ = nullptr; // the owner session
  detail::zk_bridge* bridge_ = nullptr;
  std::uint64_t session_ = 0;
  zhandle_t* rh_ = nullptr; // the read session
  detail::zk_bridge* read_bridge_ = nullptr;
  std::uint64_t read_session_ = read_session_bit;
};

struct zk_io_state {
  std::unique_ptr<zk_io> io;
  static inline const char* name = "fleet_zk_io";
};

caf::behavior zk_io_actor(caf::stateful_actor<zk_io_state>* self, zk_io_config cfg,
                          caf::actor coordinator) {
  self->state.io = std::make_unique<zk_io>(self, std::move(cfg), coordinator);
  auto* io = self->state.io.get();
  // The first session opens at once: the host may declare refs before anything else.
  io->reopen();
  // It outlives the coordinator on purpose: the host closes the session (membership::
  // close) only after it stopped the fleet's frameworks, so no owner node goes first.
  return {
    [io](reopen_atom) { io->reopen(); },
    [io](reopen_reads_atom) { io->reopen_reads(); },
    [self, io, coordinator](register_atom, std::vector<std::string> factories) {
      auto rc = io->register_host(std::move(factories));
      self->send(coordinator, register_atom::value, io->session(), rc);
    },
    [io](factories_atom, std::vector<std::string> factories) {
      io->update_factories(std::move(factories));
    },
    [io](scan_atom, std::uint64_t gen, std::vector<std::string> skip) {
      io->scan(gen, std::move(skip));
    },
    [io](claim_atom, std::vector<std::string> refs) { io->claim(std::move(refs)); },
    [self, io, coordinator](hosts_atom) {
      std::vector<std::string> names;
      auto rc = io->live_hosts(names);
      self->send(coordinator, hosts_atom::value, io->session(), rc, std::move(names));
    },
    [io](release_atom, const std::string& ref) { io->release(ref); },
    [io](fid_atom, const std::string& ref, const std::string& id, fid_reply& reply) {
      if (reply.done)
        io->record_framework_id(ref, id, std::move(reply.done));
    },
    [io](ping_atom) { io->ping(); },
    [io](declare_atom, const std::string& ref,
         const std::string& spec) -> caf::result<caf::ok_atom> {
      if (auto err = io->declare(ref, spec))
        return err;
      return caf::ok_atom::value;
    },
    [io](undeclare_atom, const std::string& ref) -> caf::result<caf::ok_atom> {
      if (auto err = io->undeclare(ref))
        return err;
      return caf::ok_atom::value;
    },
  };
}

} // namespace

caf::actor spawn_zk_io(caf::actor_system& sys, zk_io_config cfg, const caf::actor& coordinator) {
  return sys.spawn<caf::detached>(zk_io_actor, std::move(cfg), coordinator);
}

} // namespace mesos_actor::fleet
