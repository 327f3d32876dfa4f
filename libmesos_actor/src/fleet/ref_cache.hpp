#pragma once
// A host's view of the fleet's refs, merged from reads that cover only the refs that
// changed, and from the host's own claims and releases, which it knows before any read
// shows them. Reads are numbered in the order they are sent. A read sent before this
// host's own claim or release of a ref was done may show that ref as it was before: for
// that ref, such a read is ignored (otherwise the host would stop a framework it has
// just claimed as lost, or start one again that it has just released).

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fleet/nodes.hpp"

namespace mesos_actor::fleet {

class ref_cache {
public:
  explicit ref_cache(std::string me) : me_(std::move(me)) {}

  /// Read number `read_no` listed `listed` (every ref under the fleet) and read the nodes
  /// of `read`. Refs not listed are gone; the refs read replace their entries, except
  /// those this host claimed or released after the read was sent.
  void apply(std::uint64_t read_no, const std::vector<std::string>& listed,
             std::vector<ref_entry> read) {
    std::set<std::string> names(listed.begin(), listed.end());
    for (auto i = entries_.begin(); i != entries_.end();) {
      if (names.count(i->first) == 0 && !newer_than(i->first, read_no)) {
        own_.erase(i->first);
        i = entries_.erase(i);
      } else {
        ++i;
      }
    }
    for (auto& e : read)
      if (!newer_than(e.ref, read_no))
        entries_[e.ref] = std::move(e);
  }

  /// This host created the ref's owner node; reads from `next_read_no` on show it.
  void claimed(const std::string& ref, const std::string& framework_id,
               std::uint64_t next_read_no) {
    auto& e = entries_[ref];
    e.ref = ref;
    e.owner = me_;
    if (!framework_id.empty())
      e.framework_id = framework_id;
    own_[ref] = next_read_no;
  }

  /// This host deletes the ref's owner node (if it is ours); reads from `next_read_no` on
  /// show it.
  void released(const std::string& ref, std::uint64_t next_read_no) {
    auto i = entries_.find(ref);
    if (i == entries_.end())
      return;
    if (i->second.owner == me_)
      i->second.owner.clear();
    own_[ref] = next_read_no;
  }

  /// Another host's owner node went with its session: unowned until a read says more.
  void owner_gone(const std::string& ref) {
    auto i = entries_.find(ref);
    if (i != entries_.end() && i->second.owner != me_)
      i->second.owner.clear();
  }

  const ref_entry* find(const std::string& ref) const {
    auto i = entries_.find(ref);
    return i == entries_.end() ? nullptr : &i->second;
  }

  /// Every cached ref, sorted by name.
  std::vector<ref_entry> entries() const {
    std::vector<ref_entry> out;
    out.reserve(entries_.size());
    for (auto& [ref, e] : entries_)
      out.push_back(e);
    return out;
  }

  /// The cached refs except `dirty`: what a read may skip.
  std::vector<std::string> clean_except(const std::set<std::string>& dirty) const {
    std::vector<std::string> out;
    for (auto& [ref, e] : entries_)
      if (dirty.count(ref) == 0)
        out.push_back(ref);
    return out;
  }

  void clear() {
    entries_.clear();
    own_.clear();
  }

private:
  // True when this host claimed or released `ref` after read `read_no` was sent.
  bool newer_than(const std::string& ref, std::uint64_t read_no) const {
    auto i = own_.find(ref);
    return i != own_.end() && i->second > read_no;
  }

  std::string me_;
  std::map<std::string, ref_entry> entries_;
  std::map<std::string, std::uint64_t> own_; // ref -> first read that shows our last claim/release
};

} // namespace mesos_actor::fleet
