#include "archsim/model/spec.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace archsim::model {

std::string CriterionSpec::heading() const {
  return added_by.empty() ? title : title + " (added by " + added_by + ", not in the document)";
}

std::string_view architecture_keyword(CpuArchitecture architecture) {
  return architecture == CpuArchitecture::Arm64 ? "arm64" : "x86_64";
}

std::string_view type_keyword(ComponentType type) {
  switch (type) {
    case ComponentType::InternetUsers: return "internet_users";
    case ComponentType::CloudFront: return "cloudfront";
    case ComponentType::S3Bucket: return "s3_bucket";
    case ComponentType::ApiGateway: return "api_gateway";
    case ComponentType::CognitoUserPool: return "cognito_user_pool";
    case ComponentType::LoadBalancer: return "load_balancer";
    case ComponentType::EcsService: return "ecs_service";
    case ComponentType::Lambda: return "lambda";
    case ComponentType::Rds: return "rds";
    case ComponentType::DynamoDb: return "dynamodb";
    case ComponentType::NatGateway: return "nat_gateway";
    case ComponentType::VpcEndpoint: return "vpc_endpoint";
    case ComponentType::LogGroup: return "log_group";
    case ComponentType::SecretsManager: return "secrets_manager";
    case ComponentType::ParameterStore: return "parameter_store";
    case ComponentType::EcrRepository: return "ecr_repository";
    case ComponentType::Route53Zone: return "route53_zone";
  }
  return "unknown";
}

namespace {
template <class T>
const T* by_id(const std::vector<T>& items, std::string_view id) {
  const auto it = std::find_if(items.begin(), items.end(), [&](const T& item) { return item.id == id; });
  return it == items.end() ? nullptr : &*it;
}

template <class T>
std::optional<ComponentRef> ref_in(const std::vector<T>& items, ComponentType type, std::string_view id) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return ComponentRef{type, i};
  }
  return std::nullopt;
}
}  // namespace

const VpcSpec* TopologySpec::vpc(std::string_view id) const { return by_id(vpcs, id); }
const SubnetSpec* TopologySpec::subnet(std::string_view id) const { return by_id(subnets, id); }
const RouteTableSpec* TopologySpec::route_table(std::string_view id) const { return by_id(route_tables, id); }
const SecurityGroupSpec* TopologySpec::security_group(std::string_view id) const { return by_id(security_groups, id); }
const LoadBalancerSpec* TopologySpec::load_balancer(std::string_view id) const { return by_id(load_balancers, id); }
const EcsServiceSpec* TopologySpec::ecs_service(std::string_view id) const { return by_id(ecs_services, id); }
const NatGatewaySpec* TopologySpec::nat_gateway(std::string_view id) const { return by_id(nat_gateways, id); }
const VpcEndpointSpec* TopologySpec::vpc_endpoint(std::string_view id) const { return by_id(vpc_endpoints, id); }
const RdsSpec* TopologySpec::database(std::string_view id) const { return by_id(databases, id); }

std::optional<ComponentRef> TopologySpec::component(std::string_view id) const {
  using T = ComponentType;
  if (auto r = ref_in(internet_users, T::InternetUsers, id)) return r;
  if (auto r = ref_in(cloudfronts, T::CloudFront, id)) return r;
  if (auto r = ref_in(s3_buckets, T::S3Bucket, id)) return r;
  if (auto r = ref_in(api_gateways, T::ApiGateway, id)) return r;
  if (auto r = ref_in(user_pools, T::CognitoUserPool, id)) return r;
  if (auto r = ref_in(load_balancers, T::LoadBalancer, id)) return r;
  if (auto r = ref_in(ecs_services, T::EcsService, id)) return r;
  if (auto r = ref_in(lambdas, T::Lambda, id)) return r;
  if (auto r = ref_in(databases, T::Rds, id)) return r;
  if (auto r = ref_in(dynamodb_tables, T::DynamoDb, id)) return r;
  if (auto r = ref_in(nat_gateways, T::NatGateway, id)) return r;
  if (auto r = ref_in(vpc_endpoints, T::VpcEndpoint, id)) return r;
  if (auto r = ref_in(log_groups, T::LogGroup, id)) return r;
  if (auto r = ref_in(secrets_managers, T::SecretsManager, id)) return r;
  if (auto r = ref_in(parameter_stores, T::ParameterStore, id)) return r;
  if (auto r = ref_in(ecr_repositories, T::EcrRepository, id)) return r;
  if (auto r = ref_in(route53_zones, T::Route53Zone, id)) return r;
  return std::nullopt;
}

const RouteTableSpec* TopologySpec::route_table_of(const SubnetSpec& s) const {
  if (!s.route_table.empty()) return route_table(s.route_table);
  const auto it = std::find_if(route_tables.begin(), route_tables.end(),
                               [&](const RouteTableSpec& t) { return t.main && t.vpc == s.vpc; });
  return it == route_tables.end() ? nullptr : &*it;
}

std::string TopologySpec::component_path(std::string_view id) const {
  return path + ".components." + std::string(id);
}

const AlternativeSpec* ScenarioSpec::alternative(std::string_view id) const { return by_id(alternatives, id); }
const CriterionSpec* ScenarioSpec::criterion(std::string_view id) const { return by_id(criteria, id); }

namespace {

constexpr MetricInfo kMetrics[] = {
    {"latency.p50", MetricUnit::Milliseconds, "median latency of successful requests"},
    {"latency.p95", MetricUnit::Milliseconds, "95th percentile latency of successful requests"},
    {"latency.p99", MetricUnit::Milliseconds, "99th percentile latency of successful requests"},
    {"availability", MetricUnit::Ratio, "successful requests / all requests", true},
    {"availability.time", MetricUnit::Ratio, "share of minutes whose error rate stays under the threshold", true},
    {"availability.analytic", MetricUnit::Ratio, "steady-state availability composed from the graph (no interval)", true},
    {"error_rate", MetricUnit::Ratio, "failed requests / all requests"},
    {"cost.monthly", MetricUnit::Usd, "the month's bill after Free Tier and credits"},
    {"capacity.degraded_hours", MetricUnit::Hours,
     "hours ECS services ran below their desired count of tasks in service after the warm-up, summed over services"},
    {"recovery.time_to_desired", MetricUnit::Hours,
     "the longest stretch an ECS service stayed below its desired count after the warm-up (to the end of the run if it never recovered)"},
};

}  // namespace

std::span<const MetricInfo> criterion_metrics() { return kMetrics; }

const MetricInfo* find_metric(std::string_view name) {
  if (name == "latency.p99_ms") name = "latency.p99";
  if (name == "latency.p95_ms") name = "latency.p95";
  if (name == "latency.p50_ms") name = "latency.p50";
  if (name == "cost.monthly_usd") name = "cost.monthly";
  for (const auto& m : kMetrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::optional<double> parse_metric_bound(const MetricInfo& metric, std::string_view text, std::string& why) {
  const auto number = parse_finite_number;
  switch (metric.unit) {
    case MetricUnit::Milliseconds: {
      if (const auto v = number(text)) return *v;
      if (const auto d = parse_duration(text)) return static_cast<double>(d->ns) / 1e6;
      why = "expected a duration such as 300ms or 1.5s";
      return std::nullopt;
    }
    case MetricUnit::Ratio: {
      if (!text.empty() && text.back() == '%') {
        if (const auto v = number(text.substr(0, text.size() - 1)); v && *v >= 0 && *v <= 100) return *v / 100;
      } else if (const auto v = number(text); v && *v >= 0 && *v <= 1) {
        return *v;
      }
      why = "expected a percentage such as 99.9% or a ratio from 0 to 1 such as 0.999";
      return std::nullopt;
    }
    case MetricUnit::Usd: {
      std::string_view t = text;
      if (!t.empty() && t.front() == '$') t.remove_prefix(1);
      if (t.size() > 3 && t.substr(t.size() - 3) == "USD") t.remove_suffix(3);
      if (const auto v = number(t); v && *v >= 0) return *v;
      why = "expected an amount such as 60 USD, $60 or 60";
      return std::nullopt;
    }
    case MetricUnit::Hours: {
      if (const auto v = number(text); v && *v >= 0) return *v;
      if (const auto d = parse_duration(text); d && d->ns >= 0) return static_cast<double>(d->ns) / 3.6e12;
      why = "expected a duration such as 15m or 2h (a plain number is hours)";
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Diagnostic ScenarioSpec::located(Diagnostic d) const {
  if (!d.loc.known()) d.loc = sources.locate(d.path);
  if (!d.loc.known()) d.loc = SourceLoc{file, 1, 1};
  return d;
}

}  // namespace archsim::model
