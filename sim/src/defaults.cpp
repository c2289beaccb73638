#include "archsim/sim/defaults.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "archsim/model/decode.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "decode_behaviour.hpp"

namespace archsim::sim {

namespace embedded_data {
std::string_view embedded(std::string_view name);
}

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

namespace {

/// Every value of a block must cite its source: `sources.<key>: {source, as_of}`.
void check_sources(const YamlNode& block, const std::string& path, DecodeContext& ctx) {
  const YamlNode* sources = block.find("sources");
  for (const auto& entry : block.entries) {
    if (entry.key == "sources") continue;
    const YamlNode* s = sources ? sources->find(entry.key) : nullptr;
    if (s == nullptr || !s->is_map() || s->find("source") == nullptr || s->find("as_of") == nullptr) {
      ctx.error(entry.value, path + "." + entry.key, "every default needs `sources." + entry.key + ": {source, as_of}`");
    }
  }
}

}  // namespace

std::optional<SimDefaults> parse_sim_defaults(std::string_view yaml, const std::string& name, model::Diagnostics& diagnostics) {
  auto root = model::parse_yaml(yaml, name, diagnostics);
  if (!root) return std::nullopt;
  model::SourceIndex index;
  DecodeContext ctx{diagnostics, index};
  SimDefaults d;
  MapReader r(*root, "", ctx);
  if (!r.ok()) return std::nullopt;
  if (const YamlNode* network = r.take_required("network"); network && network->is_map()) {
    check_sources(*network, "network", ctx);
    for (const auto& entry : network->entries) {
      if (entry.key == "sources") continue;
      Distribution dist;
      if (decode_distribution(entry.value, "network." + entry.key, ctx, Quantity::Duration, dist)) d.network[entry.key] = dist;
    }
  }
  if (const YamlNode* limits = r.take_required("limits")) {
    MapReader rl(*limits, "limits", ctx);
    if (rl.ok()) {
      check_sources(*limits, "limits", ctx);
      rl.required("dynamodb_on_demand_units_per_second", d.dynamodb_on_demand_units_per_second);
      rl.required("dynamodb_burst_seconds", d.dynamodb_burst_seconds);
      rl.required("minute_error_threshold", d.minute_error_threshold);
      rl.required("lambda_account_concurrency", d.lambda_account_concurrency);
      rl.required("lambda_unreserved_minimum", d.lambda_unreserved_minimum);
      rl.take("sources");
      rl.finish();
    }
  }
  if (const YamlNode* rules = r.take_required("fidelity_auto")) {
    MapReader ra(*rules, "fidelity_auto", ctx);
    if (ra.ok()) {
      check_sources(*rules, "fidelity_auto", ctx);
      ra.required("exact_request_hops", d.fidelity_auto.exact_request_hops);
      ra.required("max_utilisation", d.fidelity_auto.max_utilisation);
      ra.required("max_service_cv2", d.fidelity_auto.max_service_cv2);
      ra.required("busy_utilisation", d.fidelity_auto.busy_utilisation);
      ra.required("max_hold_extra", d.fidelity_auto.max_hold_extra);
      ra.required("max_queue_full_share", d.fidelity_auto.max_queue_full_share);
      ra.take("sources");
      ra.finish();
    }
  }
  if (const YamlNode* deployments = r.take_required("deployments")) {
    MapReader rd(*deployments, "deployments", ctx);
    if (rd.ok()) {
      check_sources(*deployments, "deployments", ctx);
      if (const YamlNode* configs = rd.take_required("codedeploy_configs")) {
        model::decoding::for_each_named(*configs, "deployments.codedeploy_configs", ctx,
                                        [&](const std::string& config, const std::string&, MapReader& rc) {
                                          TrafficShift shift;
                                          rc.required("percent", shift.percent);
                                          rc.required("interval", shift.interval);
                                          rc.optional("canary", shift.canary);
                                          rc.finish();
                                          d.deployments.codedeploy_configs[config] = shift;
                                        });
      }
      rd.required("termination_wait", d.deployments.termination_wait);
      rd.required("ready_timeout", d.deployments.ready_timeout);
      rd.take("sources");
      rd.finish();
    }
  }
  if (const YamlNode* runtimes = r.take_required("lambda_runtimes"); runtimes && runtimes->is_map()) {
    check_sources(*runtimes, "lambda_runtimes", ctx);
    for (const auto& entry : runtimes->entries) {
      if (entry.key == "sources") continue;
      const std::string path = "lambda_runtimes." + entry.key;
      MapReader rr(entry.value, path, ctx);
      if (!rr.ok()) continue;
      LambdaRuntime runtime;
      if (const YamlNode* n = rr.take_required("cold_start")) decode_distribution(*n, path + ".cold_start", ctx, Quantity::Duration, runtime.cold_start);
      rr.required("memory", runtime.memory);
      rr.finish();
      d.lambda_runtimes[entry.key] = std::move(runtime);
    }
  }
  if (const YamlNode* kinds = r.take_required("kinds")) {
    model::decoding::for_each_named(*kinds, "kinds", ctx, [&](const std::string& kind, const std::string& path, MapReader& rk) {
      check_sources(rk.node(), path, ctx);
      rk.take("sources");
      BehaviourSpec b;
      detail::decode_behaviour(rk, ctx, b);
      d.kinds[kind] = std::move(b);
    });
  }
  r.finish();
  if (diagnostics.has_errors()) return std::nullopt;
  return d;
}

const SimDefaults& builtin_sim_defaults() {
  static const SimDefaults defaults = [] {
    model::Diagnostics diagnostics;
    auto parsed = parse_sim_defaults(embedded_data::embedded("behaviour.yaml"), "sim/data/behaviour.yaml", diagnostics);
    if (!parsed) {
      std::string message = "the built-in simulator defaults are invalid:";
      for (const auto& diag : diagnostics.all()) message += "\n" + model::format_diagnostic(diag);
      throw std::logic_error(message);
    }
    return *parsed;
  }();
  return defaults;
}

std::string kind_key(const model::TopologySpec& t, std::string_view id) {
  using model::ComponentType;
  const auto ref = t.component(id);
  if (!ref) return {};
  switch (ref->type) {
    case ComponentType::LoadBalancer:
      return t.load_balancers[ref->index].lb_type == model::LoadBalancerType::Network ? "load_balancer.network"
                                                                                      : "load_balancer.application";
    case ComponentType::ApiGateway:
      return t.api_gateways[ref->index].api_type == model::ApiType::Rest ? "api_gateway.rest" : "api_gateway.http";
    case ComponentType::EcsService: return t.ecs_services[ref->index].krakend ? "krakend" : "ecs_service";
    case ComponentType::DynamoDb: return "dynamodb";
    default: return std::string(model::type_keyword(ref->type));
  }
}

Behaviour resolve_behaviour(const SimDefaults& defaults, const std::string& kind, const BehaviourSpec* workload) {
  Behaviour b;
  auto apply = [&b](const BehaviourSpec& s) {
    if (s.service_time) b.service_time = *s.service_time;
    if (s.concurrency) b.concurrency = *s.concurrency;
    if (s.queue_length) b.queue_length = *s.queue_length;
    if (s.reference_vcpu) b.reference_vcpu = *s.reference_vcpu;
    if (s.cache_hit_ratio) b.cache_hit_ratio = *s.cache_hit_ratio;
    if (s.cold_start) b.cold_start = *s.cold_start;
    if (s.idle_reclaim) b.idle_reclaim = *s.idle_reclaim;
    if (s.timeout) b.timeout = *s.timeout;
    if (s.connect_timeout) b.connect_timeout = *s.connect_timeout;
    if (s.authorizer_time) b.authorizer_time = *s.authorizer_time;
    if (s.reads_per_request) b.reads_per_request = *s.reads_per_request;
    if (s.writes_per_request) b.writes_per_request = *s.writes_per_request;
    if (s.item_size) b.item_size = *s.item_size;
    if (s.log_bytes_per_request) b.log_bytes_per_request = *s.log_bytes_per_request;
    if (s.metering_increment) b.metering_increment = *s.metering_increment;
    if (s.launch_time) b.launch_time = *s.launch_time;
    if (s.image_pull_time_per_gb) b.image_pull_time_per_gb = *s.image_pull_time_per_gb;
    if (s.image_size) b.image_size = *s.image_size;
    if (s.stop_detection) b.stop_detection = *s.stop_detection;
    if (s.lost_task_detection) b.lost_task_detection = *s.lost_task_detection;
    if (s.stop_timeout) b.stop_timeout = *s.stop_timeout;
    if (s.launch_retry) b.launch_retry = *s.launch_retry;
    if (s.failover_time) b.failover_time = *s.failover_time;
    if (s.dns_ttl) b.dns_ttl = *s.dns_ttl;
    if (s.node_failure_detection) b.node_failure_detection = *s.node_failure_detection;
    if (s.deregistration_delay) b.deregistration_delay = *s.deregistration_delay;
    if (s.scale_out_datapoints) b.scale_out_datapoints = *s.scale_out_datapoints;
    if (s.scale_in_datapoints) b.scale_in_datapoints = *s.scale_in_datapoints;
    if (s.scale_in_margin) b.scale_in_margin = *s.scale_in_margin;
    if (s.scaling_cooldown) b.scaling_cooldown = *s.scaling_cooldown;
    if (s.initial_state) b.assumed_running_because = *s.initial_state == "running" ? s.initial_state_reason.value_or("") : "";
  };
  if (const auto it = defaults.kinds.find(kind); it != defaults.kinds.end()) apply(it->second);
  if (workload != nullptr) apply(*workload);
  // Without a documented connect timeout, the caller waits as long as for any answer.
  if (b.connect_timeout.ns <= 0) b.connect_timeout = b.timeout.ns > 0 ? b.timeout : Duration::seconds(60);
  return b;
}

}  // namespace archsim::sim
