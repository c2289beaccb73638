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

TEST_CASE("load: the pricing dates are days and months that exist, located where written") {
  const auto with = [](const std::string& pricing) {
    return archsim::testing::load_text("archsim: 1\nname: f\nregion: us-east-1\npricing: {free_tier: legacy_12_month, " + pricing +
                                       "}\nalternatives:\n  good: {title: t, status: chosen, topology: good_topology.yaml}\n");
  };
  for (const char* bad : {"account_created: 2025-02-30", "account_created: 2025-02-29", "account_created: 0000-01-01", "account_created: 2025-13",
                          "billing_month: 2025-06-15", "billing_month: 2025-06-99", "billing_month: 2025-13", "billing_month: soon"}) {
    const auto r = with(bad);
    INFO(bad);
    INFO(diagnostics_text(r));
    CHECK_FALSE(r.ok());
    CHECK(has(r, "test.yaml:4:"));
  }
  for (const char* fine : {"account_created: 2024-02-29", "account_created: 2025-03", "billing_month: 2025-12"}) {
    const auto r = with(fine);
    CHECK_MESSAGE(r.ok(), diagnostics_text(r));
  }
}

TEST_CASE("load: a value the decoder refused is said once, not again as out of range at its default") {
  for (const char* value : {"1e308", "lots", "2.5"}) {
    const auto r = load_good(std::string("components: {t: {type: dynamodb, billing_mode: provisioned, write_capacity: 5, read_capacity: ") + value + "}}");
    INFO(diagnostics_text(r));
    CHECK(has(r, "t.read_capacity: error: expected a whole number"));
    CHECK_FALSE(has(r, "found 0"));
    CHECK(std::count_if(r.diagnostics.all().begin(), r.diagnostics.all().end(),
                        [](const auto& d) { return d.severity == archsim::model::Severity::Error; }) == 1);
  }
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

// Issue 19: values beyond what AWS allows, or that make no sense, are load errors at the value
// (validate exits 2), never a crash, a silent default or a wrapped counter later.
TEST_CASE("load: hostile and absurd topology values are located errors that say what was expected") {
  struct Case {
    const char* overrides;
    const char* expected;
  };
  const Case cases[] = {
      {"routes: {main: {hops: [users]}}", "routes.main.hops: error: expected the entry (users) followed by at least one component"},
      {"routes: {main: {hops: []}}", "routes.main.hops: error: expected the entry (an internet_users component) followed by"},
      {"components: {app: {desired_count: 1000000}}", "app.desired_count: error: expected a task count (ECS quota 'Tasks per service') from 0 to 5000, found 1000000"},
      {"components: {app: {desired_count: 65536}}", "app.desired_count: error: expected a task count (ECS quota 'Tasks per service') from 0 to 5000"},
      {"components: {app: {desired_count: -1}}", "app.desired_count: error: expected a task count (ECS quota 'Tasks per service') from 0 to 5000, found -1"},
      {"components: {app: {min_count: 0, max_count: 70000}}", "app.max_count: error: expected a task count (ECS quota 'Tasks per service') from 0 to 5000"},
      {"components: {app: {min_count: 3, max_count: 2}}", "app.max_count: error: expected max_count (2) at least min_count (3)"},
      {"components: {app: {desired_count: 10, min_count: 1, max_count: 2}}", "app.desired_count: error: expected desired_count (10) within min_count (1) and max_count (2)"},
      {"components: {app: {desired_count: 1, min_count: 2, max_count: 4}}", "app.desired_count: error: expected desired_count (1) within min_count (2) and max_count (4)"},
      {"components: {app: {vcpu: 1e9}}", "app.vcpu: error: expected a Fargate task vCPU from 0.25 to 16, found 1e+09"},
      {"components: {app: {vcpu: 0.1}}", "app.vcpu: error: expected a Fargate task vCPU from 0.25 to 16, found 0.1"},
      {"components: {app: {memory: 0MiB}}", "app.memory: error: expected a Fargate task memory from 512MiB to 120GiB, found 0B"},
      {"components: {app: {memory: 1TiB}}", "app.memory: error: expected a Fargate task memory from 512MiB to 120GiB"},
      {"components: {app: {ephemeral_storage: 1TiB}}", "app.ephemeral_storage: error: expected Fargate ephemeral storage from 20GiB to 200GiB"},
      {"components: {app: {container_port: 70000}}", "app.container_port: error: expected a port from 1 to 65535, found 70000"},
      {"components: {fn: {type: lambda, memory: 0MiB}}", "fn.memory: error: expected a Lambda memory size from 128MiB to 10GiB, found 0B"},
      {"components: {fn: {type: lambda, timeout: 1h}}", "fn.timeout: error: expected a Lambda timeout from 1s to 15m, found 1h"},
      {"components: {fn: {type: lambda, reserved_concurrency: -1}}", "fn.reserved_concurrency: error: expected 0 or more reserved execution environments, found -1"},
      {"components: {t: {type: dynamodb, billing_mode: provisioned, read_capacity: -5}}",
       "t.read_capacity: error: expected provisioned read capacity units (DynamoDB per-table quota) from 1 to 40000, found -5"},
      {"components: {t: {type: dynamodb, billing_mode: provisioned, write_capacity: 1000000}}",
       "t.write_capacity: error: expected provisioned write capacity units (DynamoDB per-table quota) from 1 to 40000"},
      {"components: {t: {type: dynamodb, billing_mode: provisioned, read_capacity: 5}}",
       "components.t: error: billing_mode: provisioned needs 'write_capacity' (capacity units, 1 to 40000)"},
      {"components: {secrets: {secrets: -3}}", "secrets.secrets: error: expected a number of secrets (Secrets Manager quota) from 0 to 500000, found -3"},
      {"components: {alb: {target_groups: {app: {targets: app, health_check: {path: /health, healthy_threshold: 0}}}}}",
       "health_check.healthy_threshold: error: expected a health check healthy_threshold from 2 to 10, found 0"},
      {"components: {alb: {target_groups: {app: {targets: app, health_check: {path: /health, interval: 0s}}}}}",
       "health_check.interval: error: expected a health check interval from 5s to 300s, found 0s"},
      {"components: {alb: {target_groups: {app: {targets: app, port: 0}}}}", "target_groups.app.port: error: expected a port from 1 to 65535, found 0"},
      {"subnets: {public-a: {cidr: 300.1.1.1/33}}", "subnets.public-a.cidr: error: expected an IPv4 CIDR block a.b.c.d/n"},
      {"subnets: {public-a: {cidr: '2001:db8::/32'}}", "subnets.public-a.cidr: error: expected an IPv4 CIDR block a.b.c.d/n"},
      {"vpcs: {main: {cidr: 10.0.0.0/16, secondary_cidrs: [10.1.0.0/33]}}", "secondary_cidrs[0]: error: expected an IPv4 CIDR block"},
      {"routes: {main: {share: 1.0, hops: [users, alb, app, db]}, other: {share: 0.5, hops: [users, alb, app]}}",
       "topology.routes: error: expected route shares that add up to 1 (within 0.001), found 1.5 (main 1 + other 0.5)"},
      {"routes: {main: {share: -0.5, hops: [users, alb, app, db]}}", "routes.main.share: error: share must be within 0..1, found -0.5"},
      {"components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], viewers: {north_america: 0.7, europe: 0.2}}}",
       "cdn.viewers: error: expected viewer shares that add up to 1 (within 0.001), found 0.9 (north_america 0.7 + europe 0.2)"},
      {"components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], viewers: {north_america: 0.5, eurpoe: 0.5}}}",
       "cdn.viewers.eurpoe: error: unknown CloudFront edge region group 'eurpoe' (did you mean 'europe'?); known groups: north_america, europe,"},
      {"components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], viewers: {north_america: 1.5}}}", "cdn.viewers.north_america: error: expected a share of the viewers from 0 to 1, found 1.5"},
      {"components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], viewers: [north_america]}}", "cdn.viewers: error: expected a map of edge region groups to viewer shares"},
      {"components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], viewers: {north_america: lots}}}", "cdn.viewers.north_america: error: expected a number"},
      {"components: {t: {type: dynamodb, replicas: [us-west-2, mars-1]}}", "t.replicas[1]: error: unknown Region 'mars-1'"},
      {"components: {t: {type: dynamodb, replicas: [us-east-1]}}",
       "t.replicas[0]: error: expected a Region other than the table's own (us-east-1): a replica is a copy in another Region"},
      {"components: {t: {type: dynamodb, replicas: [eu-west-1, eu-west-1]}}",
       "t.replicas[1]: error: Region 'eu-west-1' is listed twice: a global table has one replica per Region"},
      {"components: {ws: {type: api_gateway, api_type: websocket, integration: app}}\nroutes: {main: {hops: [users, ws, app]}}",
       "error: ws is a WebSocket API: archsim simulates request routes, not WebSocket connections"},
      {"components: {logs: {retention: 100000d}}",
       "logs.retention: error: expected a duration of at most 3653d (ten years, CloudWatch Logs' longest retention), found '100000d'"},
  };
  for (const auto& c : cases) {
    const auto r = load_good(c.overrides);
    INFO(std::string(c.overrides));
    INFO(diagnostics_text(r));
    CHECK_FALSE(r.ok());
    CHECK(has(r, c.expected));
    // Located: in the scenario's overrides, or (route shares) at the merged topology's routes.
    CHECK((has(r, "test.yaml:") || has(r, "good_topology.yaml:")));
  }
  // Within the ranges, the same keys load.
  for (const char* fine : {"components: {app: {desired_count: 5000, min_count: 0, max_count: 5000, vcpu: 16, memory: 120GiB}}",
                           "components: {app: {vcpu: 0.25, memory: 512MiB, desired_count: 0}}",
                           "routes: {main: {share: 0.6, hops: [users, alb, app, db]}, other: {share: 0.4, hops: [users, alb, app]}}",
                           "components: {cdn: {type: cloudfront, origins: {web: {component: alb}}, behaviors: [{path_pattern: '*', origin: web}], price_class: PriceClass_100, viewers: {north_america: 0.6, europe: 0.3, india: 0.1}}}",
                           "components: {t: {type: dynamodb, replicas: [us-west-2, eu-west-1]}}",
                           "components: {ws: {type: api_gateway, api_type: websocket, integration: app}}"}) {
    const auto r = load_good(fine);
    INFO(std::string(fine));
    CHECK_MESSAGE(r.ok(), diagnostics_text(r));
  }
}

TEST_CASE("load: a KrakenD endpoint with more backends than the fan-out cap is refused where they are listed") {
  std::string backends = "[app";
  for (int i = 0; i < 64; ++i) backends += ", app";
  backends += "]";
  const auto r = load_good("components: {gw: {type: krakend, subnets: [private-a], endpoints: [{url_pattern: /x, backends: " + backends + "}]}}");
  INFO(diagnostics_text(r));
  CHECK(has(r, "gw.endpoints[0].backends: error: expected at most 64 backends per endpoint (archsim's fan-out cap, model/data/quotas.yaml), found 65"));
}

TEST_CASE("load: an unknown region, a criterion naming no rule and a nonsense budget are located errors") {
  const std::string tail = "alternatives:\n  a:\n    title: t\n    topology: good_topology.yaml\n";
  const auto mars = load_text("archsim: 1\nname: x\nregion: mars-east-1\n" + tail);
  CHECK(has(mars, "test.yaml:3:9: region: error: unknown region 'mars-east-1' (did you mean 'us-east-1'?); archsim knows"));
  const auto rule = load_text("archsim: 1\nname: x\nregion: us-east-1\ncriteria:\n  c: {title: t, rules: [task-public-ip, task-publik-ip]}\n" + tail);
  INFO(diagnostics_text(rule));
  CHECK(has(rule, "test.yaml:5:41: criteria.c.rules[1]: error: no rule named 'task-publik-ip' (did you mean 'task-public-ip'?)"));
  const auto budget = load_text("archsim: 1\nname: x\nregion: us-east-1\nbudget: {monthly_limit_usd: -10, alerts: [{threshold_percent: 0}]}\n" + tail);
  CHECK(has(budget, "test.yaml:4:29: budget.monthly_limit_usd: error: expected a monthly limit above 0 and at most 1e+12 USD, found -10"));
  CHECK(has(budget, "budget.alerts[0].threshold_percent: error: expected a threshold above 0 and at most 1000 (% of the monthly limit), found 0"));
  const auto credits = load_text("archsim: 1\nname: x\nregion: us-east-1\npricing: {credits_usd: -1}\n" + tail);
  CHECK(has(credits, "pricing.credits_usd: error: expected credits in USD from 0 to 1e+12, found -1"));
}

TEST_CASE("load: a criterion the document does not state says who added it, in one short line, and reports show it") {
  const std::string head = "archsim: 1\nname: x\nregion: us-east-1\ncriteria:\n  https:\n    title: HTTPS end to end\n"
                           "    rules: [listener-without-tls]\n";
  const std::string tail = "alternatives:\n  a: {title: t, topology: good_topology.yaml}\n";
  const auto added = load_text(head + "    added_by: reviewer\n" + tail);
  REQUIRE_MESSAGE(added.ok(), diagnostics_text(added));
  CHECK(added.scenario->criteria.front().heading() == "HTTPS end to end (added by reviewer, not in the document)");
  const auto own = load_text(head + tail);
  REQUIRE(own.ok());
  CHECK(own.scenario->criteria.front().heading() == "HTTPS end to end");
  const auto empty = load_text(head + "    added_by: \"\"\n" + tail);
  CHECK(has(empty, "test.yaml:8:15: criteria.https.added_by: error: expected who added the criterion, e.g. reviewer"));
  const auto two_lines = load_text(head + "    added_by: \"the reviewer\\nand more\"\n" + tail);
  CHECK(has(two_lines, "criteria.https.added_by: error: a name or title is one line"));
}

TEST_CASE("load: RDS provisioned IOPS are required for io1 and io2, refused elsewhere, and held to AWS's range and IOPS per GB") {
  const auto missing = load_good("components: {db: {storage_type: io1}}");
  CHECK_FALSE(missing.ok());
  CHECK(has(missing, "components.db.storage_type: error: storage_type io1 needs `iops`"));
  const auto gp2 = load_good("components: {db: {storage_type: gp2, iops: 3000}}");
  CHECK(has(gp2, "components.db.iops: error: storage_type gp2 has no provisioned IOPS to bill; `iops` takes io1, io2 or gp3 storage"));
  const auto aurora = load_good("components: {db: {engine: aurora-postgresql, storage_type: io1, iops: 3000}}");
  CHECK(has(aurora, "components.db.iops: error: engine aurora-postgresql keeps its storage in the Aurora cluster"));
  const auto low = load_good("components: {db: {storage_type: io1, storage: 100GB, iops: 500}}");
  CHECK(has(low, "components.db.iops: error:"));
  CHECK(has(low, "provisioned IOPS (RDS io1 and io2)"));
  const auto ratio = load_good("components: {db: {storage_type: io1, storage: 100GB, iops: 6000}}");
  CHECK(has(ratio, "components.db.iops: error: expected at most 50 IOPS per GB of storage for io1 (5000 IOPS for 100 GB), found 6000"));
  const auto io2 = load_good("components: {db: {storage_type: io2, storage: 100GB, iops: 6000}}");
  CHECK_MESSAGE(io2.ok(), diagnostics_text(io2));
}

TEST_CASE("load: gp3 IOPS and throughput are its baseline below 400 GB, and from 400 GB the baseline up to 64,000 IOPS and 4,000 MiBps") {
  // What Terraform state reports for a small gp3 database: the baseline, which is valid.
  const auto baseline = load_good("components: {db: {storage: 20GB, iops: 3000, storage_throughput: 125}}");
  CHECK_MESSAGE(baseline.ok(), diagnostics_text(baseline));
  const auto small = load_good("components: {db: {storage: 100GB, iops: 6000}}");
  CHECK(has(small, "components.db.iops: error: expected 3000 (IOPS, gp3's baseline below 400 GB of storage), found 6000; "
                   "gp3 provisions more only from 400 GB: raise `storage` or drop `iops`"));
  const auto striped = load_good("components: {db: {storage: 400GB, iops: 20000, storage_throughput: 1000}}");
  CHECK_MESSAGE(striped.ok(), diagnostics_text(striped));
  const auto below = load_good("components: {db: {storage: 500GB, iops: 3000}}");
  CHECK(has(below, "components.db.iops: error: expected gp3 IOPS for 500 GB of storage (12000 is the baseline) from 12000 to 64000, found 3000"));
  const auto fast = load_good("components: {db: {storage: 500GB, storage_throughput: 5000}}");
  CHECK(has(fast, "components.db.storage_throughput: error: expected gp3 MiBps for 500 GB of storage (500 is the baseline) from 500 to 4000, found 5000"));
  const auto gp2 = load_good("components: {db: {storage_type: gp2, storage_throughput: 125}}");
  CHECK(has(gp2, "components.db.storage_throughput: error: storage_type gp2 has no provisioned throughput; `storage_throughput` takes gp3 storage"));
  const auto io1 = load_good("components: {db: {storage_type: io1, iops: 3000, storage_throughput: 125}}");
  CHECK(has(io1, "components.db.storage_throughput: error: storage_type io1 has no provisioned throughput"));
  const auto aurora = load_good("components: {db: {engine: aurora-postgresql, storage_throughput: 125}}");
  CHECK(has(aurora, "components.db.storage_throughput: error: engine aurora-postgresql keeps its storage in the Aurora cluster: a database has no `storage_throughput`"));
  // Refused once, by the decoder: the gp3 limits do not judge a value Aurora does not take.
  const auto aurora_iops = load_good("components: {db: {engine: aurora-postgresql, iops: 5000}}");
  CHECK(aurora_iops.diagnostics.error_count() == 1);
}

TEST_CASE("load: an S3 bucket's storage class is one archsim prices, where it is written") {
  const auto glacier = load_good("components: {assets: {type: s3_bucket, storage_class: GLACIER}}");
  CHECK_FALSE(glacier.ok());
  CHECK(has(glacier, "components.assets.storage_class: error: expected one of STANDARD, STANDARD_IA, ONEZONE_IA, GLACIER_IR, INTELLIGENT_TIERING, found 'GLACIER'"));
  const auto ia = load_good("components: {assets: {type: s3_bucket, storage_class: STANDARD_IA}}");
  CHECK_MESSAGE(ia.ok(), diagnostics_text(ia));
}

TEST_CASE("load: elastic_ips stays within the EC2 quota, where it is written") {
  const auto many = load_good("elastic_ips: 9");
  CHECK_FALSE(many.ok());
  CHECK(has(many, "elastic_ips: error: expected a number of Elastic IP addresses (EC2 quota 'Elastic IP addresses per Region') from 0 to 5, found 9"));
  const auto two = load_good("elastic_ips: 2");
  CHECK_MESSAGE(two.ok(), diagnostics_text(two));
}

TEST_CASE("load: a capacity provider strategy is Fargate's two providers, each once, one base, a weight somewhere, where it is written") {
  const auto mixed = load_good(
      "components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, weight: 3}]}}");
  REQUIRE_MESSAGE(mixed.ok(), diagnostics_text(mixed));
  const auto& strategy = mixed.scenario->alternatives.front().topology.ecs_services.front().capacity_provider_strategy;
  REQUIRE(strategy.size() == 2);
  CHECK(strategy[0].base == 1);
  CHECK(strategy[1].provider == CapacityProvider::FargateSpot);
  CHECK(strategy[1].weight == 3);
  const auto ec2 = load_good("components: {app: {capacity_provider_strategy: [{capacity_provider: my-asg, weight: 1}]}}");
  CHECK(has(ec2, "components.app.capacity_provider_strategy[0].capacity_provider: error: expected one of FARGATE, FARGATE_SPOT, found 'my-asg'"));
  CHECK_FALSE(has(ec2, "unknown key 'weight'"));  // its sibling is read, not called unknown
  CHECK_FALSE(has(ec2, "unknown key 'weight'"));  // its sibling is read, not called unknown
  const auto twice = load_good(
      "components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, weight: 1}, {capacity_provider: FARGATE, weight: 2}]}}");
  CHECK(has(twice, "components.app.capacity_provider_strategy[1]: error: FARGATE is already item [0] of this strategy: each capacity provider appears once"));
  const auto bases = load_good(
      "components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, base: 2, weight: 1}]}}");
  CHECK(has(bases, "components.app.capacity_provider_strategy[1].base: error: item [0] already has a base: only one capacity provider in a strategy can have one"));
  const auto unweighted = load_good(
      "components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT}]}}");
  CHECK(has(unweighted, "components.app.capacity_provider_strategy: error: every capacity provider has weight 0"));
  const auto empty = load_good("components: {app: {capacity_provider_strategy: []}}");
  CHECK(has(empty, "components.app.capacity_provider_strategy: error: expected at least one capacity provider"));
  const auto heavy = load_good("components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE_SPOT, weight: 1001}]}}");
  CHECK(has(heavy, "components.app.capacity_provider_strategy[0].weight: error: expected a capacity provider weight from 0 to 1000, found 1001"));
  const auto deep = load_good("components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE_SPOT, base: 100001, weight: 1}]}}");
  CHECK(has(deep, "components.app.capacity_provider_strategy[0].base: error: expected a capacity provider base (tasks) from 0 to 100000, found 100001"));
}

TEST_CASE("load: `fargate: spot` where no ECS service takes it (each has its own strategy) is a located warning") {
  // The alternative's own: every service has a strategy of its own.
  const auto own = load_text("archsim: 1\nname: x\nregion: us-east-1\nalternatives:\n  a:\n    title: t\n    topology: good_topology.yaml\n"
                             "    pricing: {fargate: spot}\n" + std::string("    overrides: {components: {app: {capacity_provider_strategy: "
                                                                           "[{capacity_provider: FARGATE, weight: 1}]}}}\n"));
  INFO(diagnostics_text(own));
  REQUIRE(own.ok());
  CHECK(has(own, "test.yaml:8:24: alternatives.a.pricing.fargate: warning: `fargate: spot` changes nothing in alternative a: every ECS service "
                 "there has its own capacity_provider_strategy, or there is none"));
  // The scenario's: one alternative takes it, so no word.
  const auto used = load_text("archsim: 1\nname: x\nregion: us-east-1\npricing: {fargate: spot}\nalternatives:\n  a:\n    title: t\n"
                              "    topology: good_topology.yaml\n");
  REQUIRE(used.ok());
  CHECK_FALSE(has(used, "changes nothing"));
  // The scenario's, and the only alternative has a pricing of its own.
  const auto replaced = load_text("archsim: 1\nname: x\nregion: us-east-1\npricing: {fargate: spot}\nalternatives:\n  a:\n    title: t\n"
                                  "    topology: good_topology.yaml\n    pricing: {fargate: on_demand}\n");
  REQUIRE(replaced.ok());
  CHECK(has(replaced, "test.yaml:4:20: pricing.fargate: warning: `fargate: spot` changes nothing in the alternatives without a `pricing` of their own"));
}

TEST_CASE("load: a whole number too large for its field says the range, not that it is no whole number") {
  const auto r = load_good("components: {app: {desired_count: 99999999999}}");
  CHECK(has(r, "components.app.desired_count: error: expected a whole number from -2147483648 to 2147483647, found '99999999999'"));
  const auto fraction = load_good("components: {app: {desired_count: 2.5}}");
  CHECK(has(fraction, "components.app.desired_count: error: expected a whole number, found '2.5'"));
}

TEST_CASE("load: a database's primary_zone is a zone of its subnets") {
  const auto r = load_good("components: {db: {primary_zone: us-east-1c}}");
  CHECK(has(r, "components.db.primary_zone: error: no zone of the database's subnets named 'us-east-1c'"));
  const auto typo = load_good("components: {db: {primary_zone: us-east-1bb}}");
  CHECK(has(typo, "no zone of the database's subnets named 'us-east-1bb' (did you mean 'us-east-1b'?)"));
  CHECK(load_good("components: {db: {primary_zone: us-east-1b}}").ok());
}
