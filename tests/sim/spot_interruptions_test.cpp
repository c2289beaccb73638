// Fargate Spot interruptions against arithmetic: the notice, the replacement ECS launches at
// it when the maximum percent allows, the kill at the stop timeout, and the availability the
// analytic model expects. The topology is the rule tests' reference design (an ALB in two
// zones, two ECS tasks behind it, image 200 MB: a 12 s pull), bought on Fargate Spot.
#include <string>

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "archsim/sim/analytic.hpp"
#include "archsim/sim/statistics.hpp"
#include "fixture.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

namespace {

/// The reference design (with `overrides`), its capacity bought on Spot or on demand.
model::TopologySpec topology(const std::string& overrides, bool spot) {
  const auto loaded = testing::load_good(overrides);
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  model::TopologySpec t = loaded.scenario->alternatives.front().topology;
  t.fargate_spot = spot;
  return t;
}

sim::SimResult run(const std::string& overrides, bool spot, const std::string& workload_yaml, int threads = 1) {
  auto outcome = sim::simulate(topology(overrides, spot), test::workload(workload_yaml), sim::builtin_sim_defaults(),
                               sim::SimOptions{.threads = threads});
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  return *outcome.result;
}

/// One notice at 1 h to one running task; launches take exactly 20 s after the 12 s pull.
const std::string kOneNotice =
    "horizon: 2h\nseed: 1\nreplications: 3\narrivals: {rate: 5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n"
    "faults:\n  reclaim:\n    effect: spot_interruption\n    component: app\n    at: 1h\n    tasks: 1\n";

}  // namespace

TEST_CASE("a Spot notice: the replacement launches at once, the task serves until its stop timeout, then stops") {
  const auto r = run("", true, kOneNotice);
  CHECK(test::first_incident(r, "spot_interruption_notice", "app/") == doctest::Approx(3600));
  CHECK(test::first_incident(r, "task_launch", "app/", 3600) == doctest::Approx(3600));  // maximum 200 %: room for one more
  CHECK(test::first_incident(r, "task_running", "app/", 3600) == doctest::Approx(3600 + 12 + 20));
  // ECS's default stopTimeout, 30 s: the container is killed and the task deregistered then.
  CHECK(test::first_incident(r, "spot_task_stopped", "app/") == doctest::Approx(3630));
  CHECK(test::first_incident(r, "task_stopped", "app/") == doctest::Approx(3630));
  CHECK(r.exercised.at("reclaim") == 3);
  CHECK(r.assumptions.empty());
  for (const auto& rep : r.per_replication) {
    // Out of service from the kill (3,630 s) to the replacement's first passing check, which
    // falls within one 30 s interval of its start (3,632 s): 2 s to 32 s.
    CHECK(rep.longest_below_desired_seconds >= 2 - 1e-6);
    CHECK(rep.longest_below_desired_seconds <= 32 + 1e-6);
    REQUIRE(rep.capacity_at_end.size() == 1);
    CHECK(rep.capacity_at_end.front().in_service == 2);
  }
  // Only the requests in flight at the kill fail: a few at 5 requests a second.
  CHECK(r.overall.outcomes[static_cast<std::size_t>(sim::Outcome::TargetDown)] <= 3 * 3);

  SUBCASE("the flow model runs the same platform: the same notice, launch and stop") {
    const auto flow = run("", true, kOneNotice + "fidelity: flow\n");
    CHECK(flow.fidelity == sim::Fidelity::Flow);
    CHECK(test::first_incident(flow, "spot_interruption_notice", "app/") == doctest::Approx(3600));
    CHECK(test::first_incident(flow, "task_running", "app/", 3600) == doctest::Approx(3600 + 12 + 20));
    CHECK(test::first_incident(flow, "spot_task_stopped", "app/") == doctest::Approx(3630));
    CHECK(flow.exercised.at("reclaim") == 3);
  }

  SUBCASE("a stop timeout of 60 s keeps the task serving until its replacement runs") {
    std::string w = kOneNotice;
    w.replace(w.find("{constant: 20s}}"), 16, "{constant: 20s}, stop_timeout: 60s}");
    const auto longer = run("", true, w);
    CHECK(test::first_incident(longer, "spot_task_stopped", "app/") == doctest::Approx(3660));
  }
}

TEST_CASE("the replacement of a Spot task goes to the zone the task leaves") {
  // At 1 h the task in us-east-1a is reclaimed and replaced there; at 2 h the one in
  // us-east-1b is: counting the leaving task, both zones would hold one task and the tie
  // would put the replacement in us-east-1a, leaving the service in one zone.
  const auto r = run("", true, kOneNotice + "  again:\n    effect: spot_interruption\n    component: app\n    at: 2h\n    tasks: 1\n");
  CHECK(test::has_incident(r, "spot_interruption_notice", "(us-east-1b)"));
  const auto second = test::first_incident(r, "task_launch", "app/", 7200);
  REQUIRE(second.has_value());
  CHECK(*second == doctest::Approx(7200));
  bool in_b = false;
  for (const auto& i : r.incidents) in_b = in_b || (i.what == "task_launch" && i.at_ns == 7200 * 1000000000ll && i.subject.find("(us-east-1b)") != std::string::npos);
  CHECK(in_b);
}

TEST_CASE("a Spot notice with maximum_percent 100: no room for a replacement until the task has stopped") {
  const auto r = run("components: {app: {deployment: {maximum_percent: 100}}}\n", true, kOneNotice);
  CHECK(test::first_incident(r, "spot_task_stopped", "app/") == doctest::Approx(3630));
  CHECK(test::first_incident(r, "task_launch", "app/", 3600) == doctest::Approx(3630));
  CHECK(test::first_incident(r, "task_running", "app/", 3600) == doctest::Approx(3630 + 12 + 20));
  for (const auto& rep : r.per_replication) {
    CHECK(rep.longest_below_desired_seconds >= 32 - 1e-6);
    CHECK(rep.longest_below_desired_seconds <= 62 + 1e-6);
  }
}

TEST_CASE("Spot interruptions hit only alternatives on Spot, and a Spot alternative without a rate says what it assumed") {
  const auto on_demand = run("", false, kOneNotice);
  CHECK_FALSE(test::first_incident(on_demand, "spot_interruption_notice").has_value());
  CHECK(on_demand.exercised.count("reclaim") == 0);  // the fault does not apply: never "exercised"
  CHECK(on_demand.assumptions.empty());

  const auto unrated = run("", true, "horizon: 1h\nseed: 1\narrivals: {rate: 1/s}\n");
  REQUIRE(unrated.assumptions.size() == 1);
  CHECK(unrated.assumptions.front().find("app: runs on Fargate Spot") == 0);
  CHECK(unrated.assumptions.front().find("AWS publishes no interruption rate") != std::string::npos);
  const auto mixed = run("components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, "
                         "{capacity_provider: FARGATE_SPOT, weight: 1}]}}\n",
                         false, "horizon: 1h\nseed: 1\narrivals: {rate: 1/s}\n");
  REQUIRE(mixed.assumptions.size() == 1);
  CHECK(mixed.assumptions.front().find("app: runs partly on Fargate Spot") == 0);
}

TEST_CASE("stochastic Spot interruptions: the simulated availability brackets the analytic model's") {
  // One task (so every gap is an outage), a notice every hour on average, launches of exactly
  // 20 s, a stop timeout of 10 s: the replacement runs 12 + 20 s after the notice (and, the
  // only target, takes requests before its first health check), the task is killed at 10 s,
  // so each notice costs 12 + 20 - 10 = 22 s: availability 3600 / 3622.
  const std::string overrides = "components: {app: {desired_count: 1}}\n";
  const std::string w =
      "horizon: 10d\nseed: 11\nreplications: 6\narrivals: {rate: 0.5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}, stop_timeout: 10s}\n"
      "faults:\n  reclaim:\n    effect: spot_interruption\n    component: app\n    time_to_failure: {exponential: {mean: 1h}}\n";
  const auto r = run(overrides, true, w, 2);
  std::vector<double> samples;
  for (const auto& rep : r.per_replication) samples.push_back(rep.availability);
  const auto simulated = sim::estimate(samples);
  std::string error;
  const auto analytic = sim::analyse_availability(topology(overrides, true), test::workload(w), sim::builtin_sim_defaults(), error);
  REQUIRE_MESSAGE(analytic.has_value(), error);
  CAPTURE(simulated.mean);
  CAPTURE(simulated.half_width);
  CHECK(analytic->availability == doctest::Approx(3600.0 / 3622).epsilon(2e-5).scale(0));
  CHECK(simulated.half_width < 0.002);
  CHECK(simulated.low() <= analytic->availability);
  CHECK(analytic->availability <= simulated.high());
  // On demand, the same workload loses nothing to Spot.
  const auto steady = sim::analyse_availability(topology(overrides, false), test::workload(w), sim::builtin_sim_defaults(), error);
  REQUIRE(steady.has_value());
  CHECK(steady->availability > analytic->availability);
}

TEST_CASE("spot_interruption entries: located errors for what a Spot notice cannot have") {
  const auto errors = test::workload_errors;
  const std::string head = "arrivals: {rate: 1/s}\nfaults:\n";
  CHECK(errors(head + "  x: {effect: spot_interruption, component: app, at: 1h, duration: 1m}\n").find("a Spot interruption is instantaneous") !=
        std::string::npos);
  CHECK(errors(head + "  x: {effect: spot_interruption, component: app, time_to_failure: {exponential: {mean: 1d}}, "
                      "time_to_repair: {exponential: {mean: 1h}}}\n")
            .find("remove time_to_repair") != std::string::npos);
  CHECK(errors(head + "  x: {effect: spot_interruption, component: app, time_to_failure: {exponential: {mean: 1d}}, tasks: 2}\n")
            .find("a stochastic Spot interruption hits each task on its own clock") != std::string::npos);
  CHECK(errors(head + "  x: {effect: dependency_slow, component: app, at: 1h, duration: 1m, added_latency: {constant: 1s}, tasks: 2}\n")
            .find("applies to task_crash and spot_interruption faults only") != std::string::npos);
  CHECK(errors("arrivals: {rate: 1/s}\ncomponents:\n  app: {stop_timeout: 121s}\n").find("w.yaml:3:23") != std::string::npos);
}

TEST_CASE("pricing.fargate reaches each alternative's topology, the alternative's own replacing the scenario's") {
  const auto loaded = testing::load_text(
      "archsim: 1\nname: spot\nregion: us-east-1\npricing: {fargate: spot}\nalternatives:\n"
      "  spot:\n    title: on Spot\n    topology: good_topology.yaml\n"
      "  steady:\n    title: on demand\n    pricing: {fargate: on_demand}\n    topology: good_topology.yaml\n");
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  REQUIRE(loaded.scenario->alternatives.size() == 2);
  CHECK(loaded.scenario->alternatives[0].topology.fargate_spot);
  CHECK_FALSE(loaded.scenario->alternatives[1].topology.fargate_spot);
}

TEST_CASE("a capacity provider strategy: the base on FARGATE, the rest on Spot, and only the Spot tasks are reclaimed") {
  // Four tasks, one on FARGATE as the base and three on FARGATE_SPOT; a notice to every running
  // task at 1 h reaches only the three on Spot, whose replacements go back to Spot.
  const std::string overrides =
      "components: {app: {desired_count: 4, capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, "
      "{capacity_provider: FARGATE_SPOT, weight: 1}]}}\n";
  const std::string w = "horizon: 2h\nseed: 3\nreplications: 2\narrivals: {rate: 5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n"
                        "faults:\n  wave:\n    effect: spot_interruption\n    component: app\n    at: 1h\n    tasks: 4\n";
  for (const std::string fidelity : {"", "fidelity: flow\n"}) {
    CAPTURE(fidelity);
    const auto r = run(overrides, false, w + fidelity);
    int notices = 0;
    for (const auto& i : r.incidents) notices += i.what == "spot_interruption_notice" ? 1 : 0;
    CHECK(notices == 3);  // incidents are the first replication's
    CHECK(r.exercised.at("wave") == 2);
    // Billed time: four tasks for 2 h, the replacements' overlap with the reclaimed tasks (from
    // the notice to the 30 s stop timeout) all on Spot.
    const double all = test::meter_total(r, "app", "task_seconds") + test::meter_total(r, "app", "minimum_top_up_seconds");
    const double spot = test::meter_total(r, "app", "spot_task_seconds");
    CHECK(all == doctest::Approx(2 * (4 * 7200.0 + 3 * 30)).epsilon(1e-9).scale(0));
    CHECK(spot == doctest::Approx(2 * (3 * 7200.0 + 3 * 30)).epsilon(1e-9).scale(0));
  }
  // Without a strategy the same alternative on demand has no Spot tasks and no Spot meter.
  const auto on_demand = run("components: {app: {desired_count: 4}}\n", false, w);
  CHECK_FALSE(test::first_incident(on_demand, "spot_interruption_notice").has_value());
  CHECK(test::meter_total(on_demand, "app", "spot_task_seconds") == 0);
}

TEST_CASE("a capacity provider strategy's Spot share brackets the analytic availability, which reclaims only the Spot tasks") {
  // Two tasks, one on each provider (FARGATE base 1, then Spot); a notice every hour on average
  // to the Spot one. With both serving, the service is down only while both are: never, as the
  // on-demand task stays, so the loss is the requests in flight at each kill.
  const std::string overrides =
      "components: {app: {desired_count: 2, capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, "
      "{capacity_provider: FARGATE_SPOT, weight: 1}]}}\n";
  const std::string w =
      "horizon: 5d\nseed: 5\nreplications: 4\narrivals: {rate: 0.5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}, stop_timeout: 10s}\n"
      "faults:\n  reclaim:\n    effect: spot_interruption\n    component: app\n    time_to_failure: {exponential: {mean: 1h}}\n";
  const auto r = run(overrides, false, w, 2);
  std::string error;
  const auto analytic = sim::analyse_availability(topology(overrides, false), test::workload(w), sim::builtin_sim_defaults(), error);
  REQUIRE_MESSAGE(analytic.has_value(), error);
  const auto all_spot = sim::analyse_availability(topology("components: {app: {desired_count: 2}}\n", true), test::workload(w),
                                                  sim::builtin_sim_defaults(), error);
  REQUIRE(all_spot.has_value());
  CHECK(analytic->availability > all_spot->availability);
  std::vector<double> samples;
  for (const auto& rep : r.per_replication) samples.push_back(rep.availability);
  const auto simulated = sim::estimate(samples);
  CAPTURE(simulated.mean);
  CHECK(simulated.low() <= analytic->availability + 1e-4);
  CHECK(analytic->availability - 1e-4 <= simulated.high());
  // About 120 notices a replication, each to the one Spot task.
  CHECK(test::meter_total(r, "app", "spot_task_seconds") > 0.45 * test::meter_total(r, "app", "task_seconds"));
}

TEST_CASE("Spot capacity unavailable: a reclaimed task's replacement waits for capacity, and a FARGATE base keeps serving") {
  // Spot is short from 50 m for an hour; at 1 h both tasks are reclaimed. Their replacements
  // cannot launch on Spot (ECS does not move them on demand) and wait for ECS's retry after
  // capacity returns at 110 m; a FARGATE base keeps one task serving all along.
  const std::string w = kOneNotice.substr(0, kOneNotice.find("faults:")) +
                        "faults:\n  short:\n    effect: spot_capacity_unavailable\n    component: app\n    at: 50m\n    duration: 1h\n"
                        "  wave:\n    effect: spot_interruption\n    component: app\n    at: 1h\n    tasks: 2\n";
  const auto all_spot = run("", true, w);
  CHECK(test::has_incident(all_spot, "launch_blocked", "Fargate Spot capacity unavailable"));
  const auto relaunch = test::first_incident(all_spot, "task_launch", "app/", 3600);
  REQUIRE(relaunch.has_value());
  CHECK(*relaunch >= 6600);
  CHECK(*relaunch <= 6600 + 60);  // the next retry (launch_retry 60 s)
  for (const auto& rep : all_spot.per_replication) {
    // Nothing serves from the kill (3,630 s) until a replacement runs: at least 6,600 + 32 - 3,630 s.
    CHECK(rep.longest_below_desired_seconds >= 3002 - 1e-6);
  }
  CHECK(all_spot.exercised.at("short") == 3);

  const auto with_base = run("components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, "
                             "{capacity_provider: FARGATE_SPOT, weight: 1}]}}\n",
                             false, w);
  int notices = 0;
  for (const auto& i : with_base.incidents) notices += i.what == "spot_interruption_notice" ? 1 : 0;
  CHECK(notices == 1);  // the base task is on FARGATE
  CHECK(with_base.availability() > all_spot.availability());
  // On demand, neither fault applies.
  const auto on_demand = run("", false, w);
  CHECK_FALSE(test::has_incident(on_demand, "launch_blocked", "app"));
}

TEST_CASE("spot_capacity_unavailable entries: a duration or a repair time, no tasks") {
  const auto errors = test::workload_errors;
  const std::string head = "arrivals: {rate: 1/s}\nfaults:\n";
  CHECK(errors(head + "  x: {effect: spot_capacity_unavailable, component: app, at: 1h}\n").find("a scheduled fault needs a `duration` above 0") !=
        std::string::npos);
  CHECK(errors(head + "  x: {effect: spot_capacity_unavailable, component: app, at: 1h, duration: 1h, tasks: 2}\n")
            .find("applies to task_crash and spot_interruption faults only") != std::string::npos);
  CHECK(errors(head + "  x: {effect: spot_capacity_unavailable, component: app, time_to_failure: {exponential: {mean: 1d}}}\n")
            .find("needs `time_to_repair`") != std::string::npos);
}
