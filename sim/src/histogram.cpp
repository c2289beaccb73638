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

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

void LatencyHistogram::clear() { *this = LatencyHistogram{}; }

std::int64_t LatencyHistogram::quantile(double q) const {
  if (count_ == 0) return 0;
  if (q >= 1.0) return max_;
  if (q <= 0.0) return min_;
  // The rank of the q-quantile, as HdrHistogram counts it: the smallest value with at least
  // ceil(q * count) values at or below it.
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::int64_t mid = bucket_low(i) + (bucket_width(i) - 1) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace archsim::sim
