#include "host/hosted_scheduler.hpp"

#include <caf/actor.hpp>
#include <caf/send.hpp>

namespace mesos_actor::detail {

namespace {

// Forwards every callback to the user's behaviour; only handle_info looks first.
class hosted_scheduler final : public scheduler {
public:
  explicit hosted_scheduler(std::unique_ptr<scheduler> user) : user_(std::move(user)) {}

  caf::expected<mesos::v1::FrameworkInfo>
  init(const std::optional<std::string>& previous_id) override {
    return user_->init(previous_id);
  }
  action registered(scheduler_context& c, const Event::Subscribed& e) override {
    return user_->registered(c, e);
  }
  action reregistered(scheduler_context& c, const Event::Subscribed& e) override {
    return user_->reregistered(c, e);
  }
  action disconnected(scheduler_context& c) override { return user_->disconnected(c); }
  action resource_offers(scheduler_context& c, const Event::Offers& e) override {
    return user_->resource_offers(c, e);
  }
  action inverse_offers(scheduler_context& c, const Event::InverseOffers& e) override {
    return user_->inverse_offers(c, e);
  }
  action offer_rescinded(scheduler_context& c, const Event::Rescind& e) override {
    return user_->offer_rescinded(c, e);
  }
  action inverse_offer_rescinded(scheduler_context& c,
                                 const Event::RescindInverseOffer& e) override {
    return user_->inverse_offer_rescinded(c, e);
  }
  action status_update(scheduler_context& c, const Event::Update& e) override {
    return user_->status_update(c, e);
  }
  action operation_status_update(scheduler_context& c,
                                 const Event::UpdateOperationStatus& e) override {
    return user_->operation_status_update(c, e);
  }
  action framework_message(scheduler_context& c, const Event::Message& e) override {
    return user_->framework_message(c, e);
  }
  action agent_lost(scheduler_context& c, const Event::Failure& e) override {
    return user_->agent_lost(c, e);
  }
  action executor_lost(scheduler_context& c, const Event::Failure& e) override {
    return user_->executor_lost(c, e);
  }
  action error(scheduler_context& c, const Event::Error& e) override {
    return user_->error(c, e);
  }
  action call_failed(scheduler_context& c, const call_outcome& o) override {
    return user_->call_failed(c, o);
  }
  void terminate(scheduler_context& c, const caf::error& reason) override {
    user_->terminate(c, reason);
  }

  action handle_info(scheduler_context& c, const caf::message& msg) override {
    if (msg.match_elements<host_teardown_atom, caf::actor>()) {
      auto reply_to = msg.get_as<caf::actor>(1);
      c.teardown([reply_to](scheduler_context&, const call_outcome& o) {
        caf::anon_send(reply_to, host_teardown_atom::value, o.error);
        return action::keep;
      });
      return action::keep;
    }
    return user_->handle_info(c, msg);
  }

private:
  std::unique_ptr<scheduler> user_;
};

} // namespace

std::unique_ptr<scheduler> make_hosted_scheduler(std::unique_ptr<scheduler> user) {
  return std::make_unique<hosted_scheduler>(std::move(user));
}

} // namespace mesos_actor::detail
