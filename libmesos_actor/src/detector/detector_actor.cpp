// The detector actor: one ZooKeeper session at a time, the master group read with
// watches, the leader told to subscribers whenever it changes.
#include "mesos_actor/detector/detector.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "detector/zk_bridge.hpp"
#include "log/logger.hpp"
#include "mesos_actor/detector/master_info.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

using namespace detail;

/// (zk_retry_atom, session): open a new session after a failure's backoff.
using zk_retry_atom = caf::atom_constant<caf::atom("zk_retry")>;
/// (zk_connect_atom, session, attempt): a connection was not (re)established in time.
using zk_connect_atom = caf::atom_constant<caf::atom("zk_conn")>;
/// (zk_reread_atom, session, read): re-read the group after a failed read's backoff.
using zk_reread_atom = caf::atom_constant<caf::atom("zk_reread")>;

class detector_core {
public:
  detector_core(caf::event_based_actor* self, zk_url url, detector_options opts)
    : self_(self), url_(std::move(url)), opts_(std::move(opts)), log_(opts_.logging, "detector") {
    current_.why = "not read from ZooKeeper yet";
  }

  // Runs on the detector's own (detached) thread, so blocking here delays only it.
  ~detector_core() { close_session(); }

  void start() { open_session(); }

  void subscribe(const caf::actor& who) {
    if (!who || std::find(subscribers_.begin(), subscribers_.end(), who) != subscribers_.end())
      return;
    self_->monitor(who);
    subscribers_.push_back(who);
    self_->send(who, current_);
  }

  void unsubscribe(const caf::actor_addr& who) {
    subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                      [&](const caf::actor& a) { return a.address() == who; }),
                       subscribers_.end());
  }

  void on_session_event(std::uint64_t session, int state) {
    if (session != session_)
      return;
    if (state == ZOO_CONNECTED_STATE) {
      if (!connected_)
        log("connected to ZooKeeper " + url_.redacted());
      connected_ = true;
      failures_ = 0;
      read_group();
    } else if (state == ZOO_EXPIRED_SESSION_STATE) {
      log("ZooKeeper session expired; opening a new one", log_level::warning, "session_expired");
      report_none("ZooKeeper session expired");
      close_session();
      open_session();
    } else if (state == ZOO_AUTH_FAILED_STATE) {
      log("ZooKeeper authentication failed for user '" + url_.user + "'", log_level::error, "auth_failed");
      report_none("ZooKeeper authentication failed");
      restart_after_backoff();
    } else if (connected_) {
      // ZOO_CONNECTING_STATE / ASSOCIATING: the client reconnects by itself. The last
      // leader stays valid meanwhile (the master does not depend on our connection).
      connected_ = false;
      log("connection to ZooKeeper lost; waiting for it to come back", log_level::warning,
          "connection_lost");
      arm_connect_timer();
    }
  }

  void on_connect_timer(std::uint64_t session, std::uint64_t attempt) {
    if (session != session_ || attempt != connect_attempt_ || connected_)
      return;
    log("no ZooKeeper connection within connect_timeout ("
        + std::to_string(opts_.connect_timeout.count()) + " ms); opening a new session",
        log_level::warning, "connect_timeout");
    report_none("ZooKeeper unreachable");
    restart_after_backoff();
  }

  void on_retry(std::uint64_t session) {
    if (session != session_)
      return;
    close_session();
    open_session();
  }

  void on_watch(std::uint64_t session, int, const std::string&) {
    // Children changed, the leader's node changed or went, or the path appeared:
    // every case is answered by reading the group again.
    if (session == session_ && connected_)
      read_group();
  }

  void on_reread(std::uint64_t session, std::uint64_t read) {
    if (session == session_ && read == read_ && connected_)
      read_group();
  }

  void on_children(std::uint64_t session, std::uint64_t read, int rc,
                   std::vector<std::string>& names) {
    if (session != session_ || read != read_)
      return;
    if (rc == ZNONODE) {
      report_none("the path " + url_.path + " does not exist in ZooKeeper");
      // Learn when it is created.
      auto* req = new zk_request{bridge_, read_, {}};
      if (int err = zoo_awexists(zh_, url_.path.c_str(), zk_watcher, bridge_, zk_exists_done, req);
          err != ZOK) {
        delete req;
        read_failed("watching " + url_.path, err);
      }
      return;
    }
    if (rc != ZOK) {
      read_failed("listing " + url_.path, rc);
      return;
    }
    auto leader = pick_leader_node(names);
    if (!leader) {
      report_none("no json.info_ node under " + url_.path);
      return;
    }
    auto full = url_.path + "/" + *leader;
    auto* req = new zk_request{bridge_, read_, *leader};
    if (int err = zoo_awget(zh_, full.c_str(), zk_watcher, bridge_, zk_data_done, req);
        err != ZOK) {
      delete req;
      read_failed("reading " + full, err);
    }
  }

  void on_exists(std::uint64_t session, std::uint64_t read, int rc) {
    if (session != session_ || read != read_)
      return;
    if (rc == ZOK) // created between the listing and the watch
      read_group();
    else if (rc != ZNONODE)
      read_failed("watching " + url_.path, rc);
  }

  void on_data(std::uint64_t session, std::uint64_t read, int rc, const std::string& node,
               const std::string& data) {
    if (session != session_ || read != read_)
      return;
    if (rc == ZNONODE) { // the leader went away between listing and reading
      read_group();
      return;
    }
    if (rc != ZOK) {
      read_failed("reading " + url_.path + "/" + node, rc);
      return;
    }
    auto address = parse_master_info(data);
    if (!address) {
      // The lowest node IS the leader (the ZooKeeper rule); following another node
      // would pick a non-leader. So: no usable leader until that node changes or goes.
      auto why = "leader node " + url_.path + "/" + node + ": " + error_detail(address.error());
      log(why, log_level::warning, "malformed_leader");
      report_none(why);
      return;
    }
    master_leader next;
    next.has_leader = true;
    next.host = address->host;
    next.port = address->port;
    next.master_id = address->id;
    next.node = node;
    report(std::move(next));
  }

  void on_auth(std::uint64_t session, int rc) {
    if (session == session_ && rc != ZOK)
      log("ZooKeeper digest authentication for user '" + url_.user + "' failed: " + zk_rc_text(rc),
          log_level::error, "auth_failed");
  }

private:
  void log(const std::string& line, log_level level = log_level::info,
           const char* event = "zookeeper") {
    log_(level, event, line, {{"zookeeper", url_.redacted()}});
  }

  void open_session() {
    ++session_;
    connected_ = false;
    bridge_ = new zk_bridge{self_->address(), session_};
    auto timeout = static_cast<int>(opts_.session_timeout.count());
    zh_ = zookeeper_init2(url_.connect_string().c_str(), zk_watcher, timeout, nullptr, bridge_, 0,
                          zk_client_log_drop);
    if (zh_ == nullptr) {
      auto err = errno;
      delete bridge_;
      bridge_ = nullptr;
      log("cannot create a ZooKeeper handle for " + url_.redacted() + ": "
          + std::string{std::strerror(err)},
          log_level::error, "handle_failed");
      report_none("cannot create a ZooKeeper handle");
      schedule_reopen();
      return;
    }
    if (!url_.user.empty()) {
      auto cert = url_.user + ":" + url_.password;
      auto* req = new zk_request{bridge_, 0, {}};
      if (zoo_add_auth(zh_, "digest", cert.data(), static_cast<int>(cert.size()), zk_auth_done, req)
          != ZOK) {
        delete req;
        log("cannot queue ZooKeeper digest authentication for user '" + url_.user + "'",
            log_level::error, "auth_failed");
      }
    }
    arm_connect_timer();
  }

  // Blocks until the client's threads are gone: at most about the session timeout
  // when the server is unresponsive, and only ever on this detached actor's thread.
  void close_session() {
    if (zh_ != nullptr) {
      zookeeper_close(zh_);
      zh_ = nullptr;
    }
    delete bridge_; // no callback can use it once zookeeper_close returned
    bridge_ = nullptr;
    connected_ = false;
  }

  void restart_after_backoff() {
    close_session();
    ++session_; // late events of the closed session are stale now
    schedule_reopen();
  }

  void read_group() {
    ++read_;
    auto* req = new zk_request{bridge_, read_, {}};
    if (int err = zoo_awget_children(zh_, url_.path.c_str(), zk_watcher, bridge_,
                                     zk_children_done, req);
        err != ZOK) {
      delete req;
      read_failed("listing " + url_.path, err);
    }
  }

  void read_failed(const std::string& what, int rc) {
    if (rc == ZCLOSING || rc == ZSESSIONEXPIRED || rc == ZCONNECTIONLOSS
        || rc == ZOPERATIONTIMEOUT || rc == ZINVALIDSTATE) {
      // A session event follows (reconnected -> read again, or expired -> new session).
      return;
    }
    if (rc == ZNOAUTH)
      report_none("not authorized to read " + url_.path);
    log(what + " failed: " + zk_rc_text(rc) + "; retrying", log_level::warning, "read_failed");
    ++failures_;
    self_->delayed_send(self_, backoff(), zk_reread_atom::value, session_, read_);
  }

  void schedule_reopen() {
    ++failures_;
    self_->delayed_send(self_, backoff(), zk_retry_atom::value, session_);
  }

  std::chrono::milliseconds backoff() const {
    auto delay = opts_.retry_initial;
    for (std::size_t i = 1; i < failures_ && delay < opts_.retry_max; ++i)
      delay *= 2;
    return std::min(delay, opts_.retry_max);
  }

  void arm_connect_timer() {
    self_->delayed_send(self_, opts_.connect_timeout, zk_connect_atom::value, session_,
                        ++connect_attempt_);
  }

  void report_none(const std::string& why) {
    master_leader none;
    none.why = why;
    report(std::move(none));
  }

  void report(master_leader next) {
    if (next.same_as(current_)) {
      current_ = std::move(next); // keep the newest node name
      return;
    }
    if (next.has_leader)
      log("leading master: " + next.host + ":" + std::to_string(next.port) + " (" + next.node + ")",
          log_level::info, "leader");
    else
      log("no leading master: " + next.why, log_level::warning, "no_leader");
    current_ = std::move(next);
    for (auto& who : subscribers_)
      self_->send(who, current_);
  }

  caf::event_based_actor* self_;
  zk_url url_;
  detector_options opts_;
  detail::logger log_;
  zhandle_t* zh_ = nullptr;
  zk_bridge* bridge_ = nullptr;
  std::uint64_t session_ = 0;
  std::uint64_t read_ = 0;
  std::uint64_t connect_attempt_ = 0;
  std::size_t failures_ = 0;
  bool connected_ = false;
  master_leader current_;
  std::vector<caf::actor> subscribers_;
};

struct detector_state {
  std::unique_ptr<detector_core> core;
  static inline const char* name = "mesos_master_detector";
};

caf::behavior detector_actor(caf::stateful_actor<detector_state>* self, zk_url url,
                             detector_options opts) {
  self->state.core = std::make_unique<detector_core>(self, std::move(url), std::move(opts));
  auto* core = self->state.core.get();
  self->set_down_handler([core](caf::down_msg& m) { core->unsubscribe(m.source); });
  core->start();
  return {
    [core](detector_subscribe_atom, const caf::actor& who) { core->subscribe(who); },
    [core](detector_unsubscribe_atom, const caf::actor& who) { core->unsubscribe(who.address()); },
    [core](zk_session_atom, std::uint64_t session, int state) {
      core->on_session_event(session, state);
    },
    [core](zk_watch_atom, std::uint64_t session, int type, const std::string& path) {
      core->on_watch(session, type, path);
    },
    [core](zk_children_atom, std::uint64_t session, std::uint64_t read, int rc,
           std::vector<std::string>& names) { core->on_children(session, read, rc, names); },
    [core](zk_data_atom, std::uint64_t session, std::uint64_t read, int rc,
           const std::string& node, const std::string& data) {
      core->on_data(session, read, rc, node, data);
    },
    [core](zk_exists_atom, std::uint64_t session, std::uint64_t read, int rc) {
      core->on_exists(session, read, rc);
    },
    [core](zk_auth_atom, std::uint64_t session, int rc) { core->on_auth(session, rc); },
    [core](zk_retry_atom, std::uint64_t session) { core->on_retry(session); },
    [core](zk_connect_atom, std::uint64_t session, std::uint64_t attempt) {
      core->on_connect_timer(session, attempt);
    },
    [core](zk_reread_atom, std::uint64_t session, std::uint64_t read) {
      core->on_reread(session, read);
    },
  };
}

} // namespace

caf::error validate(const detector_options& o) {
  auto bad = [](const std::string& what) { return make_error(errc::bad_option, what); };
  if (o.session_timeout <= std::chrono::milliseconds{0}
      || o.session_timeout > std::chrono::milliseconds{INT32_MAX})
    return bad("detector session_timeout must be positive (and fit in an int of ms)");
  if (o.connect_timeout <= std::chrono::milliseconds{0})
    return bad("detector connect_timeout must be positive");
  if (o.retry_initial <= std::chrono::milliseconds{0} || o.retry_max < o.retry_initial)
    return bad("detector retry_initial must be > 0 and <= retry_max");
  return caf::none;
}

caf::expected<caf::actor> spawn_master_detector(caf::actor_system& sys, const std::string& url,
                                                detector_options opts) {
  auto parsed = parse_zk_url(url);
  if (!parsed)
    return std::move(parsed.error());
  if (auto err = validate(opts))
    return err;
  return sys.spawn<caf::detached>(detector_actor, std::move(*parsed), std::move(opts));
}

} // namespace mesos_actor
