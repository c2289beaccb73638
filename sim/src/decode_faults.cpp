#include <array>
#include <cmath>

#include <fmt/format.h>

#include "decode_faults.hpp"

#include "archsim/model/capacity_providers.hpp"

namespace archsim::sim {

namespace {

constexpr std::array<FisScenario, 1> kFisScenarios{{
    // https://docs.aws.amazon.com/fis/latest/userguide/az-availability-scenario.html: "induce the
    // expected symptoms of a complete interruption of power in an Availability Zone", 30 minutes
    // by default (then 30 minutes of recovery symptoms, which archsim does not model).
    {"az-power-interruption", "AZ Availability: Power Interruption", FaultEffect::ZoneOutage},
}};

constexpr Duration kFisDefaultDuration = Duration::minutes(30);

}  // namespace

std::string_view fault_effect_name(FaultEffect effect) {
  switch (effect) {
    case FaultEffect::ZoneOutage: return "zone_outage";
    case FaultEffect::TaskCrash: return "task_crash";
    case FaultEffect::NatGatewayLoss: return "nat_gateway_loss";
    case FaultEffect::DatabasePrimaryLoss: return "database_primary_loss";
    case FaultEffect::DependencySlow: return "dependency_slow";
    case FaultEffect::DependencyErrors: return "dependency_errors";
    case FaultEffect::SpotInterruption: return "spot_interruption";
    case FaultEffect::SpotCapacityUnavailable: return "spot_capacity_unavailable";
  }
  return "?";
}

std::span<const FisScenario> fis_scenarios() { return kFisScenarios; }

Duration FaultTiming::mean_start() const {
  if (at_distribution) return Duration{static_cast<std::int64_t>(std::llround(at_distribution->mean()))};
  return at.value_or(Duration{});
}

namespace detail {

bool fault_can_hit(FaultEffect effect, const model::TopologySpec& t, std::string_view id) {
  const auto ref = t.component(id);
  if (!ref) return false;
  switch (effect) {
    case FaultEffect::ZoneOutage: return false;
    case FaultEffect::TaskCrash: return t.ecs_service(id) != nullptr;
    case FaultEffect::SpotInterruption:
    case FaultEffect::SpotCapacityUnavailable: {
      const model::EcsServiceSpec* s = t.ecs_service(id);
      return s != nullptr && model::places_on_spot(*s, t.fargate_spot);
    }
    case FaultEffect::NatGatewayLoss: return t.nat_gateway(id) != nullptr;
    case FaultEffect::DatabasePrimaryLoss: return ref->type == model::ComponentType::Rds;
    case FaultEffect::DependencySlow:
    case FaultEffect::DependencyErrors: return true;
  }
  return false;
}

std::string_view fault_target_kind(FaultEffect effect) {
  switch (effect) {
    case FaultEffect::TaskCrash: return "an ECS service's tasks";
    case FaultEffect::SpotInterruption:
    case FaultEffect::SpotCapacityUnavailable:
      return "an ECS service some of whose tasks run on Fargate Spot (FARGATE_SPOT in its capacity_provider_strategy, or the "
             "alternative's pricing.fargate: spot)";
    case FaultEffect::NatGatewayLoss: return "a NAT gateway";
    case FaultEffect::DatabasePrimaryLoss: return "an RDS database";
    default: return "a component";
  }
}

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

bool required_component(MapReader& r, std::string_view key, DecodeContext& ctx, const KnownNames& known, std::string& out) {
  if (!r.required(key, out)) return false;
  if (known.components.empty() || known.components.contains(out)) return true;
  const std::vector<std::string> names(known.components.begin(), known.components.end());
  ctx.error(*r.node().find(key), r.child(key), fmt::format("no alternative has a component '{}'{}", out, model::did_you_mean(out, names)));
  return false;
}

void check_starts_within(const YamlNode& at_node, const std::string& at_path, DecodeContext& ctx, Duration at, Duration horizon) {
  // As a start drawn from a distribution that never falls within the run: it never happens.
  if (horizon.ns > 0 && at.ns > horizon.ns) {
    ctx.error(at_node, at_path, fmt::format("at {} never starts within the horizon ({})", model::format_duration(at), model::format_duration(horizon)));
  }
}

namespace {

/// `at`: a duration from the start of the run, or a distribution of them (drawn once per
/// replication). Returns whether `at` was written; `f.when.at` holds the start or the mean.
bool decode_start(MapReader& r, DecodeContext& ctx, Duration horizon, FaultSpec& f) {
  const YamlNode* n = r.take("at");
  if (n == nullptr) return false;
  const std::string at_path = r.child("at");
  if (n->is_scalar()) {
    Duration at;
    if (!model::decoding::decode_value(*n, at_path, ctx, at)) return true;
    if (at.ns < 0) ctx.error(*n, at_path, "expected a time from the start of the run");
    check_starts_within(*n, at_path, ctx, at, horizon);
    f.when.at = at;
    return true;
  }
  Distribution d;
  if (!decode_distribution(*n, at_path, ctx, Quantity::Duration, d)) return true;
  if (d.support_min() < 0) {
    ctx.error(*n, at_path, fmt::format("{} can start before the run: expected times from the start of the run (0 or more)",
                                       d.describe(true)));
    return true;
  }
  const double horizon_ns = static_cast<double>(horizon.ns);
  const double beyond = d.share_above(horizon_ns);
  if (horizon.ns > 0 && d.support_min() > horizon_ns) {
    ctx.error(*n, at_path, fmt::format("{} never starts within the horizon ({})", d.describe(true), model::format_duration(horizon)));
    return true;
  }
  // Under 0.1 % of replications (an exponential's far tail) is not worth a warning.
  if (horizon.ns > 0 && beyond >= 0.001) {
    ctx.diagnostics.warning(n->loc, at_path,
                            fmt::format("{} starts after the horizon ({}) in {:.1f} % of replications, which then run without "
                                        "this fault (a criterion `exercised_by` it is not exercised)",
                                        d.describe(true), model::format_duration(horizon), 100 * beyond));
  }
  f.when.at = Duration{static_cast<std::int64_t>(std::llround(d.mean()))};
  if (d.kind != DistributionKind::Constant) f.when.at_distribution = std::move(d);
  return true;
}

}  // namespace

void decode_faults(const YamlNode& node, const std::string& path, DecodeContext& ctx, const KnownNames& known,
                   Duration horizon, std::vector<FaultSpec>& out) {
  model::decoding::for_each_named(node, path, ctx, [&](const std::string& id, const std::string& fpath, MapReader& r) {
    FaultSpec f;
    f.id = id;
    f.path = fpath;
    const YamlNode* effect = r.take("effect");
    const YamlNode* fis = r.take("fis_scenario");
    if ((effect == nullptr) == (fis == nullptr)) {
      ctx.error(r.node(), fpath, "a fault needs exactly one of `effect` (zone_outage, task_crash, nat_gateway_loss, "
                                 "database_primary_loss, dependency_slow, dependency_errors, spot_interruption, spot_capacity_unavailable) or "
                                 "`fis_scenario`");
      r.finish();
      return;
    }
    if (effect != nullptr) {
      model::decoding::decode_keyword(*effect, r.child("effect"), ctx, f.effect,
                                      {{"zone_outage", FaultEffect::ZoneOutage},
                                       {"task_crash", FaultEffect::TaskCrash},
                                       {"nat_gateway_loss", FaultEffect::NatGatewayLoss},
                                       {"database_primary_loss", FaultEffect::DatabasePrimaryLoss},
                                       {"dependency_slow", FaultEffect::DependencySlow},
                                       {"dependency_errors", FaultEffect::DependencyErrors},
                                       {"spot_interruption", FaultEffect::SpotInterruption},
                                       {"spot_capacity_unavailable", FaultEffect::SpotCapacityUnavailable}});
    } else if (model::decoding::decode_value(*fis, r.child("fis_scenario"), ctx, f.fis_scenario)) {
      const FisScenario* found = nullptr;
      std::vector<std::string> keys;
      for (const auto& s : kFisScenarios) {
        keys.emplace_back(s.key);
        if (s.key == f.fis_scenario || s.title == f.fis_scenario) found = &s;
      }
      if (found == nullptr) {
        ctx.error(*fis, r.child("fis_scenario"),
                  fmt::format("unknown FIS scenario '{}'{}", f.fis_scenario, model::did_you_mean(f.fis_scenario, keys)));
      } else {
        f.effect = found->effect;
        f.fis_scenario = std::string(found->title);
      }
    }

    // Whom it hits.
    const bool zonal = f.effect == FaultEffect::ZoneOutage;
    if (zonal) {
      if (r.required("zone", f.target.zone) && !known.zones.empty() && !known.zones.contains(f.target.zone)) {
        const std::vector<std::string> names(known.zones.begin(), known.zones.end());
        ctx.error(*r.node().find("zone"), r.child("zone"),
                  fmt::format("no alternative has a zone '{}'{}", f.target.zone, model::did_you_mean(f.target.zone, names)));
      }
    } else {
      required_component(r, "component", ctx, known, f.target.component);
    }
    // A task crash and a Spot interruption both hit tasks one by one: they share the task rules.
    const bool per_task = f.effect == FaultEffect::TaskCrash || f.effect == FaultEffect::SpotInterruption;
    if (r.optional("tasks", f.target.tasks) && (!per_task || f.target.tasks < 1)) {
      ctx.error(*r.node().find("tasks"), r.child("tasks"), "`tasks` (at least 1) applies to task_crash and spot_interruption faults only");
    }

    // What it does.
    if (const YamlNode* n = r.take("added_latency")) {
      if (f.effect != FaultEffect::DependencySlow) ctx.error(*n, r.child("added_latency"), "`added_latency` applies to dependency_slow faults only");
      decode_distribution(*n, r.child("added_latency"), ctx, Quantity::Duration, f.added_latency);
    } else if (f.effect == FaultEffect::DependencySlow) {
      ctx.error(r.node(), fpath, "a dependency_slow fault needs `added_latency` (e.g. {constant: 500ms})");
    }
    if (const YamlNode* n = r.take("error_rate")) {
      if (f.effect != FaultEffect::DependencyErrors) ctx.error(*n, r.child("error_rate"), "`error_rate` applies to dependency_errors faults only");
      if (model::decoding::decode_value(*n, r.child("error_rate"), ctx, f.error_rate) && !(f.error_rate > 0 && f.error_rate <= 1)) {
        ctx.error(*n, r.child("error_rate"), "expected a share of requests above 0 and at most 1");
      }
    } else if (f.effect == FaultEffect::DependencyErrors) {
      ctx.error(r.node(), fpath, "a dependency_errors fault needs `error_rate` (a share of requests, e.g. 0.2)");
    }

    // When.
    const bool has_at = decode_start(r, ctx, horizon, f);
    const bool has_duration = r.optional("duration", f.when.duration);
    // A stochastic fault renews itself every failure and repair: means of nanoseconds (or 0)
    // fill the event queue at time 0 and the run spins until its work limit, minutes later.
    // A second is below any failure or repair time worth modelling (docs/limits.md).
    const auto timed = [&](const char* key, std::optional<Distribution>& into) {
      const YamlNode* n = r.take(key);
      Distribution d;
      if (n == nullptr || !decode_distribution(*n, r.child(key), ctx, Quantity::Duration, d)) return;
      if (!(d.mean() >= 1e9)) {
        ctx.error(*n, r.child(key), fmt::format("expected a mean {} of at least 1s (a stochastic fault renews itself each cycle), found {:g}s", key,
                                                d.mean() / 1e9));
      }
      into = d;  // kept when refused, so the fault is not also reported as lacking its timing
    };
    timed("time_to_failure", f.when.time_to_failure);
    timed("time_to_repair", f.when.time_to_repair);
    const bool crash = per_task;
    const std::string_view noun = f.effect == FaultEffect::SpotInterruption ? "Spot interruption" : "task crash";
    const std::string what = fmt::format("a {}", noun);
    if (has_at == f.when.stochastic()) {
      ctx.error(r.node(), fpath, "a fault needs either `at` (with `duration`) or `time_to_failure` (with `time_to_repair`)");
    } else if (has_at) {
      if (!has_duration && !f.fis_scenario.empty()) f.when.duration = kFisDefaultDuration;
      if (crash && has_duration) {
        ctx.error(*r.node().find("duration"), r.child("duration"), fmt::format("{} is instantaneous; ECS replaces the task", what));
      } else if (!crash && f.when.duration.ns <= 0) {
        ctx.error(r.node(), fpath, "a scheduled fault needs a `duration` above 0");
      }
    } else {
      if (crash && f.when.time_to_repair) {
        ctx.error(*r.node().find("time_to_repair"), r.child("time_to_repair"),
                  fmt::format("{} is not repaired: ECS replaces the task; remove time_to_repair", what));
      } else if (!crash && !f.when.time_to_repair) {
        ctx.error(r.node(), fpath, "a stochastic fault needs `time_to_repair` beside `time_to_failure`");
      }
      if (crash && r.node().find("tasks") != nullptr) {
        ctx.error(*r.node().find("tasks"), r.child("tasks"), fmt::format("a stochastic {} hits each task on its own clock; remove `tasks`", noun));
      }
    }
    r.finish();
    out.push_back(std::move(f));
  });
}

}  // namespace detail
}  // namespace archsim::sim
