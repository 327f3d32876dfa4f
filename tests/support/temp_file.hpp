#pragma once
// A file in the temp dir holding a given text, removed when the owner goes (tests of
// configuration files).

#include <cstdio>
#include <fstream>
#include <string>

#include <doctest/doctest.h>
#include <unistd.h>

namespace testkit {

class temp_file {
public:
  /// `stem` names the file: /tmp/<stem>_XXXXXX.
  temp_file(const std::string& text, const std::string& stem = "mesos_actor_test") {
    std::string name = "/tmp/" + stem + "_XXXXXX";
    int fd = ::mkstemp(name.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream{path} << text;
  }
  ~temp_file() { std::remove(path.c_str()); }
  temp_file(const temp_file&) = delete;
  temp_file& operator=(const temp_file&) = delete;

  std::string path;
};

} // namespace testkit
