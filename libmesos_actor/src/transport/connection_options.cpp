#include "mesos_actor/transport/connection_options.hpp"

#include <strings.h>

#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

caf::error bad(const std::string &what) {
  return make_error(errc::bad_option, what);
}

bool named(const std::string &header, const char *name) {
  return ::strcasecmp(header.c_str(), name) == 0;
}

} // namespace

caf::error validate(const connection_options &o) {
  using std::chrono::milliseconds;
  if (o.connect_timeout <= milliseconds{0})
    return bad("connect_timeout must be positive");
  if (o.request_timeout <= milliseconds{0})
    return bad("request_timeout must be positive");
  for (auto &[name, value] : o.extra_headers) {
    if (name.empty() || name.find_first_of(":\r\n ") != std::string::npos)
      return bad("extra_headers: bad header name '" + name + "'");
    if (value.find_first_of("\r\n") != std::string::npos)
      return bad("extra_headers: the value of '" + name + "' contains a line break");
  }
  for (auto &header : o.extra_headers)
    if (!o.auth.empty() && named(header.first, "Authorization"))
      return bad("extra_headers sets Authorization while auth is configured too; use one");
  for (auto &header : o.extra_headers)
    if (named(header.first, "Proxy-Authorization"))
      return bad("extra_headers sets Proxy-Authorization; give the proxy's credentials in "
                 "proxy.url (http://user:password@host:port), which sends them to the proxy only");
  if (auto err = validate(o.tls, "tls"))
    return err;
  if (auto err = validate(o.proxy, "proxy"))
    return err;
  if (auto err = o.auth.check("auth"))
    return err;
  if (o.max_pipelined_calls == 0)
    return bad("max_pipelined_calls must be positive");
  if (o.max_record_size == 0)
    return bad("max_record_size must be positive");
  return validate(o.http_limits, "http_limits");
}

} // namespace mesos_actor
