#pragma once
// Which HTTP proxy, if any, carries the connections to masters and agents: one given
// in the options, or the usual HTTPS_PROXY / HTTP_PROXY / NO_PROXY environment.
// Proxy credentials are never printed: every text that shows a proxy URL shows its
// user and password as "***".

#include <string>
#include <string_view>

#include <caf/error.hpp>

namespace mesos_actor {

/// The HTTP proxy for the connections to masters (scheduler) or to the agent (executor).
struct proxy_options {
  /// "" = from the environment: https_proxy / HTTPS_PROXY for https:// targets,
  /// http_proxy / HTTP_PROXY for http:// ones (lower case first). "none" = never a
  /// proxy, the environment is ignored; a proxy from the environment never carries
  /// loopback targets (localhost, 127.0.0.0/8, ::1), as in Go. Else
  /// "http://[user:password@]host[:port]" (port
  /// 80 by default; user and password %-encoded) for every target: http:// targets get
  /// absolute-form requests, https:// ones a CONNECT tunnel with TLS to the target.
  std::string url;
  /// Targets reached directly, as in NO_PROXY: a comma list of host names (also their
  /// subdomains; a leading "." or "*." is the same), IP addresses, CIDR blocks, any
  /// of them with ":port", or "*" for all. "" = the no_proxy / NO_PROXY environment.
  std::string no_proxy;
};

/// The first problem with `o` as errc::bad_option ("<prefix>.url: ..."): a URL that is
/// not an http:// proxy with a host, a bad port or %-escape, a path. Never shows the
/// credentials.
caf::error validate(const proxy_options& o, std::string_view prefix = "proxy");

/// `url` with any "user:password@" part shown as "***@", for logs and error texts.
std::string mask_proxy_credentials(std::string_view url);

} // namespace mesos_actor
