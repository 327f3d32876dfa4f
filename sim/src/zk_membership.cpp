#include "zk_membership.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <stdexcept>

// The synchronous calls (zoo_create...) of the multi-threaded client need THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

#include "mesos_actor/detector/master_info.hpp"

namespace mesos_actor::sim {

namespace {

constexpr int max_tries = 5;

// A child of `path` made by session `zh` holding `data` and not among `known` (made
// by a create whose answer was lost); nullopt when there is none.
std::optional<std::string> find_unowned(_zhandle* zh, const std::string& path,
                                        const std::string& data,
                                        const std::function<bool(const std::string&)>& known) {
  String_vector names{};
  if (zoo_get_children(zh, path.c_str(), 0, &names) != ZOK)
    return std::nullopt;
  std::optional<std::string> found;
  auto session = zoo_client_id(zh)->client_id;
  for (int i = 0; i < names.count && !found; ++i) {
    std::string name = names.data[i];
    if (known(name))
      continue;
    std::vector<char> buf(data.size() + 1);
    int len = static_cast<int>(buf.size());
    Stat stat{};
    auto child = path + "/" + name;
    if (zoo_get(zh, child.c_str(), 0, buf.data(), &len, &stat) == ZOK &&
        stat.ephemeralOwner == session && len == static_cast<int>(data.size()) &&
        std::equal(data.begin(), data.end(), buf.begin()))
      found = name;
  }
  deallocate_String_vector(&names);
  return found;
}

void drop_client_log(const char*) {
}

} // namespace

zk_membership::zk_membership(zk_url url, std::chrono::milliseconds session_timeout,
                             info_function info, leader_callback on_leader, log_function log)
  : url_(std::move(url)), session_timeout_(session_timeout), info_(std::move(info)),
    on_leader_(std::move(on_leader)), log_(std::move(log)) {
}

zk_membership::~zk_membership() { stop(); }

void zk_membership::start(std::size_t masters, std::chrono::milliseconds limit) {
  masters_ = masters;
  open_session();
  if (!wait_connected(limit)) {
    stop();
    throw std::runtime_error("simulator: cannot connect to ZooKeeper " + url_.redacted());
  }
  try {
    ensure_path();
    for (std::size_t i = 0; i < masters; ++i)
      add(i);
  } catch (...) {
    stop();
    throw;
  }
  worker_ = std::thread([this] { run(); });
  watch_children();
}

void zk_membership::stop() {
  {
    std::lock_guard<std::mutex> lk(mtx_);
    if (stopping_ && zh_ == nullptr)
      return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable())
    worker_.join();
  _zhandle* zh = nullptr;
  {
    std::lock_guard<std::mutex> lk(mtx_);
    std::swap(zh, zh_);
  }
  if (zh != nullptr)
    zookeeper_close(zh); // our ephemeral nodes go with the session
}

void zk_membership::elect(std::optional<std::size_t> master) {
  post([this, master] { do_elect(master); });
}

void zk_membership::reregister(std::size_t master) {
  post([this, master] {
    auto it = std::find_if(order_.begin(), order_.end(),
                           [&](const member& m) { return m.master == master; });
    if (it != order_.end())
      withdraw(static_cast<std::size_t>(it - order_.begin()));
    add(master);
  });
}

void zk_membership::post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lk(mtx_);
    if (stopping_)
      return;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_all();
}

void zk_membership::run() {
  std::unique_lock<std::mutex> lk(mtx_);
  for (;;) {
    cv_.wait(lk, [this] { return stopping_ || !jobs_.empty(); });
    if (stopping_)
      return;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    lk.unlock();
    try {
      job();
    } catch (const std::exception& e) {
      if (log_)
        log_(std::string{"ZooKeeper membership: "} + e.what());
    }
    // Settle: a watch that fired before we knew a node's owner is read again.
    watch_children();
    lk.lock();
  }
}

bool zk_membership::wait_connected(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lk(mtx_);
  return cv_.wait_for(lk, limit, [this] { return stopping_ || state_ == ZOO_CONNECTED_STATE; })
         && !stopping_;
}

std::uint64_t zk_membership::current_epoch() {
  std::lock_guard<std::mutex> lk(mtx_);
  return state_epoch_;
}

void zk_membership::wait_reconnected(std::uint64_t epoch) {
  // The failed call's connection loss may not have been reported yet: wait for a
  // session event after it that leaves us connected (bounded).
  std::unique_lock<std::mutex> lk(mtx_);
  cv_.wait_for(lk, session_timeout_, [&] {
    return stopping_ || (state_epoch_ != epoch && state_ == ZOO_CONNECTED_STATE);
  });
}

void zk_membership::open_session() {
  auto* zh = zookeeper_init2(url_.connect_string().c_str(), on_event,
                             static_cast<int>(session_timeout_.count()), nullptr, this, 0,
                             drop_client_log);
  if (zh == nullptr)
    throw std::runtime_error("simulator: cannot create a ZooKeeper handle for " + url_.redacted());
  if (!url_.user.empty()) {
    auto cert = url_.user + ":" + url_.password;
    zoo_add_auth(zh, "digest", cert.data(), static_cast<int>(cert.size()), nullptr, nullptr);
  }
  std::lock_guard<std::mutex> lk(mtx_);
  zh_ = zh;
  state_ = 0;
  expired_ = false;
}

void zk_membership::on_event(_zhandle*, int type, int state, const char*, void* ctx) {
  auto* self = static_cast<zk_membership*>(ctx);
  if (type == ZOO_SESSION_EVENT) {
    bool expired = false;
    {
      std::lock_guard<std::mutex> lk(self->mtx_);
      self->state_ = state;
      ++self->state_epoch_;
      expired = state == ZOO_EXPIRED_SESSION_STATE && !self->expired_;
      self->expired_ = self->expired_ || expired;
    }
    self->cv_.notify_all();
    if (expired)
      self->post([self] { self->recover_session(); });
    return;
  }
  if (type == ZOO_CHILD_EVENT)
    self->watch_children();
}

void zk_membership::watch_children() {
  std::lock_guard<std::mutex> lk(mtx_);
  if (zh_ == nullptr || stopping_)
    return;
  zoo_awget_children(zh_, url_.path.c_str(), on_event, this, on_children, this);
}

void zk_membership::on_children(int rc, const String_vector* names, const void* data) {
  auto* self = static_cast<zk_membership*>(const_cast<void*>(data));
  if (rc != ZOK || names == nullptr)
    return; // closing, or a session event follows
  std::vector<std::string> children;
  for (int i = 0; i < names->count; ++i)
    children.emplace_back(names->data[i]);
  std::optional<std::size_t> leader;
  {
    std::lock_guard<std::mutex> lk(self->mtx_);
    if (self->stopping_)
      return;
    if (auto node = pick_leader_node(children))
      if (auto it = self->owner_.find(*node); it != self->owner_.end())
        leader = it->second;
  }
  self->on_leader_(leader);
}

void zk_membership::ensure_path() {
  for (std::size_t pos = 1; pos <= url_.path.size(); ++pos) {
    if (pos != url_.path.size() && url_.path[pos] != '/')
      continue;
    auto prefix = url_.path.substr(0, pos);
    int rc = zoo_create(zh_, prefix.c_str(), nullptr, -1, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    if (rc != ZOK && rc != ZNODEEXISTS)
      throw std::runtime_error("simulator: cannot create ZooKeeper node " + prefix + ": "
                               + zerror(rc));
  }
}

void zk_membership::add(std::size_t master) {
  auto data = info_(master);
  auto prefix = url_.path + "/" + std::string{master_node_label} + "_";
  std::vector<char> created(prefix.size() + 32);
  int rc = ZOK;
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    auto epoch = current_epoch();
    rc = zoo_create(zh_, prefix.c_str(), data.data(), static_cast<int>(data.size()),
                    &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL | ZOO_SEQUENCE, created.data(),
                    static_cast<int>(created.size()));
    if (rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT)
      break;
    wait_reconnected(epoch);
    // The lost create may have happened: a sequence node cannot be created twice
    // safely, so adopt the node it made (ours, same data) instead of adding another.
    // A second node would be an orphan; lowest, it would make no master lead.
    auto known = [this](const std::string& n) {
      std::lock_guard<std::mutex> lk(mtx_);
      return owner_.count(n) > 0;
    };
    if (auto made = find_unowned(zh_, url_.path, data, known)) {
      std::snprintf(created.data(), created.size(), "%s/%s", url_.path.c_str(), made->c_str());
      rc = ZOK;
      break;
    }
  }
  if (rc != ZOK)
    throw std::runtime_error("cannot register master " + std::to_string(master) + ": " + zerror(rc));
  std::string path = created.data();
  auto node = path.substr(path.rfind('/') + 1);
  {
    std::lock_guard<std::mutex> lk(mtx_);
    owner_[node] = master;
  }
  order_.push_back(member{master, node});
  if (log_)
    log_("master " + std::to_string(master) + " registered in ZooKeeper as " + node);
  // The children watch may have fired before the node was known as ours (or the node
  // was adopted, which fires nothing): look again so the leader is not left unknown.
  watch_children();
}

void zk_membership::withdraw(std::size_t index_in_order) {
  auto m = order_[index_in_order];
  order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(index_in_order));
  auto path = url_.path + "/" + m.node;
  int rc = ZOK;
  for (int attempt = 0; attempt < max_tries; ++attempt) {
    auto epoch = current_epoch();
    rc = zoo_delete(zh_, path.c_str(), -1);
    if (rc != ZCONNECTIONLOSS && rc != ZOPERATIONTIMEOUT)
      break;
    wait_reconnected(epoch);
  }
  {
    std::lock_guard<std::mutex> lk(mtx_);
    owner_.erase(m.node);
  }
  if (rc != ZOK && rc != ZNONODE)
    throw std::runtime_error("cannot withdraw master " + std::to_string(m.master) + ": " + zerror(rc));
  if (log_)
    log_("master " + std::to_string(m.master) + " withdrew from ZooKeeper (" + m.node + ")");
}

void zk_membership::do_elect(std::optional<std::size_t> master) {
  if (!master) {
    while (!order_.empty())
      withdraw(order_.size() - 1);
    return;
  }
  auto it = std::find_if(order_.begin(), order_.end(),
                         [&](const member& m) { return m.master == *master; });
  bool contending = it != order_.end();
  auto ahead = static_cast<std::size_t>(it - order_.begin());
  if (contending && ahead == 0)
    return;
  std::vector<std::size_t> moved;
  for (std::size_t i = 0; i < ahead; ++i)
    moved.push_back(order_[i].master);
  // Newest first: the current leader's node goes last, so leadership passes from it
  // straight to `master` with no one in between.
  for (std::size_t i = ahead; i-- > 0;)
    withdraw(i);
  if (!contending)
    add(*master);
  for (auto m : moved)
    add(m);
  // Masters that had withdrawn (no_leader) contend again, behind the leader.
  for (std::size_t m = 0; m < masters_; ++m)
    if (std::none_of(order_.begin(), order_.end(), [&](const member& x) { return x.master == m; }))
      add(m);
}

void zk_membership::recover_session() {
  if (log_)
    log_("ZooKeeper session of the simulated masters expired; registering them again");
  std::vector<std::size_t> masters;
  for (auto& m : order_)
    masters.push_back(m.master);
  order_.clear();
  _zhandle* old = nullptr;
  {
    std::lock_guard<std::mutex> lk(mtx_);
    owner_.clear();
    std::swap(old, zh_);
  }
  if (old != nullptr)
    zookeeper_close(old); // expired: returns without a server round trip
  open_session();
  if (!wait_connected(session_timeout_ * 3))
    throw std::runtime_error("no new ZooKeeper session");
  ensure_path();
  for (auto m : masters)
    add(m);
}

} // namespace mesos_actor::sim
