// AWS's own limits on the values a topology gives (model/data/quotas.yaml, the Fargate task
// sizes of review_policy.yaml). Load errors, not review findings: a service of a million
// tasks or a 1e9-vCPU task describes nothing AWS runs, and the simulator's and the pricing's
// arithmetic is sized for what AWS allows. Checked after decoding, against the facts, at the
// location each value was read from (a value left out takes a default that is in range).
// docs/limits.md lists every cap and the message it gives.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "decode_topology.hpp"

namespace archsim::model::detail {

namespace {

class LimitChecker {
 public:
  LimitChecker(const TopologySpec& t, const AwsFacts& facts, DecodeContext& ctx) : t_(t), f_(facts), q_(facts.quotas), ctx_(ctx) {
    for (const auto& d : ctx.diagnostics.all()) {
      if (d.severity == Severity::Error) refused_.insert(d.path);
    }
  }

  /// Reports `value` at `path` when it was written and lies outside [min, max].
  template <class T>
  void range(const std::string& path, const T& value, const T& min, const T& max, std::string_view what) {
    if (!(value < min) && !(max < value)) return;
    // A value the decoder refused holds its default: its range is not the user's mistake.
    if (refused_.contains(path)) return;
    const SourceLoc loc = ctx_.sources.find(path);
    if (!loc.known()) return;
    ctx_.diagnostics.error(loc, path, decoding::range_message(what, decoding::describe(min), decoding::describe(max), decoding::describe(value)));
  }

  void error(const std::string& path, std::string message) {
    const SourceLoc loc = ctx_.sources.locate(path);
    ctx_.diagnostics.error(loc.known() ? loc : ctx_.sources.locate(t_.path), path, std::move(message));
  }

  void run() {
    const int tasks = q_.ecs_tasks_per_service;
    const std::string per_service = "a task count (ECS quota 'Tasks per service')";
    for (const auto& s : t_.ecs_services) {
      range(s.path + ".desired_count", s.desired_count, 0, tasks, per_service);
      range(s.path + ".min_count", s.min_count, 0, tasks, per_service);
      range(s.path + ".max_count", s.max_count, 0, tasks, per_service);
      if (s.max_count < s.min_count) {
        error(s.path + ".max_count", fmt::format("expected max_count ({}) at least min_count ({})", s.max_count, s.min_count));
      } else if (s.desired_count > s.max_count || s.desired_count < s.min_count) {
        // Application Auto Scaling keeps the count within the range: a desired count outside
        // it never runs (it ran as written, 10 tasks of a service scaled to at most 2).
        error(s.path + ".desired_count", fmt::format("expected desired_count ({}) within min_count ({}) and max_count ({}): Application Auto "
                                                     "Scaling keeps the task count in that range",
                                                     s.desired_count, s.min_count, s.max_count));
      }
      range(s.path + ".vcpu", s.vcpu, f_.fargate_min_vcpu(), f_.fargate_max_vcpu(), "a Fargate task vCPU");
      range(s.path + ".memory", s.memory, f_.fargate_min_memory(), f_.fargate_max_memory(), "a Fargate task memory");
      if (s.ephemeral_storage) {
        range(s.path + ".ephemeral_storage", *s.ephemeral_storage, Bytes{std::int64_t{q_.ephemeral_storage_gib.min} << 30},
              Bytes{std::int64_t{q_.ephemeral_storage_gib.max} << 30}, "Fargate ephemeral storage");
      }
      for (const auto& item : s.capacity_provider_strategy) {
        range(item.path + ".base", item.base, q_.capacity_provider_base.min, q_.capacity_provider_base.max, "a capacity provider base (tasks)");
        range(item.path + ".weight", item.weight, q_.capacity_provider_weight.min, q_.capacity_provider_weight.max,
              "a capacity provider weight");
      }
      if (const auto& a = s.autoscaling) {
        for (const auto& action : a->scheduled) {
          if (action.min_capacity) range(action.path + ".min_capacity", *action.min_capacity, 0, tasks, per_service);
          if (action.max_capacity) range(action.path + ".max_capacity", *action.max_capacity, 0, tasks, per_service);
        }
        for (const auto& p : a->step_scaling) {
          for (const auto& step : p.steps) range(step.path + ".change", step.change, -tasks, tasks, per_service + " change");
        }
      }
      for (const auto& e : s.gateway_endpoints) {
        const int n = static_cast<int>(e.backends.size());
        if (n > q_.krakend_backends_per_endpoint) {
          error(e.path + ".backends", fmt::format("expected at most {} backends per endpoint (archsim's fan-out cap, "
                                                  "model/data/quotas.yaml), found {}",
                                                  q_.krakend_backends_per_endpoint, n));
        }
      }
    }
    for (const auto& l : t_.lambdas) {
      range(l.path + ".memory", l.memory, Bytes{std::int64_t{q_.lambda_memory_mib.min} << 20},
            Bytes{std::int64_t{q_.lambda_memory_mib.max} << 20}, "a Lambda memory size");
      if (l.timeout) {
        range(l.path + ".timeout", *l.timeout, Duration::seconds(q_.lambda_timeout_s.min), Duration::seconds(q_.lambda_timeout_s.max),
              "a Lambda timeout");
      }
      if (l.reserved_concurrency && *l.reserved_concurrency < 0) {
        error(l.path + ".reserved_concurrency", fmt::format("expected 0 or more reserved execution environments, found {}", *l.reserved_concurrency));
      }
    }
    for (const auto& s : t_.secrets_managers) range(s.path + ".secrets", s.secrets, 0, q_.secrets, "a number of secrets (Secrets Manager quota)");
    for (const auto& p : t_.parameter_stores) {
      range(p.path + ".parameters", p.parameters, 0, q_.parameters, "a number of parameters (Parameter Store quota)");
    }
    for (const auto& d : t_.dynamodb_tables) {
      check_replicas(d);
      const IntRange& units = q_.dynamodb_capacity_units;
      range(d.path + ".read_capacity", d.read_capacity, units.min, units.max, "provisioned read capacity units (DynamoDB per-table quota)");
      range(d.path + ".write_capacity", d.write_capacity, units.min, units.max, "provisioned write capacity units (DynamoDB per-table quota)");
      // Provisioned mode takes both capacities (CreateTable's ProvisionedThroughput); left out,
      // they read as 0 units: every request throttled and nothing billed, in silence.
      if (d.billing_mode == "provisioned") {
        for (const char* key : {"read_capacity", "write_capacity"}) {
          if (!ctx_.sources.find(d.path + "." + key).known()) {
            error(d.path, fmt::format("billing_mode: provisioned needs '{}' (capacity units, {} to {})", key, units.min, units.max));
          }
        }
      }
    }
    for (const auto& d : t_.databases) {
      // Aurora keeps its storage in the cluster: decode already refused its `iops`.
      if (d.storage_type == "gp3" && !d.engine.starts_with("aurora-")) gp3_performance(d);
      if (!d.iops || (d.storage_type != "io1" && d.storage_type != "io2")) continue;
      range(d.path + ".iops", *d.iops, q_.rds_provisioned_iops.min, q_.rds_provisioned_iops.max, "provisioned IOPS (RDS io1 and io2)");
      const int per_gib = d.storage_type == "io1" ? q_.rds_io1_max_iops_per_gib : q_.rds_io2_max_iops_per_gib;
      // archsim reads RDS allocated storage as GB, as the bill does (AWS sizes it in GiB), so the
      // ratio is taken per GB: never stricter than AWS's for a size written either way.
      const double most = std::floor(per_gib * d.storage.to_gb());
      if (*d.iops > most) {
        error(d.path + ".iops", fmt::format("expected at most {} IOPS per GB of storage for {} ({:g} IOPS for {:g} GB), found {}; "
                                            "raise `storage` or lower `iops`",
                                            per_gib, d.storage_type, most, d.storage.to_gb(), *d.iops));
      }
    }
    range(t_.path + ".elastic_ips", t_.elastic_ips, 0, q_.elastic_ips, "a number of Elastic IP addresses (EC2 quota 'Elastic IP addresses per Region')");
    // A route is walked from its entry to a component that answers: the entry alone has
    // nowhere to send a request (the simulator would pick a target past the route's end).
    for (const auto& r : t_.routes) {
      for (std::size_t i = 0; i < r.hops.size(); ++i) {
        const auto ref = t_.component(r.hops[i].component);
        if (!ref || ref->type != ComponentType::ApiGateway || t_.api_gateways[ref->index].api_type != ApiType::WebSocket) continue;
        error(r.hops[i].path.empty() ? r.path + ".hops" : r.hops[i].path,
              fmt::format("{} is a WebSocket API: archsim simulates request routes, not WebSocket connections; leave it out of routes "
                          "and declare its messages (`requests`) and `connection_seconds` in `usage`",
                          r.hops[i].component));
      }
      if (r.hops.size() == 1) {
        error(r.path + ".hops", fmt::format("expected the entry ({}) followed by at least one component that serves the request", r.hops.front().component));
      } else if (r.hops.empty()) {
        error(r.path + ".hops", "expected the entry (an internet_users component) followed by at least one component that serves the request");
      }
    }
    std::vector<std::pair<std::string, double>> routes;
    for (const auto& r : t_.routes) routes.emplace_back(r.id, r.share);
    check_shares(t_.path + ".routes", "route", routes, "; a route without `share` counts 1");
    for (const auto& cf : t_.cloudfronts) check_viewers(cf);
  }

  /// Shares are a mix (of requests over routes, of viewers over edge groups): they must add up
  /// to one (a sum of 1.5 was read as 1 in silence before). Written to three decimals in
  /// practice, so within 0.001.
  void check_shares(const std::string& path, std::string_view what, const std::vector<std::pair<std::string, double>>& shares,
                    std::string_view hint = {}) {
    if (shares.empty()) return;
    double sum = 0;
    for (const auto& [id, share] : shares) sum += share;
    if (std::abs(sum - 1.0) <= kRouteShareTolerance) return;
    std::vector<std::string> parts;
    for (const auto& [id, share] : shares) parts.push_back(fmt::format("{} {:g}", id, share));
    error(path, fmt::format("expected {} shares that add up to 1 (within {:g}), found {:g} ({}){}", what, kRouteShareTolerance, sum,
                            fmt::join(parts, " + "), hint));
  }

  /// gp3's IOPS and throughput: below the striping size only the baseline (what Terraform
  /// state reports for such a database), from it the baseline up to the maxima.
  void gp3_performance(const RdsSpec& d) {
    const auto& g = q_.rds_gp3;
    // Storage is read as GB, as it is billed (see the io1 ratio below), against AWS's GiB step.
    const auto base = gp3_baseline(g, d.storage.to_gb());
    const auto check = [&](const std::optional<int>& value, const char* key, int baseline, int most, const char* unit) {
      if (!value) return;
      const std::string path = d.path + "." + key;
      if (g.striped(d.storage.to_gb())) {
        range(path, *value, baseline, most, fmt::format("gp3 {} for {:g} GB of storage ({} is the baseline)", unit, d.storage.to_gb(), baseline));
      } else if (*value != baseline) {
        error(path, fmt::format("expected {} ({}, gp3's baseline below {} GB of storage), found {}; gp3 provisions more only from {} GB: "
                                "raise `storage` or drop `{}`",
                                baseline, unit, g.striped_from_gib, *value, g.striped_from_gib, key));
      }
    };
    check(d.iops, "iops", base.iops, g.max_iops, "IOPS");
    check(d.storage_throughput_mibps, "storage_throughput", base.throughput_mibps, g.max_throughput_mibps, "MiBps");
  }

  /// A global table's replicas are other Regions archsim knows (aws_network.yaml), each once.
  void check_replicas(const DynamoDbSpec& d) {
    std::vector<std::string> known;
    for (const auto& [region, zones] : f_.region_zones) known.push_back(region);
    for (std::size_t i = 0; i < d.replicas.size(); ++i) {
      const std::string& region = d.replicas[i];
      const std::string path = decoding::index_path(d.path + ".replicas", i);
      if (f_.region_zones.count(region) == 0) {
        error(path, fmt::format("unknown Region '{}'{}; known Regions: {}", region, did_you_mean(region, known), fmt::join(known, ", ")));
      } else if (region == t_.region) {
        error(path, fmt::format("expected a Region other than the table's own ({}): a replica is a copy in another Region", region));
      } else if (std::find(d.replicas.begin(), d.replicas.begin() + static_cast<std::ptrdiff_t>(i), region) != d.replicas.begin() + static_cast<std::ptrdiff_t>(i)) {
        error(path, fmt::format("Region '{}' is listed twice: a global table has one replica per Region", region));
      }
    }
  }

  /// A distribution's `viewers` name CloudFront's edge region groups (aws_network.yaml).
  void check_viewers(const CloudFrontSpec& cf) {
    std::vector<std::string> known;
    for (const auto& g : f_.cloudfront.region_groups) known.push_back(g.id);
    std::vector<std::pair<std::string, double>> shares;
    for (const auto& v : cf.viewers) {
      shares.emplace_back(v.group, v.share);
      if (f_.cloudfront.group(v.group) != nullptr) continue;
      error(cf.path + ".viewers." + v.group, fmt::format("unknown CloudFront edge region group '{}'{}; known groups: {}", v.group,
                                                         did_you_mean(v.group, known), fmt::join(known, ", ")));
    }
    check_shares(cf.path + ".viewers", "viewer", shares);
  }

 private:
  std::set<std::string> refused_;  ///< paths of values the decoder already refused
  const TopologySpec& t_;
  const AwsFacts& f_;
  const Quotas& q_;
  DecodeContext& ctx_;
};

}  // namespace

void check_limits(const TopologySpec& topology, const AwsFacts& facts, DecodeContext& ctx) { LimitChecker(topology, facts, ctx).run(); }

}  // namespace archsim::model::detail
