#include "archsim/sim/statistics.hpp"

#include <algorithm>
#include <cmath>

#include <boost/math/distributions/students_t.hpp>

namespace archsim::sim {

double student_t_quantile(double p, int degrees) {
  return boost::math::quantile(boost::math::students_t_distribution<double>(static_cast<double>(degrees)), p);
}

Estimate estimate(std::span<const double> samples, double confidence) {
  Estimate e;
  e.n = static_cast<int>(samples.size());
  e.confidence = confidence;
  if (samples.empty()) return e;
  // Summed in replication order, so the figure is the same whatever thread ran which.
  double sum = 0;
  for (double x : samples) sum += x;
  e.mean = sum / static_cast<double>(e.n);
  if (e.n < 2) return e;
  double squares = 0;
  for (double x : samples) squares += (x - e.mean) * (x - e.mean);
  const double sd = std::sqrt(squares / static_cast<double>(e.n - 1));
  e.half_width = student_t_quantile(0.5 + confidence / 2, e.n - 1) * sd / std::sqrt(static_cast<double>(e.n));
  return e;
}

Estimate with_resolution(Estimate e, double resolution) {
  e.resolution = resolution;
  if (e.has_interval()) e.half_width = std::max(e.half_width, resolution);
  return e;
}

}  // namespace archsim::sim
