#include "mesos_actor/errors.hpp"

#include <caf/actor_system_config.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace mesos_actor {

const char* to_string(errc code) {
  switch (code) {
    case errc::transport_error: return "transport_error";
    case errc::timeout: return "timeout";
    case errc::protocol_error: return "protocol_error";
    case errc::decode_error: return "decode_error";
    case errc::rejected: return "rejected";
    case errc::unauthorized: return "unauthorized";
    case errc::redirect_limit: return "redirect_limit";
    case errc::not_subscribed: return "not_subscribed";
    case errc::queue_full: return "queue_full";
    case errc::no_master_reachable: return "no_master_reachable";
    case errc::resubscribe_exhausted: return "resubscribe_exhausted";
    case errc::framework_failed_over: return "framework_failed_over";
    case errc::subscription_refused: return "subscription_refused";
    case errc::master_error: return "master_error";
    case errc::callback_exception: return "callback_exception";
    case errc::bad_option: return "bad_option";
    case errc::init_failed: return "init_failed";
    case errc::stopped: return "stopped";
    case errc::bad_environment: return "bad_environment";
    case errc::agent_disconnected: return "agent_disconnected";
    case errc::recovery_timed_out: return "recovery_timed_out";
    case errc::fenced: return "fenced";
    case errc::framework_id_not_stored: return "framework_id_not_stored";
  }
  return "unknown_mesos_error";
}

caf::error make_error(errc code, std::string detail) {
  if (detail.empty())
    return caf::error{static_cast<std::uint8_t>(code), error_category};
  return caf::error{static_cast<std::uint8_t>(code), error_category,
                    caf::make_message(std::move(detail))};
}

std::optional<errc> error_code(const caf::error& err) {
  if (!err || err.category() != error_category)
    return std::nullopt;
  return static_cast<errc>(err.code());
}

namespace {

std::string detail_of(const caf::message& ctx) {
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  return ctx.empty() ? std::string{} : caf::to_string(ctx);
}

std::string render(std::uint8_t code, const caf::message& ctx) {
  std::string out = "mesos: ";
  out += to_string(static_cast<errc>(code));
  auto detail = detail_of(ctx);
  if (!detail.empty()) {
    out += " (";
    out += detail;
    out += ')';
  }
  return out;
}

} // namespace

std::string error_detail(const caf::error& err) {
  if (!error_code(err))
    return {};
  return detail_of(err.context());
}

std::string describe(const caf::error& err) {
  if (!err)
    return "normal";
  if (err.category() == error_category)
    return render(err.code(), err.context());
  return caf::to_string(err);
}

void add_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(error_category,
                         [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
                           return render(code, ctx);
                         });
}

} // namespace mesos_actor
