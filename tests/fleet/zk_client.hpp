#pragma once
// A plain synchronous ZooKeeper client for the fleet tests: to write what no host
// would (malformed nodes) and to read what the hosts wrote (owner nodes).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

namespace fleet_test {

class zk_client {
public:
  explicit zk_client(const std::string& servers) {
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);
    zh_ = zookeeper_init(servers.c_str(), on_session, 10000, nullptr, this, 0);
    if (zh_ == nullptr)
      throw std::runtime_error("zk_client: no handle");
    std::unique_lock<std::mutex> lk(mtx_);
    if (!cv_.wait_for(lk, std::chrono::seconds(20), [&] { return connected_; })) {
      lk.unlock();
      zookeeper_close(zh_);
      throw std::runtime_error("zk_client: no session with " + servers);
    }
  }
  ~zk_client() { zookeeper_close(zh_); }
  zk_client(const zk_client&) = delete;
  zk_client& operator=(const zk_client&) = delete;

  /// A persistent node (parents must exist); the ZooKeeper return code.
  int create(const std::string& path, const std::string& data) {
    return zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                      &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
  }

  /// Deletes a node (any version); the ZooKeeper return code.
  int remove(const std::string& path) { return zoo_delete(zh_, path.c_str(), -1); }

  /// The node's data, or "" with rc != ZOK.
  std::string get(const std::string& path, int* rc_out = nullptr) {
    std::vector<char> buf(64 * 1024);
    int len = static_cast<int>(buf.size());
    auto rc = zoo_get(zh_, path.c_str(), 0, buf.data(), &len, nullptr);
    if (rc_out != nullptr)
      *rc_out = rc;
    return rc == ZOK && len > 0 ? std::string(buf.data(), static_cast<std::size_t>(len))
                                : std::string{};
  }

private:
  static void on_session(zhandle_t*, int type, int state, const char*, void* ctx) {
    auto* self = static_cast<zk_client*>(ctx);
    if (type != ZOO_SESSION_EVENT || state != ZOO_CONNECTED_STATE)
      return;
    std::lock_guard<std::mutex> lk(self->mtx_);
    self->connected_ = true;
    self->cv_.notify_all();
  }

  zhandle_t* zh_ = nullptr;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool connected_ = false;
};

} // namespace fleet_test
