// Builders of the resource operations an ACCEPT carries before its launches.
#include "mesos_actor/errors.hpp"
#include "mesos_actor/offer_matching.hpp"

namespace mesos_actor {

using mesos::v1::Offer;
using mesos::v1::Resource;

Offer::Operation reserve_operation(const resources& reserved) {
  Offer::Operation op;
  op.set_type(Offer::Operation::RESERVE);
  *op.mutable_reserve()->mutable_resources() = reserved.to_proto();
  return op;
}

Offer::Operation create_operation(const resources& volumes) {
  Offer::Operation op;
  op.set_type(Offer::Operation::CREATE);
  *op.mutable_create()->mutable_volumes() = volumes.to_proto();
  return op;
}

caf::expected<resources> persistent_volume(const resources& disk, const std::string& id,
                                           const std::string& container_path,
                                           const std::string& principal, bool read_only,
                                           bool shared) {
  auto list = disk.to_proto();
  if (list.size() != 1 || list[0].name() != "disk" || list[0].type() != mesos::v1::Value::SCALAR ||
      list[0].reservations().empty() || is_persistent_volume(list[0]))
    return make_error(errc::bad_option,
                      "a persistent volume is made of one reserved scalar 'disk' resource, not '" +
                        disk.to_string() + "'");
  if (id.empty() || container_path.empty())
    return make_error(errc::bad_option, "a persistent volume needs an id and a container path");
  Resource r = list[0];
  auto* d = r.mutable_disk();
  d->mutable_persistence()->set_id(id);
  if (!principal.empty())
    d->mutable_persistence()->set_principal(principal);
  d->mutable_volume()->set_container_path(container_path);
  d->mutable_volume()->set_mode(read_only ? mesos::v1::Volume::RO : mesos::v1::Volume::RW);
  if (shared)
    r.mutable_shared();
  return resources::of(r);
}

} // namespace mesos_actor
