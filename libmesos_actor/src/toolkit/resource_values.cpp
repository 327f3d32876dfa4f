#include "toolkit/resource_values.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "mesos_actor/resources.hpp"

namespace mesos_actor::toolkit {

namespace {
// max_scalar_value in thousandths: every fixed value stays where a double is exact.
constexpr auto fixed_max = static_cast<std::int64_t>(max_scalar_value * 1000);
constexpr std::int64_t fixed_min = -fixed_max;
std::int64_t clamp_fixed(std::int64_t v) {
  return std::clamp(v, fixed_min, fixed_max);
}
} // namespace

std::int64_t to_fixed(double value) {
  if (std::isnan(value))
    return 0;
  double scaled = value * 1000.0;
  if (scaled >= static_cast<double>(fixed_max))
    return fixed_max;
  if (scaled <= static_cast<double>(fixed_min))
    return fixed_min;
  return std::llround(scaled);
}

double from_fixed(std::int64_t fixed) {
  return static_cast<double>(fixed) / 1000.0;
}

// Clamped first: a caller's out-of-range value must not overflow the sum.
std::int64_t fixed_add(std::int64_t a, std::int64_t b) {
  return clamp_fixed(clamp_fixed(a) + clamp_fixed(b));
}

std::int64_t fixed_sub(std::int64_t a, std::int64_t b) {
  return clamp_fixed(clamp_fixed(a) - clamp_fixed(b));
}

std::string fixed_to_string(std::int64_t fixed) {
  bool negative = fixed < 0;
  // Magnitude as unsigned: -INT64_MIN does not fit in int64.
  std::uint64_t mag = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(fixed)
                               : static_cast<std::uint64_t>(fixed);
  std::string out = negative ? "-" : "";
  out += std::to_string(mag / 1000);
  auto frac = mag % 1000;
  if (frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0')
      digits.pop_back();
    out += "." + digits;
  }
  return out;
}

range_list ranges_of(const mesos::v1::Value::Ranges& ranges) {
  range_list out;
  out.reserve(static_cast<std::size_t>(ranges.range_size()));
  for (const auto& r : ranges.range())
    out.emplace_back(r.begin(), r.end());
  return out;
}

void set_ranges(mesos::v1::Value::Ranges& out, const range_list& ranges) {
  out.clear_range();
  for (const auto& [b, e] : ranges) {
    auto* r = out.add_range();
    r->set_begin(b);
    r->set_end(e);
  }
}

range_list coalesce(range_list ranges) {
  std::sort(ranges.begin(), ranges.end());
  range_list out;
  for (const auto& r : ranges) {
    // Adjacent counts as touching, unless the previous end is the largest value.
    if (!out.empty() && (r.first <= out.back().second ||
                         (out.back().second != std::numeric_limits<std::uint64_t>::max() &&
                          r.first == out.back().second + 1)))
      out.back().second = std::max(out.back().second, r.second);
    else
      out.push_back(r);
  }
  return out;
}

range_list ranges_union(const range_list& a, const range_list& b) {
  range_list all = a;
  all.insert(all.end(), b.begin(), b.end());
  return coalesce(std::move(all));
}

range_list ranges_difference(const range_list& a, const range_list& b) {
  range_list out = coalesce(a);
  for (const auto& cut : coalesce(b)) {
    range_list next;
    for (const auto& r : out) {
      if (cut.second < r.first || cut.first > r.second) {
        next.push_back(r);
        continue;
      }
      if (cut.first > r.first)
        next.emplace_back(r.first, cut.first - 1);
      if (cut.second < r.second)
        next.emplace_back(cut.second + 1, r.second);
    }
    out = std::move(next);
  }
  return out;
}

bool ranges_contain(const range_list& outer, const range_list& inner) {
  auto o = coalesce(outer);
  for (const auto& r : coalesce(inner)) {
    bool inside = std::any_of(o.begin(), o.end(), [&](const range& x) {
      return x.first <= r.first && r.second <= x.second;
    });
    if (!inside)
      return false;
  }
  return true;
}

std::uint64_t ranges_count(const range_list& ranges) {
  std::uint64_t total = 0;
  for (const auto& [b, e] : coalesce(ranges)) {
    std::uint64_t n = e - b;
    if (n == std::numeric_limits<std::uint64_t>::max() ||
        total > std::numeric_limits<std::uint64_t>::max() - (n + 1))
      return std::numeric_limits<std::uint64_t>::max();
    total += n + 1;
  }
  return total;
}

void set_add(mesos::v1::Value::Set& a, const mesos::v1::Value::Set& b) {
  std::unordered_set<std::string> have(a.item().begin(), a.item().end());
  for (const auto& item : b.item())
    if (have.insert(item).second)
      a.add_item(item);
}

void set_subtract(mesos::v1::Value::Set& a, const mesos::v1::Value::Set& b) {
  std::unordered_set<std::string> drop(b.item().begin(), b.item().end());
  mesos::v1::Value::Set kept;
  for (const auto& item : a.item())
    if (!drop.count(item))
      kept.add_item(item);
  a = std::move(kept);
}

bool set_contains(const mesos::v1::Value::Set& outer, const mesos::v1::Value::Set& inner) {
  std::unordered_set<std::string> have(outer.item().begin(), outer.item().end());
  return std::all_of(inner.item().begin(), inner.item().end(),
                     [&](const std::string& i) { return have.count(i) > 0; });
}

} // namespace mesos_actor::toolkit
