#include <algorithm>
#include <set>

#include <doctest/doctest.h>

#include "fixture.hpp"

using archsim::testing::load_good;
using archsim::testing::review;
using archsim::testing::rule_ids;

namespace {

struct RuleCase {
  const char* rule;
  const char* overrides;  // YAML merge patch applied to the reference topology
};

// One case per rule: the smallest change to the reference design that should make it fire.
const RuleCase kCases[] = {
    {"cidr-syntax", "subnets: {private-a: {cidr: 10.0.10.5/24}}"},
    {"vpc-cidr-size", "vpcs: {main: {cidr: 10.0.0.0/8}}"},
    {"subnet-outside-vpc", "subnets: {private-b: {cidr: 10.1.11.0/24}}"},
    {"subnet-overlap", "subnets: {private-b: {cidr: 10.0.10.128/25}}"},
    {"vpc-cidr-not-rfc1918", "vpcs: {main: {secondary_cidrs: [172.10.0.0/16]}}"},
    {"vpc-secondary-cidr-restricted", "vpcs: {main: {secondary_cidrs: [192.168.0.0/16]}}"},
    {"zone-not-in-region", "zones: [us-east-1a, us-east-1b, us-east-1z]"},
    {"route-table-duplicate-destination",
     "route_tables: {private-a: {routes: [{destination: 0.0.0.0/0, nat_gateway: nat-a}, {destination: 0.0.0.0/0, "
     "nat_gateway: nat-b}]}}"},
    {"subnet-public-flag-mismatch", "subnets: {private-a: {public: true}}"},
    {"nat-not-in-public-subnet", "components: {nat-a: {subnet: private-b}}"},
    {"nat-shared-across-zones", "route_tables: {private-b: {routes: [{destination: 0.0.0.0/0, nat_gateway: nat-a}]}}"},
    {"task-no-egress-path", "route_tables: {private-a: {routes: []}}"},
    {"task-public-ip", "components: {app: {assign_public_ip: true}}"},
    {"internet-exposed-compute",
     "components: {app: {subnets: [public-a, public-b], assign_public_ip: true}}\n"
     "security_groups: {app-sg: {ingress: [{protocol: tcp, ports: 8000, cidr: 0.0.0.0/0}]}}"},
    {"sg-open-to-world", "security_groups: {app-sg: {ingress: [{protocol: tcp, ports: 8000, cidr: 0.0.0.0/0}]}}"},
    {"sg-blocks-request-flow", "security_groups: {db-sg: {ingress: [{protocol: tcp, ports: 5432, group: alb-sg}]}}"},
    {"cloudfront-origin-bypass",
     "components: {cdn: {type: cloudfront, origins: {app: {component: alb}}, behaviors: [{path_pattern: '*', origin: "
     "app}]}}"},
    {"listener-without-tls", "components: {alb: {listeners: [{port: 80, protocol: HTTP, target_group: app}]}}"},
    {"lb-single-zone", "components: {alb: {subnets: [public-a]}}"},
    {"lb-internet-facing-private-subnet", "components: {alb: {subnets: [private-a, private-b]}}"},
    {"lb-without-http-routing",
     "components: {alb: {lb_type: network, listeners: [{port: 443, protocol: TLS, certificate: c, target_group: app}], "
     "target_groups: {app: {protocol: TCP, health_check: {protocol: TCP}}}}}"},
    {"health-check-timing-invalid", "components: {alb: {target_groups: {app: {health_check: {interval: 400s}}}}}"},
    {"health-check-detection-slow", "components: {alb: {target_groups: {app: {health_check: {interval: 120s}}}}}"},
    {"health-check-heavy-path", "components: {alb: {target_groups: {app: {health_check: {path: /docs}}}}}"},
    {"rds-single-az", "components: {db: {multi_az: false}}"},
    {"single-zone-service", "components: {app: {subnets: [private-a]}}"},
    {"service-all-on-spot", "components: {app: {capacity_provider_strategy: [{capacity_provider: FARGATE_SPOT, weight: 1}]}}"},
    {"cross-zone-hop",
     "components: {app: {subnets: [private-a]}, db: {multi_az: false, subnets: [private-b], primary_zone: us-east-1b}}"},
    {"route-hop-not-connected", "routes: {main: {hops: [users, alb, db]}}"},
    {"fargate-task-size-invalid", "components: {app: {memory: 4GiB}}"},
    {"blue-green-without-load-balancer", "components: {app: {deployment: {strategy: blue_green}}}"},
    {"unused-resource", "components: {nat-c: {type: nat_gateway, subnet: public-a}}"},
};

}  // namespace

TEST_CASE("rules: the reference design draws no finding at all") {
  const auto findings = review(load_good());
  std::string listed;
  for (const auto& f : findings) listed += f.rule + ": " + f.message + "\n";
  INFO(listed);
  CHECK(findings.empty());
}

// Scenario-level rules, which no topology change fires; each has its own test case below.
const char* const kScenarioRules[] = {"document-claim-contradicts-aws"};

TEST_CASE("rules: every rule in the catalogue has a firing case here") {
  std::set<std::string> covered;
  for (const auto& c : kCases) covered.insert(c.rule);
  for (const char* rule : kScenarioRules) covered.insert(rule);
  for (const auto& rule : archsim::model::rule_catalog()) {
    CAPTURE(rule.id);
    CHECK(covered.count(std::string(rule.id)) == 1);
  }
  CHECK(archsim::model::rule_catalog().size() >= 20);
}

TEST_CASE("rules: each rule fires on the change that breaks it, at a located path") {
  for (const auto& c : kCases) {
    CAPTURE(c.rule);
    CAPTURE(c.overrides);
    const auto findings = review(load_good(c.overrides));
    const auto ids = rule_ids(findings);
    CHECK(std::find(ids.begin(), ids.end(), c.rule) != ids.end());
    for (const auto& f : findings) {
      if (f.rule != c.rule) continue;
      CAPTURE(f.path);
      CHECK(f.loc.known());
      CHECK_FALSE(f.message.empty());
      CHECK_FALSE(f.hint.empty());
    }
  }
}

TEST_CASE("rules: catalogue entries are complete and ids unique") {
  std::set<std::string_view> ids;
  for (const auto& r : archsim::model::rule_catalog()) {
    CAPTURE(r.id);
    CHECK(ids.insert(r.id).second);
    CHECK_FALSE(r.title.empty());
    CHECK_FALSE(r.hint.empty());
    CHECK(r.source.substr(0, 8) == "https://");
  }
}

TEST_CASE("rules: health-check detection time is computed from the target group's own timings") {
  const auto findings = review(load_good("components: {alb: {target_groups: {app: {health_check: {interval: 300s, timeout: 3s}}}}}"));
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [](const auto& f) { return f.rule == "health-check-detection-slow"; });
  REQUIRE(it != findings.end());
  CHECK(it->message.find("10m3s (2 x 5m + 3s timeout)") != std::string::npos);
  CHECK(it->message.find("25m (5 x 5m)") != std::string::npos);
}

TEST_CASE("rules: a secondary block from 10.0.0.0/16 next to 10.0.0.0/15 space is refused, 100.64/10 is allowed") {
  auto ids = rule_ids(review(load_good("vpcs: {main: {secondary_cidrs: [100.64.0.0/16]}}")));
  CHECK(ids.empty());
  ids = rule_ids(review(load_good("vpcs: {main: {cidr: 10.1.0.0/16, secondary_cidrs: [10.0.0.0/16]}}\n"
                                  "subnets: {public-a: {cidr: 10.1.0.0/24}, public-b: {cidr: 10.1.1.0/24}, "
                                  "private-a: {cidr: 10.1.10.0/24}, private-b: {cidr: 10.1.11.0/24}}")));
  CHECK(std::find(ids.begin(), ids.end(), "vpc-secondary-cidr-restricted") != ids.end());
}

TEST_CASE("rules: private tasks with all VPC endpoints need no NAT gateway") {
  const auto findings = review(load_good(
      "route_tables: {private-a: {routes: []}, private-b: {routes: []}}\n"
      "components:\n"
      "  nat-a: null\n"
      "  nat-b: null\n"
      "  ep-ecr-api: {type: vpc_endpoint, service: ecr.api, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-ecr-dkr: {type: vpc_endpoint, service: ecr.dkr, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-logs: {type: vpc_endpoint, service: logs, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-secrets: {type: vpc_endpoint, service: secretsmanager, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-s3: {type: vpc_endpoint, endpoint_type: gateway, service: s3, vpc: main, route_tables: [private-a, "
      "private-b]}"));
  CHECK(rule_ids(findings).empty());
  // Without the S3 gateway endpoint image layers cannot be fetched.
  const auto without_s3 = review(load_good(
      "route_tables: {private-a: {routes: []}, private-b: {routes: []}}\n"
      "components:\n"
      "  ep-ecr-api: {type: vpc_endpoint, service: ecr.api, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-ecr-dkr: {type: vpc_endpoint, service: ecr.dkr, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-logs: {type: vpc_endpoint, service: logs, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-secrets: {type: vpc_endpoint, service: secretsmanager, vpc: main, subnets: [private-a, private-b]}"));
  const auto it = std::find_if(without_s3.begin(), without_s3.end(),
                               [](const auto& f) { return f.rule == "task-no-egress-path"; });
  REQUIRE(it != without_s3.end());
  CHECK(it->message.find("no VPC endpoint for s3") != std::string::npos);
}

TEST_CASE("rules: a plain HTTP listener that redirects to HTTPS is not a clear-text finding") {
  const auto ids = rule_ids(review(load_good(
      "components: {alb: {listeners: [{port: 443, protocol: HTTPS, certificate: c, target_group: app}, "
      "{port: 80, protocol: HTTP, default_action: redirect_https}]}}")));
  CHECK(ids.empty());
}

TEST_CASE("rules: unused-resource names a NAT gateway only idle subnets route to, an endpoint nothing needs and a load balancer on no route") {
  // private-b's tasks move to private-a: nat-b is routed to only by a subnet with nothing in it.
  auto findings = review(load_good("components: {app: {subnets: [private-a]}}"));
  auto unused = std::count_if(findings.begin(), findings.end(), [](const auto& f) {
    return f.rule == "unused-resource" && f.component == "nat-b" &&
           f.message.find("only subnet private-b routes to it (route table private-b)") != std::string::npos;
  });
  CHECK(unused == 1);

  // The tasks read Secrets Manager, not Parameter Store: an ssm endpoint serves nothing; the
  // secretsmanager one serves them and is not reported.
  findings = review(load_good(
      "components:\n"
      "  ep-ssm: {type: vpc_endpoint, service: ssm, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-secrets: {type: vpc_endpoint, service: secretsmanager, vpc: main, subnets: [private-a, private-b]}"));
  std::vector<std::string> components;
  for (const auto& f : findings) {
    if (f.rule == "unused-resource") components.push_back(f.component);
  }
  CHECK(components == std::vector<std::string>{"ep-ssm"});

  // A second load balancer no route names.
  findings = review(load_good(
      "components:\n"
      "  alb-2:\n"
      "    type: load_balancer\n"
      "    subnets: [public-a, public-b]\n"
      "    security_groups: [alb-sg]\n"
      "    listeners: [{port: 443, protocol: HTTPS, certificate: c, target_group: app}]\n"
      "    target_groups: {app: {protocol: HTTP, port: 8000, targets: app, health_check: {path: /health}}}"));
  components.clear();
  for (const auto& f : findings) {
    if (f.rule == "unused-resource") components.push_back(f.component);
  }
  CHECK(components == std::vector<std::string>{"alb-2"});
}

TEST_CASE("rules: unused-resource leaves alone what a VPC-attached function may use, and gateway endpoints") {
  // What a function's code calls is not in the topology: the NAT gateway and endpoints of its
  // subnets may serve it. A gateway endpoint has no hourly charge.
  const auto findings = review(load_good(
      "components:\n"
      "  app: {subnets: [private-a]}\n"
      "  fn: {type: lambda, memory: 512MiB, timeout: 10s, subnets: [private-b]}\n"
      "  ep-ssm: {type: vpc_endpoint, service: ssm, vpc: main, subnets: [private-a, private-b]}\n"
      "  ep-ddb: {type: vpc_endpoint, endpoint_type: gateway, service: dynamodb, vpc: main, route_tables: [private-a]}"));
  std::string listed;
  for (const auto& f : findings) listed += f.rule + ": " + f.message + "\n";
  INFO(listed);
  CHECK(std::none_of(findings.begin(), findings.end(), [](const auto& f) { return f.rule == "unused-resource"; }));

  // Nor a NAT gateway that a subnet with workloads outside the scenario language routes to.
  const auto ids = rule_ids(review(load_good(
      "subnets: {private-b: {other_workloads: App Server (EC2)}}\n"
      "components: {app: {subnets: [private-a]}}")));
  CHECK(std::find(ids.begin(), ids.end(), "unused-resource") == ids.end());
}

TEST_CASE("rules: a document's claim about AWS is checked against aws_statements.yaml, on the alternative it concerns") {
  const std::string scenario =
      "archsim: 1\nname: fixture\nregion: us-east-1\n"
      "alternatives:\n"
      "  good: {title: reference design, status: chosen, topology: good_topology.yaml}\n"
      "  other: {title: the same again, topology: good_topology.yaml}\n"
      "claims:\n"
      "  - quote: \"Lacks HTTP-level routing and health checks\"\n"
      "    fact: nlb.health_check_protocols\n"
      "    document_says: [TCP]\n"
      "    alternative: other\n"
      "  - quote: \"ALB Logs -> CloudWatch\"\n"
      "    fact: alb.access_log_destinations\n"
      "    document_says: [cloudwatch_logs]\n"
      "  - quote: \"health checks over TCP, HTTP or HTTPS\"\n"
      "    fact: nlb.health_check_protocols\n"
      "    document_says: [HTTPS, HTTP, TCP]\n";
  const auto loaded = archsim::testing::load_text(scenario);
  const auto findings = review(loaded);
  std::vector<archsim::model::Finding> claims;
  for (const auto& f : findings) {
    if (f.rule == "document-claim-contradicts-aws") claims.push_back(f);
  }
  // The third claim names the same set AWS documents, in another order: it holds.
  REQUIRE(claims.size() == 2);
  // Unnamed, a claim concerns the chosen alternative; named, the one it names.
  const auto& logs = claims[0].alternative == "good" ? claims[0] : claims[1];
  const auto& nlb = claims[0].alternative == "good" ? claims[1] : claims[0];
  CHECK(logs.alternative == "good");
  CHECK(nlb.alternative == "other");
  CHECK(nlb.loc.line == 8);
  CHECK(nlb.message.find("leaves out HTTP, HTTPS") != std::string::npos);
  CHECK(nlb.message.find("target-group-health-checks.html") != std::string::npos);
  CHECK(logs.message.find("AWS documents s3") != std::string::npos);
  CHECK(logs.message.find("(alb.access_log_destinations: cloudwatch_logs), but AWS documents s3. Application") !=
        std::string::npos);
}

TEST_CASE("rules: a claim naming an unknown fact or alternative is a located error") {
  const auto loaded = archsim::testing::load_text(
      "archsim: 1\nname: fixture\nregion: us-east-1\n"
      "alternatives: {good: {title: t, topology: good_topology.yaml}}\n"
      "claims:\n"
      "  - {quote: q, fact: nlb.health_check_protocol, document_says: [TCP], alternative: goood}\n"
      "  - {quote: q, fact: alb.access_log_destinations, document_says: []}\n"
      "  - {quote: \"\", fact: alb.access_log_destinations, document_says: [s3, \"\"]}\n");
  CHECK_FALSE(loaded.ok());
  const std::string text = archsim::testing::diagnostics_text(loaded);
  CHECK(text.find("test.yaml:6:22: claims[0].fact: error: unknown fact 'nlb.health_check_protocol'") != std::string::npos);
  CHECK(text.find("did you mean 'nlb.health_check_protocols'?") != std::string::npos);
  CHECK(text.find("unknown alternative 'goood' (did you mean 'good'?)") != std::string::npos);
  CHECK(text.find("claims[1].document_says: error: expected the values the quote asserts") != std::string::npos);
  CHECK(text.find("claims[2].quote: error: expected the document's words, found an empty quote") != std::string::npos);
  CHECK(text.find("claims[2].document_says: error: expected the values the quote asserts, at least one, none empty") !=
        std::string::npos);
}
