// Queueing theory as the oracle: the engine's M/M/c and M/D/1 queues, and an ECS task reached
// through the request walk, against Erlang C and Pollaczek-Khinchine. Sample sizes are chosen
// so the standard error of each mean wait is well under the 2 % tolerance (for M/M/1 at 0.9
// the relative variance per customer is about 440, so 20 M customers give 0.5 %).
#include <cmath>

#include <doctest/doctest.h>

#include "../../bench/mmc_model.hpp"
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

TEST_CASE("M/M/1 mean wait matches Erlang C within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    const double expected = erlang_c_wait(1, rho * 100, 100);
    CHECK(simulate_wait(1, rho, customers_for(rho), false) == doctest::Approx(expected).epsilon(0.02));
  }
}

TEST_CASE("M/M/4 mean wait matches Erlang C within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    const double expected = erlang_c_wait(4, rho * 400, 100);
    CHECK(simulate_wait(4, rho, customers_for(rho), false) == doctest::Approx(expected).epsilon(0.02));
  }
}

TEST_CASE("M/D/1 mean wait matches Pollaczek-Khinchine within 2%") {
  for (double rho : {0.5, 0.8, 0.9}) {
    CAPTURE(rho);
    CHECK(simulate_wait(1, rho, customers_for(rho) / 2, true) == doctest::Approx(md1_wait(rho * 100, 100)).epsilon(0.02));
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
  CHECK(mean_response - 1 / mu == doctest::Approx(erlang_c_wait(4, rho * 4 * mu, mu)).epsilon(0.02));
}
