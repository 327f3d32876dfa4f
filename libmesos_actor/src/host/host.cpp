#include "mesos_actor/host.hpp"

#include "host/host_impl.hpp"

// The facade: every call goes to detail::host_impl (host/host_impl.hpp).

namespace mesos_actor {

host::host(host_options opts)
    : impl_(std::make_unique<detail::host_impl>(nullptr, std::move(opts))) {}

host::host(caf::actor_system &sys, host_options opts)
    : impl_(std::make_unique<detail::host_impl>(&sys, std::move(opts))) {}

host::~host() = default;

caf::actor_system &host::system() {
  return impl_->system();
}

caf::expected<caf::actor> host::start_scheduler(const std::string &ref, scheduler_factory factory,
                                                scheduler_options opts, restart_policy policy) {
  return impl_->start_scheduler(ref, std::move(factory), std::move(opts), policy);
}

caf::error host::register_scheduler_factory(const std::string &name,
                                            fleet_scheduler_factory factory,
                                            scheduler_options base) {
  return impl_->register_fleet_factory(name, std::move(factory), std::move(base));
}

caf::error host::start_scheduler(const std::string &ref, const std::string &factory_name,
                                 fleet_scheduler_options opts, restart_policy policy,
                                 std::vector<std::string> preference) {
  return impl_->declare(ref, factory_name, std::move(opts), policy, std::move(preference));
}

caf::error host::stop_scheduler(const std::string &ref, stop_options how) {
  return impl_->stop_scheduler(ref, how);
}

std::vector<framework_row> host::which_schedulers() const {
  return impl_->which_schedulers();
}

caf::expected<call_outcome> host::call_scheduler(const std::string &ref,
                                                 mesos::v1::scheduler::Call call) const {
  return impl_->call_scheduler(ref, std::move(call), impl_->call_timeout());
}

caf::expected<call_outcome> host::call_scheduler(const std::string &ref,
                                                 mesos::v1::scheduler::Call call,
                                                 std::chrono::milliseconds timeout) const {
  return impl_->call_scheduler(ref, std::move(call), timeout);
}

caf::expected<caf::actor> host::start_executor(const std::string &ref, executor_factory factory,
                                               executor_options opts, restart_policy policy) {
  return impl_->start_executor(ref, std::move(factory), std::move(opts), policy);
}

caf::error host::stop_executor(const std::string &ref) {
  return impl_->stop(framework_kind::executor, ref, {});
}

std::vector<framework_row> host::which_executors() const {
  return impl_->which(framework_kind::executor);
}

caf::expected<std::string> host::update_executor(const std::string &ref,
                                                 mesos::v1::TaskStatus status) const {
  return impl_->update_executor(ref, std::move(status), impl_->call_timeout());
}

caf::expected<std::string> host::update_executor(const std::string &ref,
                                                 mesos::v1::TaskStatus status,
                                                 std::chrono::milliseconds timeout) const {
  return impl_->update_executor(ref, std::move(status), timeout);
}

caf::error host::message_executor(const std::string &ref, std::string data) const {
  return impl_->message_executor(ref, std::move(data), impl_->call_timeout());
}

caf::error host::message_executor(const std::string &ref, std::string data,
                                  std::chrono::milliseconds timeout) const {
  return impl_->message_executor(ref, std::move(data), timeout);
}

metrics::host_snapshot host::metrics() const {
  return impl_->metrics();
}

std::uint16_t host::metrics_port() const {
  return impl_->metrics_port();
}

void host::shutdown() {
  impl_->shutdown();
}

} // namespace mesos_actor
