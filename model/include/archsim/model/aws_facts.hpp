// AWS facts and review thresholds the model needs, read from the data files in model/data/.
//
// The numbers live in YAML with their sources (aws_network.yaml: zones, CIDR restrictions,
// health-check ranges; review_policy.yaml: Fargate task sizes, private-access endpoints,
// review thresholds). The files are compiled into the binary, so archsim needs no data
// directory at run time, and are parsed with the same located decoder as scenarios.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archsim/model/cidr.hpp"
#include "archsim/model/source.hpp"
#include "archsim/model/units.hpp"

namespace archsim::model {

struct IntRange {
  int default_value = 0;
  int min = 0;
  int max = 0;
};

struct HealthCheckLimits {
  IntRange interval_s, timeout_s, healthy_threshold, unhealthy_threshold;
};

/// One row of AWS's "IPv4 CIDR block association restrictions" table: when the VPC already
/// has a block in `existing_in` (or, for the keyword row, a publicly routable or 100.64/10
/// block), a new block may not come from `restricted`.
struct CidrRestriction {
  std::optional<Ipv4Cidr> existing_in;  ///< empty for the public-or-100.64 row
  std::vector<Ipv4Cidr> restricted;
  struct Conditional {
    Ipv4Cidr if_existing_in;
    std::vector<Ipv4Cidr> restricted;
  };
  std::vector<Conditional> conditional;
};

struct FargateTaskSize {
  double vcpu = 0;
  std::vector<int> memory_mib;  ///< explicit list, or
  int min_mib = 0, max_mib = 0, step_mib = 0;

  bool allows(int mib) const;
  std::string describe() const;  ///< "512, 1024 or 2048 MiB" / "4096-16384 MiB in 1024 MiB steps"
};

struct HeavyHealthCheckPath {
  std::string path;
  std::string convention;  ///< completes "the path where ..."
};

/// What AWS documents about a behaviour design documents often misstate (aws_statements.yaml).
struct AwsStatement {
  std::vector<std::string> aws;  ///< the complete set of values AWS documents
  std::string statement;         ///< AWS's behaviour in one sentence
  std::string source;
};

/// Which rules are security findings and GitHub code scanning's `security-severity` score for
/// them (review_policy.yaml `security`); SARIF output carries the score.
struct SecurityPolicy {
  std::vector<std::string> categories;          ///< rule categories that are security findings
  std::map<std::string, std::string> score;     ///< severity (`error`, ...) -> score, "0.1".."10.0"
  /// The score for a rule of this category and severity; empty when the category is not security.
  std::string score_of(std::string_view category, Severity severity) const;
};

/// Storage performance of an RDS database: IOPS and throughput in MiB per second.
struct StoragePerformance {
  int iops = 0;
  int throughput_mibps = 0;
};

/// RDS gp3 (quotas.yaml `rds.gp3`): a fixed baseline below `striped_from_gib`, a higher one
/// from there, which IOPS and throughput can be provisioned above, up to the maxima.
struct RdsGp3Limits {
  int striped_from_gib = 0;
  StoragePerformance baseline_small, baseline_striped;
  int max_iops = 0, max_throughput_mibps = 0;
  /// From this size RDS stripes the storage, and IOPS and throughput can be provisioned.
  bool striped(double storage_gib) const { return storage_gib >= striped_from_gib; }
};

/// model/data/quotas.yaml: AWS's limits on the values a scenario gives, which the loader
/// enforces (docs/limits.md). Fargate's vCPU and memory ranges come from `fargate_task_sizes`.
struct Quotas {
  int ecs_tasks_per_service = 0;
  IntRange ephemeral_storage_gib;
  IntRange capacity_provider_base, capacity_provider_weight;
  IntRange lambda_memory_mib, lambda_timeout_s;
  IntRange dynamodb_capacity_units;
  int krakend_backends_per_endpoint = 0;
  int secrets = 0, parameters = 0;
  IntRange rds_provisioned_iops;
  int rds_io1_max_iops_per_gib = 0, rds_io2_max_iops_per_gib = 0;
  RdsGp3Limits rds_gp3;
  int elastic_ips = 0;
};

/// The IOPS and throughput a gp3 database gets without paying for them, from its size.
StoragePerformance gp3_baseline(const RdsGp3Limits& limits, double storage_gib);

/// One CloudFront edge region group (a column of the pricing page's tables).
struct CloudFrontRegionGroup {
  std::string id;                ///< `europe`: the key of a distribution's `viewers`
  std::string name;              ///< the pricing page's wording
  std::string price_key_suffix;  ///< appended to `cloudfront.data_out_gb` and the request keys
};

/// The groups a price class serves from, and the one its excluded viewers are billed at.
struct CloudFrontPriceClass {
  std::vector<std::string> groups;
  std::string least_expensive;
};

/// aws_network.yaml `cloudfront`: how viewer geography maps to CloudFront's prices.
struct CloudFrontEdges {
  std::vector<CloudFrontRegionGroup> region_groups;  ///< in the pricing page's order
  std::string unstated_viewers;                      ///< the group assumed when `viewers` is not given
  std::map<std::string, CloudFrontPriceClass, std::less<>> price_classes;

  const CloudFrontRegionGroup* group(std::string_view id) const;
  /// The group a viewer in `group` is billed at under `price_class`: its own when the class
  /// serves it, else the class's least expensive one (PriceClass.html).
  std::string billed_group(std::string_view price_class, std::string_view group) const;
};

struct AwsFacts {
  std::map<std::string, std::vector<std::string>> region_zones;
  int vpc_min_prefix = 16, vpc_max_prefix = 28;
  int subnet_min_prefix = 16, subnet_max_prefix = 28;
  std::vector<Ipv4Cidr> vpc_forbidden;
  std::vector<Ipv4Cidr> rfc1918;
  Ipv4Cidr shared_address_space;  ///< 100.64.0.0/10
  Ipv4Cidr benchmark_range;       ///< 198.19.0.0/16
  std::vector<CidrRestriction> secondary_restrictions;
  int max_cidr_blocks_per_vpc = 5;
  int alb_min_zones = 2, nlb_min_zones = 1;
  HealthCheckLimits alb_health_check, nlb_health_check;

  std::vector<FargateTaskSize> fargate_task_sizes;
  std::map<std::string, std::vector<std::string>> private_access;  ///< need -> endpoint services
  Duration max_detection_time;
  std::vector<HeavyHealthCheckPath> heavy_health_check_paths;
  std::map<std::string, int> database_ports;  ///< RDS engine -> default port
  SecurityPolicy security;
  std::map<std::string, AwsStatement> statements;  ///< fact id -> what AWS documents
  Quotas quotas;
  CloudFrontEdges cloudfront;

  /// The smallest and largest vCPU and memory of any Fargate task size.
  double fargate_min_vcpu() const;
  double fargate_max_vcpu() const;
  Bytes fargate_min_memory() const;
  Bytes fargate_max_memory() const;

  bool is_rfc1918(const Ipv4Cidr& cidr) const;
};

/// Parses the data files compiled into archsim. A problem in them is a build-time mistake;
/// it is reported with file:line:col like any other and `facts` is left partly filled.
AwsFacts load_aws_facts(Diagnostics& diagnostics);

/// As load_aws_facts, but throws std::runtime_error with the diagnostics if the data is broken.
AwsFacts builtin_aws_facts();

}  // namespace archsim::model
