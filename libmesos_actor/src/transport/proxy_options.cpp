// Proxy URLs: parsing, validation, and the masked form every text shows.
#include "mesos_actor/transport/proxy_options.hpp"

#include <strings.h>

#include <cctype>

#include "codec/base64.hpp"
#include "mesos_actor/errors.hpp"
#include "transport/proxy_route.hpp"

namespace mesos_actor {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// %XX-decodes a user or password; false on a broken escape.
bool percent_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
    if (hi < 0 || lo < 0)
      return false;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

// Where the authority of `url` starts (after "scheme://") and ends (before the path).
std::pair<std::size_t, std::size_t> authority_bounds(std::string_view url) {
  auto scheme_end = url.find("://");
  std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  auto end = url.find_first_of("/?#", start);
  return {start, end == std::string_view::npos ? url.size() : end};
}

} // namespace

std::string mask_proxy_credentials(std::string_view url) {
  // Up to the last '@' anywhere: a password with a raw '/' or '?' stays hidden too (a
  // proxy URL has no path, so nothing of use is lost).
  auto start = authority_bounds(url).first;
  auto at = url.rfind('@');
  std::string out{url};
  if (at != std::string_view::npos && at >= start)
    out.replace(start, at - start, "***");
  return out;
}

caf::error validate(const proxy_options& o, std::string_view prefix) {
  auto name = std::string{prefix};
  if (!o.url.empty() && ::strcasecmp(o.url.c_str(), "none") != 0)
    if (auto route = transport::parse_proxy_url(o.url); !route)
      return make_error(errc::bad_option, name + ".url: " + error_detail(route.error()));
  for (char c : o.no_proxy)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return make_error(errc::bad_option, name + ".no_proxy contains a control character");
  return caf::none;
}

namespace transport {

caf::expected<proxy_route> parse_proxy_url(std::string_view url) {
  auto what = "'" + mask_proxy_credentials(url) + "'";
  auto bad = [&](const std::string& why) {
    return make_error(errc::bad_option, "bad proxy URL " + what + ": " + why);
  };
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return bad("it contains a space or a control character");
  if (auto pos = url.find("://"); pos != std::string_view::npos) {
    std::string scheme{url.substr(0, pos)};
    if (::strcasecmp(scheme.c_str(), "https") == 0)
      return bad("TLS to the proxy (https://) is not supported; give the proxy as http:// "
                 "(https:// masters still get TLS end to end through a CONNECT tunnel)");
    if (::strcasecmp(scheme.c_str(), "http") != 0)
      return bad("unsupported scheme '" + scheme + "' (only http:// proxies)");
  }
  auto [start, end] = authority_bounds(url);
  auto path = url.substr(end);
  if (!path.empty() && path != "/")
    return bad("a proxy URL has no path, query or fragment");
  auto authority = url.substr(start, end - start);
  proxy_route route;
  std::string userinfo_mark;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    std::string user;
    std::string password;
    if (!percent_decode(userinfo.substr(0, colon), user)
        || (colon != std::string_view::npos && !percent_decode(userinfo.substr(colon + 1), password)))
      return bad("a broken %-escape in the user or password");
    if (user.empty())
      return bad("credentials without a user name");
    std::string token;
    detail::base64_append(token, user + ":" + password);
    route.authorization = "Basic " + token;
    userinfo_mark = "***@";
  }
  auto ep = parse_endpoint("http://" + std::string{authority}, "/", 80);
  if (!ep)
    return bad(error_detail(ep.error()));
  route.proxy = *ep;
  auto base = ep->base_url(); // "http://host:port"
  route.display = "http://" + userinfo_mark + base.substr(7);
  return route;
}

} // namespace transport

} // namespace mesos_actor
