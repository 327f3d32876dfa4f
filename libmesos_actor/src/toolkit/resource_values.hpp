#pragma once
// The arithmetic of Mesos's three value types as Mesos defines it: scalars in fixed
// point with three decimals (compared and summed as integers of thousandths), ranges
// coalesced (overlapping and adjacent ranges merge), sets as sets of strings.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <mesos/v1/mesos.pb.h>

namespace mesos_actor::toolkit {

/// Thousandths, rounded to nearest (Mesos: llround(value * 1000)); saturates at
/// ±max_scalar_value.
std::int64_t to_fixed(double value);
double from_fixed(std::int64_t fixed);
/// a + b and a - b in thousandths, saturating at ±max_scalar_value.
std::int64_t fixed_add(std::int64_t a, std::int64_t b);
std::int64_t fixed_sub(std::int64_t a, std::int64_t b);
/// "2", "0.5", "1.125", "-0.001".
std::string fixed_to_string(std::int64_t fixed);

using range = std::pair<std::uint64_t, std::uint64_t>; // inclusive
using range_list = std::vector<range>;

range_list ranges_of(const mesos::v1::Value::Ranges& ranges);
void set_ranges(mesos::v1::Value::Ranges& out, const range_list& ranges);
/// Sorted, overlapping and adjacent ranges merged ([1-2],[3-4] -> [1-4]).
range_list coalesce(range_list ranges);
/// Arguments and results coalesced.
range_list ranges_union(const range_list& a, const range_list& b);
range_list ranges_difference(const range_list& a, const range_list& b);
bool ranges_contain(const range_list& outer, const range_list& inner);
/// Number of values in the ranges (saturating).
std::uint64_t ranges_count(const range_list& ranges);

/// Items of a added to b's that are not there yet (order kept: a's, then new ones).
void set_add(mesos::v1::Value::Set& a, const mesos::v1::Value::Set& b);
void set_subtract(mesos::v1::Value::Set& a, const mesos::v1::Value::Set& b);
bool set_contains(const mesos::v1::Value::Set& outer, const mesos::v1::Value::Set& inner);

} // namespace mesos_actor::toolkit
