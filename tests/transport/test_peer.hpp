#pragma once
// A scripted loopback peer for the transport tests: a listener whose thread runs a
// script on each accepted connection, and the byte-level helpers scripts use.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace transport_test {

/// A loopback listener whose thread runs `script` on each accepted connection (in
/// order, one at a time) until the peer object is destroyed.
class test_peer {
public:
  using script = std::function<void(int fd, int index)>;

  explicit test_peer(script s);
  ~test_peer();
  test_peer(const test_peer&) = delete;
  test_peer& operator=(const test_peer&) = delete;

  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }

private:
  script script_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

/// Reads one request (head, then Content-Length bytes); "" when the client closed.
std::string read_request(int fd);

/// Writes all of `text` (MSG_NOSIGNAL); stops quietly when the client is gone.
void send_text(int fd, std::string_view text);

/// Waits until the client closed its side, or `bound` passed.
void wait_client_close(int fd, std::chrono::milliseconds bound);

} // namespace transport_test
