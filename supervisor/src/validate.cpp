#include "supervisor/validate.hpp"

#include <set>

#include "supervisor/errors.hpp"

namespace supervisor {

caf::error check_flags(const sup_flags& flags) {
  if (flags.strategy > strategy::simple_one_for_one)
    return make_error(sup_error::invalid_strategy, static_cast<int>(flags.strategy));
  if (flags.max_restarts < 0)
    return make_error(sup_error::invalid_intensity, flags.max_restarts);
  if (flags.period.count() <= 0)
    return make_error(sup_error::invalid_period, static_cast<int64_t>(flags.period.count()));
  return {};
}

caf::error check_child_spec(const child_spec& spec) {
  if (spec.id.empty())
    return make_error(sup_error::invalid_child_id);
  if (!spec.start)
    return make_error(sup_error::missing_start_function, spec.id);
  if (spec.restart > restart_type::temporary)
    return make_error(sup_error::invalid_restart_type, spec.id);
  if (spec.kind > child_kind::supervisor)
    return make_error(sup_error::invalid_child_kind, spec.id);
  if (spec.shutdown
      && (spec.shutdown->mode > shutdown_mode::infinity
          || (spec.shutdown->mode == shutdown_mode::timeout && spec.shutdown->timeout.count() < 0)))
    return make_error(sup_error::invalid_shutdown, spec.id);
  if (spec.start_timeout.count() <= 0)
    return make_error(sup_error::invalid_start_timeout, spec.id);
  return {};
}

caf::error check_child_specs(const sup_flags& flags, const std::vector<child_spec>& specs) {
  if (flags.strategy == strategy::simple_one_for_one && specs.size() != 1)
    return make_error(sup_error::invalid_simple_one_for_one, static_cast<int64_t>(specs.size()));
  std::set<std::string> ids;
  for (auto& spec : specs) {
    if (auto err = check_child_spec(spec))
      return err;
    if (!ids.insert(spec.id).second)
      return make_error(sup_error::duplicate_child_id, spec.id);
  }
  return {};
}

} // namespace supervisor
