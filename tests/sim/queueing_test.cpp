// Queueing theory as the oracle: the engine's M/M/c and M/D/1 queues, and an ECS task reached
// through the request walk, against Erlang C and Pollaczek-Khinchine. Sample sizes are chosen
// so the standard error of each mean wait is well under the 2 % tolerance (for M/M/1 at 0.9
// the relative variance per customer is about 440, so 20 M customers give 0.5 %).
#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>

#include "../../bench/mmc_model.hpp"
#include "archsim/sim/queueing.hpp"
#include "archsim/sim/simulate.hpp"
#include "fixture.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

namespace {

double factorial(int n) { return n <= 1 ? 1.0 : n * factorial(n - 1); }

/// Erlang C: mean wait in queue of M/M/c with arrival rate lambda and service rate mu.
double erlang_c_wait(int c, double lambda, double mu) {
  const double a = lambda / mu;
  double sum = 0;
  for (int k = 0; k < c; ++k) sum += std::pow(a, k) / factorial(k);
  const double top = std::pow(a, c) / factorial(c) * c / (c - a);
  const double p_wait = top / (sum + top);
  return p_wait / (c * mu - lambda);
}

/// Pollaczek-Khinchine for M/D/1: Wq = rho / (2 mu (1 - rho)).
double md1_wait(double lambda, double mu) {
  const double rho = lambda / mu;
  return rho / (2 * mu * (1 - rho));
}

double simulate_wait(int c, double rho, std::uint64_t customers, bool deterministic) {
  const double mu = 100.0;  // 10 ms mean service
  sim::Engine engine;
  bench::MmcQueue queue(engine, c, rho * c * mu, mu, customers, 7, deterministic);
  engine.run(sim::Time{INT64_MAX}, UINT64_MAX);
  REQUIRE(queue.served() == customers);
  return queue.mean_wait_seconds();
}

std::uint64_t customers_for(double rho) { return rho < 0.6 ? 2'000'000 : rho < 0.85 ? 5'000'000 : 20'000'000; }

}  // namespace

TEST_CASE("M/M/c/K: the full-queue share is M/M/1/K's closed form, Erlang B with no queue, and tends to 1 - 1/rho overloaded") {
  // M/M/1/K: (1 - rho) rho^K / (1 - rho^(K+1)).
  for (const double rho : {0.5, 0.9, 1.5}) {
    for (const int k : {1, 2, 6, 40}) {
      CAPTURE(rho);
      CAPTURE(k);
      const double closed = (1 - rho) * std::pow(rho, k) / (1 - std::pow(rho, k + 1));
      CHECK(sim::full_queue_share(1, k, rho) == doctest::Approx(closed).epsilon(1e-9));
    }
  }
  CHECK(sim::full_queue_share(16, 16, 11.2) == doctest::Approx(sim::erlang_b(16, 11.2)));
  CHECK(sim::erlang_b(16, 11.2) == doctest::Approx(0.04279).epsilon(1e-3));
  CHECK(sim::full_queue_share(4, 10000, 8.0) == doctest::Approx(0.5).epsilon(1e-9));  // rho 2: half refused
  CHECK(sim::full_queue_share(64, 164, 0.5 * 64) < 1e-30);
}

TEST_CASE("M/M/1 mean wait matches Erlang C within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    const double expected = erlang_c_wait(1, rho * 100, 100);
    CHECK(simulate_wait(1, rho, customers_for(rho), false) == doctest::Approx(expected).epsilon(0.02).scale(0));
  }
}

TEST_CASE("M/M/4 mean wait matches Erlang C within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    const double expected = erlang_c_wait(4, rho * 400, 100);
    CHECK(simulate_wait(4, rho, customers_for(rho), false) == doctest::Approx(expected).epsilon(0.02).scale(0));
  }
}

TEST_CASE("M/D/1 mean wait matches Pollaczek-Khinchine within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    CHECK(simulate_wait(1, rho, customers_for(rho) / 2, true) == doctest::Approx(md1_wait(rho * 100, 100)).epsilon(0.02).scale(0));
  }
}

TEST_CASE("an ECS task reached through the request walk queues as M/M/c predicts") {
  // users -> alb -> api with every delay but the task's own service time set to zero: the
  // mean response time is then exactly the M/M/4 wait plus the 10 ms mean service.
  const double rho = 0.8, mu = 100;
  auto run = test::simulate_single_service(4, rho * 4 * mu, "exponential: {mean: 10ms}", sim::Duration::hours(3));
  const double mean_response = run.overall.latency.mean() / 1e9;
  CAPTURE(run.overall.total());
  CHECK(run.overall.errors() == 0);
  CHECK(mean_response - 1 / mu == doctest::Approx(erlang_c_wait(4, rho * 4 * mu, mu)).epsilon(0.02).scale(0));
}

// ---------------------------------------------------------------- the flow model's queueing formulas

namespace {

/// Exact M/D/1 waiting-time distribution (Erlang, 1909): P(Wq <= t) = (1 - rho) sum_{k=0}^{floor(t/D)}
/// (lambda (kD - t))^k / k! exp(-lambda (kD - t)). Long double keeps the alternating sum exact
/// enough for t up to a few dozen service times.
double md1_wait_cdf(double t, double lambda, double d) {
  const long double rho = lambda * d;
  long double sum = 0;
  long double k_factorial = 1;
  for (int k = 0; k <= static_cast<int>(std::floor(t / d)); ++k) {
    if (k > 0) k_factorial *= k;
    const long double x = static_cast<long double>(lambda) * (k * d - t);
    sum += std::pow(x, k) / k_factorial * std::exp(-x);
  }
  return static_cast<double>((1 - rho) * sum);
}

double quantile_of(std::vector<double> draws, double q) {
  std::sort(draws.begin(), draws.end());
  return draws[static_cast<std::size_t>(q * static_cast<double>(draws.size() - 1))];
}

std::vector<double> draws_of(const sim::QueueWait& wait, std::size_t n, std::uint64_t seed) {
  sim::RandomStream rng(seed);
  std::vector<double> out(n);
  for (auto& x : out) x = wait.sample_ns(rng);
  return out;
}

}  // namespace

TEST_CASE("Erlang B and C: the recursion against tables and the factorial formula") {
  CHECK(sim::erlang_b(1, 1.0) == doctest::Approx(0.5));
  CHECK(sim::erlang_b(10, 5.0) == doctest::Approx(0.018385).epsilon(1e-4).scale(0));  // the standard Erlang B table
  CHECK(sim::erlang_b(100, 80.0) == doctest::Approx(0.0040).epsilon(0.02).scale(0));
  for (int c : {1, 2, 4, 16}) {
    for (double rho : {0.3, 0.8, 0.95}) {
      const double lambda = rho * c * 100, mu = 100;
      // erlang_c_wait (factorials) = C / (c mu - lambda)
      CHECK(sim::erlang_c(c, lambda / mu) / (c * mu - lambda) == doctest::Approx(erlang_c_wait(c, lambda, mu)).epsilon(1e-9).scale(0));
    }
  }
  CHECK(sim::erlang_c(4, 4.0) == 1.0);
}

TEST_CASE("flow queueing: M/M/1 and M/M/4 mean and p99 waits against Erlang C within 3 %") {
  // P(Wq > t) = C exp(-(c mu - lambda) t), so the p99 wait is ln(C / 0.01) / (c mu - lambda).
  const auto service = sim::Distribution::exponential(10e6);  // 10 ms
  for (int c : {1, 4}) {
    for (double rho : {0.5, 0.8, 0.9}) {
      CAPTURE(c);
      CAPTURE(rho);
      const double mu = 1 / 10e6, lambda = rho * c * mu;  // per nanosecond
      const sim::QueueWait wait(lambda, service, c);
      const double exact_mean = erlang_c_wait(c, lambda * 1e9, mu * 1e9) * 1e9;
      CHECK(wait.mean_wait_ns() == doctest::Approx(exact_mean).epsilon(1e-9).scale(0));
      const auto draws = draws_of(wait, 400'000, 11);
      double mean = 0;
      for (double x : draws) mean += x;
      mean /= static_cast<double>(draws.size());
      CHECK(mean == doctest::Approx(exact_mean).epsilon(0.03).scale(0));
      const double p = wait.wait_probability();
      if (p > 0.02) {
        const double exact_p99 = std::log(p / 0.01) / (c * mu - lambda);
        CHECK(quantile_of(draws, 0.99) == doctest::Approx(exact_p99).epsilon(0.03).scale(0));
      }
    }
  }
}

TEST_CASE("flow queueing: M/D/1 mean and p99 waits against Pollaczek-Khinchine and Erlang's exact distribution within 3 %") {
  const double d_ns = 10e6;
  const auto service = sim::Distribution::constant(d_ns);
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    const double lambda = rho / d_ns;
    const sim::QueueWait wait(lambda, service, 1);
    CHECK(wait.mean_wait_ns() == doctest::Approx(md1_wait(lambda * 1e9, 1e9 / d_ns) * 1e9).epsilon(1e-9).scale(0));
    const auto draws = draws_of(wait, 400'000, 13);
    const double sampled_p99 = quantile_of(draws, 0.99);
    // The exact p99: bisection on Erlang's CDF.
    double lo = 0, hi = 60 * d_ns;
    for (int i = 0; i < 80; ++i) {
      const double mid = (lo + hi) / 2;
      (md1_wait_cdf(mid, lambda, d_ns) < 0.99 ? lo : hi) = mid;
    }
    CHECK(sampled_p99 == doctest::Approx(lo).epsilon(0.03).scale(0));
  }
}

TEST_CASE("flow fidelity: an ECS task behind an ALB gives the M/M/c and M/D/1 mean and p99 within 3 %") {
  // The same single-service design as the request-level test above, at flow fidelity: the
  // response time is the queue wait plus the service time, whose mean and p99 theory gives.
  const double mu = 100;  // per second: 10 ms
  struct Case {
    int c;
    double rho;
    const char* service;
  };
  for (const Case k : {Case{1, 0.5, "exponential: {mean: 10ms}"}, Case{1, 0.8, "exponential: {mean: 10ms}"},
                       Case{1, 0.9, "exponential: {mean: 10ms}"}, Case{4, 0.5, "exponential: {mean: 10ms}"},
                       Case{4, 0.8, "exponential: {mean: 10ms}"}, Case{4, 0.9, "exponential: {mean: 10ms}"},
                       Case{1, 0.5, "constant: 10ms"}, Case{1, 0.8, "constant: 10ms"}, Case{1, 0.9, "constant: 10ms"}}) {
    CAPTURE(k.c);
    CAPTURE(k.rho);
    CAPTURE(k.service);
    const double lambda = k.rho * k.c * mu;
    auto run = test::simulate_single_service(k.c, lambda, k.service, sim::Duration::hours(24), sim::Fidelity::Flow);
    CHECK(run.fidelity == sim::Fidelity::Flow);
    CHECK(run.overall.errors() == 0);
    const bool deterministic = std::string(k.service).find("constant") != std::string::npos;
    const double wait = deterministic ? md1_wait(lambda, mu) : erlang_c_wait(k.c, lambda, mu);
    CHECK(run.overall.latency.mean() / 1e9 == doctest::Approx(wait + 1 / mu).epsilon(0.03).scale(0));
    // p99 of the response time W = Wq + S, from the exact distributions.
    double p99 = 0;
    if (deterministic) {
      double lo = 0, hi = 60 / mu;
      for (int i = 0; i < 80; ++i) {
        const double mid = (lo + hi) / 2;
        (md1_wait_cdf(mid * 1e9, lambda / 1e9, 1e9 / mu) < 0.99 ? lo : hi) = mid;
      }
      p99 = lo + 1 / mu;
    } else {
      // M/M/c: P(W > t) = e^{-mu t} (1 + C mu / (c mu - lambda - mu) (1 - e^{-(c mu - lambda - mu) t})), solved by bisection.
      const double c_wait = sim::erlang_c(k.c, lambda / mu);
      const double d = k.c * mu - lambda - mu;
      auto above = [&](double t) {
        const double extra = std::abs(d) < 1e-9 ? c_wait * mu * t : c_wait * mu / d * (1 - std::exp(-d * t));
        return std::exp(-mu * t) * (1 + extra);
      };
      double lo = 0, hi = 10;
      for (int i = 0; i < 100; ++i) {
        const double mid = (lo + hi) / 2;
        (above(mid) > 0.01 ? lo : hi) = mid;
      }
      p99 = lo;
    }
    CHECK(static_cast<double>(run.overall.latency.quantile(0.99)) / 1e9 == doctest::Approx(p99).epsilon(0.03).scale(0));
  }
}
