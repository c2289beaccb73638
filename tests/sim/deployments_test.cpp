// Deployments against arithmetic: CodeDeploy's linear shift moves traffic in ten steps a
// minute apart and holds two task sets for the documented window; a bad release's errors
// follow the share of traffic it gets; the rollback alarm acts after its datapoints; ECS
// rolling updates stay within minimum healthy and maximum percent; a failing canary and a slow
// release are rolled back.
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include <doctest/doctest.h>

#include "archsim/sim/simulate.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

using test::first_incident;
using test::has_incident;
using test::meter_total;
using test::run_good;

namespace {

/// The reference service behind its ALB only, two tasks, deploying blue/green with `config`.
std::string blue_green(const std::string& config, const std::string& extra = "") {
  return "components:\n"
         "  alb:\n    target_groups:\n      app-green: {protocol: HTTP, port: 8000, targets: app, health_check: {path: /health}}\n"
         "  app:\n    deployment:\n      strategy: blue_green\n"
         "      codedeploy: {config: " + config + ", load_balancer: alb, target_groups: [app, app-green], termination_wait: 10m}\n" +
         extra + "routes: {main: {hops: [users, alb, app]}}\n";
}

std::vector<double> incident_times(const sim::SimResult& r, std::string_view what) {
  std::vector<double> at;
  for (const auto& i : r.incidents) {
    if (i.what == what) at.push_back(static_cast<double>(i.at_ns) / 1e9);
  }
  return at;
}

std::size_t count_at(const sim::SimResult& r, std::string_view what, double at_s) {
  const auto times = incident_times(r, what);
  return static_cast<std::size_t>(std::count_if(times.begin(), times.end(), [&](double t) { return std::abs(t - at_s) < 1e-6; }));
}

double outcomes(const sim::SimResult& r, sim::Outcome o) { return static_cast<double>(r.overall.outcomes[static_cast<std::size_t>(o)]); }

// A launch: the 200 MB image at 60 s/GB (12 s) and a 20 s start.
const std::string kWorkload = "horizon: 2h\nseed: 11\narrivals: {rate: 5/s}\n" + test::zero_network_yaml() +
                              "components:\n  app: {launch_time: {constant: 20s}}\n";

}  // namespace

TEST_CASE("CodeDeploy linear 10 % every minute: ten shifts a minute apart, two task sets until the termination wait ends") {
  const auto r = run_good(blue_green("CodeDeployDefault.ECSLinear10PercentEvery1Minutes"),
                          kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
  CHECK(first_incident(r, "deployment_start") == doctest::Approx(3600));
  // Green runs 32 s after the start and is healthy at its first check, within one 30 s interval.
  const auto ready = first_incident(r, "replacement_ready");
  REQUIRE(ready.has_value());
  CHECK(*ready >= 3600 + 32);
  CHECK(*ready <= 3600 + 32 + 30);
  const auto shifts = incident_times(r, "traffic_shift");
  REQUIRE(shifts.size() == 10);
  for (std::size_t k = 0; k < shifts.size(); ++k) CHECK(shifts[k] == doctest::Approx(*ready + 60.0 * static_cast<double>(k)));
  CHECK(has_incident(r, "traffic_shift", "app: 10 % on release"));
  CHECK(has_incident(r, "traffic_shift", "app: 100 % on release"));
  // Blue stops after the last shift plus the 10-minute termination wait.
  const double done = shifts.back() + 600;
  CHECK(first_incident(r, "deployment_complete") == doctest::Approx(done));
  // Task-seconds: two tasks all along, plus the green pair from its launch at 1 h to the end
  // of the window (blue has no requests left by then, so it stops at once).
  const double billed = meter_total(r, "app", "task_seconds");
  CHECK(billed == doctest::Approx(2 * 7200.0 + 2 * (done - 3600)).epsilon(1e-6).scale(0));
  // The meter of what the deployment added holds exactly the green pair's window.
  CHECK(meter_total(r, "app", "deployment_task_seconds") == doctest::Approx(2 * (done - 3600)).epsilon(1e-6).scale(0));
  CHECK(r.deployments.started == 1);
  CHECK(r.deployments.completed == 1);
  // A good release on healthy tasks shifts without a failed request.
  CHECK(r.overall.errors() == 0);
}

TEST_CASE("CodeDeploy's other predefined configurations shift on their documented clocks; a test listener delays the first shift") {
  struct Case {
    std::string config;
    std::vector<double> offsets;  ///< of each shift from the first, seconds
    std::string last_share;
  };
  std::vector<Case> cases{{"CodeDeployDefault.ECSAllAtOnce", {0}, "100 %"},
                          {"CodeDeployDefault.ECSCanary10Percent5Minutes", {0, 300}, "100 %"},
                          {"CodeDeployDefault.ECSCanary10Percent15Minutes", {0, 900}, "100 %"},
                          {"CodeDeployDefault.ECSLinear10PercentEvery3Minutes", {}, "100 %"}};
  for (int k = 0; k < 10; ++k) cases.back().offsets.push_back(180.0 * k);
  for (const auto& c : cases) {
    CAPTURE(c.config);
    const auto r = run_good(blue_green(c.config), kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
    const auto ready = first_incident(r, "replacement_ready");
    REQUIRE(ready.has_value());
    const auto shifts = incident_times(r, "traffic_shift");
    REQUIRE(shifts.size() == c.offsets.size());
    for (std::size_t k = 0; k < shifts.size(); ++k) CHECK(shifts[k] == doctest::Approx(*ready + c.offsets[k]));
    CHECK(has_incident(r, "traffic_shift", "app: " + c.last_share + " on release"));
    CHECK(first_incident(r, "deployment_complete") == doctest::Approx(shifts.back() + 600));
  }
  // With a test listener, production traffic waits test_traffic_wait after green is ready.
  const std::string with_test = blue_green("CodeDeployDefault.ECSAllAtOnce");
  const std::string waited = with_test.substr(0, with_test.find("termination_wait: 10m}")) + "termination_wait: 10m, test_traffic_wait: 2m}" +
                             with_test.substr(with_test.find("termination_wait: 10m}") + std::string("termination_wait: 10m}").size());
  const auto r = run_good(waited, kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
  const auto ready = first_incident(r, "replacement_ready");
  REQUIRE(ready.has_value());
  CHECK(first_incident(r, "traffic_shift") == doctest::Approx(*ready + 120));
}

TEST_CASE("a bad release's errors follow the share of traffic each shift gives it") {
  // Every request on the new release fails: 10 %, 20 %, ... 90 % of the traffic for a minute
  // each (4.5 minutes of the whole rate), then all of it until the end of the run.
  const auto r = run_good(blue_green("CodeDeployDefault.ECSLinear10PercentEvery1Minutes"),
                          kWorkload + "deployments:\n  release: {service: app, at: 1h, release: {error_rate: 1}}\n");
  const auto shifts = incident_times(r, "traffic_shift");
  REQUIRE(shifts.size() == 10);
  const double expected = 5 * (4.5 * 60 + (7200 - shifts.back()));
  const double seen = outcomes(r, sim::Outcome::ReleaseError);
  CHECK(std::abs(seen - expected) <= 4 * std::sqrt(expected));
  CHECK_FALSE(has_incident(r, "rollback", "app"));  // no alarm, no rollback
}

TEST_CASE("the rollback alarm returns traffic to the original tasks after its datapoints") {
  // All at once onto a release failing 20 % of requests; the alarm fires after 3 one-minute
  // periods over 5 %. The minute of the shift may not breach, so the rollback comes 2 to 4
  // minutes after it, on a minute boundary; no release error after it.
  const auto r = run_good(blue_green("CodeDeployDefault.ECSAllAtOnce", "      alarm: {error_rate: 0.05, datapoints: 3}\n"),
                          kWorkload + "deployments:\n  bad: {service: app, at: 1h, release: {error_rate: 0.2}}\n");
  const auto shift = first_incident(r, "traffic_shift");
  const auto rollback = first_incident(r, "rollback");
  REQUIRE(shift.has_value());
  REQUIRE(rollback.has_value());
  CHECK(*rollback - *shift >= 120);
  CHECK(*rollback - *shift <= 240);
  CHECK(std::fmod(*rollback, 60.0) == doctest::Approx(0));
  const double expected = 5 * 0.2 * (*rollback - *shift);
  CHECK(std::abs(outcomes(r, sim::Outcome::ReleaseError) - expected) <= 4 * std::sqrt(expected));
  CHECK_FALSE(has_incident(r, "deployment_complete", "app"));
  CHECK(r.deployments.rolled_back == 1);
  CHECK(meter_total(r, "app", "deployment_task_seconds") == doctest::Approx(2 * (*rollback - 3600)).epsilon(1e-6).scale(0));
  // The replacement tasks stop at the rollback: billed from 1 h until then.
  CHECK(meter_total(r, "app", "task_seconds") == doctest::Approx(2 * 7200.0 + 2 * (*rollback - 3600)).epsilon(1e-6).scale(0));
}

TEST_CASE("a canary that fails is rolled back before the rest of the traffic moves; its errors are the canary's share") {
  // 10 % of the traffic on a release that fails every request: 10 % of the minute's requests
  // fail, above the alarm's 5 %. The first full minute after the shift breaches, so the
  // rollback comes within 2 minutes, long before the 5-minute canary wait ends: no second shift.
  const auto r = run_good(blue_green("CodeDeployDefault.ECSCanary10Percent5Minutes", "      alarm: {error_rate: 0.05, datapoints: 1}\n"),
                          kWorkload + "deployments:\n  bad: {service: app, at: 1h, release: {error_rate: 1}}\n");
  const auto shifts = incident_times(r, "traffic_shift");
  REQUIRE(shifts.size() == 1);
  const auto rollback = first_incident(r, "rollback");
  REQUIRE(rollback.has_value());
  CHECK(*rollback - shifts[0] <= 120);
  CHECK(std::fmod(*rollback, 60.0) == doctest::Approx(0));
  const double expected = 5 * 0.1 * (*rollback - shifts[0]);
  CHECK(std::abs(outcomes(r, sim::Outcome::ReleaseError) - expected) <= 4 * std::sqrt(expected));
  CHECK(r.deployments.rolled_back == 1);
}

TEST_CASE("a release that is only slow is rolled back by a response-time alarm, and only by one") {
  // All at once onto a release 1 s slower; the alarm fires after 2 one-minute periods whose
  // average target response time is above 500 ms (before, it is tens of ms). The minute of the
  // shift may not breach, so the rollback comes 1 to 3 minutes after it, on a minute boundary.
  const std::string deploy = kWorkload + "deployments:\n  slow: {service: app, at: 1h, release: {added_latency: {constant: 1s}}}\n";
  const auto r = run_good(blue_green("CodeDeployDefault.ECSAllAtOnce", "      alarm: {response_time: 500ms, datapoints: 2}\n"), deploy);
  const auto shift = first_incident(r, "traffic_shift");
  const auto rollback = first_incident(r, "rollback");
  REQUIRE(shift.has_value());
  REQUIRE(rollback.has_value());
  CHECK(*rollback - *shift >= 60);
  CHECK(*rollback - *shift <= 180);
  CHECK(std::fmod(*rollback, 60.0) == doctest::Approx(0));
  CHECK(r.deployments.rolled_back == 1);
  CHECK(has_incident(r, "rollback", "average response time"));
  // An error-rate alarm does not see it: the slow release ships.
  const auto shipped = run_good(blue_green("CodeDeployDefault.ECSAllAtOnce", "      alarm: {error_rate: 0.05, datapoints: 2}\n"), deploy);
  CHECK(shipped.deployments.rolled_back == 0);
  CHECK(shipped.deployments.completed == 1);
}

TEST_CASE("a replacement set that never becomes healthy fails the deployment after the ready timeout") {
  // Green cannot start (both NAT gateways, its only path to the image, are lost from just before
  // the deployment to the end of the run): CodeDeploy gives up after an hour and blue serves on.
  const std::string faults =
      "faults:\n  nat-a: {effect: nat_gateway_loss, component: nat-a, at: 59m, duration: 3h}\n"
      "  nat-b: {effect: nat_gateway_loss, component: nat-b, at: 59m, duration: 3h}\n";
  auto outcome = test::simulate_good(blue_green("CodeDeployDefault.ECSAllAtOnce"),
                                     test::workload("horizon: 3h\nseed: 3\narrivals: {rate: 5/s}\n" + test::zero_network_yaml() +
                                                    "components:\n  app: {launch_time: {constant: 20s}}\n" + faults +
                                                    "deployments:\n  release: {service: app, at: 1h}\n"));
  REQUIRE(outcome.result.has_value());
  const auto& r = *outcome.result;
  CHECK(has_incident(r, "launch_blocked", "app"));
  CHECK(first_incident(r, "rollback") == doctest::Approx(2 * 3600));
  CHECK(has_incident(r, "rollback", "not all healthy within 1h"));
  CHECK_FALSE(has_incident(r, "traffic_shift", "app"));
  CHECK(r.overall.errors() == 0);
}

TEST_CASE("ECS rolling updates stay within minimum healthy and maximum percent") {
  const std::string route = "routes: {main: {hops: [users, alb, app]}}\n";
  SUBCASE("100 % / 200 %: both new tasks start at once; an old one stops only when a new one is healthy") {
    const auto r = run_good("components:\n  app: {deployment: {strategy: rolling, minimum_healthy_percent: 100, maximum_percent: 200}}\n" + route,
                            kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
    CHECK(count_at(r, "task_launch", 3600) == 2);
    const auto healthy = first_incident(r, "target_healthy", "", 3600);
    const auto draining = first_incident(r, "task_draining", "", 3600);
    REQUIRE(healthy.has_value());
    REQUIRE(draining.has_value());
    CHECK(*draining >= *healthy);
    CHECK(first_incident(r, "deployment_complete") >= *draining);
    CHECK(r.overall.errors() == 0);
    // The surplus is the new pair from its launch at 1 h until each old task it displaces has
    // stopped: the sum of the old tasks' stops after 1 h, each 32 s of launch plus at most one
    // 30 s health-check interval and a short drain after it.
    double surplus = 0;
    int stopped = 0;
    for (double t : incident_times(r, "task_stopped")) {
      if (t < 3600) continue;
      surplus += t - 3600;
      ++stopped;
    }
    CHECK(stopped == 2);
    CHECK(meter_total(r, "app", "deployment_task_seconds") == doctest::Approx(surplus).epsilon(1e-6).scale(0));
    CHECK(surplus >= 2 * 32.0);
    CHECK(surplus <= 2 * (32.0 + 30 + 1));
  }
  SUBCASE("50 % / 100 %: one old task stops first, one new task starts in its room") {
    const auto r = run_good("components:\n  app: {deployment: {strategy: rolling, minimum_healthy_percent: 50, maximum_percent: 100}}\n" + route,
                            kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
    CHECK(count_at(r, "task_draining", 3600) == 1);
    // The maximum (2 tasks pending or running) lets one new task start once the first old one
    // drains (a draining task is DEACTIVATING and does not count), and the next only when a new
    // one is healthy and the second old one drains.
    const auto healthy = first_incident(r, "target_healthy", "", 3600);
    REQUIRE(healthy.has_value());
    const auto launches = incident_times(r, "task_launch");
    CHECK(std::count_if(launches.begin(), launches.end(), [&](double t) { return t >= 3600 && t < *healthy; }) == 1);
    CHECK(first_incident(r, "deployment_complete").has_value());
    // Never more than the two tasks the maximum allows, besides the drains (an old task with no
    // request in flight stops at once): billed at most 2 tasks all along.
    CHECK(meter_total(r, "app", "task_seconds") <= 2 * 7200.0 + 1e-6);
  }
  SUBCASE("a bad release is rolled back by a rolling update to the previous release") {
    const auto r = run_good("components:\n  app: {deployment: {strategy: rolling, alarm: {error_rate: 0.05, datapoints: 2}}}\n" + route,
                            kWorkload + "deployments:\n  bad: {service: app, at: 1h, release: {error_rate: 0.5}}\n");
    const auto rollback = first_incident(r, "rollback");
    REQUIRE(rollback.has_value());
    // Both new tasks serve once healthy; the alarm needs 2 breaching minutes after that.
    const auto healthy = first_incident(r, "target_healthy", "", 3600);
    REQUIRE(healthy.has_value());
    CHECK(*rollback <= *healthy + 3 * 60 + 30);
    // ...and no sooner than two minute boundaries after the first new task serves.
    CHECK(*rollback >= *healthy + 60);
    CHECK(r.deployments.rolled_back == 1);
    CHECK(r.deployments.completed == 0);
    const auto back = first_incident(r, "rollback_complete");
    REQUIRE(back.has_value());
    CHECK(*back > *rollback);
    // No bad task is left after the rollback completes: no release error in the last hour.
    std::uint64_t late = 0;
    for (std::size_t m = static_cast<std::size_t>(*back / 60) + 6; m < r.timeline.size(); ++m) late += r.timeline[m].errors;
    CHECK(late == 0);
  }
}

TEST_CASE("scheduled deployments fire on their cron schedule; a deployment waits for none") {
  const auto r = run_good(blue_green("CodeDeployDefault.ECSCanary10Percent5Minutes"),
                          "horizon: 2d\nseed: 5\narrivals: {rate: 1/s}\n" + test::zero_network_yaml() +
                              "deployments:\n  daily: {service: app, schedule: \"cron(0 14 ? * * *)\"}\n"
                              "  overlapping: {service: app, at: 14h2m}\n");
  const auto starts = incident_times(r, "deployment_start");
  REQUIRE(starts.size() == 2);
  CHECK(starts[0] == doctest::Approx(14 * 3600));
  CHECK(starts[1] == doctest::Approx(38 * 3600));
  // One deployment at a time per service: the one at 14:02 is skipped.
  CHECK(has_incident(r, "deployment_skipped", "app: overlapping"));
  // Canary: 10 %, then all of it 5 minutes later.
  const auto shifts = incident_times(r, "traffic_shift");
  REQUIRE(shifts.size() >= 2);
  CHECK(shifts[1] - shifts[0] == doctest::Approx(300));
}

TEST_CASE("deployments that cannot be written give located errors") {
  model::Diagnostics diagnostics;
  CHECK_FALSE(sim::decode_workload_text("arrivals: {rate: 1/s}\ndeployments:\n  d: {service: app, at: 1h, schedule: \"cron(0 14 ? * * *)\"}\n", "w.yaml", ".",
                                        diagnostics));
  REQUIRE(diagnostics.all().size() == 1);
  CHECK(diagnostics.all().front().message.find("exactly one of `at`") != std::string::npos);
  model::Diagnostics cron;
  CHECK_FALSE(sim::decode_workload_text("arrivals: {rate: 1/s}\ndeployments:\n  d: {service: app, schedule: \"cron(0 14 1 * ? *)\"}\n", "w.yaml", ".", cron));
  REQUIRE(cron.all().size() == 1);
  CHECK(cron.all().front().message.find("no dates") != std::string::npos);
  CHECK(cron.all().front().loc.line == 3);
  // A deployment of something that is not an ECS service, and steps behind an NLB.
  auto outcome = test::simulate_good("", test::workload("horizon: 1h\narrivals: {rate: 1/s}\ndeployments:\n  d: {service: db, at: 10m}\n"));
  REQUIRE(outcome.error.has_value());
  CHECK(outcome.error->diagnostic.message.find("deployments ship releases of ECS services") != std::string::npos);
  auto unknown = test::simulate_good(blue_green("CodeDeployDefault.ECSLinear10PercentEvery2Minutes"),
                                     test::workload("horizon: 1h\narrivals: {rate: 1/s}\ndeployments:\n  d: {service: app, at: 10m}\n"));
  REQUIRE(unknown.error.has_value());
  CHECK(unknown.error->diagnostic.message.find("did you mean") != std::string::npos);
}

TEST_CASE("blue/green keeps each task set at the desired count through a crash and a scale-out") {
  SUBCASE("a blue task crashes while green starts: ECS replaces it in the blue set") {
    const auto r = run_good(blue_green("CodeDeployDefault.ECSAllAtOnce"),
                            kWorkload + "faults:\n  crash: {effect: task_crash, component: app, tasks: 1, at: 1h10s}\n"
                                        "deployments:\n  release: {service: app, at: 1h}\n");
    const auto launches = incident_times(r, "task_launch");
    // Two green tasks at 1 h, one blue replacement 5 s (stop detection) after the crash.
    CHECK(std::count_if(launches.begin(), launches.end(), [](double t) { return t >= 3600 && t < 3660; }) == 3);
    CHECK(count_at(r, "task_launch", 3600) == 2);
    CHECK(count_at(r, "task_launch", 3615) == 1);
    CHECK(has_incident(r, "replacement_ready", "app: release (2 tasks)"));
    CHECK(r.deployments.completed == 1);
  }
  SUBCASE("a scheduled scale-out to 3 mid-deployment grows both sets") {
    // Two tasks from midnight (the run starts then), three from 01:01, a minute into the deployment.
    const std::string scaling =
        "    min_count: 2\n    max_count: 4\n    autoscaling:\n      scheduled:\n"
        "        night: {schedule: \"cron(0 0 ? * * *)\", min_capacity: 2, max_capacity: 2}\n"
        "        grow: {schedule: \"cron(1 1 ? * * *)\", min_capacity: 3, max_capacity: 4}\n";
    const auto r = run_good(blue_green("CodeDeployDefault.ECSAllAtOnce", scaling),
                            kWorkload + "deployments:\n  release: {service: app, at: 1h}\n");
    CHECK(count_at(r, "task_launch", 3600) == 2);
    CHECK(count_at(r, "task_launch", 3660) == 2);  // one blue, one green
    CHECK(r.deployments.completed == 1);
  }
}

TEST_CASE("a saturated service's queue wait reaches the response-time alarm as flows as it does request by request") {
  // Two tasks of one 100 ms slot and a 50-request queue at 25/s: 1.25 busy, the queues stay
  // full, a request waits about 5 s. A blue/green deployment with a 500 ms response-time alarm
  // is rolled back at both fidelities (as flows the wait is the saturated queue's, averaged
  // over the task slots by their share of the traffic).
  const std::string workload = "horizon: 2h\nseed: 11\narrivals: {rate: 25/s}\n" + test::zero_network_yaml() +
                               "components:\n  app: {launch_time: {constant: 20s}, service_time: {constant: 100ms}, concurrency: 1, "
                               "queue_length: 50}\n  alb: {service_time: 0s}\n"
                               "deployments:\n  same: {service: app, at: 1h}\n";
  for (const auto fidelity : {sim::Fidelity::Request, sim::Fidelity::Flow}) {
    CAPTURE(sim::fidelity_name(fidelity));
    sim::SimOptions options;
    options.fidelity = fidelity;
    const auto r = test::simulate_good(blue_green("CodeDeployDefault.ECSAllAtOnce", "      alarm: {response_time: 500ms, datapoints: 2}\n"),
                                       test::workload(workload), options);
    REQUIRE(!r.error);
    std::string incidents;
    for (const auto& i : r.result->incidents) incidents += std::to_string(i.at_ns / 1'000'000'000) + " " + i.what + " " + i.subject + "\n";
    CAPTURE(incidents);
    CHECK(r.result->deployments.rolled_back == 1);
    CHECK(has_incident(*r.result, "rollback", "average response time"));
  }
}
