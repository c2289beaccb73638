// Confidence intervals over independent replications.
//
// Each replication of a run is an independent sample of every headline figure (a latency
// percentile, the availability, a month's cost), so the mean over n replications carries a
// Student-t interval: mean +/- t(0.975, n-1) x s / sqrt(n). With one replication there is no
// interval, and a criterion judged on it says so (reports/criteria.hpp).
#pragma once

#include <span>

namespace archsim::sim {

struct Estimate {
  double mean = 0;
  double half_width = 0;  ///< of the confidence interval; 0 with fewer than 2 samples
  int n = 0;              ///< samples (replications)
  double confidence = 0.95;
  /// The resolution of the recorder the samples came from (a latency histogram's bucket
  /// width at the value, in the samples' unit), 0 when exact. with_resolution() keeps the
  /// half-width at or above it: an interval never claims more precision than was recorded.
  double resolution = 0;

  bool has_interval() const { return n >= 2; }
  /// The half-width is the recorder's resolution, not the spread of the replications.
  bool at_resolution() const { return has_interval() && resolution > 0 && half_width <= resolution; }
  double low() const { return mean - half_width; }
  double high() const { return mean + half_width; }
};

/// The mean of `samples` with its two-sided confidence interval (Student t, n - 1 degrees of freedom).
Estimate estimate(std::span<const double> samples, double confidence = 0.95);

/// `e` with its recorder's resolution: the half-width becomes max(half-width, resolution)
/// (with fewer than 2 samples there is still no interval).
Estimate with_resolution(Estimate e, double resolution);

/// The p-quantile of Student's t distribution with `degrees` degrees of freedom.
double student_t_quantile(double p, int degrees);

}  // namespace archsim::sim
