// Static design review: small rules over a topology and its placement graph.
//
// Each rule is a function with an id, a severity, a one-line title, a fix hint and the AWS
// source it rests on; it reports findings at dotted paths, which the scenario's SourceIndex
// turns into file:line:col. `archsim rules` prints the catalogue and docs/rules.md is
// generated from it, so the documentation cannot drift from the code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/graph.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::model {

struct Finding {
  std::string rule;
  Severity severity = Severity::Warning;
  std::string alternative;  ///< id of the alternative the finding is about
  std::string path;         ///< dotted path of the value at fault
  SourceLoc loc;            ///< where that value is written
  std::string message;
  std::string hint;
  /// The resource whose running cost the finding is about (`unused-resource`); empty otherwise.
  /// The model knows no prices: the pricing stage states the cost (pricing::state_idle_costs).
  std::string component;
  /// What `component` costs a month with no traffic (its hourly lines at list price, rounded to
  /// cents); set by pricing::state_idle_costs, empty while unpriced or when a price is missing.
  std::optional<double> monthly_cost_usd;
};

struct ReviewInput {
  const TopologySpec& topology;
  const ArchGraph& graph;
  const AwsFacts& facts;
};

/// Collects one rule's findings; rules call `report` and nothing else.
class FindingSink {
 public:
  FindingSink(std::vector<Finding>& out, std::string_view rule, Severity severity, std::string_view hint)
      : out_(out), rule_(rule), severity_(severity), hint_(hint) {}

  void report(std::string path, std::string message) { report(std::move(path), std::move(message), std::string(hint_)); }
  void report(std::string path, std::string message, std::string hint);
  /// For rules whose severity depends on the case (e.g. a hard AWS limit vs. advice).
  void report_as(Severity severity, std::string path, std::string message);
  /// For findings about a resource that is billed while it runs: names it, so that its cost can be stated.
  void report_resource(std::string component, std::string path, std::string message);

 private:
  std::vector<Finding>& out_;
  std::string_view rule_;
  Severity severity_;
  std::string_view hint_;
};

using RuleCheck = void (*)(const ReviewInput&, FindingSink&);

struct Rule {
  std::string_view id;
  Severity severity;
  std::string_view category;  ///< network, exposure, resilience, health, compute, deployment, cost
  std::string_view title;     ///< one line: what is wrong when it fires
  std::string_view hint;      ///< how to fix it
  std::string_view source;    ///< the AWS documentation it rests on
  RuleCheck check;
};

/// Every rule, in a fixed order (network, then exposure, resilience, health, compute, cost).
const std::vector<Rule>& rule_catalog();
const Rule* find_rule(std::string_view id);

/// Runs every rule over one topology; paths and messages only (no locations).
std::vector<Finding> review_topology(const TopologySpec& topology, const ArchGraph& graph, const AwsFacts& facts);

/// Builds each alternative's graph and reviews it; findings carry alternative and location,
/// sorted by alternative (in file order), then file position, then rule.
std::vector<Finding> review_scenario(const ScenarioSpec& scenario, const AwsFacts& facts);

// The rule groups, defined in rules_network.cpp, rules_compute.cpp and rules_cost.cpp.
namespace rules {
void cidr_syntax(const ReviewInput&, FindingSink&);
void vpc_cidr_size(const ReviewInput&, FindingSink&);
void subnet_outside_vpc(const ReviewInput&, FindingSink&);
void subnet_overlap(const ReviewInput&, FindingSink&);
void vpc_cidr_not_rfc1918(const ReviewInput&, FindingSink&);
void vpc_secondary_cidr_restricted(const ReviewInput&, FindingSink&);
void zone_not_in_region(const ReviewInput&, FindingSink&);
void route_table_duplicate_destination(const ReviewInput&, FindingSink&);
void subnet_public_flag_mismatch(const ReviewInput&, FindingSink&);
void nat_not_in_public_subnet(const ReviewInput&, FindingSink&);
void nat_shared_across_zones(const ReviewInput&, FindingSink&);
void task_no_egress_path(const ReviewInput&, FindingSink&);
void task_public_ip(const ReviewInput&, FindingSink&);
void internet_exposed_compute(const ReviewInput&, FindingSink&);
void sg_open_to_world(const ReviewInput&, FindingSink&);
void sg_blocks_request_flow(const ReviewInput&, FindingSink&);
void cloudfront_origin_bypass(const ReviewInput&, FindingSink&);
void listener_without_tls(const ReviewInput&, FindingSink&);
void lb_single_zone(const ReviewInput&, FindingSink&);
void lb_internet_facing_private_subnet(const ReviewInput&, FindingSink&);
void lb_without_http_routing(const ReviewInput&, FindingSink&);
void health_check_timing_invalid(const ReviewInput&, FindingSink&);
void health_check_detection_slow(const ReviewInput&, FindingSink&);
void health_check_heavy_path(const ReviewInput&, FindingSink&);
void rds_single_az(const ReviewInput&, FindingSink&);
void single_zone_service(const ReviewInput&, FindingSink&);
void service_all_on_spot(const ReviewInput&, FindingSink&);
void cross_zone_hop(const ReviewInput&, FindingSink&);
void route_hop_not_connected(const ReviewInput&, FindingSink&);
void fargate_task_size_invalid(const ReviewInput&, FindingSink&);
void blue_green_without_load_balancer(const ReviewInput&, FindingSink&);
void unused_resource(const ReviewInput&, FindingSink&);
}  // namespace rules

}  // namespace archsim::model
