// Faults and recovery against arithmetic: every expected figure below is computed from the
// documented AWS timings (health-check interval, timeout and threshold; RDS failover range;
// image pull plus start time), not taken from an earlier run. The topology is the rule
// tests' reference design: an ALB in two zones, two ECS tasks (one per zone) behind it, a
// Multi-AZ RDS primary in us-east-1a, a NAT gateway per zone.
#include <cmath>
#include <optional>
#include <set>
#include <string>

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "archsim/sim/random.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/sim/workload.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

namespace {

constexpr double kSecond = 1e9;
using test::first_incident;

std::uint64_t count(const sim::SimResult& r, sim::Outcome o) { return r.overall.outcomes[static_cast<std::size_t>(o)]; }

sim::SimResult run(const std::string& workload_yaml, const std::string& overrides = "") { return test::run_good(overrides, workload_yaml); }

/// A one-hour outage of us-east-1a from t = 1 h, at `rate` requests per second.
std::string zone_outage_workload(std::uint64_t seed, double rate, const std::string& extra = "") {
  return fmt::format(
      "horizon: 3h\nseed: {}\narrivals: {{rate: {}/s}}\n"
      "faults:\n  power:\n    fis_scenario: az-power-interruption\n    zone: us-east-1a\n    at: 1h\n    duration: 1h\n{}",
      seed, rate, extra);
}

/// No NAT route from the private subnets: tasks there cannot pull their image.
const std::string kNoImagePath = "route_tables: {private-a: {routes: []}, private-b: {routes: []}}\n";
/// Deployed while the image path existed (initial_state: running), then one task crashes at 1 h.
const std::string kCrashWithoutImagePath =
    "horizon: 2h\nseed: 1\narrivals: {rate: 5/s}\n"
    "components:\n  app: {initial_state: running, initial_state_reason: deployed before the NAT routes were removed}\n"
    "faults:\n  crash:\n    effect: task_crash\n    component: app\n    at: 1h\n    tasks: 1\n";

}  // namespace

TEST_CASE("a failed target is marked unhealthy after (threshold - 1) x interval + timeout, plus the check phase") {
  // ALB defaults: interval 30 s, timeout 5 s, unhealthy threshold 2. The first check after
  // the failure falls uniformly within one interval, so the lag lies in [35 s, 65 s] and
  // averages 50 s.
  const double interval = 30, timeout = 5, threshold = 2;
  double sum = 0;
  const int seeds = 24;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto r = run(zone_outage_workload(static_cast<std::uint64_t>(seed), 1));
    const auto unhealthy = first_incident(r, "target_unhealthy", "app/");
    REQUIRE(unhealthy.has_value());
    const double lag = *unhealthy - 3600;
    CAPTURE(seed);
    CHECK(lag >= (threshold - 1) * interval + timeout - 1e-6);
    CHECK(lag <= threshold * interval + timeout + 1e-6);
    sum += lag;
    // ECS replaces the task it sees failing: the replacement goes to the live zone.
    CHECK(first_incident(r, "task_stopped", "app/") == doctest::Approx(*unhealthy));
    CHECK(first_incident(r, "task_launch", "app/").has_value());
  }
  // The mean of 24 uniform phases over 30 s: standard error 30 / sqrt(12 x 24) = 1.8 s.
  CHECK(sum / seeds == doctest::Approx((threshold - 1) * interval + timeout + interval / 2).epsilon(0.12).scale(0));
}

TEST_CASE("errors during a zone outage = arrival rate x share sent to the lost zone's targets x detection time") {
  // Cross-zone balancing sends half the requests to the task in us-east-1a. The ALB node of
  // the failed zone is taken out of DNS at once here (no detection delay, no TTL) so only the
  // target errors remain; they last until the health checks mark the target unhealthy.
  const double rate = 50;
  const std::string lb = "components:\n  alb: {node_failure_detection: 0s, dns_ttl: 0s}\n";
  for (std::uint64_t seed : {3, 4, 5}) {
    const auto r = run(zone_outage_workload(seed, rate, lb));
    const double detection = *first_incident(r, "target_unhealthy", "app/") - 3600;
    const double expected = rate * 0.5 * detection;
    const auto errors = static_cast<double>(count(r, sim::Outcome::TargetDown));
    CAPTURE(seed);
    CAPTURE(detection);
    // Poisson count: four standard deviations, plus the requests in flight at the failure.
    CHECK(std::abs(errors - expected) <= 4 * std::sqrt(expected) + 5);
    CHECK(count(r, sim::Outcome::LoadBalancerDown) < 5);
  }
}

TEST_CASE("clients keep using a failed zone's load balancer node until DNS drops it and their TTL runs out") {
  // Node removed after node_failure_detection (60 s); cached answers expire uniformly over
  // the 60 s TTL: half the clients hit the dead node for 60 s, then a share falling linearly
  // to zero over 60 s, i.e. rate x 0.5 x (60 + 30).
  const double rate = 50;
  const auto r = run(zone_outage_workload(9, rate));
  CHECK(first_incident(r, "dns_node_removed", "alb@us-east-1a") == doctest::Approx(3660));
  const double expected = rate * 0.5 * (60 + 30);
  const auto errors = static_cast<double>(count(r, sim::Outcome::LoadBalancerDown));
  CHECK(std::abs(errors - expected) <= 4 * std::sqrt(expected));
}

TEST_CASE("a Multi-AZ RDS fails over within the documented 60-120 s and requests fail meanwhile") {
  const double rate = 20;
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    // The primary instance fails (and is repaired after 30 minutes): every request needs
    // the database, so every request arriving during the failover fails.
    const auto r = run(fmt::format("horizon: 2h\nseed: {}\narrivals: {{rate: {}/s}}\nfaults:\n"
                                   "  primary: {{effect: database_primary_loss, component: db, at: 1h, duration: 30m}}\n",
                                   seed, rate));
    const auto down = first_incident(r, "db_down", "db");
    const auto up = first_incident(r, "db_up", "db");
    REQUIRE(down.has_value());
    REQUIRE(up.has_value());
    CHECK(*down == doctest::Approx(3600));
    const double downtime = *up - *down;
    CAPTURE(seed);
    CHECK(downtime >= 60);
    CHECK(downtime <= 120);
    // Every request reaching the database while it fails over gets an error.
    const double expected = rate * downtime;
    const auto errors = static_cast<double>(count(r, sim::Outcome::DependencyDown));
    CHECK(std::abs(errors - expected) <= 4 * std::sqrt(expected) + 5);
  }
}

TEST_CASE("a Single-AZ database is down exactly as long as its zone") {
  const auto r = run(zone_outage_workload(1, 5), "components: {db: {multi_az: false}}\n");
  CHECK(first_incident(r, "db_down", "db") == doctest::Approx(3600));
  CHECK(first_incident(r, "db_up", "db") == doctest::Approx(7200));
  CHECK_FALSE(first_incident(r, "db_failover_start", "db").has_value());
}

TEST_CASE("a crashed task is replaced after stop detection + image pull + start time, in a zone that can pull") {
  // stop_detection 5 s (data default); image 200 MB x 60 s/GB = 12 s; start time fixed at 20 s.
  const std::string w =
      "horizon: 2h\nseed: 1\narrivals: {rate: 5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n"
      "faults:\n  crash:\n    effect: task_crash\n    component: app\n    at: 1h\n    tasks: 1\n";
  const auto r = run(w);
  CHECK(first_incident(r, "task_crash", "app/") == doctest::Approx(3600));
  CHECK(first_incident(r, "task_stopped", "app/") == doctest::Approx(3605));
  CHECK(first_incident(r, "task_launch", "app/") == doctest::Approx(3605));
  CHECK(first_incident(r, "task_running", "app/") == doctest::Approx(3605 + 12 + 20));
  // Until ECS deregisters it, the ALB sends it its share: rate x 1/2 x 5 s, give or take.
  CHECK(count(r, sim::Outcome::TargetDown) <= 5 * 0.5 * 5 + 4 * std::sqrt(12.5) + 2);
  // The replacement is billed from the image pull; nothing ran under a minute.
  CHECK(test::meter_total(r, "app", "minimum_top_up_seconds") == 0);
}

TEST_CASE("recovery: the time below the desired count runs from the crash to the replacement's first passing health check") {
  // The crashed task leaves service at 1 h; its replacement runs at 1 h + 5 + 12 + 20 s and is
  // in service at its first health check, somewhere in the first interval (30 s by the data
  // default), so the one stretch below the desired count lasts 37 s to 37 s + 30 s.
  const std::string w =
      "horizon: 2h\nseed: 1\nreplications: 3\narrivals: {rate: 5/s}\ncomponents:\n  app: {launch_time: {constant: 20s}}\n"
      "faults:\n  crash:\n    effect: task_crash\n    component: app\n    at: 1h\n    tasks: 1\n";
  const auto r = run(w);
  REQUIRE(r.per_replication.size() == 3);
  for (const auto& rep : r.per_replication) {
    CHECK(rep.longest_below_desired_seconds >= 37);
    CHECK(rep.longest_below_desired_seconds <= 37 + 30);
    CHECK(rep.seconds_below_desired == doctest::Approx(rep.longest_below_desired_seconds));
    REQUIRE(rep.capacity_at_end.size() == 1);
    CHECK(rep.capacity_at_end.front().in_service == 2);
    CHECK(rep.capacity_at_end.front().desired == 2);
  }
  CHECK(r.exercised.at("crash") == 3);
}

TEST_CASE("recovery: a task that cannot be replaced leaves the service below its desired count to the end of the run") {
  const auto r = run(kCrashWithoutImagePath, kNoImagePath);
  REQUIRE(r.per_replication.size() == 1);
  const auto& rep = r.per_replication.front();
  CHECK(rep.longest_below_desired_seconds == doctest::Approx(3600));
  CHECK(rep.seconds_below_desired == doctest::Approx(3600));
  CHECK(rep.capacity_at_end.front().in_service == 1);
  CHECK(rep.capacity_at_end.front().desired == 2);
}

TEST_CASE("tasks whose subnets cannot pull their image never started: nothing serves from t = 0, and the run says so") {
  const std::string w = "horizon: 1h\nwarmup: 0s\nseed: 1\nreplications: 2\narrivals: {rate: 5/s}\n";
  const auto r = run(w, kNoImagePath);
  CHECK(r.overall.total() > 0);
  CHECK(r.overall.errors() == r.overall.total());
  CHECK(first_incident(r, "task_never_started", "app/0") == doctest::Approx(0));
  CHECK(first_incident(r, "launch_blocked", "app: cannot pull its image") == doctest::Approx(0));
  CHECK_FALSE(first_incident(r, "task_running", "app/").has_value());
  for (const auto& rep : r.per_replication) {
    CHECK(rep.seconds_below_desired == doctest::Approx(3600));
    CHECK(rep.capacity_at_end.front().in_service == 0);
  }
  CHECK(r.assumptions.empty());
  CHECK(test::meter_total(r, "app", "task_seconds") == 0);  // nothing ran, nothing is billed

  SUBCASE("initial_state: running assumes them deployed, and the run carries the assumption and its reason") {
    const auto assumed = run(w + "components:\n  app: {initial_state: running, initial_state_reason: pulled before the NAT gateway was removed}\n",
                             kNoImagePath);
    CHECK(assumed.overall.errors() == 0);
    REQUIRE(assumed.assumptions.size() == 1);
    CHECK(assumed.assumptions.front() ==
          "app: 2 tasks assumed running from the start though their subnets cannot start them (initial_state: running): "
          "pulled before the NAT gateway was removed");
  }
  SUBCASE("initial_state: running without a reason is refused") {
    model::Diagnostics diagnostics;
    CHECK_FALSE(sim::decode_workload_text(w + "components:\n  app: {initial_state: running}\n", "w.yaml", ".", diagnostics));
    REQUIRE(diagnostics.error_count() == 1);
    CHECK(diagnostics.all().front().message.find("say why in initial_state_reason") != std::string::npos);
  }
}

TEST_CASE("a flow the security groups drop: requests time out after the ALB's 10 s connect timeout, and health checks fail") {
  // app-sg admits the database's group instead of the ALB's: alb -> app is dropped.
  const std::string blocked = "security_groups: {app-sg: {ingress: [{protocol: tcp, ports: 8000, group: db-sg}]}}\n";
  const auto r = run("horizon: 30m\nwarmup: 0s\nseed: 2\narrivals: {rate: 5/s}\n", blocked);
  CHECK(r.overall.total() > 0);
  // Every request fails, each one named by its cause; none reaches a task.
  CHECK(count(r, sim::Outcome::SecurityGroupBlocked) == r.overall.total());
  CHECK(test::meter_total(r, "app", "requests") == 0);
  CHECK(test::has_incident(r, "flow_blocked", "alb -> app: the security groups of app (app-sg) admit no traffic from alb"));
  // The probes time out like a dead task's: unhealthy after the threshold, then ECS replaces them.
  CHECK(first_incident(r, "target_unhealthy", "app/").has_value());
  CHECK(first_incident(r, "task_stopped", "app/").has_value());
  CHECK(r.per_replication.front().seconds_below_desired > 0);
}

TEST_CASE("connect_timeout: zero is refused with its location, not read as unset") {
  model::Diagnostics diagnostics;
  CHECK_FALSE(sim::decode_workload_text("horizon: 1h\narrivals: {rate: 1/s}\ncomponents:\n  alb: {connect_timeout: 0s}\n", "w.yaml", ".",
                                        diagnostics));
  REQUIRE(diagnostics.error_count() == 1);
  const auto& d = diagnostics.all().front();
  CHECK(model::format_diagnostic(d).find("w.yaml:4:") == 0);
  CHECK(d.message == "expected a connect timeout above 0, such as 10s");
}

TEST_CASE("a route whose hops nothing connects fails every request as unreachable, named at the start") {
  // alb has no target group for db (the review's route-hop-not-connected).
  const auto r = run("horizon: 10m\nwarmup: 0s\nseed: 2\narrivals: {rate: 5/s}\n", "routes: {main: {hops: [users, alb, db]}}\n");
  CHECK(r.overall.total() > 0);
  CHECK(count(r, sim::Outcome::Unreachable) == r.overall.total());
  CHECK(test::has_incident(r, "no_path", "route main: nothing connects alb -> db"));
}

TEST_CASE("a fault after the horizon, or over before the warm-up ends, is not exercised; one across the warm-up is") {
  const std::string faults =
      "faults:\n  late:\n    effect: task_crash\n    component: app\n    at: 3h\n    tasks: 1\n"
      "  early:\n    fis_scenario: az-power-interruption\n    zone: us-east-1b\n    at: 5m\n    duration: 10m\n"
      "  across:\n    fis_scenario: az-power-interruption\n    zone: us-east-1a\n    at: 20m\n    duration: 20m\n";
  // A fault after the file's horizon is an error; one after a shorter `--horizon` is possible.
  auto w = test::workload("horizon: 4h\nwarmup: 30m\nseed: 1\nreplications: 2\narrivals: {rate: 1/s}\n" + faults);
  w.horizon = sim::Duration::hours(2);
  const auto outcome = test::simulate_good("", w);
  REQUIRE(!outcome.error);
  const auto& r = *outcome.result;
  CHECK(r.exercised.at("late") == 0);
  CHECK(r.exercised.at("early") == 0);
  CHECK(r.exercised.at("across") == 2);
}

TEST_CASE("a task that cannot pull its image is never replaced; a NAT loss blocks launches in its zone only") {
  SUBCASE("no NAT path and no ECR endpoint: launch blocked, capacity lost") {
    const auto r = run(kCrashWithoutImagePath, kNoImagePath);
    CHECK(first_incident(r, "launch_blocked", "app: cannot pull its image") == doctest::Approx(3605));
    CHECK_FALSE(first_incident(r, "task_running", "app/").has_value());
  }
  SUBCASE("nat-a lost: the replacement starts in us-east-1b") {
    const std::string w =
        "horizon: 3h\nseed: 1\narrivals: {rate: 5/s}\n"
        "faults:\n  nat:\n    effect: nat_gateway_loss\n    component: nat-a\n    at: 1h\n    duration: 1h\n"
        "  crash:\n    effect: task_crash\n    component: app\n    at: 70m\n    tasks: 2\n";
    const auto r = run(w);
    const auto launched = first_incident(r, "task_running", "app/");
    REQUIRE(launched.has_value());
    int in_a = 0, in_b = 0;
    for (const auto& i : r.incidents) {
      if (i.what != "task_running" || i.at_ns > 7200 * static_cast<std::int64_t>(kSecond)) continue;
      in_a += i.subject.ends_with("(us-east-1a)") ? 1 : 0;
      in_b += i.subject.ends_with("(us-east-1b)") ? 1 : 0;
    }
    CHECK(in_a == 0);
    CHECK(in_b == 2);
    // When the NAT gateway returns, AZ rebalancing moves one task back to us-east-1a.
    CHECK(first_incident(r, "rebalance", "app: us-east-1b -> us-east-1a", 7200).has_value());
    CHECK(first_incident(r, "task_running", "app/", 7200).has_value());
  }
}

TEST_CASE("when every target is unhealthy the load balancer fails open; with none registered it answers 503") {
  // Both tasks crash at 1 h. A two-hour health-check grace keeps ECS from acting on the
  // health checks, and the crash is noticed after 10 minutes: meanwhile both targets are
  // unhealthy yet registered, so the ALB fails open and every request meets a dead task.
  // Then ECS deregisters both and starts two more (12 s pull + 20 s start): with no target
  // registered, the ALB answers 503.
  const double rate = 5;
  const std::string w =
      "horizon: 2h\nseed: 2\narrivals: {rate: 5/s}\n"
      "components:\n  app: {stop_detection: 10m, launch_time: {constant: 20s}}\n"
      "faults:\n  crash: {effect: task_crash, component: app, at: 1h, tasks: 2}\n";
  const auto r = run(w, "components: {app: {health_check_grace: 2h}}\n");
  CHECK(first_incident(r, "target_unhealthy", "app/").value_or(0) <= 3600 + 65);
  const double open = rate * 600, no_target = rate * 32;
  const auto target_down = static_cast<double>(count(r, sim::Outcome::TargetDown));
  const auto unavailable = static_cast<double>(count(r, sim::Outcome::NoHealthyTarget));
  CHECK(std::abs(target_down - open) <= 4 * std::sqrt(open));
  CHECK(std::abs(unavailable - no_target) <= 4 * std::sqrt(no_target) + 2);
  CHECK(first_incident(r, "task_running", "app/") == doctest::Approx(3600 + 600 + 32));
}

TEST_CASE("a failing dependency errs at its error rate while the fault lasts; a slow one adds its latency") {
  const double rate = 20;
  const auto errs = run("horizon: 1h\nseed: 4\narrivals: {rate: 20/s}\n"
                        "faults:\n  db-errors: {effect: dependency_errors, component: db, at: 20m, duration: 10m, error_rate: 0.5}\n");
  const double expected = rate * 600 * 0.5;
  const auto errors = static_cast<double>(count(errs, sim::Outcome::DependencyError));
  CHECK(std::abs(errors - expected) <= 4 * std::sqrt(expected * 0.5));
  CHECK(errs.overall.errors() == count(errs, sim::Outcome::DependencyError));

  // Every request reaches the database, so a constant 300 ms on it for the whole run moves
  // every percentile by 300 ms (the histogram's buckets are 0.4 % wide).
  const std::string base = "horizon: 30m\nseed: 4\narrivals: {rate: 20/s}\n";
  const auto fast = run(base);
  const auto slow = run(base + "faults:\n  db-slow: {effect: dependency_slow, component: db, at: 0s, duration: 30m, "
                               "added_latency: {constant: 300ms}}\n");
  const double p50_shift = static_cast<double>(slow.overall.latency.quantile(0.5) - fast.overall.latency.quantile(0.5)) / 1e6;
  CHECK(p50_shift == doctest::Approx(300).epsilon(0.02).scale(0));
}

TEST_CASE("blocked launches retry on one timer, however often they are blocked") {
  // No path for image pulls and an outage every hour: each outage blocks the launch anew.
  // One pending retry per service keeps the event count near that of the requests alone.
  const std::string w =
      "horizon: 10d\nseed: 3\narrivals: {rate: 0.1/s}\n"
      "faults:\n  a:\n    effect: zone_outage\n    zone: us-east-1a\n"
      "    time_to_failure: {exponential: {mean: 50m}}\n    time_to_repair: {exponential: {mean: 10m}}\n";
  const auto r = run(w, kNoImagePath);
  const double requests = 0.1 * 10 * 86400;
  const double retries = 10 * 86400 / 60.0;  // at most one retry a minute
  CHECK(static_cast<double>(r.events) < 20 * requests + 2 * retries + 100'000);
}

TEST_CASE("a fault's start written as a distribution is drawn per replication, within its range, from the fault's own stream") {
  const auto w = test::workload(
      "horizon: 7d\nseed: 4\narrivals: {rate: 1/s}\n"
      "faults:\n  power:\n    fis_scenario: az-power-interruption\n    zone: us-east-1a\n    at: {uniform: {min: 1d, max: 6d}}\n");
  REQUIRE(w.faults.size() == 1);
  const sim::FaultSpec& spec = w.faults.front();
  REQUIRE(spec.when.at_distribution);
  // The analytic model reads the start as its mean, (1d + 6d) / 2.
  CHECK(spec.when.mean_start() == sim::Duration::hours(84));
  CHECK(spec.when.duration == sim::Duration::minutes(30));
  std::set<std::int64_t> starts;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const auto start = sim::scheduled_start(spec, sim::derive_seed(w.seed, "replication", i));
    REQUIRE(start);
    CHECK(*start >= sim::Duration::hours(24));
    CHECK(*start <= sim::Duration::hours(144));
    starts.insert(start->ns);
    // The same replication seed draws the same start: nothing else shares the stream.
    CHECK(*sim::scheduled_start(spec, sim::derive_seed(w.seed, "replication", i)) == *start);
  }
  CHECK(starts.size() == 20);
  // 20 draws of a uniform over 5 days: their spread covers most of it.
  CHECK(*starts.rbegin() - *starts.begin() > sim::Duration::hours(72).ns);
  // A fixed start is the same in every replication.
  const auto fixed = test::workload("horizon: 7d\narrivals: {rate: 1/s}\nfaults:\n  p: {effect: zone_outage, zone: us-east-1a, at: 2d10h, duration: 30m}\n");
  CHECK(*sim::scheduled_start(fixed.faults.front(), 1) == *sim::scheduled_start(fixed.faults.front(), 2));
  CHECK(fixed.faults.front().when.mean_start() == sim::Duration::hours(58));
}

TEST_CASE("a distributed fault start: the incident shows the drawn time, and threads do not change it") {
  const std::string base =
      "horizon: 6h\nwarmup: 5m\nreplications: 3\narrivals: {rate: 2/s}\n"
      "faults:\n  slow:\n    effect: dependency_errors\n    component: db\n    error_rate: 0.5\n"
      "    at: {uniform: {min: 1h, max: 5h}}\n    duration: 10m\n";
  std::set<double> seen;
  for (std::uint64_t seed : {1, 2, 3}) {
    const auto w = test::workload(base + fmt::format("seed: {}\n", seed));
    const auto one = test::simulate_good("", w, sim::SimOptions{.threads = 1});
    const auto two = test::simulate_good("", w, sim::SimOptions{.threads = 2});
    REQUIRE((!one.error && !two.error));
    // Incidents are the first replication's: its start is the draw from replication 0's seed.
    const auto drawn = *sim::scheduled_start(w.faults.front(), sim::derive_seed(seed, "replication", 0));
    const auto at = first_incident(*one.result, "fault_start:slow");
    REQUIRE(at);
    CAPTURE(seed);
    CHECK(*at == doctest::Approx(static_cast<double>(drawn.ns) / kSecond));
    CHECK(*at >= 3600);
    CHECK(*at <= 5 * 3600);
    seen.insert(*at);
    CHECK(one.result->exercised.at("slow") == 3);
    CHECK(one.result->incidents.size() == two.result->incidents.size());
    CHECK(one.result->overall.outcomes == two.result->overall.outcomes);
    CHECK(one.result->overall.latency.quantile(0.5) == two.result->overall.latency.quantile(0.5));
    for (std::size_t i = 0; i < one.result->per_replication.size(); ++i) {
      CHECK(one.result->per_replication[i].availability == two.result->per_replication[i].availability);
    }
  }
  CHECK(seen.size() == 3);
}

TEST_CASE("a distributed fault start written below 0 or lying wholly past the horizon is a located error; partly past, a warning") {
  auto decode = [](const std::string& at, model::Diagnostics& d) {
    return sim::decode_workload_text("horizon: 7d\narrivals: {rate: 1/s}\nfaults:\n  p:\n    effect: zone_outage\n    zone: us-east-1a\n"
                                     "    duration: 30m\n    at: " + at + "\n",
                                     "w.yaml", ".", d);
  };
  {
    model::Diagnostics d;
    // A duration cannot be written negative: the duration decoder says so, where it is.
    CHECK_FALSE(decode("{uniform: {min: -2d, max: -1d}}", d));
    REQUIRE(d.error_count() >= 1);
    CHECK(d.all().front().loc.line == 8);
    CHECK(d.all().front().path.starts_with("workload.faults.p.at"));
  }
  {
    model::Diagnostics d;
    CHECK_FALSE(decode("{uniform: {min: 8d, max: 9d}}", d));
    REQUIRE(d.error_count() == 1);
    CHECK(d.all().front().message.find("never starts within the horizon (7d)") != std::string::npos);
    CHECK(d.all().front().loc.line == 8);
    CHECK(d.all().front().loc.column == 9);
    CHECK(d.all().front().path == "workload.faults.p.at");
  }
  {
    // Half the draws fall after the 7-day horizon.
    model::Diagnostics d;
    CHECK(decode("{uniform: {min: 6d, max: 8d}}", d));
    CHECK(d.error_count() == 0);
    REQUIRE(d.all().size() == 1);
    CHECK(d.all().front().severity == model::Severity::Warning);
    CHECK(d.all().front().message.find("in 50.0 % of replications") != std::string::npos);
  }
  {
    // An exponential's tail past the horizon: e^(-7d / 12h) is far under 0.1 %.
    model::Diagnostics d;
    CHECK(decode("{exponential: {mean: 12h}}", d));
    CHECK(d.all().empty());
  }
}

TEST_CASE("a fault's unknown key is said once") {
  model::Diagnostics d;
  REQUIRE(sim::decode_workload_text("arrivals: {rate: 1/s}\nfaults:\n  c: {effect: task_crash, component: app, at: 10m, bogus: 1}\n", "w.yaml", ".", d));
  const auto all = d.all();
  CHECK(std::count_if(all.begin(), all.end(), [](const model::Diagnostic& x) { return x.message.find("unknown key 'bogus'") != std::string::npos; }) == 1);
}
