#include "sim_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include "support/sigpipe_guard.hpp"

namespace simtest {

std::unique_ptr<httplib::Client> make_client(const std::string& url) {
  auto cli = std::make_unique<httplib::Client>(url);
  cli->enable_server_certificate_verification(false);
  cli->set_connection_timeout(5);
  cli->set_read_timeout(10);
  return cli;
}

reply post_raw(const std::string& url, const std::string& body, const httplib::Headers& headers,
               const std::string& path, const std::string& method) {
  auto cli = make_client(url);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = headers;
  req.body = body;
  // httplib's client writes with flags 0 / SSL_write, to a socket the server may
  // have closed already: an error here, not a SIGPIPE.
  testkit::sigpipe_guard no_sigpipe;
  auto res = cli->send(req);
  reply r;
  if (res) {
    r.status = res->status;
    r.headers = res->headers;
    r.body = res->body;
  }
  return r;
}

reply post_call(const std::string& url, const Call& call, content_type type,
                const std::string& stream_id, httplib::Headers extra) {
  auto media = std::string(mesos_actor::media_type(type));
  extra.emplace("Content-Type", media);
  extra.emplace("Accept", media);
  if (!stream_id.empty())
    extra.emplace("Mesos-Stream-Id", stream_id);
  return post_raw(url, mesos_actor::encode(call, type), extra);
}

Call subscribe_call(const std::string& name, const std::string& id,
                    std::vector<std::string> roles, double failover_timeout, bool partition_aware) {
  Call c;
  c.set_type(Call::SUBSCRIBE);
  auto* info = c.mutable_subscribe()->mutable_framework_info();
  info->set_user("tester");
  info->set_name(name);
  if (!id.empty()) {
    info->mutable_id()->set_value(id);
    c.mutable_framework_id()->set_value(id);
  }
  if (!roles.empty()) {
    info->add_capabilities()->set_type(mesos::v1::FrameworkInfo::Capability::MULTI_ROLE);
    for (auto& r : roles)
      info->add_roles(r);
  }
  if (partition_aware)
    info->add_capabilities()->set_type(mesos::v1::FrameworkInfo::Capability::PARTITION_AWARE);
  info->set_failover_timeout(failover_timeout);
  return c;
}

Call call_of(Call::Type type, const std::string& fid) {
  Call c;
  c.set_type(type);
  c.mutable_framework_id()->set_value(fid);
  return c;
}

subscription::subscription(const std::string& url, const Call& subscribe, content_type body_type,
                           std::optional<std::string> accept, httplib::Headers extra,
                           const std::string& path)
  : cli_(make_client(url)) {
  auto req = std::make_shared<httplib::Request>();
  req->method = "POST";
  req->path = path;
  req->headers = std::move(extra);
  req->headers.emplace("Content-Type", std::string(mesos_actor::media_type(body_type)));
  if (accept)
    req->headers.emplace("Accept", *accept);
  req->body = mesos_actor::encode(subscribe, body_type);
  auto decoder = std::make_shared<mesos_actor::recordio_decoder>();
  auto encoding = std::make_shared<content_type>(content_type::json);
  req->response_handler = [this, encoding](const httplib::Response& res) {
    std::lock_guard<std::mutex> lk(mu_);
    have_headers_ = true;
    status_ = res.status;
    headers_ = res.headers;
    auto ct = res.get_header_value("Content-Type");
    *encoding = mesos_actor::parse_content_type(ct).value_or(content_type::json);
    cv_.notify_all();
    return true;
  };
  req->content_receiver = [this, decoder, encoding](const char* data, std::size_t n, std::uint64_t,
                                                    std::uint64_t) {
    std::lock_guard<std::mutex> lk(mu_);
    auto err = decoder->feed({data, n}, [&](std::string_view rec) {
      Event e;
      if (mesos_actor::decode(rec, *encoding, e)) {
        ++decode_failures_;
      } else {
        if (e.type() == Event::SUBSCRIBED)
          framework_id_ = e.subscribed().framework_id().value();
        events_.push_back(std::move(e));
        ++received_;
      }
      return true;
    });
    if (err)
      framing_error_ = err;
    cv_.notify_all();
    return true;
  };
  reader_ = std::thread([this, req] {
    testkit::sigpipe_guard no_sigpipe; // for this thread's whole life (see post_raw)
    httplib::Response res;
    httplib::Error err = httplib::Error::Success;
    cli_->send(*req, res, err);
    std::lock_guard<std::mutex> lk(mu_);
    if (!have_headers_) {
      status_ = res.status > 0 ? res.status : 0;
      headers_ = res.headers;
      have_headers_ = true;
    }
    ended_ = true;
    error_ = err;
    cv_.notify_all();
  });
}

subscription::~subscription() { close(); }

void subscription::close() {
  cli_->stop();
  if (reader_.joinable())
    reader_.join();
}

int subscription::status(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return have_headers_; });
  return status_;
}

std::string subscription::header(const std::string& name) {
  status();
  std::lock_guard<std::mutex> lk(mu_);
  auto it = headers_.find(name);
  return it == headers_.end() ? std::string{} : it->second;
}

std::string subscription::framework_id(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return !framework_id_.empty() || ended_; });
  return framework_id_;
}

std::optional<Event> subscription::next(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  if (!cv_.wait_for(lk, timeout, [&] { return !events_.empty() || ended_; }) || events_.empty())
    return std::nullopt;
  auto e = std::move(events_.front());
  events_.pop_front();
  return e;
}

std::optional<Event> subscription::next(Event::Type type, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    auto e = next(left);
    if (!e)
      return std::nullopt;
    if (e->type() == type)
      return e;
  }
}

bool subscription::wait_end(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lk(mu_);
  return cv_.wait_for(lk, timeout, [&] { return ended_; });
}

httplib::Error subscription::transport_error() {
  std::lock_guard<std::mutex> lk(mu_);
  return error_;
}

std::optional<mesos_actor::recordio_error> subscription::framing_error() {
  std::lock_guard<std::mutex> lk(mu_);
  return framing_error_;
}

std::size_t subscription::decode_failures() {
  std::lock_guard<std::mutex> lk(mu_);
  return decode_failures_;
}

std::size_t subscription::events_received() {
  std::lock_guard<std::mutex> lk(mu_);
  return received_;
}

mesos_actor::sim::cluster_options fast_options() {
  mesos_actor::sim::cluster_options o;
  o.heartbeat_interval = 200ms;
  o.allocation_interval = 100ms;
  o.update_retry_initial = 300ms;
  o.update_retry_max = 2s;
  o.kill_grace_period = 500ms;
  o.server_threads = 16;
  return o;
}

int port_of(const std::string& url) {
  return std::stoi(url.substr(url.rfind(':') + 1));
}

std::string raw_exchange(int port, const std::string& request,
                         const std::function<bool(const std::string&)>& done,
                         std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  std::string got;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return got;
  }
  (void)!::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (!done(got)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      break;
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return got;
}

} // namespace simtest

namespace simtest {

Call launch_call(const mesos::v1::Offer& offer, const std::string& task_id,
                 const std::string& command, double cpus, double mem,
                 std::optional<double> refuse_seconds) {
  Call c;
  c.set_type(Call::ACCEPT);
  auto* a = c.mutable_accept();
  *a->add_offer_ids() = offer.id();
  auto* op = a->add_operations();
  op->set_type(mesos::v1::Offer::Operation::LAUNCH);
  auto* t = op->mutable_launch()->add_task_infos();
  t->set_name(task_id);
  t->mutable_task_id()->set_value(task_id);
  *t->mutable_agent_id() = offer.agent_id();
  t->mutable_command()->set_value(command);
  auto add = [&](const char* name, double v) {
    auto* r = t->add_resources();
    r->set_name(name);
    r->set_type(mesos::v1::Value::SCALAR);
    r->mutable_scalar()->set_value(v);
  };
  add("cpus", cpus);
  add("mem", mem);
  if (refuse_seconds)
    a->mutable_filters()->set_refuse_seconds(*refuse_seconds);
  return c;
}

mesos::v1::Offer first_offer(session& s) {
  auto e = s.sub.next(Event::OFFERS);
  REQUIRE(e);
  REQUIRE(e->offers().offers_size() > 0);
  return e->offers().offers(0);
}

Call ack_call(const mesos::v1::TaskStatus& status) {
  Call c;
  c.set_type(Call::ACKNOWLEDGE);
  *c.mutable_acknowledge()->mutable_agent_id() = status.agent_id();
  *c.mutable_acknowledge()->mutable_task_id() = status.task_id();
  c.mutable_acknowledge()->set_uuid(status.uuid());
  return c;
}

} // namespace simtest
