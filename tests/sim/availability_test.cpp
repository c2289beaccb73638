// Availability: the analytic model's building blocks against closed forms, and the
// simulation against the analytic model. For the latter, a stochastic failure process runs
// long enough (and over enough replications) that the 95 % confidence interval of the
// simulated request-based availability is narrow; the analytic value must lie inside it.
#include <cmath>

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "archsim/sim/analytic.hpp"
#include "archsim/sim/statistics.hpp"
#include "fixture.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

TEST_CASE("k-out-of-n and series/parallel compositions match their closed forms") {
  CHECK(sim::k_out_of_n(1, 2, 0.9) == doctest::Approx(1 - 0.1 * 0.1));  // parallel: 1 - (1-a)^2
  CHECK(sim::k_out_of_n(2, 2, 0.9) == doctest::Approx(0.81));           // series: a^2
  CHECK(sim::k_out_of_n(2, 3, 0.9) == doctest::Approx(3 * 0.81 * 0.1 + 0.729));
  CHECK(sim::k_out_of_n(1, 0, 0.9) == 0);
}

TEST_CASE("the CTMC solver gives MTTF / (MTTF + MTTR) and a birth-death chain's product form") {
  const auto two = sim::ctmc_steady_state({{0, 1.0 / 3600}, {1.0 / 600, 0}});
  CHECK(two[0] == doctest::Approx(3600.0 / 4200));
  // Birth-death 0 <-> 1 <-> 2 with rates a (up) and b (down): pi_k proportional to (a/b)^k.
  const double a = 2, b = 5;
  const auto bd = sim::ctmc_steady_state({{0, a, 0}, {b, 0, a}, {0, b, 0}});
  const double r = a / b, z = 1 + r + r * r;
  CHECK(bd[0] == doctest::Approx(1 / z));
  CHECK(bd[2] == doctest::Approx(r * r / z));
}

TEST_CASE("the Multi-AZ RDS chain satisfies its balance equations and tends to the right limits") {
  const double l = 1.0 / (4 * 3600), mu = 1.0 / 3600, failover = 90;
  const double a = sim::multi_az_database_availability(l, mu, failover);
  // Without failures it is always up; with an instant failover and instant repair, too.
  CHECK(sim::multi_az_database_availability(0, mu, failover) == doctest::Approx(1));
  CHECK(sim::multi_az_database_availability(l, 1e6, 1e-9) == doctest::Approx(1).epsilon(1e-6).scale(0));
  // First order: down while failing over (rate l, F seconds) and when the second instance
  // fails during a repair (l/mu of the time on one instance, then l / (2 mu) of that).
  const double approx = 1 - l * failover - (l / mu) * (l / (2 * mu));
  CHECK(a == doctest::Approx(approx).epsilon(0.01).scale(0));
  CHECK(a < 1 - l * failover);
}

namespace {

struct Comparison {
  sim::Estimate simulated;
  double analytic = 0;
  double steady_state = 0;
};

Comparison compare(const std::string& overrides, const std::string& workload_yaml) {
  const auto w = test::workload(workload_yaml);
  auto outcome = test::simulate_good(overrides, w, sim::SimOptions{.threads = 2});
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  std::vector<double> samples;
  for (const auto& r : outcome.result->per_replication) samples.push_back(r.availability);
  const auto loaded = testing::load_good(overrides);
  std::string error;
  const auto analytic = sim::analyse_availability(loaded.scenario->alternatives.front().topology, w, sim::builtin_sim_defaults(), error);
  REQUIRE_MESSAGE(analytic.has_value(), error);
  return {sim::estimate(samples), analytic->availability, analytic->steady_state};
}

/// The interval is narrower than `width` and contains the analytic value.
void check_brackets(const Comparison& c, double width) {
  CAPTURE(c.simulated.mean);
  CAPTURE(c.simulated.half_width);
  CAPTURE(c.analytic);
  CHECK(c.simulated.half_width < width);
  CHECK(c.simulated.low() <= c.analytic);
  CHECK(c.analytic <= c.simulated.high());
}

}  // namespace

TEST_CASE("a Single-AZ database's simulated availability brackets MTTF / (MTTF + MTTR)") {
  const auto c = compare("components: {db: {multi_az: false}}\n",
                         "horizon: 20d\nseed: 5\nreplications: 6\narrivals: {rate: 0.2/s}\n"
                         "faults:\n  primary:\n    effect: database_primary_loss\n    component: db\n"
                         "    time_to_failure: {exponential: {mean: 2h}}\n    time_to_repair: {exponential: {mean: 20m}}\n");
  CHECK(c.analytic == doctest::Approx(120.0 / 140.0));
  check_brackets(c, 0.02);
}

TEST_CASE("one task crashing at random: the simulation brackets MTTF / (MTTF + stop detection + pull + launch), counted once") {
  // stop_detection 5 s (data default), image 200 MB x 60 s/GB = 12 s, launch 20 s: out 37 s.
  // The stop-detection window is in that 37 s; with no other task, the requests sent to the
  // dead one are not lost a second time (the analytic figure was 0.26 points low, outside).
  const auto c = compare("components: {app: {desired_count: 1}}\n",
                         "horizon: 10d\nseed: 4\nreplications: 4\narrivals: {rate: 0.5/s}\n"
                         "components:\n  app: {launch_time: {constant: 20s}}\n"
                         "faults:\n  crash:\n    effect: task_crash\n    component: app\n"
                         "    time_to_failure: {exponential: {mean: 30m}}\n");
  CHECK(c.analytic == doctest::Approx(1800.0 / 1837.0));
  check_brackets(c, 0.01);
}

TEST_CASE("a Multi-AZ database's simulated availability brackets the Markov chain's") {
  const auto c = compare("",
                         "horizon: 30d\nseed: 8\nreplications: 8\narrivals: {rate: 0.2/s}\n"
                         "components:\n  db: {failover_time: {exponential: {mean: 90s}}}\n"
                         "faults:\n  primary:\n    effect: database_primary_loss\n    component: db\n"
                         "    time_to_failure: {exponential: {mean: 4h}}\n    time_to_repair: {exponential: {mean: 1h}}\n");
  CHECK(c.analytic == doctest::Approx(sim::multi_az_database_availability(1.0 / (4 * 3600), 1.0 / 3600, 90)));
  check_brackets(c, 0.01);
}

TEST_CASE("zone outages: a Single-AZ database's availability is its zone's") {
  // The database's zone fails for a tenth of the time on average; the ALB and the tasks
  // survive in the other zone, so the route is up exactly when us-east-1a is.
  const auto c = compare("components: {db: {multi_az: false}}\n",
                         "horizon: 30d\nseed: 2\nreplications: 6\narrivals: {rate: 0.2/s}\n"
                         "faults:\n  a:\n    effect: zone_outage\n    zone: us-east-1a\n"
                         "    time_to_failure: {exponential: {mean: 9h}}\n    time_to_repair: {exponential: {mean: 1h}}\n");
  CHECK(c.steady_state == doctest::Approx(0.9));
  // Requests sent to the failed zone's ALB node and task before DNS and health checks drop
  // them would have failed anyway: the route is down with the database's zone. A transient
  // counts only on requests the route would have served, so none is subtracted here.
  CHECK(c.analytic == doctest::Approx(c.steady_state));
  check_brackets(c, 0.02);
}

TEST_CASE("analytic: a route down with its zone loses no transient on top: one hour in 24 is exactly 1 - 1/24") {
  // The Single-AZ database lives in us-east-1a: the route is down exactly while the zone is.
  // The hard ceiling is 1 - 1/24 = 95.83 %; subtracting detection transients as well would
  // fall below it (the double count the analytic model made before).
  const auto c = compare("components: {db: {multi_az: false}}\n",
                         "horizon: 24h\nwarmup: 0s\nseed: 3\nreplications: 4\narrivals: {rate: 2/s}\n"
                         "faults:\n  a: {zone: us-east-1a, effect: zone_outage, at: 10h, duration: 1h}\n");
  CHECK(c.steady_state == doctest::Approx(1 - 1.0 / 24));
  CHECK(c.analytic == doctest::Approx(1 - 1.0 / 24));
  check_brackets(c, 0.01);
}

TEST_CASE("analytic: scheduled outages are taken on their timeline, so disjoint outages of two zones never overlap") {
  // Four disjoint 30-minute outages alternate between the zones. The ALB and the tasks keep a
  // zone up throughout and the Multi-AZ database fails over, so the steady state is 100 %
  // (treated as independent random events it would be 1 - P(both down) < 1); what is lost
  // is the transients, which the simulation must bracket.
  const auto c = compare("",
                         "horizon: 6h\nwarmup: 0s\nseed: 6\nreplications: 8\narrivals: {rate: 20/s}\n"
                         "faults:\n"
                         "  a1: {zone: us-east-1a, effect: zone_outage, at: 1h, duration: 30m}\n"
                         "  b1: {zone: us-east-1b, effect: zone_outage, at: 2h, duration: 30m}\n"
                         "  a2: {zone: us-east-1a, effect: zone_outage, at: 3h, duration: 30m}\n"
                         "  b2: {zone: us-east-1b, effect: zone_outage, at: 4h, duration: 30m}\n");
  CHECK(c.steady_state == doctest::Approx(1.0));
  CHECK(c.analytic < 1);
  check_brackets(c, 0.005);
}

TEST_CASE("a scheduled zone outage: simulated availability against steady state minus first-order transients") {
  // us-east-1a fails for 30 minutes: half the clients hit its ALB node until DNS and the TTL
  // drop it, requests via the other node meet its dead task until health checks notice, and
  // the Multi-AZ database, whose primary is there, fails over. The analytic figure composes
  // those in series from their documented timings; it must lie in the simulated interval.
  const auto c = compare("",
                         "horizon: 4h\nseed: 12\nreplications: 8\narrivals: {rate: 20/s}\n"
                         "faults:\n  a: {fis_scenario: az-power-interruption, zone: us-east-1a, at: 1h}\n");
  CHECK(c.analytic < 1);
  check_brackets(c, 0.005);
}
