#include "archsim/sim/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace archsim::sim {

std::size_t LatencyHistogram::bucket_of(std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value < 0 ? 0 : value);
  if (v < static_cast<std::uint64_t>(2 * kSubBuckets)) return static_cast<std::size_t>(v);
  const int highest = 63 - std::countl_zero(v);
  const int shift = highest - kSubBucketBits;
  return static_cast<std::size_t>(shift) * static_cast<std::size_t>(kSubBuckets) + static_cast<std::size_t>(v >> shift);
}

std::int64_t LatencyHistogram::bucket_low(std::size_t bucket) {
  if (bucket < static_cast<std::size_t>(2 * kSubBuckets)) return static_cast<std::int64_t>(bucket);
  const std::size_t shift = bucket / static_cast<std::size_t>(kSubBuckets) - 1;
  const std::size_t top = bucket - shift * static_cast<std::size_t>(kSubBuckets);
  return static_cast<std::int64_t>(top) << shift;
}

std::int64_t LatencyHistogram::bucket_width(std::size_t bucket) {
  if (bucket < static_cast<std::size_t>(2 * kSubBuckets)) return 1;
  return std::int64_t{1} << (bucket / static_cast<std::size_t>(kSubBuckets) - 1);
}

void LatencyHistogram::record(std::int64_t value_ns) {
  if (value_ns < 0) value_ns = 0;
  ++counts_[bucket_of(value_ns)];
  if (count_ == 0 || value_ns < min_) min_ = value_ns;
  if (value_ns > max_) max_ = value_ns;
  ++count_;
  sum_ += static_cast<std::uint64_t>(value_ns);
}

void LatencyHistogram::record(std::int64_t value_ns, std::uint64_t count) {
  if (count == 0) return;
  if (value_ns < 0) value_ns = 0;
  counts_[bucket_of(value_ns)] += count;
  if (count_ == 0 || value_ns < min_) min_ = value_ns;
  if (value_ns > max_) max_ = value_ns;
  count_ += count;
  sum_ += static_cast<std::uint64_t>(value_ns) * count;
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  // Only the buckets between the other's minimum and maximum can hold counts.
  for (std::size_t i = bucket_of(other.min_), last = bucket_of(other.max_); i <= last; ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void LatencyHistogram::clear() {
  // A flow run clears its per-minute histogram every simulated minute: zero only the buckets
  // that can hold counts, not all 57 KiB.
  if (count_ > 0) std::fill(counts_.begin() + static_cast<std::ptrdiff_t>(bucket_of(min_)), counts_.begin() + static_cast<std::ptrdiff_t>(bucket_of(max_)) + 1, 0);
  count_ = sum_ = 0;
  min_ = max_ = 0;
}

std::int64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  if (q <= 0.0) return min_;
  // The bucket holding the q-quantile is the first whose cumulative count reaches q x count.
  // Within it the values are taken as spread evenly over the bucket's width, so the quantile
  // lies the same share of the width in as its rank lies among the bucket's counts (the
  // grouped-data percentile). Snapping to a fixed point of the bucket instead made every
  // replication's p50 the same to the nanosecond, and their confidence interval 0.
  const double target = q * static_cast<double>(count_);
  std::uint64_t below = 0;
  for (std::size_t i = bucket_of(min_), last = bucket_of(max_); i <= last; ++i) {
    if (counts_[i] == 0) continue;
    if (static_cast<double>(below + counts_[i]) >= target) {
      const std::int64_t low = bucket_low(i), width = bucket_width(i);
      const double share = std::clamp((target - static_cast<double>(below)) / static_cast<double>(counts_[i]), 0.0, 1.0);
      const auto value = low + static_cast<std::int64_t>(std::floor(share * static_cast<double>(width)));
      return std::clamp(std::min(value, low + width - 1), min_, max_);
    }
    below += counts_[i];
  }
  return max_;
}

}  // namespace archsim::sim
