#include "hostile/scripted_peer.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace hostile {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Waits up to `ms` for `events` on fd; true when ready.
bool ready(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  return ::poll(&p, 1, ms) > 0;
}

// Requests larger than this are not ours: the script gives up on them.
constexpr std::size_t max_request = 4u * 1024u * 1024u;

} // namespace

std::string http_request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string{} : it->second;
}

// --- peer_connection ----------------------------------------------------------------

peer_connection::peer_connection(int fd, scripted_peer& owner) : fd_(fd), owner_(owner) {
  owner_.track(fd_, true);
}

peer_connection::~peer_connection() {
  if (fd_ >= 0) {
    owner_.track(fd_, false);
    ::close(fd_);
  }
}

bool peer_connection::stopping() const {
  return owner_.stopping_.load();
}

std::optional<http_request> peer_connection::read_request(std::chrono::milliseconds timeout) {
  auto deadline = steady::now() + timeout;
  auto fill = [&]() -> bool {
    while (!stopping()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
      if (left.count() <= 0 || fd_ < 0)
        return false;
      if (!ready(fd_, POLLIN, static_cast<int>(std::min<long long>(left.count(), 50))))
        continue;
      char buf[16384];
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0)
        return false;
      buffered_.append(buf, static_cast<std::size_t>(n));
      return buffered_.size() <= max_request;
    }
    return false;
  };
  std::size_t end;
  while ((end = buffered_.find("\r\n\r\n")) == std::string::npos)
    if (!fill())
      return std::nullopt;
  http_request r;
  auto head = buffered_.substr(0, end);
  auto line_end = head.find("\r\n");
  auto first = head.substr(0, line_end);
  auto sp1 = first.find(' ');
  auto sp2 = first.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos)
    return std::nullopt;
  r.method = first.substr(0, sp1);
  r.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  for (auto pos = line_end; pos != std::string::npos && pos < head.size();) {
    auto next = head.find("\r\n", pos + 2);
    auto line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    if (auto colon = line.find(':'); colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers[lower(line.substr(0, colon))] = value;
    }
    pos = next;
  }
  std::size_t length = 0;
  if (auto cl = r.header("content-length"); !cl.empty())
    length = std::strtoull(cl.c_str(), nullptr, 10);
  if (length > max_request)
    return std::nullopt;
  while (buffered_.size() < end + 4 + length)
    if (!fill())
      return std::nullopt;
  r.body = buffered_.substr(end + 4, length);
  buffered_.erase(0, end + 4 + length);
  r.at = steady::now();
  owner_.record(r);
  return r;
}

bool peer_connection::write(std::string_view bytes) {
  while (!bytes.empty()) {
    if (stopping() || fd_ < 0)
      return false;
    if (!ready(fd_, POLLOUT, 50))
      continue; // the client reads no more: wait, but never past the peer's end
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool peer_connection::drip(std::string_view bytes, std::chrono::milliseconds gap,
                           std::size_t step) {
  while (!bytes.empty()) {
    auto piece = bytes.substr(0, step);
    if (!write(piece))
      return false;
    bytes.remove_prefix(piece.size());
    pause(gap);
  }
  return true;
}

void peer_connection::pause(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock{owner_.mtx_};
  owner_.cv_.wait_for(lock, d, [&] { return owner_.stopping_.load(); });
}

void peer_connection::fin() {
  if (fd_ >= 0)
    ::shutdown(fd_, SHUT_WR);
}

void peer_connection::rst() {
  if (fd_ < 0)
    return;
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  owner_.track(fd_, false);
  ::close(fd_);
  fd_ = -1;
}

bool peer_connection::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = steady::now() + timeout;
  while (!stopping() && fd_ >= 0 && steady::now() < deadline) {
    if (!ready(fd_, POLLIN, 50))
      continue;
    char buf[4096];
    if (::recv(fd_, buf, sizeof buf, 0) <= 0)
      return true;
  }
  return false;
}

// --- scripted_peer ------------------------------------------------------------------

scripted_peer::scripted_peer(script s) : script_(std::move(s)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0)
    throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || ::listen(listen_fd_, 64) != 0
      || ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("cannot listen on loopback");
  }
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread{[this] { accept_loop(); }};
}

scripted_peer::~scripted_peer() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
    for (int fd : open_fds_)
      ::shutdown(fd, SHUT_RDWR); // wakes a script blocked on its socket
  }
  cv_.notify_all();
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    workers.swap(workers_);
  }
  for (auto& t : workers)
    t.join();
}

std::string scripted_peer::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void scripted_peer::accept_loop() {
  while (!stopping_) {
    if (!ready(listen_fd_, POLLIN, 50))
      continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0)
      continue;
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopping_) {
      ::close(fd);
      break;
    }
    ++connections_;
    workers_.emplace_back([this, fd] {
      peer_connection c{fd, *this};
      script_(c);
    });
    cv_.notify_all();
  }
}

void scripted_peer::record(const http_request& r) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    requests_.push_back(r);
  }
  cv_.notify_all();
}

void scripted_peer::track(int fd, bool open) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (open)
    open_fds_.push_back(fd);
  else
    open_fds_.erase(std::remove(open_fds_.begin(), open_fds_.end(), fd), open_fds_.end());
}

std::vector<http_request> scripted_peer::requests() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return requests_;
}

bool scripted_peer::wait_until(const std::function<bool(const std::vector<http_request>&)>& pred,
                               std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{mtx_};
  return cv_.wait_for(lock, timeout, [&] { return pred(requests_); });
}

std::size_t scripted_peer::connections() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return connections_;
}

std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f)
    return 0;
  unsigned long size = 0, resident = 0;
  int got = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return got == 2 ? resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)) : 0;
}

} // namespace hostile
