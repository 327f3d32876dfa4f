#include "supervisor/errors.hpp"

#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>

namespace supervisor {

std::string to_string(sup_error x) {
  switch (x) {
    case sup_error::invalid_intensity: return "invalid_intensity";
    case sup_error::invalid_period: return "invalid_period";
    case sup_error::invalid_strategy: return "invalid_strategy";
    case sup_error::invalid_child_id: return "invalid_child_id";
    case sup_error::missing_start_function: return "missing_start_function";
    case sup_error::invalid_restart_type: return "invalid_restart_type";
    case sup_error::invalid_child_kind: return "invalid_child_kind";
    case sup_error::invalid_shutdown: return "invalid_shutdown";
    case sup_error::invalid_start_timeout: return "invalid_start_timeout";
    case sup_error::duplicate_child_id: return "duplicate_child_id";
    case sup_error::invalid_simple_one_for_one: return "invalid_simple_one_for_one";
    case sup_error::already_started: return "already_started";
    case sup_error::already_present: return "already_present";
    case sup_error::not_found: return "not_found";
    case sup_error::running: return "running";
    case sup_error::restarting: return "restarting";
    case sup_error::start_failed: return "start_failed";
    case sup_error::start_returned_no_actor: return "start_returned_no_actor";
    case sup_error::simple_one_for_one: return "simple_one_for_one";
    case sup_error::not_simple_one_for_one: return "not_simple_one_for_one";
    case sup_error::reached_max_restart_intensity: return "reached_max_restart_intensity";
  }
  return "unknown_supervisor_error";
}

caf::error make_error(sup_error x) {
  return caf::error{static_cast<uint8_t>(x), sup_error_category};
}

bool is(const caf::error& err, sup_error x) {
  // An empty caf::error has no category (calling category() on it crashes in 0.17).
  return err && err.category() == sup_error_category && err.code() == static_cast<uint8_t>(x);
}

caf::actor running_child(const caf::error& err) {
  if (is(err, sup_error::already_started) && err.context().match_elements<caf::actor>())
    return err.context().get_as<caf::actor>(0);
  return {};
}

namespace {

// Renders the context of one of our errors; nested errors recursively.
std::string render_context(const caf::message& ctx) {
  std::string out;
  for (size_t i = 0; i < ctx.size(); ++i) {
    if (!out.empty())
      out += ": ";
    if (ctx.match_element<std::string>(i))
      out += "'" + ctx.get_as<std::string>(i) + "'";
    else if (ctx.match_element<caf::error>(i))
      out += describe(ctx.get_as<caf::error>(i));
    else
      out += caf::to_string(ctx.drop(i).take(1));
  }
  return out;
}

std::string render(uint8_t code, caf::atom_value category, const caf::message& ctx) {
  std::string out;
  if (category == sup_error_category)
    out = "supervisor: " + to_string(static_cast<sup_error>(code));
  else if (category == caf::atom("system"))
    out = "system: " + caf::to_string(static_cast<caf::sec>(code));
  else if (category == caf::atom("exit"))
    out = "exit: " + caf::to_string(static_cast<caf::exit_reason>(code));
  else
    return caf::to_string(caf::error{code, category, ctx});
  if (!ctx.empty())
    out += " (" + render_context(ctx) + ")";
  return out;
}

} // namespace

std::string describe(const caf::error& err) {
  if (!err)
    return "normal";
  return render(err.code(), err.category(), err.context());
}

void add_error_category(caf::actor_system_config& cfg) {
  cfg.add_error_category(sup_error_category, render);
}

} // namespace supervisor
