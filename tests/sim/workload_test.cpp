// Traffic and the request walk, checked against arithmetic: thinning reproduces a daily
// profile, trace replay reproduces a trace exactly, runs are reproducible (and differ by seed),
// components do what their AWS counterparts do.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "archsim/sim/simulate.hpp"
#include "archsim/sim/statistics.hpp"
#include "fixture.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

namespace {

const char* kFastApp = "components:\n  alb: {service_time: 0s}\n  app: {service_time: 1ms, concurrency: 1000}\n";

std::string fingerprint(const sim::SimResult& r) {
  std::ostringstream s;
  s << r.overall.total() << ' ' << r.overall.latency.mean() << ' ' << r.overall.latency.max() << ' '
    << r.overall.latency.quantile(0.99) << ' ' << r.events << '\n';
  for (const auto& m : r.usage) {
    s << m.component << '.' << m.meter;
    for (double h : m.hourly) s << ' ' << h;
    s << '\n';
  }
  for (const auto& m : r.timeline) s << m.arrivals << ',' << m.errors << ',' << m.p99_ns.value_or(-1) << ',' << m.warmup << ' ';
  for (const auto& m : r.per_replication) s << m.availability << ',' << m.time_availability << ',' << m.p99_ns << ' ';
  for (const auto& i : r.incidents) s << i.at_ns << i.what << i.subject << ' ';
  return s.str();
}

}  // namespace

TEST_CASE("thinning reproduces a daily profile hour by hour") {
  const std::string profile = "[0.1, 0.1, 0.2, 0.2, 0.5, 0.5, 1, 1, 2, 2, 3, 3, 3, 3, 2, 2, 1, 1, 0.5, 0.5, 0.2, 0.2, 0.1, 0]";
  const auto w = test::workload("horizon: 2d\nseed: 3\narrivals: {rate: 4/s, daily_profile: " + profile + "}\n" +
                                test::zero_network_yaml() + kFastApp);
  const auto run = test::simulate_good("", w);
  REQUIRE(!run.error);
  const double multipliers[] = {0.1, 0.1, 0.2, 0.2, 0.5, 0.5, 1, 1, 2, 2, 3, 3, 3, 3, 2, 2, 1, 1, 0.5, 0.5, 0.2, 0.2, 0.1, 0};
  for (int hour = 0; hour < 48; ++hour) {
    std::uint64_t count = 0;
    for (int m = 0; m < 60; ++m) count += run.result->timeline[static_cast<std::size_t>(hour * 60 + m)].arrivals;
    const double expected = 4 * 3600 * multipliers[hour % 24];
    CAPTURE(hour);
    // Poisson counts: within 4.5 standard deviations (about 1 in 150,000 per hour by chance).
    CHECK(std::abs(static_cast<double>(count) - expected) <= 4.5 * std::sqrt(std::max(expected, 1.0)));
  }
}

TEST_CASE("weekend profile and bursts shape the rate") {
  sim::ArrivalSpec a;
  a.rate_per_second = 10;
  a.daily_profile.assign(24, 1.0);
  a.weekend_profile.assign(24, 0.5);
  a.start_weekday = 4;  // a Friday
  a.bursts.push_back({"", sim::Duration::hours(12), sim::Duration::minutes(30), 4, true});
  CHECK(a.rate_at(sim::Duration::hours(1)) == 10);
  CHECK(a.rate_at(sim::Duration::hours(12) + sim::Duration::minutes(10)) == 40);
  CHECK(a.rate_at(sim::Duration::days(1) + sim::Duration::hours(1)) == 5);  // Saturday
  CHECK(a.rate_at(sim::Duration::days(1) + sim::Duration::hours(12)) == 20);  // daily burst on a weekend
  CHECK(a.max_rate() == 40);
}

TEST_CASE("CSV trace replay reproduces the trace exactly") {
  const auto w = test::workload("horizon: 1h\narrivals: {trace: {file: data/trace.csv}}\n" + test::zero_network_yaml() +
                                "components:\n  alb: {service_time: 0s}\n  app: {service_time: 10ms, concurrency: 1000}\n");
  REQUIRE(w.arrivals.trace->records.size() == 200);
  const auto run = test::simulate_good("routes: {main: {hops: [users, alb, app]}}", w);
  REQUIRE(!run.error);
  const auto& r = *run.result;
  CHECK(r.overall.total() == 200);
  CHECK(r.overall.latency.max() == 10'000'000);  // every request: exactly the 10 ms service
  CHECK(r.overall.latency.min() == 10'000'000);
  // Arrivals per minute equal the trace's own counts.
  std::ifstream in(ARCHSIM_SOURCE_DIR "/tests/sim/data/trace.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::uint64_t> per_minute(60, 0);
  std::uint64_t request_bytes = 0;
  double first = -1;
  while (std::getline(in, line)) {
    const double t = std::stod(line.substr(0, line.find(',')));
    if (first < 0) first = t;
    ++per_minute[static_cast<std::size_t>((t - first) / 60)];
    const auto c2 = line.find(',', line.find(',') + 1);
    request_bytes += std::stoull(line.substr(c2 + 1, line.find(',', c2 + 1) - c2 - 1));
  }
  for (std::size_t m = 0; m < 60; ++m) CHECK(r.timeline[m].arrivals == per_minute[m]);
  // The trace's own request sizes reach the load balancer's meter.
  double lb_bytes = 0;
  for (const auto& m : r.usage) {
    if (m.component == "alb" && m.meter == "processed_bytes") lb_bytes = m.total();
  }
  CHECK(lb_bytes > static_cast<double>(request_bytes));
}

TEST_CASE("ALB access-log replay reads arrival times, sizes and paths") {
  const auto w = test::workload("horizon: 1h\narrivals: {trace: {file: data/alb.log, format: alb_log}}\n");
  const auto& records = w.arrivals.trace->records;
  REQUIRE(records.size() == 3);
  // Sorted by request_creation_time, rebased to the first.
  CHECK(records[0].time_ns == 0);
  CHECK(records[0].url_path == "/items");
  CHECK(records[0].request_bytes == 34);
  CHECK(records[0].response_bytes == 366);
  CHECK(records[1].url_path == "/health");
  CHECK(records[1].time_ns == 800'000'000);
  CHECK(records[2].url_path == "/items/42");
  CHECK(records[2].time_ns == 1'370'000'000);
  const auto run = test::simulate_good("", w);
  REQUIRE(!run.error);
  CHECK(run.result->overall.total() == 3);
}

TEST_CASE("same seed, same numbers, whatever the thread count; another seed, other numbers") {
  // With faults, health checks, task replacement and failover in play as well.
  const std::string base = "horizon: 2h\nwarmup: 5m\nreplications: 4\narrivals: {rate: 20/s}\n"
                           "faults:\n  a: {effect: zone_outage, zone: us-east-1a, at: 30m, duration: 20m}\n"
                           "  crash: {effect: task_crash, component: app, time_to_failure: {exponential: {mean: 30m}}}\n";
  const auto w = test::workload(base + "seed: 5\n");
  sim::SimOptions one, three;
  three.threads = 3;
  const auto a = test::simulate_good("", w, one);
  const auto b = test::simulate_good("", w, three);
  REQUIRE((!a.error && !b.error));
  CHECK(a.result->replications == 4);
  CHECK(fingerprint(*a.result) == fingerprint(*b.result));
  const auto c = test::simulate_good("", test::workload(base + "seed: 6\n"));
  CHECK(fingerprint(*a.result) != fingerprint(*c.result));
}

TEST_CASE("rejections are outcomes with causes") {
  SUBCASE("a full task queue") {
    const auto w = test::workload("horizon: 30m\narrivals: {rate: 200/s}\ncomponents:\n"
                                  "  app: {service_time: 50ms, concurrency: 2, queue_length: 5}\n");
    const auto run = test::simulate_good("", w);
    REQUIRE(!run.error);
    CHECK(run.result->overall.outcomes[static_cast<std::size_t>(sim::Outcome::QueueFull)] > 0);
    CHECK(run.result->availability() < 0.5);
  }
  SUBCASE("the load balancer's idle timeout answers 504 at the timeout") {
    const auto w = test::workload("horizon: 30m\narrivals: {rate: 1/s}\n" + test::zero_network_yaml() +
                                  "components:\n  alb: {service_time: 0s, timeout: 1s}\n  app: {service_time: 3s, concurrency: 100}\n"
                                  "  db: {service_time: 0s}\n");
    const auto run = test::simulate_good("", w);
    REQUIRE(!run.error);
    CHECK(run.result->overall.outcomes[static_cast<std::size_t>(sim::Outcome::Timeout)] == run.result->overall.total());
  }
  SUBCASE("Lambda throttles beyond its concurrency and pays cold starts") {
    const auto w = test::workload("horizon: 30m\narrivals: {rate: 50/s}\ncomponents:\n"
                                  "  fn: {service_time: 100ms, cold_start: 500ms, idle_reclaim: 10m}\n");
    const auto run = test::simulate_good(
        "components:\n  fn: {type: lambda, memory: 1024MiB, reserved_concurrency: 3}\n"
        "  alb: {target_groups: {app: {targets: fn}}}\nroutes: {main: {hops: [users, alb, fn]}}", w);
    REQUIRE(!run.error);
    CHECK(run.result->overall.outcomes[static_cast<std::size_t>(sim::Outcome::Throttled)] > 0);
    double cold = 0, gb_s = 0;
    for (const auto& m : run.result->usage) {
      if (m.meter == "cold_starts") cold = m.total();
      if (m.component == "fn" && m.meter == "gb_seconds") gb_s = m.total();
    }
    CHECK(cold >= 1);
    CHECK(cold <= 3);  // environments are reused while busy traffic keeps them warm
    // Each successful invocation bills at least its 100 ms at 1 GB.
    CHECK(gb_s >= 0.1 * static_cast<double>(run.result->overall.outcomes[0]));
  }
}

TEST_CASE("usage meters: task time by the minute, bytes through the NAT gateway of the task's zone") {
  const auto w = test::workload("horizon: 2h\narrivals: {rate: 10/s}\ncomponents:\n  app: {log_bytes_per_request: 1KB}\n");
  const auto run = test::simulate_good("", w);
  REQUIRE(!run.error);
  double task_seconds = 0, nat = 0, logs = 0;
  for (const auto& m : run.result->usage) {
    if (m.component == "app" && m.meter == "task_seconds") {
      task_seconds = m.total();
      CHECK(m.hourly.size() == 2);
      CHECK(m.hourly[0] == 2 * 3600.0);
    }
    if (m.meter == "processed_bytes" && (m.component == "nat-a" || m.component == "nat-b")) nat += m.total();
    if (m.component == "logs" && m.meter == "ingested_bytes") logs = m.total();
  }
  CHECK(task_seconds == 2 * 2 * 3600.0);  // two tasks, two hours
  // One line per request that reached a task: the completed ones plus the few in flight at the end.
  const double completed = static_cast<double>(run.result->overall.total());
  CHECK(logs >= 1000.0 * completed);
  CHECK(logs <= 1000.0 * (completed + 20));
  CHECK(nat == logs);  // the logs leave through the NAT gateways (no logs endpoint)
}

TEST_CASE("faults: bad entries are located errors naming what was expected") {
  const auto errors = test::workload_errors;
  const std::string head = "arrivals: {rate: 1/s}\nfaults:\n";
  CHECK(errors(head + "  x: {effect: meltdown, zone: a, at: 1h, duration: 1m}\n").find("w.yaml:3:15: workload.faults.x.effect: error") !=
        std::string::npos);
  CHECK(errors(head + "  x: {fis_scenario: az-power-interuption, zone: a, at: 1h}\n").find("did you mean 'az-power-interruption'") !=
        std::string::npos);
  CHECK(errors(head + "  x: {effect: zone_outage, zone: a, at: 1h}\n").find("needs a `duration` above 0") != std::string::npos);
  CHECK(errors(head + "  x: {effect: zone_outage, zone: a, at: 1h, duration: 1m, time_to_failure: {exponential: {mean: 1d}}}\n")
            .find("either `at`") != std::string::npos);
  CHECK(errors(head + "  x: {effect: task_crash, component: app, at: 1h, duration: 1m}\n").find("instantaneous") != std::string::npos);
  CHECK(errors(head + "  x: {effect: dependency_errors, component: t, at: 1h, duration: 1m}\n").find("needs `error_rate`") !=
        std::string::npos);
  CHECK(errors(head + "  x: {effect: nat_gateway_loss, zone: a, at: 1h, duration: 1m}\n").find("component") != std::string::npos);
  // A stochastic fault's cycle of a nanosecond (or 0) would fill the event queue at time 0: a
  // mean below a second is refused, located, and only that (no "needs either `at`" beside it).
  const std::string zero = errors(head + "  x: {effect: dependency_errors, component: t, error_rate: 1, time_to_failure: {constant: 0s}, "
                                         "time_to_repair: {uniform: {min: 0s, max: 1ms}}}\n");
  CHECK(zero.find("w.yaml:3:80: workload.faults.x.time_to_failure: error: expected a mean time_to_failure of at least 1s (a stochastic fault "
                  "renews itself each cycle), found 0s") != std::string::npos);
  CHECK(zero.find("workload.faults.x.time_to_repair: error: expected a mean time_to_repair of at least 1s (a stochastic fault renews itself "
                  "each cycle), found 0.0005s") != std::string::npos);
  CHECK(zero.find("either `at`") == std::string::npos);
  CHECK(errors(head + "  x: {effect: dependency_errors, component: t, error_rate: 1, time_to_failure: {exponential: {mean: 1s}}, "
                      "time_to_repair: {constant: 1s}}\n")
            .find("at least 1s") == std::string::npos);
  // The FIS scenario stands for a zone outage of 30 minutes unless told otherwise.
  model::Diagnostics d;
  const auto w = sim::decode_workload_text(head + "  x: {fis_scenario: az-power-interruption, zone: us-east-1a, at: 1h}\n", "w.yaml", ".", d);
  REQUIRE(w.has_value());
  CHECK(w->faults.front().effect == sim::FaultEffect::ZoneOutage);
  CHECK(w->faults.front().when.duration == sim::Duration::minutes(30));
  CHECK(w->faults.front().fis_scenario == "AZ Availability: Power Interruption");
}

TEST_CASE("confidence intervals: Student t quantiles and the interval of a known sample") {
  CHECK(sim::student_t_quantile(0.975, 3) == doctest::Approx(3.18245).epsilon(1e-5).scale(0));
  CHECK(sim::student_t_quantile(0.975, 1000) == doctest::Approx(1.96234).epsilon(1e-4).scale(0));
  const std::vector<double> x{1, 2, 3, 4};
  const auto e = sim::estimate(x);
  CHECK(e.mean == doctest::Approx(2.5));
  // s = sqrt(5/3); half-width = t(0.975, 3) s / 2
  CHECK(e.half_width == doctest::Approx(3.18245 * std::sqrt(5.0 / 3) / 2).epsilon(1e-5).scale(0));
  const std::vector<double> one{7};
  CHECK_FALSE(sim::estimate(one).has_interval());
}

TEST_CASE("timeline: warm-up minutes and minutes without a successful request have no p99, never 0 ms") {
  // 5 minutes of warm-up with traffic, then every request fails from 10m to 13m
  // (dependency_errors at rate 1 on the database the one route reaches).
  const auto r = test::run_good("", std::string(kFastApp) +
                                        "horizon: 20m\nwarmup: 5m\nseed: 2\narrivals: {rate: 20/s}\n"
                                        "faults:\n  all: {effect: dependency_errors, component: db, error_rate: 1, at: 10m, duration: 3m}\n");
  REQUIRE(r.timeline.size() == 20);
  for (std::size_t m = 0; m < 20; ++m) {
    const sim::MinuteSample& s = r.timeline[m];
    CAPTURE(m);
    CHECK(s.arrivals > 0);
    CHECK(s.warmup == (m < 5));
    if (m < 5 || m == 11 || m == 12) {
      CHECK_FALSE(s.p99_ns.has_value());
    } else if (m != 10) {  // a request that reached the database just before 10m may end in minute 10
      REQUIRE(s.p99_ns.has_value());
      CHECK(*s.p99_ns > 0);
    }
  }
}

// Issue 19: inputs that used to hang, crash or wrap.
using test::workload_errors;

TEST_CASE("a peak arrival rate beyond the cap is a located error, whatever multiplies it up") {
  const std::string cap = "expected a peak rate (rate x the largest profile multiplier x the largest product of bursts on at once) of at most 1e+06/s";
  for (const std::string arrivals : {
           "arrivals: {rate: 1/s, bursts: [{start: 1h, duration: 1h, multiplier: 1e12}]}\n",
           "arrivals:\n  rate: 1/s\n  daily_profile: [1e300, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
           "arrivals: {rate: 1/s, bursts: [{start: 1h, duration: 1h, multiplier: 1e200}, {start: 1h, duration: 1h, multiplier: 1e200}]}\n",
           "arrivals: {rate: 2e6/s}\n"}) {
    const auto errors = workload_errors(arrivals);
    INFO(arrivals);
    CHECK_MESSAGE(errors.find("w.yaml:") != std::string::npos, errors);
    CHECK_MESSAGE(errors.find("workload.arrivals: error: " + cap) != std::string::npos, errors);
  }
  CHECK(workload_errors("arrivals: {rate: 1e6/s}\n").empty());
  // Bursts that never overlap do not multiply: forty doublings, one at a time, peak at 2/s
  // (every multiplier multiplied, the bound refused this as 1.1e12/s).
  std::string apart = "arrivals: {rate: 1/s, bursts: [";
  for (int h = 1; h <= 40; ++h) apart += fmt::format("{}{{start: {}h, duration: 10m, multiplier: 2}}", h > 1 ? ", " : "", h);
  CHECK(workload_errors(apart + "]}\n").empty());
  std::string many = "arrivals: {rate: 1/s, bursts: [";
  for (int i = 0; i < 1001; ++i) many += fmt::format("{}{{start: {}m, duration: 1m, multiplier: 1.1}}", i > 0 ? ", " : "", i);
  CHECK(workload_errors(many + "]}\n").find("1001 bursts, more than the 1000 a workload may have") != std::string::npos);
}

TEST_CASE("a fault or deployment at a fixed time after the horizon is an error, as a start drawn beyond it is") {
  const auto fault = workload_errors("horizon: 2h\narrivals: {rate: 1/s}\nfaults:\n  late: {effect: task_crash, component: app, at: 3h}\n");
  CHECK_MESSAGE(fault.find("workload.faults.late.at: error: at 3h never starts within the horizon (2h)") != std::string::npos, fault);
  const auto deploy = workload_errors("horizon: 2h\narrivals: {rate: 1/s}\ndeployments:\n  late: {service: app, at: 2h1m}\n");
  CHECK_MESSAGE(deploy.find("workload.deployments.late.at: error: at 2h1m never starts within the horizon (2h)") != std::string::npos, deploy);
  // At the horizon itself, events still happen (a Spot replacement launches at 2 h of a 2 h run).
  CHECK(workload_errors("horizon: 2h\narrivals: {rate: 1/s}\ndeployments:\n  edge: {service: app, at: 2h}\n").empty());
  CHECK(workload_errors("horizon: 2h\narrivals: {rate: 1/s}\nfaults:\n  in: {effect: task_crash, component: app, at: 1h59m}\n").empty());
}

TEST_CASE("the peak rate takes the bursts on at one time: absolute and daily, overlapping or apart, dips as 1") {
  sim::ArrivalSpec a;
  a.rate_per_second = 10;
  using sim::Duration;
  a.bursts.push_back({"", Duration::hours(1), Duration::minutes(30), 2, false});
  a.bursts.push_back({"", Duration::hours(3), Duration::minutes(30), 3, false});
  CHECK(a.max_rate() == 30);  // apart: the larger
  a.bursts.push_back({"", Duration::hours(3) + Duration::minutes(10), Duration::minutes(5), 2, false});
  CHECK(a.max_rate() == 60);  // inside the 3x one
  a.bursts.push_back({"", Duration::hours(27) + Duration::minutes(15), Duration::minutes(30), 0.5, true});
  CHECK(a.max_rate() == 60);  // a dip lowers nothing
  // A daily burst from 03:15 meets the absolute 3x one (03:00-03:30 of day one), after the 2x
  // one (03:10-03:15) has ended; from 03:12 it meets both.
  a.bursts.back().multiplier = 4;
  a.bursts.back().start = Duration::hours(3) + Duration::minutes(15);
  CHECK(a.max_rate() == 10 * 3 * 4);
  a.bursts.back().start = Duration::hours(3) + Duration::minutes(12);
  CHECK(a.max_rate() == 10 * 3 * 2 * 4);
}

TEST_CASE("arrival candidates thinned away count as work: a mostly idle profile at a high peak stops at max_events, never hangs") {
  // Peak 1e6/s in hour 23 only; the first hour draws 3.6e9 candidates and keeps ~0.
  std::string profile = "[";
  for (int h = 0; h < 23; ++h) profile += "1e-9, ";
  profile += "1]";
  const auto w = test::workload("horizon: 1h\nlimits: {max_events: 1000000}\narrivals: {rate: 1e6/s, daily_profile: " + profile + "}\n");
  const auto run = test::simulate_good("", w);
  REQUIRE(run.error);
  CHECK(run.error->diagnostic.path == "workload.limits.max_events");
  CHECK(run.error->diagnostic.message.find("work limit (1000000 events and arrival candidates)") != std::string::npos);
}

TEST_CASE("trace times outside 1970-2200 are located errors at the trace line, not an overflow") {
  const auto dir = std::filesystem::temp_directory_path() / "archsim_trace_years";
  std::filesystem::create_directories(dir);
  // -026 and 6026: the fuzzer's first finds (tests/fuzz/seeds/*/regress-negative-year), a signed
  // overflow before the year range was checked first.
  for (const std::string year : {"2300", "9999", "1969", "-026", "6026"}) {
    std::ofstream(dir / "t.csv") << "timestamp,route\n2026-01-05T10:00:00Z,main\n" << year << "-01-05T10:00:01Z,main\n";
    model::Diagnostics d;
    sim::decode_workload_text("arrivals: {trace: {file: t.csv}}\n", "w.yaml", dir.string(), d);
    std::string all;
    for (const auto& diag : d.all()) all += model::format_diagnostic(diag) + "\n";
    INFO(year);
    CHECK_MESSAGE(all.find("t.csv:3:1: workload.arrivals.trace: error: expected a timestamp (seconds such as 12.5, or ISO 8601 UTC such as "
                           "2026-01-05T10:00:00Z, in the years 1970 to 2200), found '" + year) != std::string::npos,
                  all);
  }
}

TEST_CASE("the in-flight limit follows from memory per request, not a fixed count") {
  const std::uint64_t gib = std::uint64_t{1} << 30;
  const std::uint64_t by_default = sim::in_flight_for_memory(sim::WorkloadLimits{}.in_flight_memory);
  // A request's state is a few hundred bytes: 1 GiB holds a million or so, well under the 10
  // million that once ran out of memory at 2.7 GB first.
  CHECK(by_default > 100'000);
  CHECK(by_default < 10'000'000);
  CHECK(sim::in_flight_for_memory(2 * gib) == 2 * by_default);
  CHECK(workload_errors("arrivals: {rate: 1/s}\nlimits: {max_in_flight: 1e9}\n").find("workload.limits.max_in_flight: error: expected a whole number from 1 to") !=
        std::string::npos);
}

TEST_CASE("a service of more than 65,535 tasks runs: task timers carry a 32-bit slot, not 16 bits beside the component") {
  // The loader caps a service at ECS's 5,000 tasks; the walk's own fields hold any count, so a
  // topology built another way cannot wrap a task slot into the component index (it crashed at
  // 1,000,000).
  auto loaded = testing::load_good("routes: {main: {hops: [users, alb, app]}}");
  REQUIRE(loaded.ok());
  auto topology = loaded.scenario->alternatives.front().topology;
  auto& app = topology.ecs_services.front();
  app.desired_count = app.min_count = app.max_count = 70'000;
  const auto w = test::workload("horizon: 2m\narrivals: {rate: 1/s}\n");
  const auto run = sim::simulate(topology, w, sim::builtin_sim_defaults());
  REQUIRE_MESSAGE(!run.error, run.error->diagnostic.message);
  const auto& end = run.result->per_replication.front().capacity_at_end;
  REQUIRE(!end.empty());
  CHECK(end.front().in_service == 70'000);
}

TEST_CASE("durations are capped where they are written and samples where they are drawn: a long tail never overflows the clock") {
  CHECK(workload_errors("arrivals: {rate: 1/s}\ncomponents: {app: {timeout: 100000d}}\n")
            .find("workload.components.app.timeout: error: expected a duration of at most 3653d") != std::string::npos);
  CHECK(workload_errors("arrivals: {rate: 1/s}\ncomponents: {app: {timeout: 0s}}\n")
            .find("workload.components.app.timeout: error: expected a timeout above 0") != std::string::npos);
  // A p99 of nine years puts a lognormal's tail past 292 years (it exited 3: "event scheduled
  // in the past"); samples stop at the cap, so the run completes.
  const auto w = test::workload("horizon: 10m\narrivals: {rate: 5/s}\ncomponents: {app: {timeout: 3000d, service_time: {lognormal: {median: 10ms, p99: 80000h}}}}\n");
  const auto run = test::simulate_good("", w);
  CHECK_MESSAGE(!run.error, run.error->diagnostic.message);
}

TEST_CASE("a behaviour's concurrency is at most a million, so tasks x concurrency stays exact") {
  CHECK(workload_errors("arrivals: {rate: 1/s}\ncomponents: {app: {concurrency: 2000000000}}\n")
            .find("workload.components.app.concurrency: error: expected a concurrency from 1 to 1000000, found 2000000000") != std::string::npos);
  CHECK(workload_errors("arrivals: {rate: 1/s}\ncomponents: {app: {concurrency: 1000000}}\n").empty());
}

TEST_CASE("the workload's route share overrides must add up to 1 with the topology's, or the run is refused, not rescaled") {
  const auto w = test::workload("horizon: 10m\narrivals: {rate: 1/s}\nroutes: {main: {share: 0.5}}\n");
  const auto run = test::simulate_good("routes: {main: {share: 0.5, hops: [users, alb, app, db]}, other: {share: 0.5, hops: [users, alb, app]}}\n"
                                       "components: {}",
                                       w);
  CHECK_FALSE(run.error);  // 0.5 + 0.5
  const auto w2 = test::workload("horizon: 10m\narrivals: {rate: 1/s}\nroutes: {main: {share: 1}}\n");
  const auto bad = test::simulate_good("routes: {main: {share: 0.5, hops: [users, alb, app, db]}, other: {share: 0.5, hops: [users, alb, app]}}", w2);
  REQUIRE(bad.error);
  CHECK(bad.error->diagnostic.path == "workload.routes");
  CHECK(bad.error->diagnostic.message.find("expected route shares (the topology's, with the workload's overrides) that add up to 1 (within 0.001), "
                                           "found 1.5 (main 1 + other 0.5)") != std::string::npos);
}

TEST_CASE("S3 meters a write as put_requests and a read as requests, as S3 bills them apart") {
  const std::string overrides =
      "components: {assets: {type: s3_bucket}}\n"
      "routes:\n"
      "  main: {hops: [users, alb, app, db], share: 0.5}\n"
      "  upload: {hops: [users, assets], share: 0.25, method: PUT}\n"
      "  download: {hops: [users, assets], share: 0.25, method: GET}\n";
  const auto r = archsim::test::run_good(overrides, "horizon: 2h\nseed: 9\narrivals: {rate: 4/s}\n");
  const double puts = archsim::test::meter_total(r, "assets", "put_requests");
  const double gets = archsim::test::meter_total(r, "assets", "requests");
  // A quarter of about 28,800 requests each way (the warm-up aside), independently drawn.
  CHECK(puts > 5000);
  CHECK(gets > 5000);
  CHECK(std::abs(puts - gets) < 0.1 * gets);
  // A bucket nobody writes to has no put meter at all: a read-only bill is unchanged.
  const auto read_only = archsim::test::run_good("components: {assets: {type: s3_bucket}}\nroutes:\n  main: {hops: [users, alb, app, db], share: 0.5}\n"
                                  "  download: {hops: [users, assets], share: 0.5}\n",
                                  "horizon: 1h\nseed: 9\narrivals: {rate: 4/s}\n");
  CHECK(archsim::test::meter_total(read_only, "assets", "put_requests") == 0);
  CHECK(archsim::test::meter_total(read_only, "assets", "requests") > 0);
}

TEST_CASE("an S3 bucket in an infrequent-access class meters the bytes its GETs read back, from the internet and from tasks alike, in both engines") {
  // Each GET returns 1 MiB exactly: retrieved_bytes is the GETs that reached the bucket x 1 MiB,
  // whether the caller is a user or the app; the PUTs' responses are not retrievals.
  const std::string overrides =
      "components: {assets: {type: s3_bucket, storage_class: STANDARD_IA}}\n"
      "routes:\n"
      "  main: {hops: [users, alb, app, assets], share: 0.4, response_size: 1MiB}\n"
      "  download: {hops: [users, assets], share: 0.4, response_size: 1MiB}\n"
      "  upload: {hops: [users, assets], share: 0.2, method: PUT, response_size: 1MiB}\n";
  const auto w = test::workload("horizon: 1h\nseed: 5\narrivals: {rate: 4/s}\n");
  for (const auto fidelity : {sim::Fidelity::Request, sim::Fidelity::Flow}) {
    CAPTURE(static_cast<int>(fidelity));
    sim::SimOptions options;
    options.fidelity = fidelity;
    const auto run = test::simulate_good(overrides, w, options);
    REQUIRE(!run.error);
    const double gets = test::meter_total(*run.result, "assets", "requests");
    // Both GET routes reach the bucket: 0.8 of the hour's 14,400 arrivals, not the 0.4 downloads alone.
    CHECK(gets > 10000);
    CHECK(test::meter_total(*run.result, "assets", "retrieved_bytes") == doctest::Approx(gets * 1024 * 1024).epsilon(0.002));
  }
  // A Standard bucket has no retrieval fee, so no such meter.
  const auto standard = test::run_good("components: {assets: {type: s3_bucket}}\nroutes:\n  main: {hops: [users, alb, app, db], share: 0.5}\n"
                                       "  download: {hops: [users, assets], share: 0.5}\n",
                                       "horizon: 1h\nseed: 9\narrivals: {rate: 4/s}\n");
  CHECK(test::meter_total(standard, "assets", "requests") > 0);
  CHECK(std::none_of(standard.usage.begin(), standard.usage.end(), [](const auto& m) { return m.meter == "retrieved_bytes"; }));
}

namespace {

/// data/trace.csv replayed through an instantaneous ALB to one app, walked and as flows.
std::pair<sim::SimResult, sim::SimResult> trace_walked_and_as_flows() {
  const auto w = test::workload("horizon: 1h\narrivals: {trace: {file: data/trace.csv}}\n" + test::zero_network_yaml() +
                                "components:\n  alb: {service_time: 0s}\n  app: {service_time: 10ms, concurrency: 1000}\n");
  sim::SimOptions request_options, flow_options;
  flow_options.fidelity = sim::Fidelity::Flow;
  auto request = test::simulate_good("routes: {main: {hops: [users, alb, app]}}", w, request_options);
  auto flow = test::simulate_good("routes: {main: {hops: [users, alb, app]}}", w, flow_options);
  REQUIRE(!request.error);
  REQUIRE(!flow.error);
  return {std::move(*request.result), std::move(*flow.result)};
}

}  // namespace

TEST_CASE("flow fidelity replays a trace's own counts, minute by minute") {
  const auto [request, flow] = trace_walked_and_as_flows();
  CHECK(flow.fidelity == sim::Fidelity::Flow);
  CHECK(flow.overall.total() == 200);
  for (std::size_t m = 0; m < 60; ++m) CHECK(flow.timeline[m].arrivals == request.timeline[m].arrivals);
  CHECK(flow.overall.latency.max() == 10'000'000);
}

TEST_CASE("flow fidelity meters a trace's own sizes, as the walk does, not the route's size distribution") {
  // data/trace.csv gives every record its sizes; the route's default sizes differ from them.
  const auto [request, flow] = trace_walked_and_as_flows();
  int compared = 0;
  for (const auto& m : request.usage) {
    if (m.meter.find("bytes") == std::string::npos && m.meter != "data_out") continue;
    CAPTURE(m.component);
    CAPTURE(m.meter);
    const double walked = m.total();
    if (walked <= 0) continue;
    // Which zone a request crosses is drawn, so cross-zone bytes agree only in distribution.
    const double within = m.meter == "cross_zone_bytes" ? 0.1 : 1e-9;
    CHECK(test::meter_total(flow, m.component, m.meter) == doctest::Approx(walked).epsilon(within).scale(0));
    ++compared;
  }
  CHECK(compared > 0);
}

TEST_CASE("flow fidelity keeps a target group's cross-zone setting, as the walk does") {
  // Two tasks in two zones behind the ALB: with cross-zone load balancing off on the target
  // group, each ALB node sends only to its own zone's task, so no byte crosses a zone between
  // them; on, about half of them do. Both engines read the setting from the ALB's hop.
  for (const bool cross_zone : {false, true}) {
    CAPTURE(cross_zone);
    const std::string overrides = std::string("components:\n  alb:\n    target_groups:\n      app: {cross_zone: ") +
                                  (cross_zone ? "true" : "false") + "}\nroutes: {main: {hops: [users, alb, app]}}";
    const auto w = test::workload("horizon: 1h\nseed: 3\narrivals: {rate: 20/s}\n");
    sim::SimOptions request_options, flow_options;
    request_options.fidelity = sim::Fidelity::Request;
    flow_options.fidelity = sim::Fidelity::Flow;
    const auto walked = test::simulate_good(overrides, w, request_options);
    const auto flows = test::simulate_good(overrides, w, flow_options);
    REQUIRE(!walked.error);
    REQUIRE(!flows.error);
    const double walked_bytes = test::meter_total(*walked.result, "alb", "cross_zone_bytes");
    const double flow_bytes = test::meter_total(*flows.result, "alb", "cross_zone_bytes");
    if (cross_zone) {
      CHECK(walked_bytes > 0);
      CHECK(flow_bytes == doctest::Approx(walked_bytes).epsilon(0.1).scale(0));
    } else {
      CHECK(walked_bytes == 0);
      CHECK(flow_bytes == 0);
    }
  }
}
