#include "mesos_actor/transport/endpoint.hpp"

#include <charconv>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Parses "host[:port][/path]" (host may be "[v6]") into `ep`. `what` names the
// input in errors.
caf::error parse_authority_and_path(std::string_view rest, std::string_view default_path,
                                    std::uint16_t default_port, errc code,
                                    const std::string& what, endpoint& ep) {
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  auto path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.empty())
    return make_error(code, "no host in " + what);
  std::string_view host;
  std::string_view port_text;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return make_error(code, "unclosed '[' in " + what);
    host = authority.substr(1, close - 1);
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':')
        return make_error(code, "garbage after ']' in " + what);
      port_text = after.substr(1);
      if (port_text.empty())
        return make_error(code, "empty port in " + what);
    }
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      if (authority.find(':') != colon)
        return make_error(code, "IPv6 hosts need brackets in " + what);
      host = authority.substr(0, colon);
      port_text = authority.substr(colon + 1);
      if (port_text.empty())
        return make_error(code, "empty port in " + what);
    } else {
      host = authority;
    }
  }
  if (host.empty())
    return make_error(code, "no host in " + what);
  if (host.find('@') != std::string_view::npos)
    return make_error(code, "credentials in the URL are not supported (use extra_headers): "
                              + what);
  ep.host = std::string{host};
  ep.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0
        || value > 65535)
      return make_error(code, "bad port '" + std::string{port_text} + "' in " + what);
    ep.port = static_cast<std::uint16_t>(value);
  }
  ep.path = path.empty() || path == "/" ? std::string{default_path} : std::string{path};
  return caf::none;
}

// The input as it may appear in errors: any "user:password@" part is redacted.
std::string quoted_without_credentials(std::string_view text) {
  std::string out{text};
  auto start = out.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto at = out.find('@', start);
  auto slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash))
    out.replace(start, at - start, "<redacted>");
  return "'" + out + "'";
}

} // namespace

std::string endpoint::base_url() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos)
    out += '[' + host + ']';
  else
    out += host;
  out += ':' + std::to_string(port);
  return out;
}

std::string endpoint::url() const {
  return base_url() + path;
}

caf::expected<endpoint> parse_endpoint(std::string_view text, std::string_view default_path,
                                       std::uint16_t default_port) {
  auto what = quoted_without_credentials(text);
  endpoint ep;
  std::string_view rest = text;
  if (auto pos = rest.find("://"); pos != std::string_view::npos) {
    auto scheme = rest.substr(0, pos);
    if (scheme != "http" && scheme != "https")
      return make_error(errc::bad_option, "unsupported scheme '" + std::string{scheme} + "' in "
                                            + what + " (http or https)");
    ep.scheme = std::string{scheme};
    rest = rest.substr(pos + 3);
  }
  if (auto err = parse_authority_and_path(rest, default_path, default_port, errc::bad_option,
                                          what, ep))
    return err;
  return ep;
}

caf::expected<endpoint> resolve_location(const endpoint& current, std::string_view location) {
  auto what = "Location '" + std::string{location} + "'";
  if (location.empty())
    return make_error(errc::protocol_error, "307 without a Location header");
  endpoint ep;
  ep.scheme = current.scheme;
  std::string_view rest;
  if (starts_with(location, "//")) {
    rest = location.substr(2);
  } else if (starts_with(location, "http://") || starts_with(location, "https://")) {
    auto pos = location.find("://");
    ep.scheme = std::string{location.substr(0, pos)};
    rest = location.substr(pos + 3);
  } else if (starts_with(location, "/")) {
    ep = current;
    ep.path = std::string{location};
    return ep;
  } else {
    return make_error(errc::protocol_error, "unsupported " + what);
  }
  // The port defaults to the scheme's, as in any URL; the path to the current one.
  std::uint16_t port = ep.scheme == "https" ? 443 : 80;
  if (auto err = parse_authority_and_path(rest, current.path, port, errc::protocol_error, what, ep))
    return err;
  return ep;
}

} // namespace mesos_actor
