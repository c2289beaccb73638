// The scenario language as plain structs: what a scenario file says, decoded and nothing more.
//
// These `*Spec` structs carry no behaviour. The loader (load.hpp) fills them from YAML and
// checks references; the graph builder (graph.hpp) and the design-review rules (rules.hpp)
// read them. Every entity keeps `path`, its dotted path from the scenario root, which the
// scenario's SourceIndex turns into file:line:col. Names follow AWS's own (TargetGroup,
// HealthCheck, NatGateway); units are in the type (Duration, Bytes) or in the field name
// (`_usd`, `_percent`, `vcpu`). docs/scenario-format.md documents every key.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "archsim/model/source.hpp"
#include "archsim/model/units.hpp"
#include "archsim/model/yaml_tree.hpp"

namespace archsim::model {

/// A CIDR block as written. Parsing is left to the `cidr-syntax` rule so that a malformed
/// block is a finding with a fix hint, and the other rules simply skip it.
struct CidrText {
  std::string text;
  std::string path;
};

// ---------------------------------------------------------------- network

struct VpcSpec {
  std::string id, path;
  CidrText cidr;
  std::vector<CidrText> secondary_cidrs;
  bool internet_gateway = false;  ///< an internet gateway is attached
};

struct SubnetSpec {
  std::string id, path;
  std::string vpc;
  std::string zone;
  CidrText cidr;
  bool is_public = false;    ///< what the document claims; rules compare it with the routes
  std::string route_table;   ///< empty: the VPC's main route table
  /// What runs here that the scenario language cannot express (EC2 instances), in the document's
  /// words; empty: nothing. Such workloads may use the subnet's NAT gateway and the VPC's endpoints.
  std::string other_workloads;
};

enum class RouteTarget { InternetGateway, NatGateway, VpcEndpoint, Local };

struct RouteSpec {
  std::string path;
  CidrText destination;
  RouteTarget target = RouteTarget::Local;
  std::string target_id;  ///< NAT gateway or VPC endpoint component id
};

struct RouteTableSpec {
  std::string id, path;
  std::string vpc;
  bool main = false;  ///< the VPC's main table, used by subnets that name none
  std::vector<RouteSpec> routes;
};

enum class IpProtocol { Tcp, Udp, Icmp, All };

struct SecurityGroupRuleSpec {
  std::string path;
  IpProtocol protocol = IpProtocol::Tcp;
  int from_port = 0;  ///< inclusive; 0..65535 (ignored for `all`)
  int to_port = 65535;
  std::optional<CidrText> cidr;  ///< peer CIDR, or
  std::string group;             ///< peer security group id
  std::string description;
};

struct SecurityGroupSpec {
  std::string id, path;
  std::string vpc;
  std::vector<SecurityGroupRuleSpec> ingress;
  std::vector<SecurityGroupRuleSpec> egress;  ///< AWS default when omitted: all traffic to 0.0.0.0/0
};

// ---------------------------------------------------------------- components

enum class ComponentType {
  InternetUsers,
  CloudFront,
  S3Bucket,
  ApiGateway,
  CognitoUserPool,
  LoadBalancer,
  EcsService,  ///< also KrakenD, which is an ECS service with a gateway block
  Lambda,
  Rds,
  DynamoDb,
  NatGateway,
  VpcEndpoint,
  LogGroup,
  SecretsManager,
  ParameterStore,
  EcrRepository,
  Route53Zone,
};

/// The `type:` keyword of a component in scenario files (`load_balancer`, `ecs_service`, ...).
std::string_view type_keyword(ComponentType type);

struct InternetUsersSpec {
  std::string id, path;
};

struct CloudFrontOriginSpec {
  std::string id, path;
  std::string component;                ///< an S3 bucket, load balancer or API Gateway
  std::string protocol = "https-only";  ///< origin protocol policy: https-only, http-only, match-viewer
  std::string access_control;           ///< for S3: oac, oai or none
};

struct CacheBehaviorSpec {
  std::string path;
  std::string path_pattern;  ///< `/static/*`; the default behaviour is `*`
  std::string origin;
  std::string viewer_protocol = "redirect-to-https";  ///< allow-all, redirect-to-https, https-only
};

/// The share of a distribution's viewers in one CloudFront edge region group
/// (model/data/aws_network.yaml `cloudfront.region_groups`).
struct ViewerShareSpec {
  std::string group;  ///< `europe`
  double share = 0;   ///< of the distribution's bytes and requests, 0 to 1
};

struct CloudFrontSpec {
  std::string id, path;
  std::vector<CloudFrontOriginSpec> origins;
  std::vector<CacheBehaviorSpec> behaviors;  ///< first match wins; the last is usually `*`
  std::string price_class = "PriceClass_All";
  /// Where the viewers are, shares summing to 1, in file order; empty when not stated (the
  /// bill then assumes the facts' `unstated_viewers` group and says so).
  std::vector<ViewerShareSpec> viewers;
};

struct S3BucketSpec {
  std::string id, path;
  bool block_public_access = true;
  std::optional<Bytes> storage;
  /// The objects' storage class, as S3's API names it: STANDARD, STANDARD_IA, ONEZONE_IA,
  /// GLACIER_IR, INTELLIGENT_TIERING. Each has its own storage and request prices.
  std::string storage_class = "STANDARD";

  /// The classes that charge per GB read back (Standard and Intelligent-Tiering do not).
  bool bills_retrieval() const { return storage_class != "STANDARD" && storage_class != "INTELLIGENT_TIERING"; }
  bool intelligent_tiering() const { return storage_class == "INTELLIGENT_TIERING"; }
};

/// WebSocket APIs hold connections open and bill messages and connection minutes; the
/// simulator walks no WebSocket traffic, so their usage is declared (docs/pricing.md).
enum class ApiType { Http, Rest, WebSocket };

struct ApiAuthorizerSpec {
  std::string path;
  std::string type = "none";  ///< none, jwt, cognito, lambda
  std::string user_pool;      ///< Cognito user pool component for jwt/cognito
};

struct VpcLinkSpec {
  std::string path;
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
};

struct ApiGatewaySpec {
  std::string id, path;
  ApiType api_type = ApiType::Http;
  std::string endpoint = "regional";  ///< regional, edge, private
  ApiAuthorizerSpec authorizer;
  std::optional<VpcLinkSpec> vpc_link;
  std::string integration;  ///< component the routes integrate with (ALB, NLB, Lambda)
  std::optional<Duration> integration_timeout;
};

struct CognitoUserPoolSpec {
  std::string id, path;
  std::string tier = "essentials";  ///< lite, essentials, plus
};

enum class LoadBalancerType { Application, Network };
enum class LoadBalancerScheme { InternetFacing, Internal };

struct HealthCheckSpec {
  std::string path;  ///< dotted path of the health_check block (or of its target group when defaulted)
  std::string protocol = "HTTP";
  std::string http_path = "/";
  std::optional<int> port;  ///< default: the traffic port
  Duration interval;        ///< defaults come from model/data/aws_network.yaml
  Duration timeout;
  int healthy_threshold = 0;
  int unhealthy_threshold = 0;
  std::string matcher = "200";
  bool defaulted = false;  ///< no health_check block was written
};

struct TargetGroupSpec {
  std::string id, path;
  std::string protocol = "HTTP";
  int port = 80;
  std::string target_type = "ip";  ///< ip, instance, lambda, alb
  std::string targets;             ///< the component registered in this group (may be empty)
  HealthCheckSpec health_check;
  std::optional<Duration> deregistration_delay;
  std::string algorithm = "round_robin";  ///< round_robin, least_outstanding_requests
  std::optional<bool> cross_zone;         ///< per-group override of the load balancer's setting
};

struct ListenerRuleSpec {
  std::string path;
  int priority = 0;
  std::string path_pattern;  ///< `/api/*`
  std::string host;          ///< host header condition
  std::string target_group;
};

struct ListenerSpec {
  std::string path;
  int port = 80;
  std::string protocol = "HTTP";  ///< HTTP, HTTPS (ALB); TCP, TLS, UDP, TCP_UDP (NLB)
  std::string certificate;        ///< ACM certificate name, for HTTPS/TLS
  bool mutual_tls = false;        ///< mTLS verify mode: the ALB keeps a trust store
  std::string default_action = "forward";  ///< forward, redirect_https, fixed_response
  std::string target_group;                ///< for forward
  std::vector<ListenerRuleSpec> rules;

  bool tls() const { return protocol == "HTTPS" || protocol == "TLS"; }
};

struct LoadBalancerSpec {
  std::string id, path;
  LoadBalancerType lb_type = LoadBalancerType::Application;
  LoadBalancerScheme scheme = LoadBalancerScheme::InternetFacing;
  std::vector<std::string> subnets;
  std::vector<std::string> security_groups;
  std::optional<bool> cross_zone;  ///< default: on for ALB, off for NLB, as AWS does
  std::optional<Duration> idle_timeout;
  std::vector<ListenerSpec> listeners;
  std::vector<TargetGroupSpec> target_groups;

  bool cross_zone_enabled() const { return cross_zone.value_or(lb_type == LoadBalancerType::Application); }
};

enum class CpuArchitecture { X86_64, Arm64 };
/// As the topology writes it, and as price keys end: `x86_64`, `arm64`.
std::string_view architecture_keyword(CpuArchitecture architecture);

struct ContainerImageSpec {
  std::string path;
  std::string repository;  ///< an ECR repository component, or a registry reference (`docker.io/...`)
  std::optional<Bytes> size;
};

struct GatewayEndpointSpec {  // a KrakenD endpoint
  std::string path;
  std::string url_pattern;  ///< `/users/*`
  std::string method = "GET";
  std::vector<std::string> backends;  ///< components called in parallel
  std::optional<Duration> timeout;
};

/// CodeDeploy's part of a blue/green deployment (its deployment group): which listener's
/// traffic it shifts between the two target groups, how (a predefined configuration, read in
/// sim/data/behaviour.yaml), and how long the old (blue) tasks stay after the shift.
struct CodeDeploySpec {
  std::string path;
  std::string config = "CodeDeployDefault.ECSAllAtOnce";
  std::string load_balancer;
  std::vector<std::string> target_groups;  ///< blue then green
  std::optional<Duration> termination_wait;  ///< unset: the console default in behaviour.yaml (1 h)
  /// A test listener: the replacement tasks take test traffic for this long (the lifecycle
  /// hooks' validation) before production traffic moves; unset: no test listener.
  std::optional<Duration> test_traffic_wait;
  bool auto_rollback = true;
};

/// CloudWatch alarms on the service that stop a deployment and roll it back (CodeDeploy's
/// DEPLOYMENT_STOP_ON_ALARM, ECS's deployment alarms): one on the share of failed requests
/// (above `error_rate`), one on the average target response time (ALB TargetResponseTime,
/// above `response_time`), either or both. Each fires after `datapoints` one-minute periods in
/// a row that breach it; either firing rolls back.
struct RollbackAlarmSpec {
  std::string path;
  std::optional<double> error_rate;
  std::optional<Duration> response_time;
  int datapoints = 1;
};

struct DeploymentSpec {
  std::string path;
  std::string strategy = "rolling";  ///< rolling, blue_green
  int minimum_healthy_percent = 100;
  int maximum_percent = 200;
  std::optional<CodeDeploySpec> codedeploy;
  std::optional<RollbackAlarmSpec> alarm;
};

/// An Application Auto Scaling target-tracking policy on an ECS service.
struct TargetTrackingSpec {
  std::string path;
  std::string metric = "cpu";  ///< `cpu` (ECSServiceAverageCPUUtilization, %) or `alb_requests_per_target` (per minute)
  double target = 0;
  std::optional<Duration> scale_out_cooldown;  ///< default in sim/data/behaviour.yaml (300 s)
  std::optional<Duration> scale_in_cooldown;
  bool disable_scale_in = false;
};

/// A step of a step-scaling policy: when the metric's distance from the threshold lies in
/// [lower, upper), the desired count changes by `change` (AWS MetricInterval bounds).
struct ScalingStepSpec {
  std::string path;
  std::optional<double> lower, upper;  ///< unset: unbounded
  int change = 0;
};

/// An Application Auto Scaling step-scaling policy with its CloudWatch alarm.
struct StepScalingSpec {
  std::string path;
  std::string metric = "cpu";
  std::string comparison = "above";  ///< the alarm fires above or below the threshold
  double threshold = 0;
  int datapoints = 1;  ///< 1-minute evaluation periods in a row
  std::optional<Duration> cooldown;
  std::vector<ScalingStepSpec> steps;
};

/// A scheduled action: at each time the schedule fires, the service's minimum and maximum
/// capacity become these (the desired count is moved into the new range).
struct ScheduledActionSpec {
  std::string id, path;
  std::string schedule;             ///< `cron(0 20 ? * MON-FRI *)`
  std::string timezone = "UTC";     ///< a fixed offset: `UTC`, `UTC+02:00`
  std::optional<int> min_capacity;
  std::optional<int> max_capacity;
};

struct AutoscalingSpec {
  std::string path;
  std::vector<TargetTrackingSpec> target_tracking;
  std::vector<StepScalingSpec> step_scaling;
  std::vector<ScheduledActionSpec> scheduled;
};

/// Fargate's two capacity providers: FARGATE (on demand) and FARGATE_SPOT (spare capacity,
/// cheaper, reclaimed with two minutes' notice).
enum class CapacityProvider { Fargate, FargateSpot };

/// One entry of a service's capacity provider strategy (ECS CapacityProviderStrategyItem): the
/// first `base` tasks run on its provider, the tasks beyond every base are shared by `weight`.
struct CapacityProviderStrategyItem {
  std::string path;
  CapacityProvider provider = CapacityProvider::Fargate;
  int base = 0;    ///< 0-100,000 (quotas.yaml); at most one item of a strategy has one
  int weight = 0;  ///< 0-1,000 (quotas.yaml); 0 places no task beyond the base when others weigh more
};

struct EcsServiceSpec {
  std::string id, path;
  bool krakend = false;  ///< `type: krakend`: a KrakenD gateway running as this service
  double vcpu = 0.25;
  Bytes memory{512ll << 20};
  CpuArchitecture architecture = CpuArchitecture::X86_64;
  int desired_count = 1;
  int min_count = 1;
  int max_count = 1;
  std::vector<std::string> subnets;
  bool assign_public_ip = false;
  std::vector<std::string> security_groups;
  int container_port = 80;
  std::string log_group;  ///< awslogs driver target; empty: no log driver
  std::vector<std::string> secrets;  ///< Secrets Manager / Parameter Store components read at start
  ContainerImageSpec image;
  std::optional<Bytes> ephemeral_storage;
  bool service_discovery = false;  ///< registered in Cloud Map / Service Connect
  std::optional<Duration> health_check_grace;
  DeploymentSpec deployment;
  std::optional<AutoscalingSpec> autoscaling;  ///< within min_count..max_count
  std::vector<GatewayEndpointSpec> gateway_endpoints;  ///< KrakenD only
  /// Where ECS places its tasks (CreateService `capacityProviderStrategy`); empty: the
  /// alternative's `pricing.fargate`, as a cluster's default strategy would
  /// (model/capacity_providers.hpp).
  std::vector<CapacityProviderStrategyItem> capacity_provider_strategy;
  std::string capacity_provider_strategy_path;
};

struct LambdaSpec {
  std::string id, path;
  Bytes memory{128ll << 20};
  CpuArchitecture architecture = CpuArchitecture::X86_64;
  std::optional<Duration> timeout;
  std::optional<int> reserved_concurrency;
  int provisioned_concurrency = 0;
  std::vector<std::string> subnets;  ///< empty: not attached to a VPC
  std::vector<std::string> security_groups;
  std::string runtime;
};

struct RdsSpec {
  std::string id, path;
  std::string engine = "postgres";
  std::string instance_class = "db.t4g.micro";
  bool multi_az = false;
  std::vector<std::string> subnets;  ///< the DB subnet group
  std::vector<std::string> security_groups;
  Bytes storage{20ll * 1000 * 1000 * 1000};
  std::string storage_type = "gp3";
  /// Provisioned IOPS (CreateDBInstance `Iops`): required for io1 and io2, which bill them by
  /// the IOPS-month; optional for gp3, which bills those above its baseline; refused for gp2,
  /// whose IOPS come with its size.
  std::optional<int> iops;
  /// gp3 only (CreateDBInstance `StorageThroughput`), MiB per second; what is above the
  /// baseline is billed by the MiBps-month.
  std::optional<int> storage_throughput_mibps;
  bool publicly_accessible = false;
  std::string primary_zone;  ///< empty: the zone of the first subnet
};

struct DynamoDbSpec {
  std::string id, path;
  std::string billing_mode = "on_demand";  ///< on_demand, provisioned
  int read_capacity = 0;                   ///< provisioned RCU
  int write_capacity = 0;                  ///< provisioned WCU
  std::optional<Bytes> storage;
  /// STANDARD or STANDARD_INFREQUENT_ACCESS (CreateTable `TableClass`): Standard-IA bills
  /// storage at about 40 % of Standard and reads and writes at about 125 %, with no free tier.
  std::string table_class = "STANDARD";
  bool point_in_time_recovery = false;
  /// DynamoDB Streams on (Terraform `stream_enabled`): reads by consumers other than Lambda
  /// triggers bill per GetRecords call, declared in the `usage` block as `stream_read_requests`.
  bool stream_enabled = false;
  /// A global table's replicas: the other Regions it is written to (Terraform `replica`
  /// `region_name`), in file order; empty for a single-Region table.
  std::vector<std::string> replicas;

  bool infrequent_access() const { return table_class == "STANDARD_INFREQUENT_ACCESS"; }
};

struct NatGatewaySpec {
  std::string id, path;
  std::string subnet;
  std::string connectivity = "public";  ///< public, private
};

enum class EndpointType { Interface, Gateway };

struct VpcEndpointSpec {
  std::string id, path;
  EndpointType endpoint_type = EndpointType::Interface;
  std::string service;  ///< s3, dynamodb, ecr.api, ecr.dkr, logs, secretsmanager, ssm, ...
  std::string vpc;
  std::vector<std::string> subnets;       ///< interface endpoints: one ENI per subnet
  std::vector<std::string> security_groups;
  std::vector<std::string> route_tables;  ///< gateway endpoints
  bool private_dns = true;
};

struct LogGroupSpec {
  std::string id, path;
  std::optional<Duration> retention;  ///< empty: never expire
};

struct SecretsManagerSpec {
  std::string id, path;
  int secrets = 1;
};

struct ParameterStoreSpec {
  std::string id, path;
  int parameters = 1;
  std::string tier = "standard";  ///< standard, advanced
};

struct EcrRepositorySpec {
  std::string id, path;
  std::optional<Bytes> storage;
  bool scan_on_push = false;
};

struct Route53ZoneSpec {
  std::string id, path;
  bool private_zone = false;
};

// ---------------------------------------------------------------- request routes

struct RouteHop {
  std::string path;
  std::string component;
};

/// How far the route shares of a topology (with the workload's overrides) may add up away
/// from 1: written to three decimals in practice (docs/limits.md).
inline constexpr double kRouteShareTolerance = 0.001;

/// One kind of request: which share of the traffic takes which components, in order.
struct RequestRouteSpec {
  std::string id, path;
  double share = 1.0;  ///< fraction of all requests, 0..1; shares of a topology sum to 1
  std::vector<RouteHop> hops;  ///< starts at an internet_users component
  std::string url_path = "/";
  std::string method = "GET";
  Bytes request_size{1024};
  Bytes response_size{4096};
};

// ---------------------------------------------------------------- topology

struct ComponentRef {
  ComponentType type;
  std::size_t index;  ///< into the typed vector of TopologySpec
};

struct TopologySpec {
  std::string path;  ///< e.g. `alternatives.chosen.topology`
  std::string region;
  std::vector<std::string> zones;
  std::string description;
  /// Elastic IP addresses allocated in the Region that no modelled component holds: idle, or
  /// associated with something outside the design. AWS bills every public IPv4 address by the
  /// hour, in use or not; those of NAT gateways and load balancers come with those components.
  int elastic_ips = 0;

  std::vector<VpcSpec> vpcs;
  std::vector<SubnetSpec> subnets;
  std::vector<RouteTableSpec> route_tables;
  std::vector<SecurityGroupSpec> security_groups;

  std::vector<InternetUsersSpec> internet_users;
  std::vector<CloudFrontSpec> cloudfronts;
  std::vector<S3BucketSpec> s3_buckets;
  std::vector<ApiGatewaySpec> api_gateways;
  std::vector<CognitoUserPoolSpec> user_pools;
  std::vector<LoadBalancerSpec> load_balancers;
  std::vector<EcsServiceSpec> ecs_services;
  std::vector<LambdaSpec> lambdas;
  std::vector<RdsSpec> databases;
  std::vector<DynamoDbSpec> dynamodb_tables;
  std::vector<NatGatewaySpec> nat_gateways;
  std::vector<VpcEndpointSpec> vpc_endpoints;
  std::vector<LogGroupSpec> log_groups;
  std::vector<SecretsManagerSpec> secrets_managers;
  std::vector<ParameterStoreSpec> parameter_stores;
  std::vector<EcrRepositorySpec> ecr_repositories;
  std::vector<Route53ZoneSpec> route53_zones;

  std::vector<std::string> component_order;  ///< component ids in file order
  std::vector<RequestRouteSpec> routes;

  /// The alternative runs its ECS tasks on Fargate Spot capacity (its `pricing.fargate`, else
  /// the scenario's) unless a service has its own capacity provider strategy: the loader
  /// copies it here because it changes what the design does, not only what it costs: Spot
  /// tasks can be interrupted (the workload's spot_interruption faults).
  bool fargate_spot = false;

  // Look-ups by id; nullptr when absent.
  const VpcSpec* vpc(std::string_view id) const;
  const SubnetSpec* subnet(std::string_view id) const;
  const RouteTableSpec* route_table(std::string_view id) const;
  const SecurityGroupSpec* security_group(std::string_view id) const;
  std::optional<ComponentRef> component(std::string_view id) const;
  const LoadBalancerSpec* load_balancer(std::string_view id) const;
  const EcsServiceSpec* ecs_service(std::string_view id) const;
  const NatGatewaySpec* nat_gateway(std::string_view id) const;
  const VpcEndpointSpec* vpc_endpoint(std::string_view id) const;
  const RdsSpec* database(std::string_view id) const;

  /// The route table a subnet uses: its own, else its VPC's main table, else nullptr.
  const RouteTableSpec* route_table_of(const SubnetSpec& subnet) const;
  /// Dotted path of a component's entry (`<topology>.components.<id>`).
  std::string component_path(std::string_view id) const;
};

// ---------------------------------------------------------------- scenario

enum class FreeTierPlan { None, AlwaysFree, Legacy12Month, Credits };

/// A pricing claim the design document makes, checked against the price book and the Free
/// Tier catalogue: a Free Tier allowance (`free_quantity` of `unit` a month) and/or a monthly
/// cost (`monthly_usd`) for the prices it names.
struct PricingClaimSpec {
  std::string path;
  std::string quote;                ///< the document's words
  std::vector<std::string> prices;  ///< price-book keys the claim is about
  std::optional<double> free_quantity;
  std::string unit;                 ///< of `free_quantity`, as the document gives it
  std::optional<double> monthly_usd;
};

/// A statement the design document makes about AWS behaviour, recorded as the document's
/// words rather than encoded as fact: the review compares what it asserts (`document_says`)
/// with the fact it names in model/data/aws_statements.yaml.
struct DocumentClaimSpec {
  std::string path;
  std::string quote;                       ///< the document's words
  std::string fact;                        ///< id of the fact in aws_statements.yaml
  std::vector<std::string> document_says;  ///< the complete set of values the quote asserts
  std::string alternative;                 ///< the alternative it concerns (default: the chosen one, else the first)
};

/// A Compute Savings Plan a design is billed under (`savings_plan: {type, term, payment}`): its
/// rates come from the Region's price book (`savings_plans`), by term and payment option.
struct SavingsPlanSpec {
  std::string type = "compute";
  std::string term;     ///< `1yr` or `3yr`
  std::string payment;  ///< `no_upfront`, `partial_upfront` or `all_upfront`
};

/// How a design buys its capacity (`pricing: {fargate: spot, savings_plan: {...}}`), for every
/// alternative or under one (`alternatives.X.pricing`, which takes the place of the scenario's).
/// The bill prices the design this way and shows on-demand beside it.
struct PurchaseOptionsSpec {
  std::string path;           ///< where it is written; empty when neither level sets one
  bool fargate_spot = false;  ///< ECS services on Fargate Spot capacity
  std::optional<SavingsPlanSpec> savings_plan;

  bool on_demand() const { return !fargate_spot && !savings_plan; }
};

struct PricingOptionsSpec {
  std::string path;
  PurchaseOptionsSpec purchase;  ///< `fargate`, `savings_plan`: the default of every alternative
  FreeTierPlan free_tier = FreeTierPlan::None;
  std::string account_created;  ///< ISO date; decides legacy vs credits when both could apply
  std::string billing_month;    ///< `2026-12`; empty: a month within the account's first year
  std::optional<double> credits_usd;  ///< credits plan: credits left (default: the plan's sign-up credits)
  std::string price_book;       ///< empty: the region's book under pricing/data/
  /// `max_book_age: 365d`: a bill whose oldest price is older than this many days gets a warning.
  std::optional<int> max_book_age_days;
  std::vector<PricingClaimSpec> claims;
};

enum class BudgetAlertKind { Actual, Forecasted };

struct BudgetAlertSpec {
  std::string path;
  BudgetAlertKind kind = BudgetAlertKind::Actual;
  double threshold_percent = 100;
  bool fail_run = false;  ///< crossing it makes `archsim run` exit 1
};

/// What a FORECASTED alert's forecast rests on. AWS forecasts from past usage and gives no
/// forecast to an account with less than one full billing cycle.
enum class BudgetForecast {
  Auto,     ///< from the account's age: `none` in its first full billing cycle, else `history`
  History,  ///< the account has billed this design before: the forecast is the month's own cost
  None,     ///< no billing cycle yet: AWS gives no forecast, FORECASTED alerts cannot fire
  Linear,   ///< month to date x 730 / hours elapsed: a burn-rate check, not AWS's method
};

struct BudgetSpec {
  std::string path;
  double monthly_limit_usd = 0;
  BudgetForecast forecast = BudgetForecast::Auto;
  std::vector<BudgetAlertSpec> alerts;
};

/// The measured metrics a criterion can bound, and the unit its bound is kept in.
enum class MetricUnit { Milliseconds, Ratio, Usd, Hours };

struct MetricInfo {
  std::string_view name;     ///< `latency.p99`, `availability`, `cost.monthly`, ...
  MetricUnit unit;
  std::string_view meaning;  ///< one line, for reports and errors
  /// Which way is better when alternatives are compared on it (design-space search's
  /// objectives): availabilities up, latencies, errors, costs and hours down.
  bool higher_is_better = false;
};

std::span<const MetricInfo> criterion_metrics();
/// The metric named `name` (or one of the older spellings `latency.p99_ms`, `cost.monthly_usd`).
const MetricInfo* find_metric(std::string_view name);
/// Reads a bound in the metric's unit: `300ms` or `0.3s` (a plain number is milliseconds),
/// `99.9%` or `0.999`, `60 USD` or `$60` or `60`, `15m` or `2h` for hours (a plain number is hours). Nullopt with `why` set when it cannot.
std::optional<double> parse_metric_bound(const MetricInfo& metric, std::string_view text, std::string& why);

/// One of the ADR's decision criteria. A criterion is measured by static rules (it passes
/// when none of `rules` fires on the alternative) and/or by a simulated metric with a bound.
struct CriterionSpec {
  std::string id, path;
  std::string title;
  std::string category;  ///< security, operations, cost, performance, ...
  std::vector<std::string> rules;
  std::string metric;  ///< a name from criterion_metrics(), e.g. `availability`, `latency.p99`, `cost.monthly`
  std::optional<double> max;  ///< in the metric's unit (ms, a ratio, USD)
  std::optional<double> min;
  /// Faults or deployments of the workload (by id) the metric is judged on: where one of them
  /// did not happen after the warm-up in every replication, the criterion is "not exercised".
  std::vector<std::string> exercised_by;
  /// Who added the criterion when the design document does not state it (`reviewer`); empty:
  /// the document's own. Reports mark such a criterion, so nobody reads it as the document's.
  std::string added_by;

  /// The title as reports show it: with "added by ..., not in the document" when it is.
  std::string heading() const;
};

enum class DecisionStatus { Chosen, Rejected, Deferred, Considered };

/// Whether an alternative's failures set the exit code: the chosen design and those still
/// under consideration do; rejected and deferred ones are reported only.
constexpr bool gates_exit_code(DecisionStatus s) { return s == DecisionStatus::Chosen || s == DecisionStatus::Considered; }

struct AlternativeSpec {
  std::string id, path;
  std::string title;
  DecisionStatus status = DecisionStatus::Considered;
  std::string rationale;       ///< the document's reason for the status
  std::string topology_file;   ///< empty when the topology is written inline
  std::string topology_source; ///< the file the topology is written in, as messages name it (the scenario's when inline)
  TopologySpec topology;       ///< after overrides
  /// An imported topology (`topology: {terraform: plan.json}`): the resource address each
  /// entity came from, by its dotted path below the topology (`components.alb`).
  std::map<std::string, std::string> resource_addresses;
  std::optional<PurchaseOptionsSpec> pricing;  ///< `pricing:` under the alternative: replaces the scenario's purchase options
};

struct ScenarioSpec {
  std::string file;      ///< as given by the user
  std::string base_dir;  ///< the folder files named in the scenario are read from
  bool allow_outside_paths = false;  ///< files it names may lie outside base_dir's tree (--allow-outside-paths)
  int format_version = 1;
  std::string name;
  std::string description;
  std::string document;  ///< the design document this scenario encodes
  std::string region;
  PricingOptionsSpec pricing;
  std::optional<BudgetSpec> budget;
  std::optional<YamlNode> workload;  ///< decoded by the simulator
  std::optional<YamlNode> usage;     ///< declared monthly usage, decoded by pricing
  std::optional<YamlNode> explore;   ///< the design-space search (`archsim explore`), decoded by tools/explore
  std::vector<CriterionSpec> criteria;
  std::vector<AlternativeSpec> alternatives;
  std::vector<DocumentClaimSpec> claims;  ///< the document's statements about AWS, checked by the review
  SourceIndex sources;  ///< file:line:col of every decoded value, by dotted path

  const AlternativeSpec* alternative(std::string_view id) const;
  const CriterionSpec* criterion(std::string_view id) const;
  /// `d` pointed where its dotted path is written when it has no location of its own (a
  /// problem the simulator found in a decoded value), else at the scenario file's start.
  Diagnostic located(Diagnostic d) const;
};

}  // namespace archsim::model
