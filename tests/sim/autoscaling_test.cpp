// ECS Service Auto Scaling against arithmetic: cron schedules on the run's clock, a nightly
// scale to zero (hours at zero, 503s at the arrival rate, task-hours saved), and target
// tracking that waits for its datapoints before it scales out, and step policies that join the
// same largest-capacity choice.
#include <cmath>
#include <optional>

#include <doctest/doctest.h>

#include "archsim/model/schedule.hpp"
#include "archsim/sim/analytic.hpp"
#include "fixture.hpp"
#include "archsim/sim/simulate.hpp"
#include "sim_fixture.hpp"

using namespace archsim;
using model::Duration;

using test::first_incident;
using test::meter_total;
using test::run_good;

namespace {

/// One task slot, 100 ms a request: 2 requests/s (20 % CPU on one task), times `multiplier`
/// for 30 minutes from 1 h.
std::string burst_at_1h(const std::string& horizon, const std::string& multiplier) {
  return "horizon: " + horizon + "\nseed: 7\narrivals: {rate: 2/s, bursts: [{start: 1h, duration: 30m, multiplier: " + multiplier +
         "}]}\ncomponents:\n  app: {service_time: 100ms, concurrency: 1, queue_length: 10000}\n";
}

/// The reference service `app` with its count and range, ready for an `autoscaling:` block.
std::string app_service(int desired, int min, int max) {
  return "components:\n  app:\n    desired_count: " + std::to_string(desired) + "\n    min_count: " + std::to_string(min) +
         "\n    max_count: " + std::to_string(max) + "\n";
}

/// A step policy on CPU above 50 %: +1 task up to 30 points over, +3 beyond, after
/// `datapoints` breaching minutes.
std::string cpu_step_out(int datapoints) {
  return "      step_scaling:\n        - {metric: cpu, threshold: 50, datapoints: " + std::to_string(datapoints) +
         ", steps: [{lower: 0, upper: 30, change: 1}, {lower: 30, change: 3}]}\n";
}

}  // namespace

TEST_CASE("cron schedules fire at their minute, hour and weekday, with steps, in a fixed-offset time zone") {
  std::string why;
  const auto weekdays = model::parse_cron("cron(0 20 ? * MON-FRI *)", "UTC", why);
  REQUIRE(weekdays.has_value());
  // The run starts at midnight on Monday (weekday 0).
  CHECK(weekdays->next_after(Duration::minutes(-1), 0) == Duration::hours(20));
  CHECK(weekdays->next_after(Duration::hours(20), 0) == Duration::hours(44));
  CHECK(weekdays->next_after(Duration::days(4) + Duration::hours(20), 0) == Duration::days(7) + Duration::hours(20));
  const auto berlin_summer = model::parse_cron("cron(30 7 ? * * *)", "UTC+02:00", why);
  REQUIRE(berlin_summer.has_value());
  CHECK(berlin_summer->next_after(Duration::minutes(-1), 0) == Duration::hours(5) + Duration::minutes(30));
  const auto sundays = model::parse_cron("cron(0 0 ? * 1 *)", "UTC", why);  // AWS numbers Sunday 1
  REQUIRE(sundays.has_value());
  CHECK(sundays->next_after(Duration::minutes(-1), 0) == Duration::days(6));
  CHECK_FALSE(model::parse_cron("cron(0 20 1 * ? *)", "UTC", why));
  CHECK(why.find("no dates") != std::string::npos);
  // IANA names: a zone without daylight saving at its offset; one with it refused, both named.
  const auto tokyo = model::parse_cron("cron(0 9 ? * * *)", "Asia/Tokyo", why);
  REQUIRE(tokyo.has_value());
  CHECK(tokyo->next_after(Duration::minutes(-1), 0) == Duration::hours(0));  // 09:00 in Tokyo is 00:00 UTC
  const auto kolkata = model::parse_cron("cron(0 9 ? * * *)", "Asia/Kolkata", why);
  REQUIRE(kolkata.has_value());
  CHECK(kolkata->utc_offset == Duration::minutes(5 * 60 + 30));
  CHECK_FALSE(model::parse_cron("cron(0 20 ? * MON-FRI *)", "Europe/Berlin", why));
  CHECK(why.find("Europe/Berlin observes daylight saving time (UTC+01:00 in winter, UTC+02:00 in summer)") != std::string::npos);
  CHECK_FALSE(model::parse_cron("cron(0 20 ? * MON-FRI *)", "Mars/Olympus", why));
  CHECK(why.find("expected a time zone: UTC, a fixed offset") != std::string::npos);
  CHECK_FALSE(model::parse_cron("rate(5 minutes)", "UTC", why));
  // A step from a start value runs to the end of the field: 0/15 is minutes 0, 15, 30 and 45.
  const auto quarters = model::parse_cron("cron(0/15 8 ? * * *)", "UTC", why);
  REQUIRE(quarters.has_value());
  CHECK(quarters->next_after(Duration::hours(8), 0) == Duration::hours(8) + Duration::minutes(15));
  CHECK(quarters->next_after(Duration::hours(8) + Duration::minutes(45), 0) == Duration::days(1) + Duration::hours(8));
  const auto offset = model::parse_cron("cron(5/20 * ? * * *)", "UTC", why);
  REQUIRE(offset.has_value());
  CHECK(offset->next_after(Duration::minutes(25), 0) == Duration::minutes(45));
  CHECK(offset->next_after(Duration::minutes(45), 0) == Duration::hours(1) + Duration::minutes(5));
  CHECK_FALSE(model::parse_cron("cron(0 8 ? * 2/2 *)", "UTC", why));
  CHECK(why.find("days of week 1-7 or SUN-SAT (as *, lists or ranges)") != std::string::npos);
}

TEST_CASE("a nightly scale to zero: 503s at the arrival rate while at zero, task-hours saved by the hours at zero") {
  // Two tasks from 07:00 to 20:00, none at night. The run starts at midnight, so the night
  // action (the last before the start) leaves it at zero until 07:00. A launch takes the
  // 200 MB image pull (12 s) plus a 20 s start.
  const std::string overrides =
      "components:\n  app:\n    desired_count: 2\n    min_count: 0\n    max_count: 2\n    autoscaling:\n      scheduled:\n"
      "        night: {schedule: \"cron(0 20 ? * * *)\", min_capacity: 0, max_capacity: 0}\n"
      "        morning: {schedule: \"cron(0 7 ? * * *)\", min_capacity: 2, max_capacity: 2}\n";
  const double rate = 2;
  const auto r = run_good(overrides, "horizon: 2d\nseed: 4\narrivals: {rate: 2/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n");
  CHECK(first_incident(r, "scale_out") == doctest::Approx(7 * 3600));
  CHECK(first_incident(r, "task_running") == doctest::Approx(7 * 3600 + 32));
  CHECK(first_incident(r, "scale_in", "", 1) == doctest::Approx(20 * 3600));
  // At zero: [0, 7h + 32 s), [20h, 31h + 32 s), [44h, 48h).
  const double zero_s = (7 * 3600 + 32) + (11 * 3600 + 32) + 4 * 3600;
  // The meters behind the report's line: time at zero, two returns of 32 s each.
  CHECK(meter_total(r, "app", "seconds_at_zero") == doctest::Approx(zero_s).epsilon(1e-9).scale(0));
  CHECK(meter_total(r, "app", "scale_outs_from_zero") == 2);
  CHECK(meter_total(r, "app", "seconds_to_first_task") == doctest::Approx(2 * 32.0).epsilon(1e-9).scale(0));
  const double expected_503 = rate * zero_s;
  const auto refused = static_cast<double>(r.overall.outcomes[static_cast<std::size_t>(sim::Outcome::NoHealthyTarget)]);
  CHECK(std::abs(refused - expected_503) <= 4 * std::sqrt(expected_503));
  // Billed from the image pull at 07:00 to the stop at 20:00 (draining ends at once at this
  // rate, or within the 300 s deregistration delay): 2 tasks x 13 h x 2 days.
  const double billed = meter_total(r, "app", "task_seconds");
  CHECK(billed >= 2 * 2 * 13 * 3600.0);
  CHECK(billed <= 2 * 2 * 13 * 3600.0 + 2 * 2 * 300);
  // What the nights save: the hours at zero times the task count, against running all along.
  CHECK(2 * 48 * 3600.0 - billed == doctest::Approx(2 * (7 + 11 + 4) * 3600.0).epsilon(0.01).scale(0));
  // The analytic model reads the same schedule: available outside the time at zero.
  const auto loaded = testing::load_good(overrides);
  std::string error;
  const auto analytic = sim::analyse_availability(loaded.scenario->alternatives.front().topology,
                                                  test::workload("horizon: 2d\nseed: 4\narrivals: {rate: 2/s}\n"
                                                                 "components:\n  app: {launch_time: {constant: 20s}}\n"),
                                                  sim::builtin_sim_defaults(), error);
  REQUIRE(analytic.has_value());
  CHECK(analytic->availability == doctest::Approx(1 - zero_s / (48 * 3600.0)).epsilon(0.001).scale(0));
  CHECK(r.availability() == doctest::Approx(analytic->availability).epsilon(0.01).scale(0));
}

TEST_CASE("analytic: a service at desired_count 0 that a schedule brings up is available while it is up, not never") {
  // Zero tasks by default; one from 07:00 to 20:00 (13 h a day) by schedule. Over two days
  // from midnight the service is at zero [0, 7h + 32 s), [20h, 31h + 32 s), [44h, 48h).
  const std::string overrides =
      "components:\n  app:\n    desired_count: 0\n    min_count: 0\n    max_count: 1\n    autoscaling:\n      scheduled:\n"
      "        night: {schedule: \"cron(0 20 ? * * *)\", min_capacity: 0, max_capacity: 0}\n"
      "        morning: {schedule: \"cron(0 7 ? * * *)\", min_capacity: 1, max_capacity: 1}\n";
  const std::string workload = "horizon: 2d\nwarmup: 0s\nseed: 4\narrivals: {rate: 2/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n";
  const double zero_s = (7 * 3600 + 32) + (11 * 3600 + 32) + 4 * 3600;
  const auto r = run_good(overrides, workload);
  const auto loaded = testing::load_good(overrides);
  std::string error;
  const auto analytic =
      sim::analyse_availability(loaded.scenario->alternatives.front().topology, test::workload(workload), sim::builtin_sim_defaults(), error);
  REQUIRE(analytic.has_value());
  CHECK(analytic->availability == doctest::Approx(1 - zero_s / (48 * 3600.0)).epsilon(0.001).scale(0));
  CHECK(r.availability() == doctest::Approx(analytic->availability).epsilon(0.01).scale(0));
}

TEST_CASE("target tracking scales out no earlier than datapoints x period after the load steps up, and back in later") {
  // One task, one slot, 100 ms per request: CPU is the utilisation, 2/s x 0.1 s = 20 %. At
  // 1 h the rate quadruples (80 %, above the 50 % target): after 3 one-minute datapoints above
  // target the policy asks for ceil(1 x 80 / 50) = 2 tasks.
  const std::string overrides =
      app_service(1, 1, 4) +
        "    autoscaling: {target_tracking: [{metric: cpu, target: 50}]}\n";
  const auto r = run_good(overrides,
                     burst_at_1h("3h", "4"));
  const auto out = first_incident(r, "scale_out");
  REQUIRE(out.has_value());
  CHECK(*out >= 3600 + 3 * 60);
  CHECK(*out <= 3600 + 4 * 60);
  CHECK(test::has_incident(r, "scale_out", "1 -> 2"));
  // Scale-in needs 15 datapoints in a row more than 10 % below target, counted afresh after
  // a scaling action. (With two tasks at 40 % each, this load scales in again during the
  // burst and back out: target tracking flaps on a load between its thresholds, as in AWS.)
  const auto in = first_incident(r, "scale_in");
  REQUIRE(in.has_value());
  CHECK(*in - *out >= 15 * 60);
}

TEST_CASE("step scaling applies the step whose interval holds the breach, after its datapoints") {
  // CPU 20 % at 2/s on one task (100 ms each); at 1 h the rate goes to 9.5/s: 95 %, 45 points
  // above the 50 % threshold, in the [30, inf) step: +3 tasks, after 2 breaching minutes.
  const auto r = run_good(app_service(1, 1, 6) + "    autoscaling:\n" + cpu_step_out(2), burst_at_1h("90m", "4.75"));
  const auto out = first_incident(r, "scale_out");
  REQUIRE(out.has_value());
  CHECK(*out >= 3600 + 2 * 60);
  CHECK(*out <= 3600 + 3 * 60);
  CHECK(test::has_incident(r, "scale_out", "1 -> 4"));
}

TEST_CASE("several target-tracking policies: the largest capacity wins, out when any is ready, in only when all are") {
  SUBCASE("scale-out goes to the larger of the two counts") {
    // A 4x burst: CPU 80 % on one task asks for ceil(80 / 50) = 2 tasks; 480 requests a minute
    // against 200 per target ask for ceil(480 / 200) = 3. Application Auto Scaling takes 3.
    const std::string overrides =
        app_service(1, 1, 6) +
        "    autoscaling: {target_tracking: [{metric: cpu, target: 50}, {metric: alb_requests_per_target, target: 200}]}\n";
    const auto r = run_good(overrides,
                            burst_at_1h("2h", "4"));
    const auto out = first_incident(r, "scale_out");
    REQUIRE(out.has_value());
    CHECK(*out >= 3600 + 3 * 60);
    CHECK(test::has_incident(r, "scale_out", "1 -> 3 (alb_requests_per_target"));
  }
  SUBCASE("a policy not ready to scale in holds the other back") {
    // Two tasks at 54 requests/s, 10 ms each: CPU about 38 % (27 % of work, the rest the wait
    // on the database), below 90 % of its 50 % target, so
    // the CPU policy alone scales in after 15 datapoints. The request policy sees about
    // 1,620 a minute per target against 1,700: neither above it nor below 1,530 (the
    // per-target count's standard deviation is about 28), so with both no scale-in comes.
    const std::string workload =
        "horizon: 2h\nseed: 3\narrivals: {rate: 54/s}\ncomponents:\n  app: {service_time: 10ms, concurrency: 1, queue_length: 1000}\n";
    const std::string service = app_service(2, 1, 4);
    const auto cpu_only = run_good(service + "    autoscaling: {target_tracking: [{metric: cpu, target: 50}]}\n", workload);
    CHECK(first_incident(cpu_only, "scale_in").has_value());
    const auto both = run_good(service + "    autoscaling: {target_tracking: [{metric: cpu, target: 50}, "
                                         "{metric: alb_requests_per_target, target: 1700}]}\n",
                               workload);
    CHECK_FALSE(first_incident(both, "scale_in").has_value());
    CHECK_FALSE(first_incident(both, "scale_out").has_value());
  }
  SUBCASE("the scale-in margin is data: at 50 % below target these tasks stay") {
    // The same CPU policy, its datapoints near 38 % (their 27 % and the wait on the database):
    // under 90 % of 50 (behaviour.yaml's 10 % margin) they scale in; under 50 % of it, not.
    const std::string service = app_service(2, 1, 4) + "    autoscaling: {target_tracking: [{metric: cpu, target: 50}]}\n";
    const std::string workload =
        "horizon: 2h\nseed: 3\narrivals: {rate: 54/s}\ncomponents:\n  app: {service_time: 10ms, concurrency: 1, queue_length: 1000";
    CHECK(first_incident(run_good(service, workload + "}\n"), "scale_in").has_value());
    CHECK_FALSE(first_incident(run_good(service, workload + ", scale_in_margin: 0.5}\n"), "scale_in").has_value());
    model::Diagnostics d;
    CHECK_FALSE(sim::decode_workload_text("arrivals: {rate: 1/s}\ncomponents:\n  app: {scale_in_margin: 1}\n", "w.yaml", ".", d));
    REQUIRE(d.error_count() == 1);
    CHECK(model::format_diagnostic(d.all().front()) ==
          "w.yaml:3:26: workload.components.app.scale_in_margin: error: expected a share of the target from 0 to below 1");
  }
}

TEST_CASE("step and target-tracking policies join one choice: the largest capacity, in only when target tracking is ready too") {
  SUBCASE("both ready in the same minute: one scale-out, to the larger count") {
    // 95 % CPU on one task from 1 h: after 3 breaching minutes target tracking asks for
    // ceil(95 / 50) = 2 tasks and the step policy for 1 + 3 = 4. One action, to 4.
    const auto r = run_good(app_service(1, 1, 6) + "    autoscaling:\n      target_tracking: [{metric: cpu, target: 50}]\n" + cpu_step_out(3),
                            burst_at_1h("70m", "4.75"));
    const auto out = first_incident(r, "scale_out");
    REQUIRE(out.has_value());
    CHECK(*out >= 3600 + 3 * 60);
    CHECK(test::has_incident(r, "scale_out", "1 -> 4 (step scaling"));
    CHECK_FALSE(test::has_incident(r, "scale_out", "1 -> 2"));
  }
  SUBCASE("a step scale-in waits for the target-tracking policy") {
    // Two tasks at about 38 % CPU (their own 27 % and the wait on the database): the
    // step policy (below 45 % for 2 minutes: -1) alone scales in;
    // a request policy that is neither above 1,700 a minute per target nor below 1,530 holds it.
    const std::string workload =
        "horizon: 1h\nseed: 3\narrivals: {rate: 54/s}\ncomponents:\n  app: {service_time: 10ms, concurrency: 1, queue_length: 1000}\n";
    const std::string service =
        app_service(2, 1, 4) + "    autoscaling:\n"
        "      step_scaling:\n        - {metric: cpu, comparison: below, threshold: 45, datapoints: 2, steps: [{upper: 0, change: -1}]}\n";
    const auto step_only = run_good(service, workload);
    CHECK(test::has_incident(step_only, "scale_in", "2 -> 1 (step scaling"));
    const auto both = run_good(service + "      target_tracking: [{metric: alb_requests_per_target, target: 1700}]\n", workload);
    CHECK_FALSE(first_incident(both, "scale_in").has_value());
  }
}

TEST_CASE("an alarm that stays in ALARM invokes its step policy again once the cooldown allows, without fresh datapoints") {
  // Four tasks at 54 requests/s: CPU about 19 % on four, 25 % on three, 38 % on two, 76 % on
  // one. Below 45 % for 2 minutes the policy removes a task; with a 60 s cooldown and the alarm
  // still in ALARM it goes on each minute (AWS does not reset the alarm after an action), and
  // stops at one task, where the metric is above 45 %.
  const std::string service =
      app_service(4, 1, 4) + "    autoscaling:\n"
                             "      step_scaling:\n        - {metric: cpu, comparison: below, threshold: 45, datapoints: 2, cooldown: 60s, "
                             "steps: [{upper: 0, change: -1}]}\n";
  const auto r = run_good(service, "horizon: 30m\nseed: 3\narrivals: {rate: 54/s}\ncomponents:\n  app: {service_time: 10ms, concurrency: 1, "
                                   "queue_length: 1000}\n");
  std::vector<double> at;
  for (const auto& i : r.incidents) {
    if (i.what == "scale_in") at.push_back(static_cast<double>(i.at_ns) / 1e9);
  }
  REQUIRE(at.size() == 3);
  CHECK(at[0] == 120);  // the second datapoint, at the end of minute 2
  CHECK(at[1] - at[0] == 60);
  CHECK(at[2] - at[1] == 60);
  CHECK(test::has_incident(r, "scale_in", "2 -> 1"));
}

TEST_CASE("a step scale-out during its cooldown counts from before the last one, and a smaller step never scales in") {
  // 24 requests/s of 100 ms: 2.4 tasks of work. One task saturates (100 %, 50 points above the
  // threshold): +3, to 4. On four tasks the CPU is about 60 %, in the +1 step; counted from the
  // 1 task before the scale-out that is 2, less than the 4 there are, so nothing happens until
  // the cooldown ends, when +1 counts from 4.
  const auto r = run_good(app_service(1, 1, 8) + "    autoscaling:\n" + cpu_step_out(2), burst_at_1h("75m", "12"));
  CHECK(test::has_incident(r, "scale_out", "1 -> 4"));
  CHECK_FALSE(first_incident(r, "scale_in").has_value());
  const auto first = first_incident(r, "scale_out");
  REQUIRE(first.has_value());
  const auto next = first_incident(r, "scale_out", "", *first + 1);
  REQUIRE(next.has_value());
  CHECK(*next - *first >= 300);  // the 300 s cooldown
  CHECK(test::has_incident(r, "scale_out", "4 -> 5"));
}
