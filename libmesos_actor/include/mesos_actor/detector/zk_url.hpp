#pragma once
// ZooKeeper master URLs: zk://[user:password@]host1:port1,host2:port2/path
// (PROTOCOL.md section 6). The password never appears in an error text nor in
// redacted().

#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

namespace mesos_actor {

/// A parsed zk:// URL: ZooKeeper servers, the masters' znode, optional digest credentials.
struct zk_url {
  /// "host:port" per ZooKeeper server, in the given order.
  std::vector<std::string> servers;
  /// The znode under which masters register, e.g. "/mesos"; never "/" nor ending in '/'.
  std::string path;
  /// Digest authentication ("user:password") when user is non-empty.
  std::string user;
  /// The digest password (a secret: never in errors or logs).
  std::string password;

  /// "host1:port1,host2:port2": what zookeeper_init takes.
  std::string connect_string() const;
  /// The URL with the credentials replaced by "***": safe for logs and errors.
  std::string redacted() const;
};

/// True when `text` starts with "zk://" (the form parse_zk_url handles).
bool is_zk_url(std::string_view text);

/// Parses a zk:// URL; errors are errc::bad_option and never contain the password.
caf::expected<zk_url> parse_zk_url(std::string_view text);

} // namespace mesos_actor
