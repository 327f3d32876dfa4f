#include "mesos_actor/transport/tls_options.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <dirent.h>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

// Opening is the honest readability check (access() ignores e.g. ACL quirks).
std::string unreadable_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return std::strerror(errno);
  char probe;
  in.read(&probe, 1);
  if (in.bad())
    return "read error";
  return {};
}

std::string unreadable_dir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (!dir)
    return std::strerror(errno);
  ::closedir(dir);
  return {};
}

} // namespace

caf::error validate(const tls_options& o, std::string_view prefix) {
  auto bad = [&](const std::string& what) {
    return make_error(errc::bad_option, std::string{prefix} + "." + what);
  };
  auto file = [&](const char* name, const std::string& path) -> caf::error {
    if (path.empty())
      return caf::none;
    if (auto why = unreadable_file(path); !why.empty())
      return bad(std::string{name} + " '" + path + "' cannot be read: " + why);
    return caf::none;
  };
  if (auto err = file("ca_file", o.ca_file))
    return err;
  if (!o.ca_dir.empty())
    if (auto why = unreadable_dir(o.ca_dir); !why.empty())
      return bad("ca_dir '" + o.ca_dir + "' cannot be read: " + why);
  if (o.cert_file.empty() != o.key_file.empty())
    return bad(o.cert_file.empty() ? "key_file is set without cert_file"
                                   : "cert_file is set without key_file");
  if (auto err = file("cert_file", o.cert_file))
    return err;
  if (auto err = file("key_file", o.key_file))
    return err;
  return caf::none;
}

} // namespace mesos_actor
