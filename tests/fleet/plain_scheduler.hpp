#pragma once
// The smallest fleet framework for in-process hosts: it only subscribes (with a
// failover timeout, so a move keeps its tasks), registered on a host as "plain".

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include <mesos_actor/host.hpp>
#include <mesos_actor/scheduler.hpp>

namespace fleet_test {

struct plain : mesos_actor::scheduler {
  explicit plain(std::string ref) : ref_(std::move(ref)) {}
  caf::expected<mesos::v1::FrameworkInfo> init(const std::optional<std::string>& previous) override {
    mesos::v1::FrameworkInfo info;
    info.set_user("nobody");
    info.set_name(ref_);
    info.set_failover_timeout(600);
    if (previous)
      info.mutable_id()->set_value(*previous);
    return info;
  }
  std::string ref_;
};

/// Registers the "plain" factory on `h`, subscribing to `master`.
inline void register_plain(mesos_actor::host& h, const std::string& master) {
  mesos_actor::scheduler_options base;
  base.master_hosts = {master};
  base.backoff_max = std::chrono::milliseconds(500);
  REQUIRE_FALSE(h.register_scheduler_factory(
    "plain", [](const mesos_actor::fleet_context& c) { return std::make_unique<plain>(c.ref); },
    base));
}

} // namespace fleet_test
