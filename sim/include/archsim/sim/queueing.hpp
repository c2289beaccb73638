// Queueing theory for the flow traffic model: what a stationary stretch of traffic does to a
// pool of servers, without walking its requests.
//
// A task with `c` concurrency slots fed by Poisson arrivals at rate λ with service times S is
// an M/G/c queue. The probability that an arrival waits is Erlang C (exact for M/M/c). Given
// that it waits, its wait is drawn as the wait of an M/G/1 queue with the same arrivals and a
// server c times as fast (service S/c): the Beneš (Pollaczek-Khinchine) representation, a
// geometric number of residual service times. That is exact for M/G/1 and for M/M/c, and its
// mean is the Allen-Cunneen approximation (1 + cs²)/2 x the M/M/c wait for other M/G/c
// queues. A pool of environments that refuses what finds every one busy (Lambda
// concurrency) is Erlang B. docs/simulation.md states the formulas and their sources.
#pragma once

#include <cstdint>

#include "archsim/sim/distribution.hpp"
#include "archsim/sim/random.hpp"

namespace archsim::sim {

/// Erlang B: the share of arrivals refused by `servers` with offered load `load` (λ E[S]).
double erlang_b(int servers, double load);
/// M/M/c/K: the share of arrivals refused because all `capacity` places (`servers` serving,
/// the rest waiting) are taken, with offered load `load` (λ E[S]); any load, stable or not.
double full_queue_share(int servers, int capacity, double load);
/// Erlang C: the share of arrivals that wait in M/M/c with offered load `load` < servers
/// (1 when the queue is not stable).
double erlang_c(int servers, double load);

/// The waiting time in queue of one M/G/c queue in a stationary state.
class QueueWait {
 public:
  /// `rate` arrivals per nanosecond, `service` in nanoseconds, `servers` slots.
  QueueWait(double rate, const Distribution& service, int servers);

  /// λ E[S] / c: below 1 the queue is stable.
  double utilisation() const { return utilisation_; }
  bool stable() const { return utilisation_ < kMaxStableUtilisation; }
  /// P(an arrival waits), Erlang C.
  double wait_probability() const { return wait_probability_; }
  /// E[Wq] in nanoseconds (Allen-Cunneen; exact for M/G/1 and M/M/c). Only when stable().
  double mean_wait_ns() const { return mean_wait_ns_; }
  /// A draw of Wq in nanoseconds. Only when stable().
  double sample_ns(RandomStream& rng) const;

  /// Above this utilisation the stationary formulas stop (the expected number of residual
  /// draws per wait grows as 1 / (1 - ρ)); the flow model treats the queue as saturated.
  static constexpr double kMaxStableUtilisation = 0.995;

 private:
  /// A residual service time of the fast server (S / c), from S's equilibrium distribution.
  double residual_ns(RandomStream& rng) const;

  const Distribution& service_;
  int servers_ = 1;
  double utilisation_ = 0;
  double wait_probability_ = 0;
  double mean_wait_ns_ = 0;
};

/// E[S²] of a distribution (nanoseconds squared for a duration).
double second_moment(const Distribution& d);

}  // namespace archsim::sim
