// The cost model: which priced quantities each component type produces from its usage meters
// and its configuration. docs/pricing.md states every formula; this file is their only home.
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/capacity_providers.hpp"
#include "archsim/pricing/bill.hpp"

namespace archsim::pricing {

namespace {

using Series = std::vector<double>;
using model::ComponentType;
using sim::Meter;

constexpr double kGb = 1e9;  // AWS's worked examples bill data in decimal GB

Series constant(double per_hour) { return Series(kHoursPerMonth, per_hour); }

Series map(const Series& s, const std::function<double(double)>& f) {
  Series out(s.size());
  std::transform(s.begin(), s.end(), out.begin(), f);
  return out;
}

/// Monthly quantities accrue evenly over the month's hours (GB-months, secret-months, MAUs).
Series prorated(double per_month) { return constant(per_month / kHoursPerMonth); }

std::string arch_suffix(model::CpuArchitecture a) { return std::string(model::architecture_keyword(a)); }

/// AWS's facts the bill reads (CloudFront's edge region groups and price classes in
/// model/data/aws_network.yaml, gp3's baselines in quotas.yaml), parsed once per process
/// however many bills are priced.
const model::AwsFacts& aws_facts() {
  static const model::AwsFacts facts = model::builtin_aws_facts();
  return facts;
}

const model::CloudFrontEdges& cloudfront_edges() { return aws_facts().cloudfront; }

std::set<std::string> zones_of(const model::TopologySpec& t, const std::vector<std::string>& subnets) {
  std::set<std::string> zones;
  for (const auto& id : subnets) {
    if (const auto* s = t.subnet(id)) zones.insert(s->zone);
  }
  return zones;
}

class CostModel {
 public:
  CostModel(const model::TopologySpec& t, const Usage& u) : t_(t), u_(u) {}

  /// Every meter the run read, per component, in the order read.
  const std::vector<MeterRead>& reads() const { return reads_; }

  std::vector<Charge> run() {
    for (const auto& id : t_.component_order) {
      const auto ref = t_.component(id);
      if (!ref) continue;
      component(id, *ref);
      transfer(id, *ref);
    }
    account();
    return std::move(out_);
  }

 private:
  const model::TopologySpec& t_;
  const Usage& u_;
  std::vector<Charge> out_;
  std::vector<MeterRead> reads_;

  Series meter(std::string_view id, Meter m) {
    reads_.push_back(MeterRead{std::string(id), m});
    return u_.month(id, m);
  }

  void add(const std::string& id, std::string key, Series hourly, std::string detail = {}, bool upfront = false) {
    double total = 0;
    for (double v : hourly) total += v;
    if (total <= 0 && !upfront) return;
    out_.push_back(Charge{id, std::move(key), std::move(detail), std::move(hourly), upfront});
  }

  void component(const std::string& id, model::ComponentRef ref) {
    switch (ref.type) {
      case ComponentType::EcsService: return ecs(t_.ecs_services[ref.index]);
      case ComponentType::LoadBalancer: return load_balancer(t_.load_balancers[ref.index]);
      case ComponentType::NatGateway: return nat(t_.nat_gateways[ref.index]);
      case ComponentType::VpcEndpoint: return endpoint(t_.vpc_endpoints[ref.index]);
      case ComponentType::ApiGateway: return api(t_.api_gateways[ref.index]);
      case ComponentType::Lambda: return lambda(t_.lambdas[ref.index]);
      case ComponentType::CloudFront: return cloudfront(t_.cloudfronts[ref.index]);
      case ComponentType::S3Bucket: return s3(t_.s3_buckets[ref.index]);
      case ComponentType::Rds: return rds(t_.databases[ref.index]);
      case ComponentType::DynamoDb: return dynamodb(t_.dynamodb_tables[ref.index]);
      case ComponentType::LogGroup: return logs(t_.log_groups[ref.index]);
      case ComponentType::SecretsManager: {
        const auto& sm = t_.secrets_managers[ref.index];
        add(id, "secretsmanager.secret_month", prorated(sm.secrets), fmt::format("{} secret(s)", sm.secrets));
        add(id, "secretsmanager.api_requests", map(meter(id, Meter::ApiRequests), [](double n) { return n / 1e4; }));
        return;
      }
      case ComponentType::ParameterStore: {
        const auto& ps = t_.parameter_stores[ref.index];
        add(id, ps.tier == "advanced" ? "ssm.advanced_parameter_month" : "ssm.standard_parameter_month",
            prorated(ps.parameters), fmt::format("{} {} parameter(s)", ps.parameters, ps.tier));
        return;
      }
      case ComponentType::EcrRepository: return ecr(t_.ecr_repositories[ref.index]);
      case ComponentType::CognitoUserPool: {
        const auto& pool = t_.user_pools[ref.index];
        add(id, "cognito." + pool.tier + "_mau", meter(id, Meter::MonthlyActiveUsers), pool.tier + " tier");
        return;
      }
      case ComponentType::Route53Zone: {
        Series zone(kHoursPerMonth, 0.0);
        zone[0] = 1;  // not prorated: the month's fee is due when the month starts
        add(id, "route53.hosted_zone_month", zone, t_.route53_zones[ref.index].private_zone ? "private zone" : "public zone", true);
        add(id, "route53.standard_queries", map(meter(id, Meter::Queries), [](double n) { return n / 1e6; }));
        return;
      }
      case ComponentType::InternetUsers: return;
    }
  }

  void ecs(const model::EcsServiceSpec& s) {
    // Fargate bills from image pull to task stop, per second, at least one minute per task:
    // `minimum_top_up_seconds` is what the one-minute minimum adds for tasks that ran shorter.
    Series task_hours = meter(s.id, Meter::TaskSeconds);
    const Series top_up = meter(s.id, Meter::MinimumTopUpSeconds);
    for (std::size_t i = 0; i < task_hours.size(); ++i) task_hours[i] = (task_hours[i] + top_up[i]) / 3600.0;
    const double memory_gb = s.memory.to_gib();  // Fargate's "GB" of task memory is GiB
    const std::string arch = arch_suffix(s.architecture);
    // Task time on Fargate Spot is priced at the book's fargate_spot rates for vCPU and
    // memory; the bill prices it on demand beside (bill_for). Ephemeral storage has one rate.
    Series spot_hours(task_hours.size(), 0.0);
    if (model::places_on_spot(s, t_.fargate_spot)) {
      spot_hours = map(meter(s.id, Meter::SpotTaskSeconds), [](double seconds) { return seconds / 3600.0; });
    }
    Series on_demand_hours(task_hours.size());
    for (std::size_t i = 0; i < task_hours.size(); ++i) {
      spot_hours[i] = std::min(spot_hours[i], task_hours[i]);
      on_demand_hours[i] = task_hours[i] - spot_hours[i];
    }
    for (const auto& [prefix, hours, where] : {std::tuple{"fargate.", &on_demand_hours, ""}, std::tuple{"fargate_spot.", &spot_hours, " on Fargate Spot"}}) {
      add(s.id, prefix + std::string("vcpu_hour.") + arch, map(*hours, [&](double h) { return h * s.vcpu; }),
          fmt::format("task-hours{} x {} vCPU", where, s.vcpu));
      add(s.id, prefix + std::string("gb_hour.") + arch, map(*hours, [&](double h) { return h * memory_gb; }),
          fmt::format("task-hours{} x {} GB", where, memory_gb));
    }
    if (s.ephemeral_storage && s.ephemeral_storage->to_gib() > 20) {
      const double extra = s.ephemeral_storage->to_gib() - 20;
      add(s.id, "fargate.ephemeral_storage_gb_hour", map(task_hours, [&](double h) { return h * extra; }),
          fmt::format("task-hours x {} GB above the 20 GB included", extra));
    }
    if (s.assign_public_ip) {
      add(s.id, "vpc.public_ipv4_hour", task_hours, "one public IPv4 address per running task");
    }
  }

  void load_balancer(const model::LoadBalancerSpec& lb) {
    const bool alb = lb.lb_type == model::LoadBalancerType::Application;
    add(lb.id, alb ? "elb.alb_hour" : "elb.nlb_hour", constant(1), "running all month");
    const bool mtls = std::any_of(lb.listeners.begin(), lb.listeners.end(), [](const auto& l) { return l.mutual_tls; });
    const bool tls = std::any_of(lb.listeners.begin(), lb.listeners.end(), [](const auto& l) { return l.tls(); });
    const bool lambda_targets =
        std::any_of(lb.target_groups.begin(), lb.target_groups.end(), [](const auto& tg) { return tg.target_type == "lambda"; });
    const Series new_connections = meter(lb.id, Meter::NewConnections);
    const Series connection_seconds = meter(lb.id, Meter::ConnectionSeconds);
    const Series bytes = meter(lb.id, Meter::ProcessedBytes);
    const Series rules = meter(lb.id, Meter::RuleEvaluations);
    const Series requests = meter(lb.id, Meter::Requests);
    // Capacity units: each hour, the largest of the dimensions (ELB pricing page).
    Series units(kHoursPerMonth);
    for (std::size_t h = 0; h < units.size(); ++h) {
      const double per_second = new_connections[h] / 3600.0;
      const double active = connection_seconds[h] / 3600.0;  // mean concurrent connections in the hour
      const double gb = bytes[h] / kGb;
      if (alb) {
        // The first 10 rules processed per request are free.
        const double billable_rules = std::max(0.0, rules[h] - 10.0 * requests[h]) / 3600.0;
        units[h] = std::max({per_second / 25.0, active / (mtls ? 1500.0 : 3000.0), gb / (lambda_targets ? 0.4 : 1.0),
                             billable_rules / 1000.0});
      } else {
        units[h] = std::max({per_second / (tls ? 50.0 : 800.0), active / (tls ? 3000.0 : 100000.0), gb});
      }
    }
    add(lb.id, alb ? "elb.alb_lcu_hour" : "elb.nlb_nlcu_hour", units, "each hour the largest dimension");
    if (mtls) add(lb.id, "elb.alb_trust_store_hour", constant(1), "mutual TLS trust store");
    if (lb.scheme == model::LoadBalancerScheme::InternetFacing) {
      const auto zones = zones_of(t_, lb.subnets);
      add(lb.id, "vpc.public_ipv4_hour", constant(static_cast<double>(zones.size())),
          fmt::format("{} address(es), one per zone", zones.size()));
    }
  }

  void nat(const model::NatGatewaySpec& n) {
    add(n.id, "vpc.nat_gateway_hour", constant(1), "running all month");
    add(n.id, "vpc.nat_gateway_processed_gb", map(meter(n.id, Meter::ProcessedBytes), [](double b) { return b / kGb; }));
    if (n.connectivity == "public") add(n.id, "vpc.public_ipv4_hour", constant(1), "its Elastic IP address");
  }

  void endpoint(const model::VpcEndpointSpec& e) {
    if (e.endpoint_type == model::EndpointType::Gateway) {
      add(e.id, "vpc.gateway_endpoint_hour", constant(0), e.service + " gateway endpoint", true);
      return;
    }
    const auto zones = zones_of(t_, e.subnets);
    add(e.id, "vpc.interface_endpoint_hour", constant(static_cast<double>(zones.size())),
        fmt::format("{} in {} zone(s)", e.service, zones.size()));
    add(e.id, "vpc.interface_endpoint_processed_gb", map(meter(e.id, Meter::ProcessedBytes), [](double b) { return b / kGb; }));
  }

  void api(const model::ApiGatewaySpec& a) {
    if (a.api_type == model::ApiType::WebSocket) {
      // Messages as AWS counts them (one per started 32 KB) and the time connections stay open,
      // both declared in `usage` (`requests`, `connection_seconds`): no route walks a WebSocket.
      add(a.id, "apigw.websocket_messages", map(meter(a.id, Meter::Requests), [](double n) { return n / 1e6; }),
          "messages, one per started 32 KB");
      add(a.id, "apigw.websocket_connection_minutes", map(meter(a.id, Meter::ConnectionSeconds), [](double s) { return s / 60 / 1e6; }),
          "connection minutes");
      return;
    }
    // HTTP APIs meter a request once per started 512 KB of it: the simulator counts those as
    // `metered_requests` (sim/data/behaviour.yaml); declared usage gives `requests` as AWS counts them.
    const bool metered = u_.find(a.id, Meter::MeteredRequests) != nullptr;
    add(a.id, a.api_type == model::ApiType::Rest ? "apigw.rest_requests" : "apigw.http_requests",
        map(meter(a.id, metered ? Meter::MeteredRequests : Meter::Requests), [](double n) { return n / 1e6; }),
        metered ? "requests as metered, once per started size increment" : "");
  }

  void lambda(const model::LambdaSpec& f) {
    const std::size_t first = out_.size();
    const bool provisioned = f.provisioned_concurrency > 0;
    add(f.id, "lambda.requests", map(meter(f.id, Meter::Requests), [](double n) { return n / 1e6; }),
        provisioned ? "provisioned concurrency: no Free Tier" : "");
    add(f.id, "lambda.gb_second." + arch_suffix(f.architecture), meter(f.id, Meter::GbSeconds),
        fmt::format("{} MB{}", f.memory.to_mib(), provisioned ? ", provisioned concurrency: no Free Tier" : ""));
    if (!provisioned) return;
    const std::string detail = fmt::format("{} MB x {} provisioned", f.memory.to_mib(), f.provisioned_concurrency);
    add(f.id, "lambda.provisioned_concurrency_gb_second." + arch_suffix(f.architecture), meter(f.id, Meter::ProvisionedGbSeconds), detail);
    add(f.id, "lambda.provisioned_duration_gb_second." + arch_suffix(f.architecture), meter(f.id, Meter::ProvisionedDurationGbSeconds), detail);
    // "The Lambda free tier does not apply to functions that have Provisioned Concurrency
    // enabled" (aws.amazon.com/lambda/pricing): none of this function's lines, its on-demand
    // overflow included, draws on the account's allowance.
    for (std::size_t i = first; i < out_.size(); ++i) out_[i].free_tier = false;
  }

  void cloudfront(const model::CloudFrontSpec& cf) {
    // Each edge region group has its own prices and its own volume tiers (the book's keys per
    // group). A viewer in a group the price class leaves out is billed at the class's least
    // expensive group (aws_network.yaml gives AWS's wording).
    const model::CloudFrontEdges& edges = cloudfront_edges();
    const bool stated = !cf.viewers.empty();
    const std::vector<model::ViewerShareSpec> viewers = stated ? cf.viewers : std::vector<model::ViewerShareSpec>{{edges.unstated_viewers, 1.0}};
    const std::string assumption =
        stated ? std::string()
               : fmt::format("{}: viewers not stated (`viewers:` on the distribution); all billed at CloudFront's {} rates", cf.id,
                             edges.group(edges.unstated_viewers) ? edges.group(edges.unstated_viewers)->name : edges.unstated_viewers);
    const Series bytes = meter(cf.id, Meter::InternetOutBytes);
    const Series requests = meter(cf.id, Meter::Requests);
    const bool http_only = !cf.behaviors.empty() && std::all_of(cf.behaviors.begin(), cf.behaviors.end(), [](const auto& b) {
      return b.viewer_protocol == "allow-all";
    });
    for (const auto& group : edges.region_groups) {
      double share = 0;
      std::vector<std::string> parts;
      for (const auto& v : viewers) {
        const std::string billed = edges.billed_group(cf.price_class, v.group);
        if (billed != group.id) continue;
        share += v.share;
        if (stated) {
          parts.push_back(v.group == billed ? fmt::format("{:g} % of viewers", v.share * 100)
                                            : fmt::format("{:g} % of viewers in {} (outside {}: billed here)", v.share * 100, v.group, cf.price_class));
        }
      }
      if (share <= 0) continue;
      const std::string detail = stated ? group.id + ": " + fmt::format("{}", fmt::join(parts, ", ")) : std::string();
      const std::size_t first = out_.size();
      add(cf.id, "cloudfront.data_out_gb" + group.price_key_suffix, map(bytes, [&](double b) { return b * share / kGb; }), detail);
      add(cf.id, (http_only ? "cloudfront.http_requests" : "cloudfront.https_requests") + group.price_key_suffix,
          map(requests, [&](double n) { return n * share / 1e4; }), detail);
      for (std::size_t i = first; i < out_.size(); ++i) out_[i].assumption = assumption;
    }
  }

  void s3(const model::S3BucketSpec& b) {
    const double gb = stored_gb(b.id, b.storage);
    if (b.intelligent_tiering()) return intelligent_tiering(b, gb);
    // S3 Standard keeps the keys it always had; each other class prices under its own,
    // `s3.<class>_...` with the class as S3's API names it, in lower case.
    const bool standard = b.storage_class == "STANDARD";
    std::string cls = standard ? "" : b.storage_class + "_";
    std::transform(cls.begin(), cls.end(), cls.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    add(b.id, "s3." + (standard ? std::string("standard_") : cls) + "storage_gb_month", prorated(gb),
        fmt::format("{:.3g} GB stored{}", gb, standard ? "" : " in " + b.storage_class));
    add(b.id, "s3." + cls + "get_requests", map(meter(b.id, Meter::Requests), [](double n) { return n / 1e4; }));
    add(b.id, "s3." + cls + "put_requests", map(meter(b.id, Meter::PutRequests), [](double n) { return n / 1e3; }));
    if (standard) return;
    // Infrequent-access classes charge per GB read back, whoever reads it: the internet, a
    // CloudFront origin fetch, a task (docs/pricing.md).
    add(b.id, "s3." + cls + "retrieval_gb", map(meter(b.id, Meter::RetrievedBytes), [](double v) { return v / kGb; }), "GB read back by GETs");
  }

  /// S3 Intelligent-Tiering: storage by access tier (the usage block's split of the stored
  /// bytes), a monitoring fee per object of 128 KB or more, requests at their own rates, no
  /// retrieval fee (docs/pricing.md).
  void intelligent_tiering(const model::S3BucketSpec& b, double stored_gb) {
    const double infrequent = level_gb(b.id, Meter::InfrequentAccessBytes), archive = level_gb(b.id, Meter::ArchiveInstantAccessBytes);
    const std::size_t first = out_.size();
    add(b.id, "s3.intelligent_tiering_frequent_storage_gb_month", prorated(std::max(0.0, stored_gb - infrequent - archive)),
        fmt::format("{:.3g} GB of {:.3g} stored in the Frequent Access tier", std::max(0.0, stored_gb - infrequent - archive), stored_gb));
    if (!u_.find(b.id, Meter::InfrequentAccessBytes) && !u_.find(b.id, Meter::ArchiveInstantAccessBytes)) {
      for (std::size_t i = first; i < out_.size(); ++i) {
        out_[i].assumption = fmt::format("{}: every stored byte in Intelligent-Tiering's Frequent Access tier, where objects start and stay "
                                         "while read within 30 days (an upper bound); declare usage.{}.infrequent_access_bytes and "
                                         "archive_instant_access_bytes (objects not read for 30 and 90 days)",
                                         b.id, b.id);
      }
    }
    add(b.id, "s3.intelligent_tiering_infrequent_storage_gb_month", prorated(infrequent), "GB in the Infrequent Access tier");
    add(b.id, "s3.intelligent_tiering_archive_instant_storage_gb_month", prorated(archive), "GB in the Archive Instant Access tier");
    add(b.id, "s3.intelligent_tiering_monitoring_objects", map(meter(b.id, Meter::MonitoredObjects), [](double n) { return n / 1e3; }),
        "objects of 128 KB or more monitored");
    add(b.id, "s3.intelligent_tiering_get_requests", map(meter(b.id, Meter::Requests), [](double n) { return n / 1e4; }));
    add(b.id, "s3.intelligent_tiering_put_requests", map(meter(b.id, Meter::PutRequests), [](double n) { return n / 1e3; }));
  }

  void rds(const model::RdsSpec& d) {
    const std::string deployment = d.multi_az ? "multi_az" : "single_az";
    add(d.id, "rds." + d.engine + "." + d.instance_class + "." + deployment,
        map(meter(d.id, Meter::InstanceSeconds), [](double s) { return s / 3600.0; }), d.instance_class + (d.multi_az ? " Multi-AZ" : " Single-AZ"));
    // Multi-AZ keeps a standby with its own copy of the storage, billed too (RDS User Guide).
    const double copies = d.multi_az ? 2.0 : 1.0;
    add(d.id, "rds." + d.storage_type + "_storage_gb_month", prorated(d.storage.to_gb() * copies),
        fmt::format("{:.0f} GB{}", d.storage.to_gb(), d.multi_az ? " x 2 (primary and standby)" : ""));
    const char* both = d.multi_az ? " x 2 (primary and standby)" : "";
    if (d.storage_type == "gp3") {
      // gp3 bills what is provisioned above the baseline its size comes with (quotas.yaml),
      // month-prorated like storage, and the standby's too.
      const auto base = model::gp3_baseline(aws_facts().quotas.rds_gp3, d.storage.to_gb());
      if (d.iops && *d.iops > base.iops) {
        add(d.id, "rds.gp3_iops_month", prorated((*d.iops - base.iops) * copies),
            fmt::format("{} IOPS above the {} baseline{}", *d.iops - base.iops, base.iops, both));
      }
      if (d.storage_throughput_mibps && *d.storage_throughput_mibps > base.throughput_mibps) {
        add(d.id, "rds.gp3_throughput_mibps_month", prorated((*d.storage_throughput_mibps - base.throughput_mibps) * copies),
            fmt::format("{} MiBps above the {} baseline{}", *d.storage_throughput_mibps - base.throughput_mibps, base.throughput_mibps, both));
      }
    } else if (d.iops) {
      // io1 and io2 bill every IOPS provisioned.
      add(d.id, "rds." + d.storage_type + "_iops_month", prorated(*d.iops * copies), fmt::format("{} IOPS{}", *d.iops, both));
    }
    add(d.id, "rds.backup_storage_gb_month", map(meter(d.id, Meter::BackupBytes), [](double b) { return b / kGb; }),
        "backups beyond the free allocation");
  }

  /// The price key of a throughput or storage dimension in the table's class: Standard-IA has
  /// its own rates for each (the Price List's `IA-` usage types), and no free tier.
  static std::string table_class_key(const model::DynamoDbSpec& d, std::string_view dimension) {
    return fmt::format("dynamodb.{}{}", d.infrequent_access() ? "ia_" : "", dimension);
  }

  void dynamodb(const model::DynamoDbSpec& d) {
    if (d.billing_mode == "provisioned") {
      add(d.id, table_class_key(d, "rcu_hour"), constant(d.read_capacity), fmt::format("{} RCU provisioned", d.read_capacity));
      add(d.id, table_class_key(d, "wcu_hour"), constant(d.write_capacity), fmt::format("{} WCU provisioned", d.write_capacity));
    } else {
      add(d.id, table_class_key(d, "read_request_units"), map(meter(d.id, Meter::ReadUnits), [](double n) { return n / 1e6; }));
      add(d.id, table_class_key(d, "write_request_units"), map(meter(d.id, Meter::WriteUnits), [](double n) { return n / 1e6; }));
    }
    const double gb = stored_gb(d.id, d.storage);
    add(d.id, table_class_key(d, "storage_gb_month"), prorated(gb), fmt::format("{:.3g} GB stored", gb));
    if (d.point_in_time_recovery) add(d.id, "dynamodb.pitr_gb_month", prorated(gb), "continuous backups of the table");
    // On-demand backups: the `backup_bytes` the scenario declares, GB held over the month.
    add(d.id, "dynamodb.backup_storage_gb_month", map(meter(d.id, Meter::BackupBytes), [](double b) { return b / kGb; }),
        "on-demand backups");
    // DynamoDB Streams: GetRecords calls by Lambda triggers and global-table replication are
    // free; other consumers' (the `usage` block's `stream_read_requests`) bill per call.
    if (d.stream_enabled) {
      add(d.id, "dynamodb.stream_read_requests", map(meter(d.id, Meter::StreamReadRequests), [](double n) { return n / 1e6; }),
          "GetRecords calls by consumers other than Lambda triggers (declared)");
    }
    replicas(d);
  }

  /// A global table writes every write again in each replica's Region: replicated write request
  /// units on demand, replicated write capacity (as much as the table's) provisioned; and the
  /// replicated items leave the Region as inter-Region transfer (DynamoDB Developer Guide,
  /// "DynamoDB usage types": "Cross-Region replication ... incur charges for data transfer out").
  void replicas(const model::DynamoDbSpec& d) {
    if (d.replicas.empty()) return;
    const Series writes = meter(d.id, Meter::WriteUnits);
    for (const auto& region : d.replicas) {
      // The replicated writes are billed in the replica's Region, at its book's rate. (add()
      // appends nothing for a zero quantity, so what it appended is found by position.)
      std::size_t first = out_.size();
      if (d.billing_mode == "provisioned") {
        add(d.id, table_class_key(d, "replicated_wcu_hour"), constant(d.write_capacity),
            fmt::format("{} rWCU provisioned in {}, at its price", d.write_capacity, region));
      } else {
        add(d.id, table_class_key(d, "replicated_write_request_units"), map(writes, [](double n) { return n / 1e6; }),
            fmt::format("replicated to {}, at its price", region));
      }
      for (std::size_t i = first; i < out_.size(); ++i) out_[i].region = region;
      // A write request unit writes up to 1 KB (1,024 bytes): the replicated bytes are at most
      // that, taken as that (an upper bound) since no meter measures item sizes.
      first = out_.size();
      add(d.id, "data_transfer.inter_region_gb." + region, map(writes, [](double n) { return n * 1024 / kGb; }),
          "replicated writes to " + region + ", 1 KB per write request unit (at most)");
      for (std::size_t i = first; i < out_.size(); ++i) {
        out_[i].assumption =
            fmt::format("{}: the bytes replicated to {} taken as 1 KB per write request unit (the most one unit writes)", d.id, region);
      }
    }
  }

  void logs(const model::LogGroupSpec& g) {
    const Series ingested = map(meter(g.id, Meter::IngestedBytes), [](double b) { return b / kGb; });
    add(g.id, "logs.ingestion_gb", ingested);
    // Stored volume at each hour: what was ingested within the retention period (the month
    // before wraps around, as in a steady state); never-expiring logs accumulate from the
    // month's start. Archived size is taken as ingested size.
    const std::size_t n = ingested.size();
    Series prefix(n + 1, 0.0);  // prefix[h] = GB ingested in slots [0, h)
    for (std::size_t h = 0; h < n; ++h) prefix[h + 1] = prefix[h] + ingested[h];
    Series stored(n, 0.0);
    for (std::size_t h = 0; h < n; ++h) {
      double gb = prefix[h + 1];  // never expires: everything since the month began
      if (g.retention) {
        // Steady state with every month alike: the last R hours, whole months first.
        const auto r = static_cast<std::size_t>(g.retention->ns / 3'600'000'000'000LL);
        const std::size_t whole = r / n;
        const std::size_t rest = r % n;
        gb = static_cast<double>(whole) * prefix[n];
        gb += rest <= h + 1 ? prefix[h + 1] - prefix[h + 1 - rest] : prefix[h + 1] + (prefix[n] - prefix[n - (rest - h - 1)]);
      }
      stored[h] = gb / kHoursPerMonth;  // GB held for one hour, in GB-months
    }
    add(g.id, "logs.storage_gb_month", stored,
        g.retention ? "retention " + model::format_duration(*g.retention) : "never expires: first month's accumulation");
  }

  void ecr(const model::EcrRepositorySpec& r) {
    double gb = stored_gb(r.id, r.storage);
    if (gb == 0) {
      // Images pushed by the services that pull from this repository.
      for (const auto& s : t_.ecs_services) {
        if (s.image.repository == r.id && s.image.size) gb += s.image.size->to_gb();
      }
    }
    add(r.id, "ecr.storage_gb_month", prorated(gb), fmt::format("{:.3g} GB of images", gb));
  }

  double stored_gb(std::string_view id, const std::optional<model::Bytes>& configured) {
    const double declared = level_gb(id, Meter::StoredBytes);
    if (declared > 0) return declared;
    return configured ? configured->to_gb() : 0.0;
  }

  /// A declared byte meter held over the month (`stored_bytes: 500GB`), in GB.
  double level_gb(std::string_view id, Meter m) { return meter(id, m).front() * kHoursPerMonth / kGb; }

  /// Data leaving AWS and data crossing zones, metered on the component that sends it.
  void transfer(const std::string& id, model::ComponentRef ref) {
    // Only the types that can send to the internet (a run meters it, or the `usage:` block may
    // declare it) have the meter; CloudFront's own rates price its transfer out.
    const auto meters = declarable_meters(ref.type);
    const bool sends_out = std::find(meters.begin(), meters.end(), Meter::InternetOutBytes) != meters.end();
    if (sends_out && ref.type != ComponentType::CloudFront) {
      add(id, "data_transfer.internet_out_gb", map(meter(id, Meter::InternetOutBytes), [](double b) { return b / kGb; }),
          "to the internet");
    }
    // Both the sending and the receiving side pay for each GB between zones. A load balancer's
    // meter holds every crossing with it at one end, both directions (docs/simulation.md); an
    // Application Load Balancer's are priced under their own key, which the book prices (0 USD:
    // AWS does not charge them, global.yaml gives the rule and its source).
    const bool alb = ref.type == ComponentType::LoadBalancer &&
                     t_.load_balancers[ref.index].lb_type == model::LoadBalancerType::Application;
    add(id, alb ? "data_transfer.inter_az_gb.alb" : "data_transfer.inter_az_gb",
        map(meter(id, Meter::CrossZoneBytes), [](double b) { return 2 * b / kGb; }),
        alb ? "GB between zones to and from the load balancer x 2 (out and in)" : "GB between zones x 2 (out and in)");
  }

  void account() {
    add("account", "vpc.public_ipv4_hour", constant(static_cast<double>(t_.elastic_ips)),
        fmt::format("{} Elastic IP address(es) no modelled component holds", t_.elastic_ips));
    add("account", "cloudwatch.alarm_metric_month", meter("account", Meter::AlarmMetrics), "alarm metrics");
    add("account", "cloudwatch.custom_metric_month", meter("account", Meter::CustomMetrics), "custom metrics");
    add("account", "cloudwatch.dashboard_month", meter("account", Meter::Dashboards), "dashboards");
  }
};

}  // namespace

std::vector<Charge> charges(const model::TopologySpec& topology, const Usage& usage) { return CostModel(topology, usage).run(); }

std::vector<MeterRead> meters_priced(const model::TopologySpec& topology, const Usage& usage) {
  CostModel model(topology, usage);
  model.run();
  return model.reads();
}

}  // namespace archsim::pricing
