// The rule catalogue and the review driver. Rule bodies live in rules_network.cpp
// (addressing, routing, exposure), rules_compute.cpp (load balancers, health checks,
// services, resilience) and rules_cost.cpp (resources billed for nothing); this file
// only says which rules exist and runs them.
#include "archsim/model/rules.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include <fmt/format.h>

namespace archsim::model {

void FindingSink::report(std::string path, std::string message, std::string hint) {
  out_.push_back(Finding{std::string(rule_), severity_, {}, std::move(path), {}, std::move(message), std::move(hint)});
}

void FindingSink::report_resource(std::string component, std::string path, std::string message) {
  report(std::move(path), std::move(message));
  out_.back().component = std::move(component);
}

void FindingSink::report_as(Severity severity, std::string path, std::string message) {
  out_.push_back(Finding{std::string(rule_), severity, {}, std::move(path), {}, std::move(message), std::string(hint_)});
}

const std::vector<Rule>& rule_catalog() {
  using S = Severity;
  static const std::vector<Rule> catalog{
      // ------------------------------------------------------------ network
      {"cidr-syntax", S::Error, "network", "A CIDR block is malformed or has host bits set",
       "Write the block as its network address and prefix length, e.g. 10.0.1.0/24.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html", rules::cidr_syntax},
      {"vpc-cidr-size", S::Error, "network",
       "A VPC or subnet block is outside the /16../28 sizes AWS allows, forbidden, or one block too many",
       "Use a block between /16 and /28 outside 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16 and 224.0.0.0/4; at most 5 "
       "blocks per VPC by default.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html", rules::vpc_cidr_size},
      {"subnet-outside-vpc", S::Error, "network", "A subnet's block lies outside every block of its VPC",
       "Carve the subnet from the VPC's primary or a secondary block.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html", rules::subnet_outside_vpc},
      {"subnet-overlap", S::Error, "network", "Two subnets (or two VPC blocks) of one VPC overlap",
       "Give every subnet its own non-overlapping block.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html", rules::subnet_overlap},
      {"vpc-cidr-not-rfc1918", S::Warning, "network", "A VPC block is publicly routable address space, not RFC 1918",
       "Use an RFC 1918 block (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16) or 100.64.0.0/10 for a secondary block.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html", rules::vpc_cidr_not_rfc1918},
      {"vpc-secondary-cidr-restricted", S::Error, "network",
       "A secondary VPC block comes from a range AWS does not allow next to the VPC's other blocks",
       "Pick a secondary block from a range the association-restrictions table allows for the existing blocks.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-cidr-block-restrictions",
       rules::vpc_secondary_cidr_restricted},
      {"zone-not-in-region", S::Error, "network", "An Availability Zone does not exist in the topology's region",
       "Use zones of the region (e.g. eu-central-1a, -1b, -1c).",
       "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html",
       rules::zone_not_in_region},
      {"route-table-duplicate-destination", S::Error, "network", "A route table has two routes to the same destination",
       "Keep one route per destination; use one route table per zone for per-zone NAT gateways.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Route_Tables.html",
       rules::route_table_duplicate_destination},
      {"subnet-public-flag-mismatch", S::Warning, "network",
       "A subnet called public has no route to an internet gateway (or a private one has)",
       "A subnet is public exactly when its route table sends 0.0.0.0/0 to an internet gateway; fix the route or the "
       "flag.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html", rules::subnet_public_flag_mismatch},
      {"nat-not-in-public-subnet", S::Error, "network",
       "A public NAT gateway sits in a subnet without a route to an internet gateway",
       "Place NAT gateways in public subnets whose route table sends 0.0.0.0/0 to the internet gateway.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html", rules::nat_not_in_public_subnet},
      {"nat-shared-across-zones", S::Warning, "resilience",
       "Subnets in one zone reach the internet through a NAT gateway in another zone",
       "Create one NAT gateway per zone and a route table per zone that uses it.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html", rules::nat_shared_across_zones},
      {"task-no-egress-path", S::Error, "network",
       "Tasks cannot reach what they need (image registry, logs, secrets, DynamoDB, S3)",
       "Route the subnet to a NAT gateway, or add the VPC endpoints the need requires (ECR: ecr.api, ecr.dkr and the "
       "s3 gateway endpoint; logs; secretsmanager; ssm).",
       "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html", rules::task_no_egress_path},
      // ------------------------------------------------------------ exposure
      {"task-public-ip", S::Warning, "exposure", "Tasks get public IP addresses",
       "Run tasks in private subnets with assign_public_ip: false behind a load balancer; reach the internet through "
       "NAT or VPC endpoints.",
       "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html", rules::task_public_ip},
      {"internet-exposed-compute", S::Warning, "exposure",
       "A task or database is reachable from the internet without a load balancer or edge service in front",
       "Put a load balancer, API Gateway or CloudFront in front and admit traffic only from it.",
       "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security-network.html",
       rules::internet_exposed_compute},
      {"sg-open-to-world", S::Warning, "exposure", "A task's or database's security group admits 0.0.0.0/0",
       "Admit traffic only from the security group of the load balancer or of the calling tier.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html", rules::sg_open_to_world},
      {"sg-blocks-request-flow", S::Error, "network",
       "Security groups drop a request flow the topology relies on",
       "Add an ingress rule on the target's group that names the sender's security group and the target port.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html", rules::sg_blocks_request_flow},
      {"cloudfront-origin-bypass", S::Warning, "exposure",
       "An origin behind CloudFront is also open to the whole internet, so CloudFront can be bypassed",
       "Admit only the CloudFront origin-facing managed prefix list (or use a VPC origin); for S3 use origin access "
       "control with public access blocked.",
       "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/LocationsOfEdgeServers.html",
       rules::cloudfront_origin_bypass},
      {"listener-without-tls", S::Warning, "exposure", "An internet-facing listener forwards traffic without TLS",
       "Serve HTTPS (or TLS) with an ACM certificate and make plain HTTP listeners redirect to HTTPS.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
       rules::listener_without_tls},
      // ------------------------------------------------------------ load balancing and health
      {"lb-single-zone", S::Error, "resilience",
       "An Application Load Balancer has subnets in fewer than two zones (or two subnets in one zone)",
       "Give the load balancer one subnet in each of at least two Availability Zones.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html",
       rules::lb_single_zone},
      {"lb-internet-facing-private-subnet", S::Error, "network",
       "An internet-facing load balancer sits in a subnet with no route to an internet gateway",
       "Place internet-facing load balancers in public subnets, or make the load balancer internal.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html",
       rules::lb_internet_facing_private_subnet},
      {"lb-without-http-routing", S::Warning, "health",
       "A Network Load Balancer fronts an HTTP service: no path or host routing, health checks only test the port",
       "Use an Application Load Balancer for HTTP services, or configure HTTP health checks on the target group.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/network/introduction.html",
       rules::lb_without_http_routing},
      {"health-check-timing-invalid", S::Error, "health", "A health-check setting is outside what AWS accepts",
       "Keep interval 5-300 s, timeout 2-120 s and below the interval, thresholds 2-10.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
       rules::health_check_timing_invalid},
      {"health-check-detection-slow", S::Warning, "health",
       "A failed target keeps receiving requests for minutes before the health check removes it",
       "Shorten the interval (AWS default 30 s) or the unhealthy threshold (default 2).",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
       rules::health_check_detection_slow},
      {"health-check-heavy-path", S::Warning, "health",
       "The health check probes a path where common frameworks serve a page (e.g. FastAPI's /docs)",
       "Probe a cheap dedicated endpoint such as /health that checks the service itself.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html",
       rules::health_check_heavy_path},
      // ------------------------------------------------------------ resilience
      {"rds-single-az", S::Warning, "resilience", "A database runs in a single Availability Zone",
       "Enable Multi-AZ (standby in a second zone, failover in 60-120 s) for production data.",
       "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html", rules::rds_single_az},
      {"single-zone-service", S::Warning, "resilience", "Every task of a service runs in one Availability Zone",
       "Spread the service's subnets over at least two zones.",
       "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html",
       rules::single_zone_service},
      {"service-all-on-spot", S::Warning, "resilience",
       "Every task of a service runs on Fargate Spot, which AWS can reclaim together and does not replace with on-demand capacity",
       "Give the service a capacity provider strategy with a FARGATE base (the tasks it must keep through a reclaim) and the rest on "
       "FARGATE_SPOT.",
       "https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/ec2-and-fargate-spot.html", rules::service_all_on_spot},
      {"cross-zone-hop", S::Warning, "resilience",
       "Two consecutive tiers of a route share no zone, so every request between them crosses zones",
       "Place the tiers in the same zones, so that each zone serves its own traffic.",
       "https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/availability-zones.html",
       rules::cross_zone_hop},
      {"route-hop-not-connected", S::Error, "network", "A request route names two hops with no way between them",
       "Connect the hops (target group, origin, integration, gateway endpoint) or fix the route.",
       "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html",
       rules::route_hop_not_connected},
      // ------------------------------------------------------------ compute and deployment
      {"fargate-task-size-invalid", S::Error, "compute", "The task's vCPU and memory are not a Fargate combination",
       "Choose a combination from the Fargate task size table (e.g. 0.25 vCPU with 512 MiB, 1 GiB or 2 GiB).",
       "https://docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html",
       rules::fargate_task_size_invalid},
      {"blue-green-without-load-balancer", S::Error, "deployment",
       "A blue/green deployment lacks the load balancer, two target groups or listener CodeDeploy needs",
       "Give the service a load balancer listener and two target groups (blue, green) registered with it.",
       "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
       rules::blue_green_without_load_balancer},
      // ------------------------------------------------------------ cost
      {"unused-resource", S::Warning, "cost",
       "A NAT gateway, interface VPC endpoint or load balancer that nothing uses is billed every hour",
       "Remove the resource from this design (with its public IPv4 addresses), or add the route, subnet placement "
       "or request route that is meant to use it.",
       "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-pricing.html", rules::unused_resource},
      // ------------------------------------------------------------ document
      // A scenario-level rule (no topology check): review_scenario compares each of the
      // scenario's `claims` with model/data/aws_statements.yaml; every finding names the AWS page.
      {"document-claim-contradicts-aws", S::Warning, "document",
       "The design document states an AWS behaviour that AWS documents differently",
       "Correct the document, and check that the design does not rely on the stated behaviour.",
       "https://docs.aws.amazon.com/", nullptr},
  };
  return catalog;
}

const Rule* find_rule(std::string_view id) {
  const auto& catalog = rule_catalog();
  const auto it = std::find_if(catalog.begin(), catalog.end(), [&](const Rule& r) { return r.id == id; });
  return it == catalog.end() ? nullptr : &*it;
}

std::vector<Finding> review_topology(const TopologySpec& topology, const ArchGraph& graph, const AwsFacts& facts) {
  std::vector<Finding> findings;
  const ReviewInput input{topology, graph, facts};
  for (const Rule& rule : rule_catalog()) {
    if (rule.check == nullptr) continue;  // a scenario-level rule
    FindingSink sink(findings, rule.id, rule.severity, rule.hint);
    rule.check(input, sink);
  }
  return findings;
}

namespace {

/// The alternative a claim concerns: the one it names, else the chosen one, else the first.
std::string_view claim_alternative(const ScenarioSpec& scenario, const DocumentClaimSpec& claim) {
  if (!claim.alternative.empty()) return claim.alternative;
  for (const auto& alt : scenario.alternatives) {
    if (alt.status == DecisionStatus::Chosen) return alt.id;
  }
  return scenario.alternatives.empty() ? std::string_view() : std::string_view(scenario.alternatives.front().id);
}

/// A claim holds when it names the same set of values AWS documents; anything else is a
/// contradiction, reported with what the document leaves out and what it adds.
void check_claims(const ScenarioSpec& scenario, std::string_view alternative, const AwsFacts& facts, FindingSink& sink) {
  for (const auto& claim : scenario.claims) {
    if (claim_alternative(scenario, claim) != alternative) continue;
    const auto fact = facts.statements.find(claim.fact);
    if (fact == facts.statements.end()) continue;  // refused at load
    std::set<std::string> says(claim.document_says.begin(), claim.document_says.end());
    std::set<std::string> aws(fact->second.aws.begin(), fact->second.aws.end());
    if (says == aws) continue;
    std::vector<std::string> omitted, added;
    std::set_difference(aws.begin(), aws.end(), says.begin(), says.end(), std::back_inserter(omitted));
    std::set_difference(says.begin(), says.end(), aws.begin(), aws.end(), std::back_inserter(added));
    // Where the sets overlap, say what differs; disjoint sets say it by themselves.
    std::string differs;
    if (omitted.size() < aws.size()) {
      if (!omitted.empty()) differs += fmt::format("; it leaves out {}", fmt::join(omitted, ", "));
      if (!added.empty()) differs += fmt::format("; AWS does not document {}", fmt::join(added, ", "));
    }
    sink.report(claim.path + ".quote",
                fmt::format("the document says \"{}\" ({}: {}), but AWS documents {}{}. {} Source: {}", claim.quote,
                            claim.fact, fmt::join(claim.document_says, ", "), fmt::join(fact->second.aws, ", "),
                            differs, fact->second.statement, fact->second.source));
  }
}

}  // namespace

namespace {

/// A finding about an imported entity names the resource it came from (the innermost entity
/// whose path holds the finding's), so the fix is made in the code, not in a generated file.
void name_resource(const AlternativeSpec& alt, Finding& f) {
  const std::string prefix = alt.path + ".topology.";
  if (alt.resource_addresses.empty() || !f.path.starts_with(prefix)) return;
  std::string_view rest = std::string_view(f.path).substr(prefix.size());
  for (;;) {
    if (const auto it = alt.resource_addresses.find(std::string(rest)); it != alt.resource_addresses.end()) {
      f.message += " (resource " + it->second + ")";
      return;
    }
    const auto cut = rest.find_last_of(".[");
    if (cut == std::string_view::npos) return;
    rest = rest.substr(0, cut);
  }
}

}  // namespace

std::vector<Finding> review_scenario(const ScenarioSpec& scenario, const AwsFacts& facts) {
  std::vector<Finding> all;
  const Rule* claim_rule = find_rule("document-claim-contradicts-aws");
  for (const auto& alt : scenario.alternatives) {
    const ArchGraph graph = build_graph(alt.topology);
    auto findings = review_topology(alt.topology, graph, facts);
    FindingSink claim_sink(findings, claim_rule->id, claim_rule->severity, claim_rule->hint);
    check_claims(scenario, alt.id, facts, claim_sink);
    for (auto& f : findings) {
      f.alternative = alt.id;
      f.loc = scenario.sources.locate(f.path);
      name_resource(alt, f);
    }
    // Order within an alternative: by file, then position, then rule: a stable reading order.
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.loc.file, a.loc.line, a.loc.column, a.rule) < std::tie(b.loc.file, b.loc.line, b.loc.column, b.rule);
    });
    all.insert(all.end(), std::make_move_iterator(findings.begin()), std::make_move_iterator(findings.end()));
  }
  return all;
}

}  // namespace archsim::model
