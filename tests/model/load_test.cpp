#include <algorithm>

#include <doctest/doctest.h>

#include "fixture.hpp"

using namespace archsim::model;
using archsim::testing::diagnostics_text;
using archsim::testing::load_good;
using archsim::testing::load_text;

namespace {
bool has(const LoadResult& r, const std::string& text) {
  const auto& all = r.diagnostics.all();
  return std::any_of(all.begin(), all.end(), [&](const Diagnostic& d) { return format_diagnostic(d).find(text) != std::string::npos; });
}
}  // namespace

TEST_CASE("load: the reference scenario decodes with topology values located in the included file") {
  const auto r = load_good();
  INFO(diagnostics_text(r));
  REQUIRE(r.ok());
  const auto& s = *r.scenario;
  CHECK(s.alternatives.front().topology.ecs_services.front().memory.count == 512ll << 20);
  const SourceLoc loc = s.sources.locate("alternatives.good.topology.subnets.private-a.cidr");
  CHECK(loc.file.find("good_topology.yaml") != std::string::npos);
  CHECK(loc.line == 9);
  // Health-check values left out take AWS's ALB defaults.
  const auto& hc = s.alternatives.front().topology.load_balancers.front().target_groups.front().health_check;
  CHECK(hc.interval.ns == Duration::seconds(30).ns);
  CHECK(hc.unhealthy_threshold == 2);
}

TEST_CASE("load: errors read file:line:col: dotted.path: severity: message") {
  const auto r = load_text("archsim: 1\nname: x\nregion: us-east-1\nalternatives:\n  a:\n    title: t\n    topology:\n"
                           "      zones: [us-east-1a]\n      components:\n        app: {type: ecs_service, subnets: [], "
                           "desired_count: two}\n");
  CHECK_FALSE(r.ok());
  CHECK(has(r, "test.yaml:10:62: alternatives.a.topology.components.app.desired_count: error: expected a whole number, "
               "found 'two'"));
}

TEST_CASE("load: every problem of a file is reported at once") {
  const auto r = load_text("archsim: 1\nregion: 5\nalternatives:\n  a:\n    title: t\n    status: picked\n"
                           "    topology: {zones: [z], components: {u: {type: lodbalancer}}}\n");
  CHECK(has(r, "missing required key 'name'"));
  CHECK(has(r, "status: error: expected one of chosen, rejected, deferred, considered, found 'picked'"));
  CHECK(has(r, "unknown component type 'lodbalancer' (did you mean 'load_balancer'?)"));
}

TEST_CASE("load: unknown keys warn with a suggestion, and are errors under --strict") {
  const std::string text = "archsim: 1\nname: x\nregion: us-east-1\nbudegt: {}\nalternatives:\n  a:\n    title: t\n"
                           "    topology: {zones: [us-east-1a], components: {u: {type: internet_users}}}\n";
  const auto lax = load_text(text);
  CHECK(lax.ok());
  CHECK(has(lax, "test.yaml:4:1: budegt: warning: unknown key 'budegt' (did you mean 'budget'?)"));
  const auto strict = load_text(text, LoadOptions{true});
  CHECK_FALSE(strict.ok());
  CHECK(has(strict, "budegt: error: unknown key"));
}

TEST_CASE("load: references to missing ids are errors with did-you-mean") {
  const auto r = load_good("subnets: {private-a: {vpc: mian}}\ncomponents: {app: {log_group: logz}}");
  CHECK_FALSE(r.ok());
  CHECK(has(r, "no VPC named 'mian' (did you mean 'main'?)"));
  CHECK(has(r, "no component named 'logz' (did you mean 'logs'?)"));
  const auto wrong_type = load_good("components: {app: {log_group: repo}}");
  CHECK(has(wrong_type, "'repo' is a ecr_repository, expected log_group"));
}

TEST_CASE("load: a missing topology file points at the key that names it") {
  const auto r = load_text("archsim: 1\nname: x\nregion: us-east-1\nalternatives:\n  a:\n    title: t\n"
                           "    topology: nowhere.yaml\n");
  CHECK_FALSE(r.ok());
  CHECK(has(r, "test.yaml:7:15: alternatives.a.topology: error: topology file 'nowhere.yaml' not found"));
}

TEST_CASE("load: bad YAML, wrong shapes and garbage never throw") {
  for (const char* text : {"", "[", "- a\n- b\n", "name: [\n", "alternatives: 5\n", "\t\tx", "a: *nope\n",
                           "archsim: 2\nname: x\nregion: r\nalternatives: {a: {title: t, topology: 7}}\n"}) {
    CAPTURE(text);
    LoadResult r;
    CHECK_NOTHROW(r = load_text(text));
    CHECK_FALSE(r.ok());
  }
}

TEST_CASE("load: a value with the wrong unit names the expected form") {
  const auto r = load_good("components: {alb: {target_groups: {app: {health_check: {interval: 30}}}}}");
  CHECK(has(r, "expected a duration with a unit (ms, s, m, h, d; e.g. 30s, 250ms, 1h30m), found '30'"));
}

TEST_CASE("load: autoscaling schedules and policies are checked where they are written") {
  const auto bad_cron = load_good("components: {app: {autoscaling: {scheduled: {night: {schedule: \"cron(0 20 1 * ? *)\", min_capacity: 0}}}}}");
  CHECK(has(bad_cron, "day of month, month and year must be * or ?"));
  const auto bad_zone = load_good(
      "components: {app: {autoscaling: {scheduled: {night: {schedule: \"cron(0 20 ? * * *)\", timezone: Europe/Berlin, max_capacity: 0}}}}}");
  CHECK(has(bad_zone, "Europe/Berlin observes daylight saving time"));
  const auto no_capacity = load_good("components: {app: {autoscaling: {scheduled: {night: {schedule: \"cron(0 20 ? * * *)\"}}}}}");
  CHECK(has(no_capacity, "sets min_capacity, max_capacity or both"));
  const auto bad_metric = load_good("components: {app: {autoscaling: {target_tracking: [{metric: memory, target: 50}]}}}");
  CHECK_FALSE(bad_metric.ok());
  const auto good = load_good(
      "components: {app: {min_count: 0, max_count: 3, autoscaling: {target_tracking: [{metric: cpu, target: 60}], "
      "scheduled: {night: {schedule: \"cron(0 20 ? * MON-FRI *)\", timezone: \"UTC+02:00\", max_capacity: 0}}}}}");
  CHECK_MESSAGE(good.ok(), archsim::testing::diagnostics_text(good));
}

TEST_CASE("load: Lambda provisioned concurrency is refused beyond the function's reserved concurrency, where it is written") {
  const auto over = load_good("components: {fn: {type: lambda, reserved_concurrency: 2, provisioned_concurrency: 3}}");
  CHECK_FALSE(over.ok());
  CHECK(has(over, "components.fn.provisioned_concurrency: error: expected at most the function's reserved_concurrency (2)"));
  const auto negative = load_good("components: {fn: {type: lambda, provisioned_concurrency: -1}}");
  CHECK(has(negative, "expected 0 or more execution environments"));
  const auto within = load_good("components: {fn: {type: lambda, reserved_concurrency: 2, provisioned_concurrency: 2}}");
  CHECK_MESSAGE(within.ok(), diagnostics_text(within));
}

TEST_CASE("load: a rollback alarm watches the error rate, the response time or both, and says so where it is written") {
  const auto neither = load_good("components: {app: {deployment: {alarm: {datapoints: 2}}}}");
  CHECK(has(neither, "components.app.deployment.alarm: error: a rollback alarm needs `error_rate`"));
  const auto zero = load_good("components: {app: {deployment: {alarm: {response_time: 0s}}}}");
  CHECK(has(zero, "components.app.deployment.alarm.response_time: error: expected an average response time above 0"));
  const auto both = load_good("components: {app: {deployment: {alarm: {error_rate: 0.05, response_time: 800ms, datapoints: 3}}}}");
  CHECK_MESSAGE(both.ok(), diagnostics_text(both));
}
