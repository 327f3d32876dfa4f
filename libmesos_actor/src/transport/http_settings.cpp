#include "transport/http_settings.hpp"

namespace mesos_actor::transport {

http_settings settings_of(const connection_options &opts) {
  http_settings h;
  h.encoding = opts.content;
  h.connect_timeout = opts.connect_timeout;
  h.read_timeout = opts.request_timeout;
  h.write_timeout = opts.request_timeout;
  h.extra_headers = opts.extra_headers;
  h.tls = opts.tls;
  h.proxy = opts.proxy;
  h.auth = opts.auth;
  h.max_error_body = opts.max_error_body;
  h.limits = opts.http_limits;
  return h;
}

} // namespace mesos_actor::transport
