// ADR criteria: bounds written with units, verdicts that respect the confidence interval,
// and the exit code a CI job gates on when the chosen option fails a criterion.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/cli.hpp"
#include "archsim/reports/criteria.hpp"
#include "cli_fixture.hpp"

using namespace archsim;

TEST_CASE("criteria: a bound passes, fails or is inconclusive by where the 95 % interval lies") {
  using reports::Verdict;
  const sim::Estimate e{100, 10, 5, 0.95};  // [90, 110]
  CHECK(reports::judge_bound(e, std::nullopt, 120.0) == Verdict::Pass);
  CHECK(reports::judge_bound(e, std::nullopt, 80.0) == Verdict::Fail);
  CHECK(reports::judge_bound(e, std::nullopt, 105.0) == Verdict::Inconclusive);
  CHECK(reports::judge_bound(e, 85.0, std::nullopt) == Verdict::Pass);
  CHECK(reports::judge_bound(e, 95.0, std::nullopt) == Verdict::Inconclusive);
  CHECK(reports::judge_bound(e, 111.0, std::nullopt) == Verdict::Fail);
  // Without an interval (one replication) the value alone decides.
  CHECK(reports::judge_bound(sim::Estimate{100, 0, 1, 0.95}, std::nullopt, 105.0) == Verdict::Pass);
}

TEST_CASE("criteria: a latency interval is never narrower than the histogram's resolution, and says so when it is that") {
  // Three replications with the same p50 to the nanosecond: their spread is 0, but the
  // histogram does not tell values apart finer than its bucket (2^19 ns = 0.524 ms at 76.3 ms).
  sim::SimResult same;
  sim::SimResult spread;
  for (int i = 0; i < 3; ++i) {
    sim::ReplicationMetrics m;
    m.outcomes[static_cast<std::size_t>(sim::Outcome::Ok)] = 1000;
    m.p50_ns = m.p95_ns = m.p99_ns = 76'300'000;
    same.per_replication.push_back(m);
    m.p50_ns = 70'000'000 + i * 5'000'000;  // 70, 75, 80 ms: t(0.975, 2) x 5 / sqrt(3) = 12.4 ms
    spread.per_replication.push_back(m);
  }
  const auto flat = reports::measure(same, {}, std::nullopt);
  const sim::Estimate& p50 = flat.at("latency.p50");
  const double resolution = static_cast<double>(sim::LatencyHistogram::resolution_at(76'300'000)) / 1e6;
  CHECK(resolution == doctest::Approx(0.524288));
  CHECK(p50.resolution == doctest::Approx(resolution));
  CHECK(p50.half_width >= resolution);
  CHECK(p50.at_resolution());
  CHECK(reports::format_estimate(*model::find_metric("latency.p50"), p50) == "76.3ms ± 0.524ms (histogram resolution)");
  // A spread wider than the resolution is the interval, printed as usual.
  const sim::Estimate wide = reports::measure(spread, {}, std::nullopt).at("latency.p50");
  CHECK(wide.half_width == doctest::Approx(sim::student_t_quantile(0.975, 2) * 5 / std::sqrt(3.0)));
  CHECK_FALSE(wide.at_resolution());
  CHECK(reports::format_estimate(*model::find_metric("latency.p50"), wide).find("resolution") == std::string::npos);
  // Replications that agree to the metric's precision print the value alone, not `50m ± 0s`.
  const auto* recovery = model::find_metric("recovery.time_to_desired");
  REQUIRE(recovery != nullptr);
  CHECK(reports::format_estimate(*recovery, sim::Estimate{50.0 / 60, 0, 4}) == "50m");
  CHECK(reports::format_estimate(*model::find_metric("cost.monthly"), sim::Estimate{25.52, 0.001, 4}) == "$25.52");
  CHECK(reports::format_estimate(*model::find_metric("cost.monthly"), sim::Estimate{25.52, 0.18, 4}) == "$25.52 ± $0.18");
  // Availability is counted exactly: no resolution.
  CHECK(flat.at("availability").resolution == 0);
  // Whatever the samples, the half-width stays at or above the resolution given.
  for (double hw_samples : {0.0, 0.1, 1.0}) {
    const std::vector<double> xs{10, 10 + hw_samples, 10 - hw_samples};
    CHECK(sim::with_resolution(sim::estimate(xs), 0.5).half_width >= 0.5);
  }
  // One replication: still no interval to widen.
  CHECK_FALSE(sim::with_resolution(sim::estimate(std::vector<double>{10}), 0.5).has_interval());
}

TEST_CASE("criteria: bounds are read in the metric's unit") {
  std::string why;
  CHECK(model::parse_metric_bound(*model::find_metric("latency.p99"), "300ms", why) == doctest::Approx(300));
  CHECK(model::parse_metric_bound(*model::find_metric("latency.p99"), "1.5s", why) == doctest::Approx(1500));
  CHECK(model::parse_metric_bound(*model::find_metric("latency.p99_ms"), "250", why) == doctest::Approx(250));
  CHECK(model::parse_metric_bound(*model::find_metric("availability"), "99.9%", why) == doctest::Approx(0.999));
  CHECK(model::parse_metric_bound(*model::find_metric("availability"), "0.995", why) == doctest::Approx(0.995));
  CHECK_FALSE(model::parse_metric_bound(*model::find_metric("availability"), "99.9", why));
  CHECK(why.find("99.9%") != std::string::npos);
  CHECK(model::parse_metric_bound(*model::find_metric("cost.monthly"), "60 USD", why) == doctest::Approx(60));
  CHECK(model::parse_metric_bound(*model::find_metric("cost.monthly_usd"), "$60", why) == doctest::Approx(60));
  CHECK(model::find_metric("latency.p98") == nullptr);
}

namespace {

test::CliRun run_scenario(const std::string& criteria) {
  return test::cli({"run", test::reference_scenario("archsim_criteria_test", "scenario", criteria), "--format", "json"});
}

}  // namespace

TEST_CASE("cli: run exits 1 when the chosen option fails a criterion, 0 when it meets them") {
  const auto met = run_scenario("  fast: {title: fast, metric: latency.p99, max: 10s}\n  up: {title: up, metric: availability, min: 99%}\n");
  CHECK(met.code == 0);
  const auto json = nlohmann::json::parse(met.out);
  CHECK(json["chosen_fails_criterion"] == false);
  CHECK(json["criteria"][0]["verdict"] == "pass");
  CHECK(json["criteria"][0]["measured"]["replications"] == 3);
  CHECK(json["criteria"][0]["measured"].contains("ci95_low"));

  const auto missed = run_scenario("  fast: {title: fast, metric: latency.p99, max: 1ms}\n");
  CHECK(missed.code == 1);
  CHECK(nlohmann::json::parse(missed.out)["criteria"][0]["verdict"] == "fail");

  const auto bad = run_scenario("  fast: {title: fast, metric: latency.p99, max: soon}\n");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("scenario.yaml:6:49: criteria.fast.max: error: expected a duration such as 300ms") != std::string::npos);
}

TEST_CASE("criteria: a criterion judged on a fault after the horizon is 'not exercised', never a pass, in every output") {
  // The crash is at 15 minutes; the run, cut by --horizon, is 12. Without exercised_by the same
  // figure would pass. (A fault after the file's own horizon is an error.)
  const std::string crash = "faults: {crash: {effect: task_crash, component: app, at: 15m, tasks: 1}}";
  const std::string file = test::reference_scenario("archsim_criteria_test", "late_fault",
                                                    "  survives: {title: survives, metric: availability, min: 99%, exercised_by: [crash]}\n"
                                                    "  recovers: {title: recovers, metric: recovery.time_to_desired, max: 5m, exercised_by: [crash]}\n",
                                                    3, false, crash);
  const auto json_run = test::cli({"run", file, "--horizon", "12m", "--format", "json"});
  CHECK(json_run.code == 0);  // nothing fails; nothing passes either
  const auto json = nlohmann::json::parse(json_run.out);
  for (const auto& c : json["criteria"]) {
    CHECK(c["verdict"] == "not exercised");
    CHECK(c["note"].get<std::string>().find("crash happened after the warm-up in 0 of 3 replications") != std::string::npos);
  }
  for (const auto& g : json["gates"]) {
    if (g["kind"] == "criterion") CHECK(g["verdict"] == "not exercised");
  }
  const auto text = test::cli({"run", file, "--horizon", "12m"});
  CHECK(text.out.find("holds up") == std::string::npos);
  CHECK(text.out.find("undecided: survives (not exercised), recovers (not exercised)") != std::string::npos);
  const auto junit = test::cli({"run", file, "--horizon", "12m", "--format", "junit"});
  CHECK(junit.out.find("<skipped message=\"not exercised: ") != std::string::npos);

  // The same criteria over a run that contains the crash are judged on it.
  const std::string early = "faults: {crash: {effect: task_crash, component: app, at: 10m, tasks: 1}}";
  const std::string judged = test::reference_scenario("archsim_criteria_test", "early_fault",
                                                      "  recovers: {title: recovers, metric: recovery.time_to_desired, max: 5m, exercised_by: [crash]}\n",
                                                      3, false, early);
  const auto ran = nlohmann::json::parse(test::cli({"run", judged, "--format", "json"}).out);
  CHECK(ran["criteria"][0]["verdict"] == "pass");
}

TEST_CASE("criteria: exercised_by must name a fault or deployment of the workload, with its location") {
  const std::string file = test::reference_scenario("archsim_criteria_test", "bad_exercised_by",
                                                    "  survives: {title: survives, metric: availability, min: 99%, exercised_by: [crsh]}\n", 3, false,
                                                    "faults: {crash: {effect: task_crash, component: app, at: 15m, tasks: 1}}");
  // validate reads what run reads: the same error, the same exit code, with nothing simulated.
  for (const char* verb : {"run", "validate"}) {
    CAPTURE(verb);
    const auto r = test::cli({verb, file});
    CHECK(r.code == 2);
    CHECK(r.err.find("bad_exercised_by.yaml:6:78: criteria.survives.exercised_by[0]: error: 'crsh' is not a fault or deployment of "
                     "workload (did you mean 'crash'?)") != std::string::npos);
  }
}

TEST_CASE("validate: a workload, price book or usage error that run or price would refuse fails validate too") {
  const std::string file = test::reference_scenario("archsim_criteria_test", "bad_workload",
                                                    "  up: {title: up, metric: availability, min: 99%}\n", 3, false,
                                                    "faults: {crash: {effect: task_crash, component: ap, at: 1h, tasks: 1}}");
  const auto r = test::cli({"validate", file});
  CHECK(r.code == 2);
  CHECK(r.err.find("bad_workload.yaml:") != std::string::npos);
  CHECK(r.err.find("workload.faults.crash.component") != std::string::npos);
}

TEST_CASE("criteria: replications without a measured request add no 100 % availability; none at all leaves the traffic metrics not exercised") {
  sim::SimResult result;
  result.replications = 3;
  sim::ReplicationMetrics served, empty;
  served.outcomes[static_cast<std::size_t>(sim::Outcome::Ok)] = 1;
  served.outcomes[static_cast<std::size_t>(sim::Outcome::TargetDown)] = 1;
  served.availability = 0.5;
  served.time_availability = 0.9;
  empty.availability = 1.0;  // the default of a replication that measured nothing
  empty.time_availability = 1.0;
  result.per_replication = {served, empty, empty};
  const auto m = reports::measure(result, {}, std::nullopt);
  REQUIRE(m.contains("availability"));
  CHECK(m.at("availability").mean == doctest::Approx(0.5));
  CHECK(m.at("error_rate").mean == doctest::Approx(0.5));
  CHECK(m.at("availability.time").mean == doctest::Approx(0.9));
  result.per_replication = {empty, empty, empty};
  const auto none = reports::measure(result, {}, std::nullopt);
  CHECK_FALSE(none.contains("availability"));
  CHECK_FALSE(none.contains("availability.time"));
  CHECK_FALSE(none.contains("error_rate"));
}

TEST_CASE("cli: a workload too small to send a request leaves every traffic criterion not exercised, never a pass") {
  const auto file = test::reference_scenario("small_workload", "tiny",
                                             "  a: {title: A, metric: availability, min: 99.9%}\n"
                                             "  t: {title: T, metric: availability.time, min: 99.9%}\n"
                                             "  e: {title: E, metric: error_rate, max: 1%}\n"
                                             "  l: {title: L, metric: latency.p99, max: 300ms}\n");
  std::string text;
  {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  const auto rate = text.find("rate: 5/s");
  REQUIRE(rate != std::string::npos);
  text.replace(rate, 9, "rate: 1/d");
  std::ofstream(file) << text;
  const auto run = test::cli({"run", file, "--format", "json"});
  INFO(run.err);
  const auto json = nlohmann::json::parse(run.out);
  int judged = 0;
  for (const auto& c : json["criteria"]) {
    INFO(c.dump());
    CHECK(c["verdict"] == "not exercised");
    ++judged;
  }
  CHECK(judged > 0);
}

TEST_CASE("precision: replications stop when every listed interval is within its target, relative or absolute") {
  reports::MetricValues m;
  m["availability"] = sim::Estimate{0.999, 0.00004, 8, 0.95};  // ± 0.004 pp
  m["latency.p99"] = sim::Estimate{200, 3, 8, 0.95};          // ± 1.5 %
  m["cost.monthly"] = sim::Estimate{40, 0.4, 8, 0.95};         // ± 1 %
  const auto goal = [](std::string metric, double value, bool relative, std::string text) {
    return sim::PrecisionGoal{std::move(metric), value, relative, std::move(text)};
  };
  const auto narrow = reports::check_precision(m, {goal("availability", 0.00005, false, "0.005pp"), goal("latency.p99", 0.02, true, "2%")});
  CHECK(narrow.enough);
  CHECK(narrow.detail == "availability ± 0.004 pp (within 0.005pp), latency.p99 ± 1.5 % (within 2%)");
  const auto wide = reports::check_precision(m, {goal("availability", 0.00005, false, "0.005pp"), goal("cost.monthly", 0.005, true, "0.5%")});
  CHECK_FALSE(wide.enough);
  CHECK(wide.detail.find("cost.monthly ± 1 % (wider than 0.5%)") != std::string::npos);
  // One replication has no interval: never enough. A metric the run cannot measure does not
  // hold it back.
  reports::MetricValues one{{"availability", sim::Estimate{1, 0, 1, 0.95}}};
  CHECK_FALSE(reports::check_precision(one, {goal("availability", 0.01, false, "1pp")}).enough);
  reports::MetricValues none{{"availability", sim::Estimate{0, 0, 4, 0.95}}};
  const auto unmeasured = reports::check_precision(none, {goal("availability", 0.01, false, "1pp"), goal("latency.p99", 0.02, true, "2%")});
  CHECK(unmeasured.enough);
  CHECK(unmeasured.detail.find("latency.p99 not measured") != std::string::npos);
}

TEST_CASE("precision: archsim run stops each alternative at its own count, says why, and is byte-identical on any thread count") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim-precision";
  std::filesystem::create_directories(dir);
  test::put_reference_topology(dir.string());
  std::ofstream(dir / "s.yaml") << "archsim: 1\nname: precision\nregion: us-east-1\nworkload:\n  horizon: 20m\n  seed: 2\n"
                                   "  replications: {until: {availability: 0.5pp, latency.p50: 10%}, min: 2, max: 10}\n"
                                   "  arrivals: {rate: 5/s}\n"
                                   "alternatives:\n  a:\n    title: t\n    status: chosen\n    topology: good_topology.yaml\n";
  const auto one = test::cli({"run", (dir / "s.yaml").string(), "--format", "json", "--threads", "1"});
  const auto two = test::cli({"run", (dir / "s.yaml").string(), "--format", "json", "--threads", "2"});
  REQUIRE_MESSAGE(one.code <= 1, one.err);
  CHECK(one.out == two.out);
  const auto j = nlohmann::json::parse(one.out);
  CHECK(j["workload"]["replications"] == 10);
  CHECK(j["workload"]["replications_until"]["min"] == 2);
  CHECK(j["workload"]["replications_until"]["until"]["latency.p50"] == "10%");
  const auto& sim = j["alternatives"][0]["simulation"];
  CHECK(sim["replications"].get<int>() >= 2);
  CHECK(sim["replications"].get<int>() <= 10);
  CHECK(sim["replications_reason"].get<std::string>().find("latency.p50 ±") != std::string::npos);
  const auto text = test::cli({"run", (dir / "s.yaml").string()});
  CHECK(text.out.find("2 to 10 replications until availability ± 0.5pp, latency.p50 ± 10%") != std::string::npos);
}
