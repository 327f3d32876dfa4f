#pragma once
// Shorthands for the toolkit tests: resources from text, failing the test on a parse error.
#include <string>

#include <doctest/doctest.h>

#include "mesos_actor/errors.hpp"
#include "mesos_actor/resources.hpp"

namespace toolkit_test {

inline mesos_actor::resources R(const std::string& text, const std::string& role = "*") {
  auto parsed = mesos_actor::resources::parse(text, role);
  if (!parsed) {
    FAIL_CHECK("parse('" << text << "'): " << mesos_actor::error_detail(parsed.error()));
    return {};
  }
  return *parsed;
}

inline std::string parse_error(const std::string& text) {
  auto parsed = mesos_actor::resources::parse(text);
  return parsed ? std::string{} : mesos_actor::error_detail(parsed.error());
}

} // namespace toolkit_test
