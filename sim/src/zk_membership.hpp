#pragma once
// The simulated masters' candidacy in ZooKeeper, as real Mesos masters do it: each
// contending master owns an EPHEMERAL|SEQUENCE node <path>/json.info_<seq> holding its
// JSON MasterInfo, and the lowest sequence leads. The cluster's leader FOLLOWS what
// ZooKeeper says (a children watch); the leader-change faults act on the nodes:
//   elect(k)       the masters ahead of k withdraw (nodes deleted, newest first, so
//                  the old leader stays until k takes over) and register again
//                  behind; masters not contending register behind too;
//   elect(nullopt) every master withdraws (no leader: all answer 503);
//   reregister(i)  master i withdraws and registers again (a restarted master).
// ZooKeeper work runs on one worker thread; nothing here blocks a caller. A session
// expiry re-registers every contending master in the same order.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mesos_actor/detector/zk_url.hpp"

struct _zhandle;
struct String_vector;

namespace mesos_actor::sim {

class zk_membership {
public:
  /// Called (from a ZooKeeper thread) with the leading master's index, or nullopt
  /// when no node of ours leads.
  using leader_callback = std::function<void(std::optional<std::size_t>)>;
  /// The JSON MasterInfo of master i (called on the worker thread).
  using info_function = std::function<std::string(std::size_t)>;
  using log_function = std::function<void(const std::string&)>;

  zk_membership(zk_url url, std::chrono::milliseconds session_timeout, info_function info,
                leader_callback on_leader, log_function log);
  /// Closes the session: the server deletes our nodes at once.
  ~zk_membership();
  zk_membership(const zk_membership&) = delete;
  zk_membership& operator=(const zk_membership&) = delete;

  /// Connects and registers masters 0..n-1 in order (master 0 leads). Blocks, bounded
  /// by `limit`; throws std::runtime_error when ZooKeeper cannot be reached or written.
  void start(std::size_t masters, std::chrono::milliseconds limit);
  void elect(std::optional<std::size_t> master);
  void reregister(std::size_t master);
  void stop();

private:
  struct member {
    std::size_t master;
    std::string node; // name under the path, e.g. "json.info_0000000003"
  };

  static void on_event(_zhandle* zh, int type, int state, const char* path, void* ctx);
  static void on_children(int rc, const ::String_vector* names, const void* data);
  void post(std::function<void()> job);
  void run();
  bool wait_connected(std::chrono::milliseconds limit);
  std::uint64_t current_epoch();
  void wait_reconnected(std::uint64_t epoch);
  void open_session();
  void ensure_path();
  void add(std::size_t master);            // registers at the back
  void withdraw(std::size_t index_in_order);
  void recover_session();
  void watch_children();
  void do_elect(std::optional<std::size_t> master);

  zk_url url_;
  std::chrono::milliseconds session_timeout_;
  info_function info_;
  leader_callback on_leader_;
  log_function log_;

  std::mutex mtx_;
  std::condition_variable cv_;
  _zhandle* zh_ = nullptr;
  int state_ = 0;
  std::uint64_t state_epoch_ = 0; // counts session events
  bool expired_ = false;
  bool stopping_ = false;
  std::deque<std::function<void()>> jobs_;
  std::thread worker_;

  std::size_t masters_ = 0;
  // Touched by the worker thread only (and by the children completion under mtx_).
  std::vector<member> order_; // contending masters, lowest sequence first
  std::map<std::string, std::size_t> owner_; // node name -> master
};

} // namespace mesos_actor::sim
