#pragma once
// A misbehaving Mesos master or agent at byte level: a loopback listener on an
// ephemeral port whose every connection runs a script (read the request, write these
// exact bytes, pause, drip, FIN, RST ...) on a thread of its own. Every request read
// is recorded with its arrival time, so a test can count SUBSCRIBEs over a window.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace hostile {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

/// One HTTP request as the peer read it.
struct http_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< names lower-cased
  std::string body;
  steady::time_point at;

  /// The header's value, or "" when absent.
  std::string header(const std::string& lower_name) const;
};

class scripted_peer;

/// The server side of one accepted connection, handed to the script.
class peer_connection {
public:
  peer_connection(int fd, scripted_peer& owner);
  ~peer_connection();
  peer_connection(const peer_connection&) = delete;
  peer_connection& operator=(const peer_connection&) = delete;

  /// Reads one request (head + Content-Length body); nullopt at EOF, error or timeout.
  std::optional<http_request> read_request(std::chrono::milliseconds timeout = 5s);
  /// Writes all of `bytes`; false once the client is gone or the peer stops.
  bool write(std::string_view bytes);
  /// Writes `bytes` `step` bytes at a time with `gap` between the pieces.
  bool drip(std::string_view bytes, std::chrono::milliseconds gap, std::size_t step = 1);
  /// Waits `d` (less when the peer stops).
  void pause(std::chrono::milliseconds d);
  /// Half-closes: the client sees end of stream (FIN).
  void fin();
  /// Resets the connection (SO_LINGER 0, close): the client sees ECONNRESET.
  void rst();
  /// Reads and discards until the client closes; false on timeout.
  bool wait_closed(std::chrono::milliseconds timeout);
  /// Whether the peer is being torn down (scripts should return).
  bool stopping() const;

private:
  int fd_;
  scripted_peer& owner_;
  std::string buffered_;  // read past the last request
};

/// The script run for each accepted connection, on its own thread.
using script = std::function<void(peer_connection&)>;

class scripted_peer {
public:
  explicit scripted_peer(script s);
  /// Stops accepting, wakes every script (their sockets are shut down) and joins them.
  ~scripted_peer();
  scripted_peer(const scripted_peer&) = delete;
  scripted_peer& operator=(const scripted_peer&) = delete;

  std::uint16_t port() const { return port_; }
  /// "127.0.0.1:<port>".
  std::string address() const;

  /// Requests read so far, in order.
  std::vector<http_request> requests() const;
  /// Waits until `pred(requests)` holds.
  bool wait_until(const std::function<bool(const std::vector<http_request>&)>& pred,
                  std::chrono::milliseconds timeout);
  /// Connections accepted so far.
  std::size_t connections() const;

private:
  friend class peer_connection;
  void accept_loop();
  void record(const http_request& r);
  void track(int fd, bool open);

  script script_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
  std::vector<http_request> requests_;
  std::size_t connections_ = 0;
};

/// Resident set size of this process in bytes (/proc/self/statm).
std::size_t resident_bytes();

} // namespace hostile
