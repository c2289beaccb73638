// Distributions of service times, delays and sizes, as scenario files write them.
//
// A scenario gives a duration or size as a plain value (`20ms`, a constant) or as a map naming
// its distribution: `{exponential: {mean: 20ms}}`, `{lognormal: {median: 20ms, p99: 200ms}}`,
// `{uniform: {min: 1ms, max: 5ms}}`, `{empirical: [{value: 5ms, weight: 9}, ...]}`. Values are
// kept as doubles in the base unit (nanoseconds for durations, bytes for sizes) and sampled
// with a RandomStream. The lognormal is given by median and p99 because that is how latency is
// reported: sigma = ln(p99 / median) / z(0.99).
#pragma once

#include <string>
#include <vector>

#include "archsim/model/decode.hpp"
#include "archsim/sim/random.hpp"

namespace archsim::sim {

enum class DistributionKind { Constant, Exponential, Lognormal, Uniform, Empirical };

struct Distribution {
  DistributionKind kind = DistributionKind::Constant;
  double a = 0;  ///< constant value; exponential mean; lognormal mu; uniform min
  double b = 0;  ///< lognormal sigma; uniform max
  std::vector<double> values;      ///< empirical values
  std::vector<double> cumulative;  ///< empirical cumulative weights, normalised to end at 1

  static Distribution constant(double value);
  static Distribution exponential(double mean);
  static Distribution lognormal(double median, double p99);
  static Distribution uniform(double min, double max);

  double sample(RandomStream& rng) const;
  /// A sample as whole nanoseconds (or bytes) within [0, max]: a long tail (a lognormal's)
  /// never overflows the 64-bit clock or a byte count.
  std::int64_t sample_whole(RandomStream& rng, double max) const;
  double mean() const;
  /// The least and greatest value a draw can take (the greatest is +infinity for the
  /// exponential and the lognormal).
  double support_min() const;
  double support_max() const;
  /// P(draw > x): the share of draws above `x`.
  double share_above(double x) const;
  /// Multiplies every value (service time scaled by task size).
  Distribution scaled(double factor) const;
  /// `20ms`, `exponential(mean 20ms)`, ... in the base unit given.
  std::string describe(bool duration) const;
};

/// What a distribution measures, for decoding and error messages.
enum class Quantity { Duration, Size, Number };

/// Decodes a distribution (see the header comment); reports bad shapes, negative values,
/// p99 below the median, empty or zero-weight tables with file:line:col. Returns false on error.
bool decode_distribution(const model::YamlNode& node, const std::string& path, model::decoding::DecodeContext& ctx,
                         Quantity quantity, Distribution& out);

}  // namespace archsim::sim
