#include "fleet/scan.hpp"

#include <algorithm>

#include "mesos_actor/errors.hpp"

namespace mesos_actor::fleet {

namespace {

// Indices of one ref's answers in the batch.
struct ref_reads {
  std::string ref;
  std::size_t spec, owner, framework_id;
};

struct host_read {
  std::string name;
  std::size_t index;
};

fleet_read_ptr assemble(const read_batch& batch, const layout& lay,
                        const fleet_listing_names& names, const std::vector<host_read>& hosts,
                        const std::vector<ref_reads>& refs) {
  auto result = std::make_shared<fleet_read>();
  result->full = names.skip.empty();
  auto* s = &result->nodes;
  s->complete = names.complete;
  auto readable = [&](std::size_t index) {
    auto code = batch.rc(index);
    s->complete = s->complete && (code == ZOK || code == ZNONODE);
    return code == ZOK;
  };
  for (auto& h : hosts) {
    if (!readable(h.index))
      continue; // gone since the listing, or unreadable now
    auto info = decode_host(batch.data(h.index));
    if (!info)
      s->problems.push_back(lay.host(h.name) + ": " + describe(info.error()) + " (skipped)");
    else if (info->name != h.name)
      s->problems.push_back(lay.host(h.name) + ": names host '" + info->name + "' (skipped)");
    else
      s->hosts.push_back(std::move(*info));
  }
  std::sort(s->hosts.begin(), s->hosts.end(),
            [](const host_info& a, const host_info& b) { return a.name < b.name; });
  for (auto& r : names.refs)
    if (!valid_name(r))
      s->problems.push_back(lay.ref(r) + ": not a valid ref name (skipped)");
    else
      result->ref_names.push_back(r);
  for (auto& reads : refs) {
    ref_entry e;
    e.ref = reads.ref;
    if (readable(reads.spec)) {
      auto spec = decode_spec(batch.data(reads.spec));
      if (spec)
        e.spec = std::move(*spec);
      else
        s->problems.push_back(lay.spec(reads.ref) + ": " + describe(spec.error()) + " (skipped)");
    }
    if (readable(reads.owner))
      e.owner = batch.data(reads.owner);
    if (readable(reads.framework_id))
      e.framework_id = batch.data(reads.framework_id);
    s->refs.push_back(std::move(e));
  }
  return result;
}

} // namespace

std::size_t read_nodes(zhandle_t* zh, watcher_fn watcher, void* watcher_ctx, const layout& lay,
                       fleet_listing_names names, std::function<void(fleet_read_ptr)> done) {
  std::sort(names.refs.begin(), names.refs.end());
  read_batch batch{zh, watcher, watcher_ctx};
  std::vector<host_read> hosts;
  for (auto& n : names.hosts)
    hosts.push_back({n, batch.get(lay.host(n), false)});
  std::vector<ref_reads> refs;
  for (auto& r : names.refs)
    if (valid_name(r) && names.skip.count(r) == 0)
      refs.push_back({r, batch.get(lay.spec(r), true), batch.get(lay.owner(r), true),
                      batch.get(lay.framework_id(r), false)});
  batch.then([lay, names = std::move(names), hosts = std::move(hosts), refs = std::move(refs),
              done = std::move(done)](const read_batch& answers) {
    done(assemble(answers, lay, names, hosts, refs));
  });
  return batch.sent();
}

} // namespace mesos_actor::fleet
