#pragma once

#include <vector>

#include <caf/error.hpp>

#include "supervisor/child_spec.hpp"
#include "supervisor/flags.hpp"

namespace supervisor {

/// Checks supervisor flags; an empty error means valid. Pure.
caf::error check_flags(const sup_flags& flags);

/// Checks one child spec on its own; an empty error means valid. Pure.
caf::error check_child_spec(const child_spec& spec);

/// Checks the initial specs of a supervisor with these flags (each spec, unique
/// ids, exactly one template for simple_one_for_one). Pure.
caf::error check_child_specs(const sup_flags& flags, const std::vector<child_spec>& specs);

} // namespace supervisor
