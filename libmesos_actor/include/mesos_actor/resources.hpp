#pragma once
// mesos_actor::resources: a set of Mesos resources with the semantics Mesos gives them
// (the C++ library's mesos::Resources): addition merges what Mesos would merge,
// subtraction never goes below zero, scalars are fixed-point with three decimals,
// ranges are coalesced, persistent volumes stay distinct, shared volumes are counted.
// It is a plain value type over RepeatedPtrField<Resource>; it sits on top of the
// scheduler layer (it knows nothing of calls or actors).
//
//   auto offered = resources::from_proto(offer.resources());   // expected<resources>
//   auto wanted  = resources::parse("cpus:0.5;mem:128;ports:[31000-31000]");
//   if (offered->contains(*wanted)) ... (*offered - *wanted) ...
//
// Text form (to_string / parse): Mesos's `--resources` syntax, `name(role):value` joined
// by "; ", where value is a scalar (`2`, `0.125`), ranges (`[31000-32000, 33000-33010]`)
// or a set (`{a, b}`), and role `*` means unreserved. What that syntax cannot say is
// written the way Mesos writes resources in its logs:
//   cpus(reservations: [(DYNAMIC,eng,alice),(DYNAMIC,eng/web)])(allocated: eng/web):1
//   disk(reservations: [(DYNAMIC,db,alice)])[MOUNT:/mnt/d1,vol1:data:RW]<SHARED>:1024
//   cpus(*){REV}:0.5
// A single static reservation without principal is written `name(role)`. Labels, disk
// source ids/profiles/metadata and resource provider ids are not part of the text form
// (to_string leaves them out), and strings holding `,;:()[]{}<>` or blanks do not
// parse back.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/expected.hpp>
#include <google/protobuf/repeated_field.h>
#include <mesos/v1/mesos.pb.h>

namespace mesos_actor {

/// The protobuf form of resources (Offer.resources, TaskInfo.resources).
using resource_list = google::protobuf::RepeatedPtrField<mesos::v1::Resource>;

/// Largest scalar accepted (Mesos has none). Scalars are fixed point with three decimals
/// carried in a double, and a double holds every thousandth exactly only below 2^42
/// (about 4.4e12): beyond it the printed text would parse back to another value. Sums
/// saturate at this maximum.
inline constexpr double max_scalar_value = 1e12;

// --- One resource: Mesos's predicates ------------------------------------------------

/// The role the resource is reserved to (the last reservation), "*" when unreserved.
std::string reservation_role(const mesos::v1::Resource& r);
/// Reserved at all, or (with a role) reserved to exactly that role.
bool is_reserved(const mesos::v1::Resource& r, const std::optional<std::string>& role = {});
/// No reservation at all.
bool is_unreserved(const mesos::v1::Resource& r);
/// The last reservation is DYNAMIC (made by RESERVE).
bool is_dynamically_reserved(const mesos::v1::Resource& r);
/// The last reservation is STATIC (an agent's --resources).
bool is_statically_reserved(const mesos::v1::Resource& r);
/// More than one reservation: a refinement of a reservation to a sub-role.
bool has_refined_reservations(const mesos::v1::Resource& r);
/// Unreserved, or reserved to `role` or to one of its ancestors ("eng" for "eng/web").
bool is_allocatable_to(const mesos::v1::Resource& r, const std::string& role);
/// A disk with DiskInfo.persistence (created by CREATE).
bool is_persistent_volume(const mesos::v1::Resource& r);
/// Carries RevocableInfo (may be taken back by Mesos).
bool is_revocable(const mesos::v1::Resource& r);
/// Carries SharedInfo (a shared persistent volume).
bool is_shared(const mesos::v1::Resource& r);
/// "a/b" is a strict sub-role of "a" (and of nothing else here).
bool is_strict_subrole(const std::string& child, const std::string& parent);
/// Mesos's role name rules: non-empty '/'-separated components, none "." or "..", none
/// starting with '-', no blanks, control characters or '\'; "*" only alone. Empty = valid.
std::string validate_role(const std::string& role);
/// Why `r` is not a valid resource (empty when valid). Legacy `role`/`reservation`
/// fields are accepted (see normalize_resource).
std::string validate_resource(const mesos::v1::Resource& r);
/// Moves the pre-refinement fields (`role` != "*", `reservation`) into `reservations`
/// and clears them, as Mesos does on receipt; an error when both forms disagree.
std::string normalize_resource(mesos::v1::Resource& r);
/// Mesos's equality of two resources (DiskInfo.volume and the persistence principal do
/// not count: they say how a volume is used, not what it is).
bool same_resource(const mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// Mesos's text for one resource (see the file comment).
std::string to_string(const mesos::v1::Resource& r);

// --- A set of resources -----------------------------------------------------------

/// A set of Mesos resources with Mesos's semantics (see the file comment). Holds only
/// valid, non-empty, normalized resources.
class resources {
public:
  /// Empty.
  resources() = default;

  /// Reads resources (e.g. Offer.resources); the first invalid one makes an error of
  /// errc::decode_error naming it. Empty ones (0 cpus, no ports) are dropped, as Mesos does.
  static caf::expected<resources> from_proto(const resource_list& list);
  /// One resource (same rules).
  static caf::expected<resources> of(const mesos::v1::Resource& r);
  /// Reads the text form (see the file comment); `default_role` is the role of a
  /// resource written without one ("*" = unreserved, another = static reservation).
  static caf::expected<resources> parse(std::string_view text,
                                        const std::string& default_role = "*");
  /// An unreserved scalar resource; invalid arguments make an error.
  static caf::expected<resources> scalar(const std::string& name, double value);
  /// An unreserved ranges resource (inclusive ranges); invalid arguments make an error.
  static caf::expected<resources>
  ranges(const std::string& name, const std::vector<std::pair<std::uint64_t, std::uint64_t>>& r);
  /// An unreserved set resource; duplicate items or an empty name make an error.
  static caf::expected<resources> set(const std::string& name, const std::vector<std::string>& items);

  /// The resources as Mesos messages (a shared volume counted n times appears n times).
  resource_list to_proto() const;
  /// "cpus(*):2; mem(*):1024; ports(*):[31000-32000]"; "{}" when empty.
  std::string to_string() const;

  /// No resources at all.
  bool empty() const { return entries_.empty(); }
  /// Number of distinct entries (a shared volume counted n times is one).
  std::size_t size() const { return entries_.size(); }

  // Mesos's algebra.
  /// Adds: merges what Mesos merges, keeps the rest as separate entries.
  resources& operator+=(const resources& other);
  /// Takes away what is there: scalars that would go negative and ranges/sets not
  /// present are removed as far as they exist (Mesos never goes below zero).
  resources& operator-=(const resources& other);
  /// a += b on a copy.
  friend resources operator+(resources a, const resources& b) { return a += b; }
  /// a -= b on a copy.
  friend resources operator-(resources a, const resources& b) { return a -= b; }
  /// Every resource of `other` is contained in a compatible one here (same name, type,
  /// reservations, allocation, disk, revocable, shared, provider).
  bool contains(const resources& other) const;
  /// Same resources (each contains the other), as Mesos compares them.
  friend bool operator==(const resources& a, const resources& b);
  /// Not the same resources.
  friend bool operator!=(const resources& a, const resources& b) { return !(a == b); }

  // Filters.
  /// The resources for which `keep(const mesos::v1::Resource&)` is true.
  template <class Predicate>
  resources filter(Predicate&& keep) const {
    resources out;
    for (const auto& e : entries_)
      if (keep(e.resource))
        out.entries_.push_back(e);
    return out;
  }
  /// Reserved (to `role` when given) / unreserved.
  resources reserved(const std::optional<std::string>& role = {}) const;
  /// Without any reservation.
  resources unreserved() const;
  /// What a framework in `role` may use: unreserved plus reserved to `role` or an ancestor.
  resources allocatable_to(const std::string& role) const;
  /// Whose last reservation is STATIC.
  resources statically_reserved() const;
  /// Whose last reservation is DYNAMIC.
  resources dynamically_reserved() const;
  /// With more than one reservation.
  resources with_refined_reservations() const;
  /// Disks with DiskInfo.persistence.
  resources persistent_volumes() const;
  /// Revocable ones.
  resources revocable() const;
  /// All but the revocable ones.
  resources non_revocable() const;
  /// Shared ones.
  resources shared() const;
  /// All but the shared ones.
  resources non_shared() const;
  /// Everything named `name`.
  resources named(const std::string& name) const;
  /// Sorted names.
  std::set<std::string> names() const;

  // Amounts.
  /// The total scalar amount of `name` (nullopt when there is none).
  std::optional<double> scalar_total(const std::string& name) const;
  /// The union of the ranges of `name` (coalesced, ascending).
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges_total(const std::string& name) const;
  /// The union of the set items of `name` (sorted).
  std::set<std::string> set_total(const std::string& name) const;
  /// Scalars only, without reservations, allocation, disk info, revocable or shared
  /// (Mesos's createStrippedScalarQuantity): "how much", for quota-like sums.
  resources scalar_quantities() const;

  // Reservations and allocation.
  /// Every resource with its reservations and allocation removed: the amounts without
  /// reservation boundaries (Mesos's flatten).
  resources flatten() const;
  /// The same, then statically reserved to `role` ("*" = unreserved); an invalid role is an error.
  caf::expected<resources> flatten(const std::string& role) const;
  /// Reservations removed (amounts, disk info and allocation kept).
  resources to_unreserved() const;
  /// Adds `reservation` on top of every resource (a RESERVE or a refinement); an error
  /// when the result is invalid (refinement to a role that is not a sub-role, STATIC on top...).
  caf::expected<resources> push_reservation(const mesos::v1::Resource::ReservationInfo& reservation) const;
  /// Removes the last reservation of every resource; an error when one is unreserved.
  caf::expected<resources> pop_reservation() const;
  /// Every resource marked allocated to `role` (MULTI_ROLE frameworks' offers carry this);
  /// an invalid role is an error.
  caf::expected<resources> allocate(const std::string& role) const;
  /// allocation_info removed.
  resources unallocate() const;
  /// Split by allocation role; unallocated resources are not in the map.
  std::map<std::string, resources> allocations() const;

private:
  struct entry {
    mesos::v1::Resource resource; // normalized and valid; a scalar holds its fixed-point value
    std::int64_t shared_count = 1; // copies of a shared resource; 1 otherwise
  };
  void add(const entry& e);
  void subtract(const entry& e);
  bool contains_one(const entry& e) const;
  static caf::expected<resources> build(std::vector<mesos::v1::Resource> list);

  std::vector<entry> entries_;
};

} // namespace mesos_actor
