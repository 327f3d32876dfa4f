// read_fleet: a one-shot, read-only look at a fleet's nodes (for `mesos-actor fleet`
// and for monitoring): its own short ZooKeeper session, the synchronous client API,
// the node decoding of nodes.cpp. It never writes and never joins the fleet.
#include "mesos_actor/fleet.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

// The synchronous API (zoo_get, zoo_get_children...) of the multi-threaded client needs THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

#include "detector/zk_bridge.hpp"
#include "fleet/nodes.hpp"
#include "mesos_actor/detector/zk_url.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

// The session's state, set from the client's thread; awaited by the reading thread.
struct session_wait {
  std::mutex mtx;
  std::condition_variable cv;
  int state = 0;
  bool auth_done = false;
  int auth_rc = ZOK;
};

void on_session(zhandle_t*, int type, int state, const char*, void* ctx) {
  if (type != ZOO_SESSION_EVENT)
    return;
  auto* w = static_cast<session_wait*>(ctx);
  std::lock_guard<std::mutex> lk(w->mtx);
  w->state = state;
  w->cv.notify_all();
}

void on_auth(int rc, const void* data) {
  auto* w = static_cast<session_wait*>(const_cast<void*>(data));
  std::lock_guard<std::mutex> lk(w->mtx);
  w->auth_done = true;
  w->auth_rc = rc;
  w->cv.notify_all();
}

// Closes the handle on every return path (before `session_wait` goes).
struct handle_closer {
  zhandle_t* zh = nullptr;
  ~handle_closer() {
    if (zh != nullptr)
      zookeeper_close(zh);
  }
};

class reader {
public:
  reader(zhandle_t* zh, const zk_url& url) : zh_(zh), url_(url), buf_(1024 * 1024) {}

  caf::error failed(const std::string& what, int rc) const {
    if (rc == ZNOAUTH)
      return make_error(errc::rejected, "ZooKeeper " + url_.redacted() + ": " + what
                                          + ": not authorised (digest credentials of the fleet's "
                                            "hosts needed)");
    return make_error(errc::transport_error,
                      "ZooKeeper " + url_.redacted() + ": " + what + ": " + detail::zk_rc_text(rc));
  }

  int get(const std::string& path, std::string& out) {
    int len = static_cast<int>(buf_.size());
    Stat st{};
    auto rc = zoo_get(zh_, path.c_str(), 0, buf_.data(), &len, &st);
    out.assign(buf_.data(), rc == ZOK && len > 0 ? static_cast<std::size_t>(len) : 0);
    return rc;
  }

  int children(const std::string& path, std::vector<std::string>& out) {
    String_vector names{};
    auto rc = zoo_get_children(zh_, path.c_str(), 0, &names);
    if (rc == ZOK) {
      for (int i = 0; i < names.count; ++i)
        out.emplace_back(names.data[i]);
      deallocate_String_vector(&names);
    }
    std::sort(out.begin(), out.end());
    return rc;
  }

private:
  zhandle_t* zh_;
  const zk_url& url_;
  std::vector<char> buf_;
};

} // namespace

caf::expected<fleet_listing> read_fleet(const std::string& zookeeper, const std::string& path,
                                        std::chrono::milliseconds timeout) {
  auto url = parse_zk_url(zookeeper);
  if (!url)
    return url.error();
  if (auto problem = fleet::path_problem(path))
    return make_error(errc::bad_option, "fleet: " + *problem);
  if (timeout.count() <= 0)
    return make_error(errc::bad_option, "fleet: the timeout must be positive");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  session_wait w;
  handle_closer h;
  // The session timeout bounds each synchronous read too (the client gives up on a
  // silent server after 2/3 of it); the server clamps it to its own minimum.
  auto session_ms = static_cast<int>(std::clamp<long long>(timeout.count(), 2000, 60000));
  h.zh = zookeeper_init2(url->connect_string().c_str(), on_session, session_ms, nullptr, &w, 0,
                         detail::zk_client_log_drop);
  if (h.zh == nullptr)
    return make_error(errc::transport_error,
                      "ZooKeeper " + url->redacted() + ": cannot create a client handle");
  {
    std::unique_lock<std::mutex> lk(w.mtx);
    w.cv.wait_until(lk, deadline, [&] {
      return w.state == ZOO_CONNECTED_STATE || w.state == ZOO_EXPIRED_SESSION_STATE
             || w.state == ZOO_AUTH_FAILED_STATE;
    });
    if (w.state != ZOO_CONNECTED_STATE)
      return make_error(errc::timeout, "ZooKeeper " + url->redacted()
                                         + ": no session within " + std::to_string(timeout.count())
                                         + " ms (is the server reachable?)");
  }
  if (!url->user.empty()) {
    auto cert = url->user + ":" + url->password;
    auto rc = zoo_add_auth(h.zh, "digest", cert.data(), static_cast<int>(cert.size()), on_auth, &w);
    std::unique_lock<std::mutex> lk(w.mtx);
    if (rc == ZOK)
      w.cv.wait_until(lk, deadline, [&] { return w.auth_done; });
    if (rc != ZOK || !w.auth_done || w.auth_rc != ZOK)
      return make_error(errc::rejected, "ZooKeeper " + url->redacted()
                                          + ": digest authentication failed");
  }
  reader r{h.zh, *url};
  fleet::layout lay{path};
  Stat st{};
  auto rc = zoo_exists(h.zh, path.c_str(), 0, &st);
  if (rc == ZNONODE)
    return make_error(errc::rejected,
                      "ZooKeeper " + url->redacted() + ": no fleet at " + path + " (no such node)");
  if (rc != ZOK)
    return r.failed("reading " + path, rc);
  fleet_listing out;
  std::vector<std::string> names;
  rc = r.children(lay.hosts(), names);
  if (rc != ZOK && rc != ZNONODE)
    return r.failed("listing " + lay.hosts(), rc);
  for (auto& n : names) {
    std::string data;
    rc = r.get(lay.host(n), data);
    if (rc == ZNONODE)
      continue; // gone since the listing
    if (rc != ZOK)
      return r.failed("reading " + lay.host(n), rc);
    auto host = fleet::decode_host(data);
    if (!host)
      out.problems.push_back(lay.host(n) + ": " + describe(host.error()) + " (skipped)");
    else if (host->name != n)
      out.problems.push_back(lay.host(n) + ": names host '" + host->name + "' (skipped)");
    else
      out.hosts.push_back({host->name, host->capacity, host->factories});
  }
  names.clear();
  rc = r.children(lay.refs(), names);
  if (rc != ZOK && rc != ZNONODE)
    return r.failed("listing " + lay.refs(), rc);
  for (auto& ref : names) {
    if (!fleet::valid_name(ref)) {
      out.problems.push_back(lay.ref(ref) + ": not a valid ref name (skipped)");
      continue;
    }
    std::string data;
    rc = r.get(lay.spec(ref), data);
    if (rc == ZNONODE)
      continue; // being removed (stop_scheduler), or not declared yet
    if (rc != ZOK)
      return r.failed("reading " + lay.spec(ref), rc);
    auto spec = fleet::decode_spec(data);
    if (!spec) {
      out.problems.push_back(lay.spec(ref) + ": " + describe(spec.error()) + " (skipped)");
      continue;
    }
    fleet_ref_row row{ref, spec->factory, {}, {}, spec->preference};
    if (r.get(lay.owner(ref), data) == ZOK)
      row.owner = data;
    if (r.get(lay.framework_id(ref), data) == ZOK)
      row.framework_id = data;
    out.refs.push_back(std::move(row));
  }
  return out;
}

} // namespace mesos_actor
