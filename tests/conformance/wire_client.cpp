#include "conformance/wire_client.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mesos_actor/codec/recordio.hpp"
#include "transport/http_response_parser.hpp"

namespace conformance {

namespace {

using clock = std::chrono::steady_clock;
using mesos_actor::transport::http_response_parser;

int connect_to(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("not host:port: " + host_port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1))));
  if (::inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &addr.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 address: " + host_port);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw std::runtime_error(std::string{"socket: "} + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    auto err = errno;
    ::close(fd);
    throw std::runtime_error("connect " + host_port + ": " + std::strerror(err));
  }
  return fd;
}

std::string format(const std::string& host_port, const http_request& req) {
  std::string out = req.method + " " + req.path + " HTTP/1.1\r\nHost: " + host_port + "\r\n";
  for (auto& [k, v] : req.headers)
    out += k + ": " + v + "\r\n";
  out += "Content-Length: " + std::to_string(req.body.size()) + "\r\nConnection: close\r\n\r\n";
  return out + req.body;
}

void send_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      throw std::runtime_error(std::string{"send: "} + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

// Reads some bytes before `deadline`: >0 bytes, 0 at EOF; throws on timeout/error.
std::size_t read_some(int fd, char* buf, std::size_t size, clock::time_point deadline) {
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0)
      throw std::runtime_error("no answer in time");
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR)
      continue;
    if (r == 0)
      continue;
    auto n = ::recv(fd, buf, size, 0);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw std::runtime_error(std::string{"recv: "} + std::strerror(errno));
    return static_cast<std::size_t>(n);
  }
}

http_answer answer_of(const http_response_parser& parser) {
  http_answer a;
  a.status = parser.head().status;
  a.headers = parser.head().headers;
  return a;
}

} // namespace

std::optional<std::string> http_answer::get(const std::string& name) const {
  for (auto& [k, v] : headers)
    if (::strcasecmp(k.c_str(), name.c_str()) == 0)
      return v;
  return std::nullopt;
}

http_answer send_request(const std::string& host_port, const http_request& req,
                     std::chrono::milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  int fd = connect_to(host_port);
  try {
    send_all(fd, format(host_port, req));
    http_response_parser parser{{}};
    std::string body;
    auto on_body = [&](std::string_view piece) {
      body.append(piece);
      return true;
    };
    char buf[16384];
    while (!parser.complete() && !parser.failed()) {
      auto n = read_some(fd, buf, sizeof buf, deadline);
      if (n == 0) {
        parser.on_eof();
        break;
      }
      std::string_view data{buf, n};
      while (!data.empty() && !parser.complete() && !parser.failed())
        data.remove_prefix(parser.feed(data, on_body));
    }
    if (parser.failed() || !parser.complete())
      throw std::runtime_error("bad answer: " + parser.error());
    ::close(fd);
    auto a = answer_of(parser);
    a.body = std::move(body);
    return a;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

event_stream::event_stream(const std::string& host_port, const http_request& req,
                           std::chrono::milliseconds timeout) {
  auto deadline = clock::now() + timeout;
  fd_ = connect_to(host_port);
  if (::pipe2(wake_, O_CLOEXEC) != 0) {
    ::close(fd_);
    throw std::runtime_error("pipe2 failed");
  }
  try {
    send_all(fd_, format(host_port, req));
    // Read the head (and, for an error answer, the whole body) here; a 200 answer's
    // body is the stream, read by the thread from the bytes after the head.
    auto parser = std::make_shared<http_response_parser>(mesos_actor::http_limits{});
    char buf[16384];
    std::string pending;
    while (!parser->head_complete()) {
      auto n = read_some(fd_, buf, sizeof buf, deadline);
      if (n == 0)
        throw std::runtime_error("closed before an answer");
      std::string_view data{buf, n};
      data.remove_prefix(parser->feed(data));
      if (parser->failed())
        throw std::runtime_error("bad answer: " + parser->error());
      pending.assign(data);
    }
    head_ = answer_of(*parser);
    if (head_.status != 200) {
      auto on_body = [&](std::string_view piece) {
        head_.body.append(piece);
        return true;
      };
      std::string_view data{pending};
      while (!parser->complete() && !parser->failed()) {
        while (!data.empty() && !parser->complete() && !parser->failed())
          data.remove_prefix(parser->feed(data, on_body));
        if (parser->complete() || parser->failed())
          break;
        auto n = read_some(fd_, buf, sizeof buf, deadline);
        if (n == 0) {
          parser->on_eof();
          break;
        }
        pending.assign(buf, n);
        data = pending;
      }
      ended_ = true;
      return;
    }
    leftover_ = std::move(pending);
    reader_ = std::thread([this, parser] {
      mesos_actor::recordio_decoder decoder;
      auto on_record = [&](std::string_view rec) {
        {
          std::lock_guard<std::mutex> guard{mtx_};
          records_.emplace_back(rec);
        }
        cv_.notify_all();
        return true;
      };
      auto on_body = [&](std::string_view piece) { return !decoder.feed(piece, on_record); };
      auto feed = [&](std::string_view data) {
        while (!data.empty() && !parser->complete() && !parser->failed())
          data.remove_prefix(parser->feed(data, on_body));
      };
      feed(leftover_);
      char rbuf[16384];
      while (!parser->complete() && !parser->failed() && !decoder.broken()) {
        pollfd p[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
        int r = ::poll(p, 2, -1);
        if (r < 0 && errno == EINTR)
          continue;
        if (r < 0 || (p[1].revents != 0))
          break;
        auto n = ::recv(fd_, rbuf, sizeof rbuf, 0);
        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          break;
        feed(std::string_view{rbuf, static_cast<std::size_t>(n)});
      }
      {
        std::lock_guard<std::mutex> guard{mtx_};
        ended_ = true;
      }
      cv_.notify_all();
    });
  } catch (...) {
    ::close(fd_);
    ::close(wake_[0]);
    ::close(wake_[1]);
    throw;
  }
}

event_stream::~event_stream() {
  close();
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void event_stream::close() {
  if (reader_.joinable()) {
    char c = 'x';
    [[maybe_unused]] auto n = ::write(wake_[1], &c, 1);
    reader_.join();
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::optional<std::string> event_stream::next(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{mtx_};
  cv_.wait_for(lock, timeout, [&] { return !records_.empty() || ended_; });
  if (records_.empty())
    return std::nullopt;
  auto rec = std::move(records_.front());
  records_.pop_front();
  return rec;
}

bool event_stream::ended() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return ended_;
}

bool event_stream::wait_end(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock{mtx_};
  return cv_.wait_for(lock, timeout, [&] { return ended_; });
}

} // namespace conformance
