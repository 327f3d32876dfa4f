#pragma once
// When Mesos merges, subtracts and compares two single resources (mesos::Resources's
// addable / subtractable / contains rules), for resources already normalized and valid.

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::toolkit {

/// Two resources that add up into one (same identity; never two persistent volumes,
/// MOUNT/BLOCK disks or RAW disks with an id, which are exclusive).
bool addable(const mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// `b` can be taken from `a` (same identity; an exclusive disk only when equal).
bool subtractable(const mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// `b` is part of `a` (subtractable and no larger). Shared counts are compared by the caller.
bool contains(const mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// Value equality by type (scalars as fixed point, ranges coalesced, sets as sets).
bool same_value(const mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// No amount left: scalar 0, no ranges, no items.
bool is_empty(const mesos::v1::Resource& r);
/// a += b / a -= b on the values (same type).
void add_value(mesos::v1::Resource& a, const mesos::v1::Resource& b);
void subtract_value(mesos::v1::Resource& a, const mesos::v1::Resource& b);
/// A scalar below zero.
bool is_negative(const mesos::v1::Resource& r);
/// Scalars rounded to three decimals, ranges coalesced (what every stored entry holds).
void normalize_value(mesos::v1::Resource& r);

} // namespace mesos_actor::toolkit
