#pragma once
// A test_fleet_host child process, stdout and stderr read line by line
// (testkit::line_process: it ends with the test).

#include <string>
#include <vector>

#include "support/line_process.hpp"

namespace fleet_test {

class host_process : public testkit::line_process {
public:
  explicit host_process(std::vector<std::string> args)
    : line_process(std::move(args), /*merge_stderr=*/true) {}
};

} // namespace fleet_test
