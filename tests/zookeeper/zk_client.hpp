#pragma once
// A small synchronous ZooKeeper client for the tests: plays the masters' side
// (creating and deleting json.info_ nodes) and takes over sessions to expire them.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

// The synchronous API (zoo_create...) of the multi-threaded client needs THREADED.
#ifndef THREADED
#define THREADED
#endif
#include <zookeeper/zookeeper.h>

namespace zk_test {

class zk_client {
public:
  /// Connects (bounded wait); with `session_id` != 0 joins that existing session.
  /// Throws std::runtime_error when not connected within `limit`.
  explicit zk_client(const std::string& hosts, std::int64_t session_id = 0,
                     const std::string& password = {},
                     std::chrono::milliseconds limit = std::chrono::seconds(10));
  ~zk_client();
  zk_client(const zk_client&) = delete;
  zk_client& operator=(const zk_client&) = delete;

  /// Creates `path` (flags: ZOO_EPHEMERAL, ZOO_SEQUENCE...) and returns the created
  /// path. Throws on error.
  std::string create(const std::string& path, const std::string& data, int flags = 0);
  /// Creates `path` and its parents as persistent nodes when missing.
  void ensure(const std::string& path);
  void remove(const std::string& path);
  void set(const std::string& path, const std::string& data);
  std::int64_t session_id() const;
  /// Waits (bounded) until the handle is connected again, e.g. after a server restart.
  bool wait_connected(std::chrono::milliseconds limit = std::chrono::seconds(15));
  /// Closes the handle now (for an owned session: the server ends the session).
  void close();

private:
  static void watcher(zhandle_t*, int type, int state, const char*, void* ctx);

  zhandle_t* zh_ = nullptr;
  std::mutex mtx_;
  std::condition_variable cv_;
  int state_ = 0;
};

/// JSON MasterInfo as a Mesos master writes it into its node.
std::string master_info_json(const std::string& host, std::uint16_t port, const std::string& id);

} // namespace zk_test
