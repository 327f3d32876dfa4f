// The public cluster API, lifecycle (start/stop, the timer thread) and the masters.
#include "cluster_impl.hpp"

#include <arpa/inet.h>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <sys/wait.h>

#include "ids.hpp"
#include "owned_temp_dir.hpp"

namespace mesos_actor::sim {

namespace {
constexpr auto tick_period = std::chrono::milliseconds(10);
} // namespace

// --- impl lifecycle ----------------------------------------------------------------

cluster::impl::impl(cluster_options opts) : opts_(std::move(opts)) {
  cluster_id_ = random_uuid_text();
  masters_.resize(opts_.masters == 0 ? 1 : opts_.masters);
  for (std::size_t i = 0; i < masters_.size(); ++i)
    masters_[i].index = i;
  for (std::size_t i = 0; i < opts_.agents; ++i) {
    auto spec = i < opts_.agent_overrides.size() ? opts_.agent_overrides[i] : opts_.resources;
    agents_.nodes.push_back(std::make_unique<agent_node>(*this, i, spec));
  }
}

cluster::impl::~impl() {
  stop();
  // The agents' executor managers run a ticker thread that takes the state lock and
  // signals the state condition variable: end those threads before the members they
  // use are destroyed (found by ThreadSanitizer).
  for (auto& a : agents_.nodes)
    a->executors.reset();
}

void cluster::impl::start() {
  if (started_)
    return;
  started_ = true;
  if (opts_.work_dir.empty()) {
    work_dir_ = make_owned_temp_dir("mesos-actor-sim");
    remove_work_dir_ = true;
  } else {
    work_dir_ = opts_.work_dir;
    std::error_code ec;
    std::filesystem::create_directories(work_dir_, ec);
    if (ec)
      throw std::runtime_error("cannot create work dir '" + work_dir_ + "': " + ec.message());
  }
  try {
    for (std::size_t i = 0; i < masters_.size(); ++i) {
      masters_[i].server = std::make_unique<http_server>(
        opts_, [this, i](http_routes& r) {
          http_.add_routes(i, r);
          operator_http_.add_routes(i, r);
        });
      masters_[i].server->start(i < opts_.master_ports.size() ? opts_.master_ports[i] : 0);
      masters_[i].info = make_master_info(i);
      log("master " + std::to_string(i) + " listening on " + master_url(i));
    }
    for (std::size_t i = 0; i < agents_.nodes.size(); ++i)
      start_agent(i);
    if (!opts_.zookeeper.empty())
      start_zookeeper_membership();
  } catch (...) {
    stop();
    throw;
  }
  {
    state_lock lk(*this);
    leader_ = 0;
    allocator_.start(sim_clock::now());
  }
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lk(ticker_mu_);
    while (!stopping_) {
      ticker_cv_.wait_for(lk, tick_period, [this] { return stopping_ || !soon_.empty(); });
      if (stopping_)
        break;
      auto jobs = std::move(soon_);
      soon_.clear();
      lk.unlock();
      for (auto& job : jobs)
        job();
      {
        state_lock slk(*this);
        tick();
      }
      lk.lock();
    }
  });
}

void cluster::impl::run_soon(std::function<void()> job) {
  std::lock_guard<std::mutex> lk(ticker_mu_);
  if (!stopping_)
    soon_.push_back(std::move(job));
  ticker_cv_.notify_all();
}

void cluster::impl::stop() {
  {
    std::lock_guard<std::mutex> lk(ticker_mu_);
    if (stopping_)
      return;
    stopping_ = true;
  }
  // First, and without the state lock: its callbacks take that lock.
  if (zk_)
    zk_->stop();
  ticker_cv_.notify_all();
  if (ticker_.joinable())
    ticker_.join();
  std::vector<pid_t> pids;
  {
    state_lock lk(*this);
    leader_.reset();
    for (auto& [id, fw] : state_.frameworks)
      if (fw.stream) {
        fw.stream->drop();
        fw.stream.reset();
      }
    drop_operator_streams(); // else their connections outlive the servers' stop
    for (auto& [key, t] : state_.tasks)
      if (t.pid > 0)
        pids.push_back(t.pid);
  }
  for (auto& m : masters_)
    if (m.server)
      m.server->stop();
  for (auto& a : agents_.nodes) {
    if (a->executors)
      a->executors->kill_all();
    if (a->server)
      a->server->stop();
  }
  for (auto pid : pids) {
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  if (remove_work_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
}

// --- locking -----------------------------------------------------------------------

cluster::impl::state_lock::state_lock(impl& i) : impl_(i), lk_(i.mu_) {}

cluster::impl::state_lock::~state_lock() {
  while (!impl_.deferred_.empty()) {
    auto work = std::move(impl_.deferred_);
    impl_.deferred_.clear();
    lk_.unlock();
    for (auto& f : work)
      f();
    lk_.lock();
  }
  lk_.unlock();
  impl_.notify_changed();
}

void cluster::impl::notify_changed() {
  {
    std::lock_guard<std::mutex> lk(wait_mu_);
    ++generation_;
  }
  wait_cv_.notify_all();
}

// --- timers ------------------------------------------------------------------------

void cluster::impl::tick() {
  auto now = sim_clock::now();
  reap_processes(now);
  for (auto& [id, fw] : state_.frameworks) {
    if (fw.stream && now >= fw.next_heartbeat) {
      mesos::v1::scheduler::Event hb;
      hb.set_type(mesos::v1::scheduler::Event::HEARTBEAT);
      send_event(fw, hb);
      fw.next_heartbeat = now + opts_.heartbeat_interval;
    }
    for (auto it = fw.filters.begin(); it != fw.filters.end();) {
      if (now >= it->second) {
        it = fw.filters.erase(it);
        allocator_.mark_dirty();
      } else {
        ++it;
      }
    }
  }
  retry_updates(now);
  operator_heartbeats(now);
  std::vector<std::string> expired;
  for (auto& [id, fw] : state_.frameworks)
    if (!fw.stream && fw.failover_deadline && now >= *fw.failover_deadline)
      expired.push_back(id);
  for (const auto& id : expired) {
    log("framework " + id + " did not fail over in time: tearing it down");
    teardown_framework(id);
  }
  allocator_.tick(now);
}

// --- masters -----------------------------------------------------------------------

std::string cluster::impl::hostname() const {
  return opts_.hostname.empty() ? opts_.bind_address : opts_.hostname;
}

std::string cluster::impl::master_url(std::size_t index) const {
  auto port = masters_[index].server ? masters_[index].server->port() : 0;
  return scheme() + "://" + opts_.bind_address + ":" + std::to_string(port);
}

mesos::v1::MasterInfo cluster::impl::make_master_info(std::size_t index) const {
  mesos::v1::MasterInfo info;
  auto port = masters_[index].server ? masters_[index].server->port() : 0;
  info.set_id(random_uuid_text());
  in_addr addr{};
  inet_pton(AF_INET, opts_.bind_address.c_str(), &addr);
  info.set_ip(addr.s_addr); // network byte order, as Mesos stores it
  info.set_port(port);
  info.set_pid("master@" + opts_.bind_address + ":" + std::to_string(port));
  info.set_hostname(hostname());
  info.set_version(opts_.version);
  auto* a = info.mutable_address();
  a->set_hostname(hostname());
  a->set_ip(opts_.bind_address);
  a->set_port(static_cast<std::int32_t>(port));
  // What a Mesos 1.12 master advertises (master/constants.cpp, MASTER_CAPABILITIES).
  for (auto type : {mesos::v1::MasterInfo::Capability::AGENT_UPDATE,
                    mesos::v1::MasterInfo::Capability::AGENT_DRAINING,
                    mesos::v1::MasterInfo::Capability::QUOTA_V2})
    info.add_capabilities()->set_type(type);
  return info;
}

void cluster::impl::disconnect_all_streams() {
  drop_operator_streams();
  for (auto& [id, fw] : state_.frameworks) {
    if (fw.stream) {
      fw.stream->drop();
      fw.stream.reset();
    }
    // Failover timeouts are not persisted across a master failover (MESOS-4659).
    fw.failover_deadline.reset();
  }
  std::vector<std::string> ids;
  for (auto& [id, o] : state_.offers)
    ids.push_back(id);
  for (auto& id : ids)
    allocator_.remove_offer(id, false);
}

void cluster::impl::change_leader(std::optional<std::size_t> leader) {
  if (leader && *leader >= masters_.size())
    throw std::out_of_range("no such master");
  if (zk_) {
    zk_->elect(leader);
    return;
  }
  follow_leader(leader);
}

void cluster::impl::follow_leader(std::optional<std::size_t> leader) {
  if (leader == leader_)
    return;
  disconnect_all_streams();
  leader_ = leader;
  if (leader)
    masters_[*leader].info = make_master_info(*leader);
  log(leader ? "master " + std::to_string(*leader) + " is now the leader" : "no leading master");
}

void cluster::impl::restart_master(std::size_t index) {
  if (index >= masters_.size())
    throw std::out_of_range("no such master");
  if (leader_ == index)
    disconnect_all_streams();
  log("restarting master " + std::to_string(index));
  auto* server = masters_[index].server.get();
  defer([this, server, index] {
    server->stop(true); // keeps its port
    try {
      server->start(0);
    } catch (const std::exception& e) {
      log("master " + std::to_string(index) + " cannot come back: " + e.what());
      return;
    }
    {
      state_lock lk(*this);
      masters_[index].info = make_master_info(index);
    }
    if (zk_) // a restarted master contends again, from the back
      zk_->reregister(index);
  });
}

void cluster::impl::log(const std::string& line) const {
  if (opts_.log)
    opts_.log(line);
}

// --- public API ---------------------------------------------------------------------

cluster::cluster(cluster_options opts)
  : impl_(std::make_unique<impl>(std::move(opts))), faults_(*this) {
  impl_->owner_ = this;
}

cluster::~cluster() { impl_->stop(); }

void cluster::start() { impl_->start(); }
void cluster::stop() { impl_->stop(); }
const cluster_options& cluster::options() const { return impl_->opts_; }
fault_injector& cluster::faults() { return faults_; }
cluster::impl& cluster::internals() { return *impl_; }

std::vector<std::string> cluster::master_urls() const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < impl_->masters_.size(); ++i)
    out.push_back(impl_->master_url(i));
  return out;
}

std::optional<std::size_t> cluster::leader() const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  return impl_->leader_;
}

std::vector<agent_endpoint> cluster::agents() const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<agent_endpoint> out;
  for (const auto& a : impl_->agents_.nodes) {
    agent_endpoint e;
    e.id = a->id;
    e.hostname = a->spec.hostname.empty() ? impl_->hostname() : a->spec.hostname;
    e.port = a->port;
    e.url = impl_->scheme() + "://" + impl_->opts_.bind_address + ":" + std::to_string(a->port);
    e.running = a->running;
    out.push_back(e);
  }
  return out;
}

namespace {
framework_state to_state(const framework_entry& fw) {
  framework_state s;
  s.id = fw.id;
  s.info = fw.info;
  s.subscribed = static_cast<bool>(fw.stream);
  s.stream_id = fw.stream ? fw.stream->id() : std::string{};
  s.roles = fw.roles();
  s.suppressed_roles.assign(fw.suppressed.begin(), fw.suppressed.end());
  s.failover_timeout = fw.info.failover_timeout();
  s.partition_aware = fw.partition_aware();
  return s;
}

} // namespace

std::vector<framework_state> cluster::frameworks() const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<framework_state> out;
  for (const auto& [id, fw] : impl_->state_.frameworks)
    out.push_back(to_state(fw));
  return out;
}

std::optional<framework_state> cluster::framework(const std::string& id) const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  auto it = impl_->state_.frameworks.find(id);
  if (it == impl_->state_.frameworks.end())
    return std::nullopt;
  return to_state(it->second);
}

std::vector<mesos::v1::Offer> cluster::offers(const std::string& framework_id) const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<mesos::v1::Offer> out;
  for (const auto& [id, o] : impl_->state_.offers)
    if (framework_id.empty() || o.framework_id == framework_id)
      out.push_back(o.offer);
  return out;
}

std::vector<task_state> cluster::tasks(const std::string& framework_id) const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<task_state> out;
  for (const auto& t : impl_->state_.completed_tasks)
    if (framework_id.empty() || t.framework_id == framework_id)
      out.push_back(t);
  for (const auto& [key, t] : impl_->state_.tasks)
    if (framework_id.empty() || t.framework_id == framework_id)
      out.push_back(t.view());
  return out;
}

std::optional<task_state> cluster::task(const std::string& task_id) const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  for (const auto& [key, t] : impl_->state_.tasks)
    if (key.second == task_id)
      return t.view();
  for (auto it = impl_->state_.completed_tasks.rbegin(); it != impl_->state_.completed_tasks.rend(); ++it)
    if (it->task_id == task_id)
      return *it;
  return std::nullopt;
}

std::vector<pending_update> cluster::unacknowledged_updates(const std::string& framework_id) const {
  std::lock_guard<std::mutex> lk(impl_->mu_);
  std::vector<pending_update> out;
  for (const auto& [key, q] : impl_->state_.updates)
    for (const auto& u : q)
      if (framework_id.empty() || u.framework_id == framework_id)
        out.push_back(pending_update{u.framework_id, key.second, u.status, u.attempts});
  return out;
}

std::vector<request_record> cluster::requests() const {
  std::lock_guard<std::mutex> lk(impl_->trace_mu_);
  return {impl_->requests_.begin(), impl_->requests_.end()};
}

std::vector<event_record> cluster::events(const std::string& framework_id) const {
  std::lock_guard<std::mutex> lk(impl_->trace_mu_);
  std::vector<event_record> out;
  for (const auto& e : impl_->events_)
    if (framework_id.empty() || e.framework_id == framework_id)
      out.push_back(e);
  return out;
}

std::vector<executor_event_record> cluster::executor_events() const {
  std::lock_guard<std::mutex> lk(impl_->trace_mu_);
  return {impl_->executor_events_.begin(), impl_->executor_events_.end()};
}

void cluster::clear_trace() {
  std::lock_guard<std::mutex> lk(impl_->trace_mu_);
  impl_->requests_.clear();
  impl_->events_.clear();
  impl_->executor_events_.clear();
}

bool cluster::wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const {
  auto deadline = sim_clock::now() + timeout;
  while (true) {
    std::uint64_t gen;
    {
      std::lock_guard<std::mutex> lk(impl_->wait_mu_);
      gen = impl_->generation_;
    }
    if (pred())
      return true;
    auto now = sim_clock::now();
    if (now >= deadline)
      return false;
    std::unique_lock<std::mutex> lk(impl_->wait_mu_);
    impl_->wait_cv_.wait_until(lk, std::min(deadline, now + std::chrono::milliseconds(50)),
                               [&] { return impl_->generation_ != gen; });
  }
}

} // namespace mesos_actor::sim
