// Choosing the proxy of a connection: the options first, then the environment, with
// NO_PROXY-style bypass lists matched against the target's host and port.
#include "transport/proxy_route.hpp"

#include <arpa/inet.h>
#include <strings.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "mesos_actor/errors.hpp"
#include "text/trim.hpp"

namespace mesos_actor::transport {

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// An IPv4 or IPv6 address in network order; `bytes` 0 = not an address.
struct ip_address {
  unsigned char addr[16] = {};
  int bytes = 0;
};

ip_address parse_ip(const std::string& text) {
  ip_address ip;
  if (inet_pton(AF_INET, text.c_str(), ip.addr) == 1)
    ip.bytes = 4;
  else if (inet_pton(AF_INET6, text.c_str(), ip.addr) == 1)
    ip.bytes = 16;
  return ip;
}

bool same_prefix(const ip_address& a, const ip_address& b, int bits) {
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a.addr[i] & mask) != (b.addr[i] & mask))
      return false;
  }
  return true;
}

// One entry of a bypass list against the target's (lower-case) host and port.
bool entry_matches(std::string_view entry, const std::string& host, const ip_address& host_ip,
                   std::uint16_t port) {
  if (entry == "*")
    return true;
  // "[v6]:port", "host:port" (one colon), or a bare host / address / block.
  std::string_view name = entry;
  std::string_view port_text;
  if (entry.front() == '[') {
    auto close = entry.find(']');
    if (close == std::string_view::npos)
      return false;
    name = entry.substr(1, close - 1);
    if (entry.size() > close + 1) {
      if (entry[close + 1] != ':')
        return false;
      port_text = entry.substr(close + 2);
    }
  } else if (auto colon = entry.find(':');
             colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    name = entry.substr(0, colon);
    port_text = entry.substr(colon + 1);
  }
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value != port)
      return false;
  }
  if (auto slash = name.find('/'); slash != std::string_view::npos) {
    auto block = parse_ip(std::string{name.substr(0, slash)});
    auto bits_text = name.substr(slash + 1);
    int bits = -1;
    auto [end, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (ec != std::errc{} || end != bits_text.data() + bits_text.size() || block.bytes == 0
        || block.bytes != host_ip.bytes || bits < 0 || bits > block.bytes * 8)
      return false;
    return same_prefix(block, host_ip, bits);
  }
  if (host_ip.bytes != 0) {
    auto ip = parse_ip(std::string{name});
    return ip.bytes == host_ip.bytes && same_prefix(ip, host_ip, ip.bytes * 8);
  }
  // A domain: itself and its subdomains; ".example.com" and "*.example.com" alike.
  if (name.substr(0, 2) == "*.")
    name.remove_prefix(2);
  else if (name.substr(0, 1) == ".")
    name.remove_prefix(1);
  if (!name.empty() && name.back() == '.')
    name.remove_suffix(1);
  auto domain = lower(name);
  if (domain.empty())
    return false;
  if (host == domain)
    return true;
  auto dot = host.size() - domain.size() - 1; // where ".<domain>" would start
  return host.size() > domain.size() && host[dot] == '.' && host.compare(dot + 1, domain.size(), domain) == 0;
}

// The first variable of `names` that is set and not empty, with its name.
std::pair<std::string, std::string> first_set(const env_lookup& env,
                                              std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (auto value = env(name); !value.empty())
      return {name, value};
  return {};
}

// localhost, *.localhost, 127.0.0.0/8, ::1: a proxy on another host would reach its
// own loopback, never ours.
bool is_loopback(const endpoint& target) {
  auto host = lower(target.host);
  if (host == "localhost" || (host.size() > 10 && host.compare(host.size() - 10, 10, ".localhost") == 0))
    return true;
  auto ip = parse_ip(host);
  static const unsigned char v6_loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return (ip.bytes == 4 && ip.addr[0] == 127)
         || (ip.bytes == 16 && std::memcmp(ip.addr, v6_loopback, 16) == 0);
}

} // namespace

bool no_proxy_matches(std::string_view list, const endpoint& target) {
  auto host = lower(target.host);
  if (!host.empty() && host.back() == '.')
    host.pop_back();
  auto host_ip = parse_ip(host);
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = text::trim(list.substr(0, comma), text::ascii_spaces);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (!entry.empty() && entry_matches(entry, host, host_ip, target.port))
      return true;
  }
  return false;
}

std::string process_environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

proxy_choice choose_proxy(const proxy_options& o, const endpoint& target, const env_lookup& env) {
  proxy_choice out;
  if (::strcasecmp(o.url.c_str(), "none") == 0)
    return out;
  auto bypass = !o.no_proxy.empty() ? o.no_proxy : first_set(env, {"no_proxy", "NO_PROXY"}).second;
  if (no_proxy_matches(bypass, target))
    return out;
  // Lower case first, as curl reads them; HTTP_PROXY is read too (not a CGI program).
  auto [source, url] = !o.url.empty() ? std::pair<std::string, std::string>{"proxy.url", o.url}
                       : target.tls() ? first_set(env, {"https_proxy", "HTTPS_PROXY"})
                                      : first_set(env, {"http_proxy", "HTTP_PROXY"});
  if (url.empty() || (o.url.empty() && is_loopback(target)))
    return out;
  auto route = parse_proxy_url(url);
  if (!route) {
    out.error = source + ": " + error_detail(route.error());
    return out;
  }
  route->tunnel = target.tls();
  out.route = std::move(*route);
  return out;
}

} // namespace mesos_actor::transport
