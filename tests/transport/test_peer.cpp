#include "transport/test_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

namespace transport_test {

test_peer::test_peer(script s) : script_(std::move(s)) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener_, 8) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread{[this] {
    for (int index = 0;; ++index) {
      int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0)
        return;
      ++accepted_;
      script_(fd, index);
      ::close(fd);
    }
  }};
}

test_peer::~test_peer() {
  ::shutdown(listener_, SHUT_RDWR); // ends the pending accept()
  thread_.join();
  ::close(listener_);
}

std::string read_request(int fd) {
  std::string req;
  char c;
  while (req.find("\r\n\r\n") == std::string::npos) {
    if (::recv(fd, &c, 1, 0) != 1)
      return {};
    req += c;
  }
  auto at = req.find("Content-Length: ");
  std::size_t length = at == std::string::npos ? 0 : std::stoul(req.substr(at + 16));
  std::string body(length, '\0');
  std::size_t got = 0;
  while (got < length) {
    auto n = ::recv(fd, body.data() + got, length - got, 0);
    if (n <= 0)
      return {};
    got += static_cast<std::size_t>(n);
  }
  return req + body;
}

void send_text(int fd, std::string_view text) {
  while (!text.empty()) {
    auto n = ::send(fd, text.data(), text.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void wait_client_close(int fd, std::chrono::milliseconds bound) {
  pollfd p{fd, POLLIN, 0};
  char buf[256];
  auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until && ::poll(&p, 1, 50) >= 0)
    if ((p.revents & (POLLIN | POLLHUP)) && ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0)
      return;
}

} // namespace transport_test
