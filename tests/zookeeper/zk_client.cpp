#include "zookeeper/zk_client.hpp"

#include <stdexcept>
#include <vector>

namespace zk_test {

namespace {

void drop_log(const char*) {
}

void check(int rc, const std::string& what) {
  if (rc != ZOK)
    throw std::runtime_error("zk_client: " + what + ": " + zerror(rc));
}

} // namespace

zk_client::zk_client(const std::string& hosts, std::int64_t session_id, const std::string& password,
                     std::chrono::milliseconds limit) {
  clientid_t id{};
  const clientid_t* join = nullptr;
  if (session_id != 0) {
    id.client_id = session_id;
    std::copy(password.begin(), password.begin() + std::min(password.size(), sizeof id.passwd),
              id.passwd);
    join = &id;
  }
  zh_ = zookeeper_init2(hosts.c_str(), watcher, 10000, join, this, 0, drop_log);
  if (zh_ == nullptr)
    throw std::runtime_error("zk_client: zookeeper_init failed");
  std::unique_lock<std::mutex> lk(mtx_);
  if (!cv_.wait_for(lk, limit, [this] { return state_ == ZOO_CONNECTED_STATE; })) {
    lk.unlock();
    close();
    throw std::runtime_error("zk_client: not connected within the limit");
  }
}

zk_client::~zk_client() { close(); }

void zk_client::close() {
  if (zh_ != nullptr) {
    zookeeper_close(zh_);
    zh_ = nullptr;
  }
}

void zk_client::watcher(zhandle_t*, int type, int state, const char*, void* ctx) {
  if (type != ZOO_SESSION_EVENT)
    return;
  auto* self = static_cast<zk_client*>(ctx);
  std::lock_guard<std::mutex> lk(self->mtx_);
  self->state_ = state;
  self->cv_.notify_all();
}

std::string zk_client::create(const std::string& path, const std::string& data, int flags) {
  std::vector<char> created(path.size() + 64);
  check(zoo_create(zh_, path.c_str(), data.data(), static_cast<int>(data.size()),
                   &ZOO_OPEN_ACL_UNSAFE, flags, created.data(), static_cast<int>(created.size())),
        "create " + path);
  return created.data();
}

void zk_client::ensure(const std::string& path) {
  for (std::size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos != path.size() && path[pos] != '/')
      continue;
    auto prefix = path.substr(0, pos);
    int rc = zoo_create(zh_, prefix.c_str(), nullptr, -1, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    if (rc != ZNODEEXISTS)
      check(rc, "create " + prefix);
  }
}

void zk_client::remove(const std::string& path) {
  check(zoo_delete(zh_, path.c_str(), -1), "delete " + path);
}

void zk_client::set(const std::string& path, const std::string& data) {
  check(zoo_set(zh_, path.c_str(), data.data(), static_cast<int>(data.size()), -1), "set " + path);
}

bool zk_client::wait_connected(std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> lk(mtx_);
  return cv_.wait_for(lk, limit, [this] { return state_ == ZOO_CONNECTED_STATE; });
}

std::int64_t zk_client::session_id() const {
  return zoo_client_id(zh_)->client_id;
}

std::string master_info_json(const std::string& host, std::uint16_t port, const std::string& id) {
  auto p = std::to_string(port);
  // ip 16777343 = 127.0.0.1 in network byte order, as Mesos writes it.
  return R"({"id":")" + id + R"(","ip":16777343,"port":)" + p + R"(,"pid":"master@127.0.0.1:)" + p
         + R"(","hostname":")" + host + R"(","version":"1.12.0","address":{"hostname":")" + host
         + R"(","ip":"127.0.0.1","port":)" + p + "}}";
}

} // namespace zk_test
