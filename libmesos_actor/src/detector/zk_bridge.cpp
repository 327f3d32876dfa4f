#include "detector/zk_bridge.hpp"

#include <memory>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

namespace mesos_actor::detail {

namespace {

template <class... Ts>
void tell(const zk_bridge& bridge, Ts&&... xs) {
  if (auto hdl = caf::actor_cast<caf::actor>(bridge.detector))
    caf::anon_send(hdl, std::forward<Ts>(xs)...);
}

} // namespace

void zk_watcher(zhandle_t*, int type, int state, const char* path, void* ctx) {
  auto* bridge = static_cast<zk_bridge*>(ctx);
  if (bridge == nullptr)
    return;
  if (type == ZOO_SESSION_EVENT)
    tell(*bridge, zk_session_atom::value, bridge->session, state);
  else
    tell(*bridge, zk_watch_atom::value, bridge->session, type,
         std::string{path != nullptr ? path : ""});
}

void zk_children_done(int rc, const String_vector* names, const void* data) {
  std::unique_ptr<const zk_request> req{static_cast<const zk_request*>(data)};
  std::vector<std::string> out;
  if (rc == ZOK && names != nullptr)
    for (int i = 0; i < names->count; ++i)
      out.emplace_back(names->data[i]);
  tell(*req->bridge, zk_children_atom::value, req->bridge->session, req->read, rc, std::move(out));
}

void zk_data_done(int rc, const char* value, int len, const Stat*, const void* data) {
  std::unique_ptr<const zk_request> req{static_cast<const zk_request*>(data)};
  std::string bytes;
  if (rc == ZOK && value != nullptr && len > 0)
    bytes.assign(value, static_cast<std::size_t>(len));
  tell(*req->bridge, zk_data_atom::value, req->bridge->session, req->read, rc, req->node,
       std::move(bytes));
}

void zk_exists_done(int rc, const Stat*, const void* data) {
  std::unique_ptr<const zk_request> req{static_cast<const zk_request*>(data)};
  tell(*req->bridge, zk_exists_atom::value, req->bridge->session, req->read, rc);
}

void zk_auth_done(int rc, const void* data) {
  std::unique_ptr<const zk_request> req{static_cast<const zk_request*>(data)};
  tell(*req->bridge, zk_auth_atom::value, req->bridge->session, rc);
}

void zk_client_log_drop(const char*) {
}

std::string zk_rc_text(int rc) {
  return std::string{zerror(rc)} + " (" + std::to_string(rc) + ")";
}

} // namespace mesos_actor::detail
