#include "archsim/sim/queueing.hpp"

#include <algorithm>
#include <cmath>

namespace archsim::sim {

double erlang_b(int servers, double load) {
  // The recursion B(k) = a B(k-1) / (k + a B(k-1)) stays within [0, 1]: no factorials.
  // Past the load, B only falls: once it is below any printable share it stays there, and
  // a 1,000-environment Lambda pool at a fraction of one busy need not run to the end.
  double b = 1.0;
  for (int k = 1; k <= servers; ++k) {
    b = load * b / (k + load * b);
    if (b < 1e-300 && k > load) return 0.0;
  }
  return b;
}

double full_queue_share(int servers, int capacity, double load) {
  if (servers <= 0) return 1.0;
  if (load <= 0) return 0.0;
  // With p_0..p_c normalised to 1, p_c is Erlang B and p_(c+j) = p_c ρ^j: the full share is
  // B ρ^m / (1 + B Σ_{j=1..m} ρ^j), m the waiting places; divided by ρ^m above ρ = 1 so that
  // no power overflows.
  const double b = erlang_b(servers, load);
  const double rho = load / servers;
  const int m = std::max(0, capacity - servers);
  if (rho <= 1) {
    double sum = 0, term = 1;
    for (int j = 1; j <= m && term > 1e-300; ++j) sum += (term *= rho);
    return b * std::pow(rho, m) / (1 + b * sum);
  }
  const double r = 1 / rho;
  double sum = 0, term = 1;
  for (int i = 0; i < m && term > 1e-300; ++i, term *= r) sum += term;
  return b / (std::pow(r, m) + b * sum);
}

double erlang_c(int servers, double load) {
  if (load >= servers) return 1.0;
  if (load <= 0) return 0.0;
  const double b = erlang_b(servers, load);
  return servers * b / (servers - load * (1 - b));
}

double second_moment(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::Constant: return d.a * d.a;
    case DistributionKind::Exponential: return 2 * d.a * d.a;
    case DistributionKind::Lognormal: return std::exp(2 * d.a + 2 * d.b * d.b);
    case DistributionKind::Uniform: return (d.a * d.a + d.a * d.b + d.b * d.b) / 3;
    case DistributionKind::Empirical: {
      double m = 0, previous = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        m += d.values[i] * d.values[i] * (d.cumulative[i] - previous);
        previous = d.cumulative[i];
      }
      return m;
    }
  }
  return d.a * d.a;
}

QueueWait::QueueWait(double rate, const Distribution& service, int servers) : service_(service), servers_(std::max(1, servers)) {
  const double mean = service.mean();
  const double load = rate * mean;
  utilisation_ = load / servers_;
  if (!stable() || mean <= 0) return;
  wait_probability_ = erlang_c(servers_, load);
  // Given a wait: a geometric number (mean 1 / (1 - ρ)) of residuals of S / c, each of mean
  // E[S²] / (2 c E[S]).
  mean_wait_ns_ = wait_probability_ * second_moment(service) / (2 * servers_ * mean) / (1 - utilisation_);
}

double QueueWait::residual_ns(RandomStream& rng) const {
  // The equilibrium distribution of S: a length-biased draw of S times a uniform share of it.
  const Distribution& d = service_;
  double length_biased = 0;
  switch (d.kind) {
    case DistributionKind::Constant: length_biased = d.a; break;
    case DistributionKind::Exponential: return rng.exponential(d.a) / servers_;  // memoryless
    case DistributionKind::Lognormal: length_biased = std::exp(d.a + d.b * d.b + d.b * rng.normal()); break;
    case DistributionKind::Uniform: length_biased = std::sqrt(d.a * d.a + rng.uniform() * (d.b * d.b - d.a * d.a)); break;
    case DistributionKind::Empirical: {
      // Weights p_i v_i, normalised: a linear scan is enough for the few points a table has.
      double total = 0, previous = 0;
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        total += d.values[i] * (d.cumulative[i] - previous);
        previous = d.cumulative[i];
      }
      double u = rng.uniform() * total;
      previous = 0;
      length_biased = d.values.empty() ? 0 : d.values.back();
      for (std::size_t i = 0; i < d.values.size(); ++i) {
        u -= d.values[i] * (d.cumulative[i] - previous);
        previous = d.cumulative[i];
        if (u < 0) {
          length_biased = d.values[i];
          break;
        }
      }
      break;
    }
  }
  return rng.uniform() * length_biased / servers_;
}

double QueueWait::sample_ns(RandomStream& rng) const {
  if (wait_probability_ <= 0 || rng.uniform() >= wait_probability_) return 0;
  // N >= 1 residuals with P(N = n) = (1 - ρ) ρ^(n-1).
  double wait = residual_ns(rng);
  while (rng.uniform() < utilisation_) wait += residual_ns(rng);
  return wait;
}

}  // namespace archsim::sim
