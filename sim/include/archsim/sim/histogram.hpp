// Latency histograms with bounded relative error, in the style of HdrHistogram.
//
// Values (nanoseconds) fall into log-linear buckets: exact below 256, then 128 buckets per
// power of two, so a bucket is at most 1/128 (0.8 %) of its values wide.
// The bucket array has a fixed size, so a histogram of a billion requests takes the same
// 57 KiB as one of ten, and merging two histograms (replications, routes) adds counts and is
// exact.
#pragma once

#include <array>
#include <cstdint>

namespace archsim::sim {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr std::int64_t kSubBuckets = std::int64_t{1} << kSubBucketBits;
  static constexpr std::size_t kBuckets = static_cast<std::size_t>((63 - kSubBucketBits) * kSubBuckets + kSubBuckets);

  void record(std::int64_t value_ns);
  /// `count` values of `value_ns` at once (a flow model's sample standing for many requests).
  void record(std::int64_t value_ns, std::uint64_t count);
  void merge(const LatencyHistogram& other);
  void clear();

  std::uint64_t count() const { return count_; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  /// The value at quantile q in [0, 1], interpolated linearly by rank within the bucket that
  /// holds it (as grouped-data percentiles are: low + width x (q x count - below) / in bucket),
  /// clamped to the bucket and to [min, max]; within resolution_at() of the recorded values'
  /// own quantile. 0 when empty. quantile(0) is the minimum, quantile(1) the maximum.
  std::int64_t quantile(double q) const;
  /// The width (ns) of the bucket holding `value_ns`: what the histogram cannot tell apart
  /// there. 1 ns below 256 ns, then between 1/256 and 1/128 of the value.
  static std::int64_t resolution_at(std::int64_t value_ns) { return bucket_width(bucket_of(value_ns)); }

  static std::size_t bucket_of(std::int64_t value);
  static std::int64_t bucket_low(std::size_t bucket);
  static std::int64_t bucket_width(std::size_t bucket);

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;  ///< of nanoseconds: overflows only past 584 years of summed latency
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

}  // namespace archsim::sim
