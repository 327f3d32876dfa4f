#include "mesos_actor/detector/zk_url.hpp"

#include <cctype>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

constexpr std::string_view scheme = "zk://";

// Errors quote only the parts after the credentials, so the password never leaks.
caf::error bad(const std::string& what) {
  return make_error(errc::bad_option, "zk:// URL: " + what);
}

bool valid_port(std::string_view text) {
  if (text.empty() || text.size() > 5)
    return false;
  unsigned value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value > 0 && value <= 65535;
}

caf::error check_server(std::string_view server) {
  auto colon = server.rfind(':');
  if (server.empty())
    return bad("empty server in the server list");
  if (colon == std::string_view::npos || colon == 0)
    return bad("server '" + std::string{server} + "' is not host:port");
  auto host = server.substr(0, colon);
  if (host.find_first_of("/@ ") != std::string_view::npos)
    return bad("bad host in '" + std::string{server} + "'");
  if (!valid_port(server.substr(colon + 1)))
    return bad("bad port in '" + std::string{server} + "'");
  return caf::none;
}

} // namespace

bool is_zk_url(std::string_view text) {
  return text.substr(0, scheme.size()) == scheme;
}

std::string zk_url::connect_string() const {
  std::string out;
  for (auto& s : servers) {
    if (!out.empty())
      out += ',';
    out += s;
  }
  return out;
}

std::string zk_url::redacted() const {
  return std::string{scheme} + (user.empty() ? "" : "***@") + connect_string() + path;
}

caf::expected<zk_url> parse_zk_url(std::string_view text) {
  if (!is_zk_url(text))
    return bad("does not start with zk://");
  auto rest = text.substr(scheme.size());
  auto slash = rest.find('/');
  if (slash == std::string_view::npos)
    return bad("no path (expected zk://host:port/path)");
  auto authority = rest.substr(0, slash);
  auto path = rest.substr(slash);
  zk_url out;
  // The last '@' ends the credentials: a password may contain '@' itself.
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto creds = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = creds.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return bad("credentials must be user:password (given without ':' or without a user)");
    out.user = std::string{creds.substr(0, colon)};
    out.password = std::string{creds.substr(colon + 1)};
    if (out.password.empty())
      return bad("empty password for user '" + out.user + "'");
  }
  if (authority.empty())
    return bad("no ZooKeeper server given");
  std::size_t start = 0;
  while (start <= authority.size()) {
    auto comma = authority.find(',', start);
    auto server = authority.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                           : comma - start);
    if (auto err = check_server(server))
      return err;
    out.servers.emplace_back(server);
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  if (path == "/")
    return bad("the path must not be '/'");
  if (path.back() == '/')
    return bad("the path '" + std::string{path} + "' must not end with '/'");
  if (path.find("//") != std::string_view::npos)
    return bad("the path '" + std::string{path} + "' has an empty segment");
  if (path.find_first_of("?# ") != std::string_view::npos)
    return bad("the path '" + std::string{path} + "' has a query, fragment or space");
  out.path = std::string{path};
  return out;
}

} // namespace mesos_actor
