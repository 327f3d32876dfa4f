#include "support/loopback_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace test {

namespace {

constexpr int io_bound_ms = 10000; // any single wait of a proxy thread

std::string basic_token(std::string_view text) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 3) {
    std::uint32_t n = static_cast<unsigned char>(text[i]) << 16;
    if (i + 1 < text.size())
      n |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (i + 2 < text.size())
      n |= static_cast<unsigned char>(text[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < text.size() ? alphabet[n & 63] : '=';
  }
  return "Basic " + out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

// Waits for `events` on `fd` or the stop pipe; false on stop, timeout or error.
bool wait_for(int fd, short events, int stop_fd) {
  pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
  int r = ::poll(fds, 2, io_bound_ms);
  return r > 0 && fds[1].revents == 0;
}

bool send_all(int fd, std::string_view data, int stop_fd) {
  while (!data.empty()) {
    auto n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd, POLLOUT, stop_fd))
        return false;
    } else {
      return false;
    }
  }
  return true;
}

int connect_to(const std::string& host, const std::string& port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0)
    return -1;
  int fd = -1;
  for (auto* ai = found; ai && fd < 0; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd >= 0 && ::connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd >= 0)
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

// "host:port" or "[v6]:port" into host and port.
bool split_authority(std::string_view authority, std::string& host, std::string& port) {
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos)
    return false;
  host = std::string{authority.substr(0, colon)};
  port = std::string{authority.substr(colon + 1)};
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return !host.empty() && !port.empty();
}

// Copies bytes both ways until either side closes, fails or stop is asked.
void relay(int a, int b, int stop_fd) {
  char buf[16 * 1024];
  for (;;) {
    pollfd fds[3] = {{a, POLLIN, 0}, {b, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0 && errno != EINTR)
      return;
    if (fds[2].revents)
      return;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents)
        continue;
      auto n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0 || !send_all(fds[1 - i].fd, std::string_view{buf, static_cast<std::size_t>(n)}, stop_fd))
        return;
    }
  }
}

} // namespace

loopback_proxy::loopback_proxy() {
  if (::pipe2(stop_pipe_, O_CLOEXEC) != 0)
    throw std::runtime_error("loopback_proxy: pipe failed");
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || ::listen(listener_, 64) != 0
      || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error(std::string{"loopback_proxy: cannot listen: "} + std::strerror(errno));
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread{[this] { accept_loop(); }};
}

loopback_proxy::~loopback_proxy() {
  char one = 1;
  [[maybe_unused]] auto n = ::write(stop_pipe_[1], &one, 1); // every wait watches the pipe
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    workers.swap(workers_);
  }
  for (auto& t : workers)
    t.join();
  ::close(listener_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
}

void loopback_proxy::require_credentials(const std::string& user, const std::string& password) {
  std::lock_guard<std::mutex> guard{mtx_};
  expected_authorization_ = basic_token(user + ":" + password);
}

void loopback_proxy::alias(const std::string& name, const std::string& address) {
  std::lock_guard<std::mutex> guard{mtx_};
  aliases_[name] = address;
}

std::string loopback_proxy::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string loopback_proxy::url_with(const std::string& user, const std::string& password) const {
  return "http://" + user + ":" + password + "@127.0.0.1:" + std::to_string(port_);
}

std::vector<proxy_request> loopback_proxy::requests() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return requests_;
}

bool loopback_proxy::wait_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock{mtx_};
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

void loopback_proxy::record(proxy_request r) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    requests_.push_back(std::move(r));
  }
  cv_.notify_all();
}

void loopback_proxy::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR)
      return;
    if (fds[1].revents)
      return;
    if (!fds[0].revents)
      continue;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (client < 0)
      continue;
    std::lock_guard<std::mutex> guard{mtx_};
    workers_.emplace_back([this, client] {
      serve(client);
      ::close(client);
    });
  }
}

void loopback_proxy::serve(int client) {
  int stop_fd = stop_pipe_[0];
  // The request head (and whatever body bytes came with it).
  std::string in;
  std::size_t head_end = std::string::npos;
  char buf[4096];
  while ((head_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (in.size() > 64 * 1024 || !wait_for(client, POLLIN, stop_fd))
      return;
    auto n = ::recv(client, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return;
    in.append(buf, static_cast<std::size_t>(n));
  }
  std::string_view head{in.data(), head_end + 2};
  auto line_end = head.find("\r\n");
  auto request_line = head.substr(0, line_end);
  proxy_request r;
  auto sp1 = request_line.find(' ');
  auto sp2 = request_line.rfind(' ');
  if (sp1 == std::string_view::npos || sp2 <= sp1)
    return;
  r.method = std::string{request_line.substr(0, sp1)};
  r.target = std::string{request_line.substr(sp1 + 1, sp2 - sp1 - 1)};
  std::string forwarded_headers;
  for (auto pos = line_end + 2; pos < head.size();) {
    auto end = head.find("\r\n", pos);
    auto line = head.substr(pos, end - pos);
    pos = end + 2;
    auto colon = line.find(':');
    auto name = line.substr(0, colon);
    auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    if (iequals(name, "Proxy-Authorization"))
      r.proxy_authorization = std::string{value};
    else if (iequals(name, "Host"))
      r.host_header = std::string{value};
    if (!iequals(name, "Proxy-Authorization") && !iequals(name, "Proxy-Connection")
        && !iequals(name, "Connection"))
      forwarded_headers += std::string{line} + "\r\n";
  }
  std::string rest = in.substr(head_end + 4);
  auto refuse = [&](const char* status_line) {
    r.refused = true;
    record(r);
    send_all(client, std::string{"HTTP/1.1 "} + status_line
                       + "\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0"
                         "\r\nConnection: close\r\n\r\n",
             stop_fd);
  };
  std::string expected;
  std::map<std::string, std::string> aliases;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    expected = expected_authorization_;
    aliases = aliases_;
  }
  if (!expected.empty() && r.proxy_authorization != expected)
    return refuse("407 Proxy Authentication Required");
  std::string host;
  std::string port;
  std::string upstream_request;
  if (r.method == "CONNECT") {
    if (!split_authority(r.target, host, port))
      return refuse("400 Bad Request");
  } else {
    std::string_view target = r.target;
    if (target.substr(0, 7) != "http://")
      return refuse("400 Bad Request");
    target.remove_prefix(7);
    auto slash = target.find('/');
    if (slash == std::string_view::npos || !split_authority(target.substr(0, slash), host, port))
      return refuse("400 Bad Request");
    upstream_request = r.method + " " + std::string{target.substr(slash)} + " HTTP/1.1\r\n"
                       + forwarded_headers + "Connection: close\r\n\r\n" + rest;
  }
  if (auto alias = aliases.find(host); alias != aliases.end())
    host = alias->second;
  int upstream = connect_to(host, port);
  if (upstream < 0)
    return refuse("502 Bad Gateway");
  std::unique_ptr<int, void (*)(int*)> closer{&upstream, [](int* fd) { ::close(*fd); }};
  record(r);
  if (r.method == "CONNECT") {
    if (!send_all(client, "HTTP/1.1 200 Connection established\r\n\r\n", stop_fd)
        || !send_all(upstream, rest, stop_fd))
      return;
  } else if (!send_all(upstream, upstream_request, stop_fd)) {
    return;
  }
  relay(client, upstream, stop_fd);
}

} // namespace test
