#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/decode.hpp"
#include "archsim/sim/workload.hpp"
#include "decode_behaviour.hpp"
#include "decode_faults.hpp"
#include "trace.hpp"

namespace archsim::sim {

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

namespace {

constexpr int kMaxConcurrency = 1'000'000;

bool decode_count(MapReader& r, std::string_view key, std::uint64_t& out, std::uint64_t max) {
  const YamlNode* n = r.take(key);
  if (n == nullptr) return true;
  double value = 0;
  if (!model::decoding::decode_value(*n, r.child(key), r.context(), value)) return false;
  if (value < 1 || value > static_cast<double>(max) || value != std::floor(value)) {
    r.context().error(*n, r.child(key), fmt::format("expected a whole number from 1 to {}", max));
    return false;
  }
  out = static_cast<std::uint64_t>(value);
  return true;
}

constexpr std::uint64_t kMaxReplications = 1000;

/// `replications: {until: {metric: target, ...}, min, max}` (docs/simulation.md, "Replications
/// until a precision"): `2%` is relative to the mean, `0.005pp` is percentage points of a
/// ratio metric, anything else an absolute half-width in the metric's unit (`5ms`, `1 USD`).
void decode_replication_target(const YamlNode& node, DecodeContext& ctx, WorkloadSpec& w) {
  MapReader r(node, "workload.replications", ctx);
  if (!r.ok()) return;
  ReplicationTarget target;
  std::uint64_t min = 4, max = 50;
  decode_count(r, "min", min, kMaxReplications);
  decode_count(r, "max", max, kMaxReplications);
  if (const YamlNode* m = node.find("max"); m != nullptr && max < min) {
    ctx.error(*m, "workload.replications.max", fmt::format("expected at least `min` ({}), found {}", min, max));
  }
  const YamlNode* until = r.take_required("until");
  if (until != nullptr) {
    MapReader ru(*until, "workload.replications.until", ctx);
    if (ru.ok()) {
      for (const auto& entry : until->entries) {
        const std::string path = "workload.replications.until." + entry.key;
        const model::MetricInfo* metric = model::find_metric(entry.key);
        if (metric == nullptr) {
          std::string names;
          for (const auto& m : model::criterion_metrics()) names += (names.empty() ? "" : ", ") + std::string(m.name);
          ctx.error(entry.value, path, fmt::format("expected a criterion metric ({}), found '{}'", names, entry.key));
          ru.take(entry.key);
          continue;
        }
        std::string text;
        ru.take(entry.key);
        if (!model::decoding::decode_value(entry.value, path, ctx, text)) continue;
        PrecisionGoal goal{std::string(metric->name), 0, false, text};
        std::string number = text, why;
        std::optional<double> value;
        const auto ends_with = [&](std::string_view suffix) { return number.size() > suffix.size() && number.ends_with(suffix); };
        if (ends_with("pp")) {
          number.resize(number.size() - 2);
          if (metric->unit == model::MetricUnit::Ratio) {
            value = model::parse_finite_number(number);
            if (value) *value /= 100;
          } else {
            why = fmt::format("percentage points (pp) are for ratio metrics such as availability; {} is not one", metric->name);
          }
        } else if (ends_with("%")) {
          number.resize(number.size() - 1);
          value = model::parse_finite_number(number);
          if (value) *value /= 100;
          goal.relative = true;
        } else {
          value = model::parse_metric_bound(*metric, text, why);
        }
        if (!value || !(*value > 0) || !std::isfinite(*value)) {
          ctx.error(entry.value, path,
                    fmt::format("expected a half-width above 0: relative to the mean (`2%`), in percentage points of a ratio "
                                "(`0.005pp`), or in the metric's unit (`5ms`, `1 USD`), found '{}'{}",
                                text, why.empty() ? "" : ": " + why));
          continue;
        }
        goal.value = *value;
        target.until.push_back(std::move(goal));
      }
      if (until->entries.empty()) ctx.error(*until, "workload.replications.until", "expected at least one metric and its precision");
    }
  }
  r.finish();
  target.min = static_cast<int>(min);
  w.replications = static_cast<int>(std::max(min, max));
  w.precision = std::move(target);
}

bool decode_rate(const YamlNode& node, const std::string& path, DecodeContext& ctx, double& out) {
  std::string text;
  if (!model::decoding::decode_value(node, path, ctx, text)) return false;
  const auto rate = parse_rate(text);
  if (!rate) {
    ctx.error(node, path, fmt::format("expected a rate such as 5/s, 300/min, 1000/h or 2e6/d, found '{}'", text));
    return false;
  }
  out = *rate;
  return true;
}

bool decode_profile(MapReader& r, std::string_view key, std::vector<double>& out) {
  const YamlNode* n = r.take(key);
  if (n == nullptr) return true;
  if (!model::decoding::decode_value(*n, r.child(key), r.context(), out)) return false;
  if (out.size() != 24 || std::any_of(out.begin(), out.end(), [](double m) { return m < 0 || !std::isfinite(m); })) {
    r.context().error(*n, r.child(key), fmt::format("expected 24 hourly multipliers >= 0 (hour 0 first), found {} values", out.size()));
    out.clear();
    return false;
  }
  return true;
}

void decode_arrivals(MapReader& r, DecodeContext& ctx, const model::ScenarioFiles& files, const WorkloadLimits& limits,
                     ArrivalSpec& a) {
  a.path = r.path();
  const YamlNode* rate = r.take("rate");
  const YamlNode* trace = r.take("trace");
  if (rate != nullptr) decode_rate(*rate, r.child("rate"), ctx, a.rate_per_second);
  decode_profile(r, "daily_profile", a.daily_profile);
  decode_profile(r, "weekend_profile", a.weekend_profile);
  r.keyword("start_weekday", a.start_weekday,
            {{"monday", 0}, {"tuesday", 1}, {"wednesday", 2}, {"thursday", 3}, {"friday", 4}, {"saturday", 5}, {"sunday", 6}});
  if (const YamlNode* bursts = r.take("bursts"); bursts != nullptr && bursts->is_sequence() && bursts->items.size() > limits.max_bursts) {
    ctx.error(*bursts, r.child("bursts"),
              fmt::format("{} bursts, more than the {} a workload may have (every arrival's rate looks at each one)", bursts->items.size(),
                          limits.max_bursts));
  } else if (bursts != nullptr) {
    model::decoding::for_each_item(*bursts, r.child("bursts"), ctx, [&](std::size_t, const std::string& path, MapReader& rb) {
      BurstSpec b;
      b.path = path;
      rb.required("start", b.start);
      rb.required("duration", b.duration);
      rb.required("multiplier", b.multiplier);
      rb.optional("daily", b.daily);
      if (b.multiplier < 0 || !std::isfinite(b.multiplier)) ctx.error(rb.node(), path, "expected multiplier >= 0");
      if (b.daily && b.start + b.duration > Duration::days(1)) {
        ctx.error(rb.node(), path, "a daily burst must start and end within the day (start + duration <= 24h)");
      }
      a.bursts.push_back(b);
    });
  }
  // The arrival loop draws candidates at the peak rate: bound it, or a burst of 1e12 (or a
  // profile of 1e300, or bursts whose product overflows) would draw forever.
  if (rate != nullptr && a.rate_per_second > 0) {
    const double peak = a.max_rate();
    if (!(peak <= limits.max_peak_rate)) {
      ctx.error(r.node(), r.path(),
                fmt::format("expected a peak rate (rate x the largest profile multiplier x the largest product of bursts on at once) of at "
                            "most {:g}/s, "
                            "found {:g}/s",
                            limits.max_peak_rate, peak));
    }
  }
  if (trace != nullptr) {
    MapReader rt(*trace, r.child("trace"), ctx);
    if (rt.ok()) {
      TraceSpec t;
      t.path = rt.path();
      rt.required("file", t.file);
      rt.keyword("format", t.format, {{"csv", TraceFormat::Csv}, {"alb_log", TraceFormat::AlbLog}});
      rt.finish();
      if (!t.file.empty() && detail::load_trace(t, files, trace->loc, limits.max_trace_records, ctx.diagnostics)) {
        a.trace = std::move(t);
      }
    }
    if (rate != nullptr || a.time_varying()) {
      ctx.error(*trace, r.child("trace"), "a trace replaces the arrival process: remove rate, profiles and bursts");
    }
  } else if (rate == nullptr) {
    ctx.error(r.node(), r.path(), "expected `rate` (a Poisson process, e.g. 5/s) or `trace` (a file to replay)");
  } else if (a.rate_per_second <= 0 && rate != nullptr) {
    ctx.error(*rate, r.child("rate"), "expected a rate above zero");
  }
}

/// Ids that some alternative has, for checking what the workload names.
struct KnownIds {
  std::set<std::string> routes, components, zones;
};

/// The ids under every `components:` and `routes:` map of an explore block's options: a fault or
/// route setting may name what only a variant has.
void add_explore_ids(const YamlNode& node, KnownIds& ids) {
  for (const auto& e : node.entries) {
    if ((e.key == "components" || e.key == "routes") && e.value.is_map()) {
      for (const auto& c : e.value.entries) (e.key == "components" ? ids.components : ids.routes).insert(c.key);
    }
    add_explore_ids(e.value, ids);
  }
  for (const auto& item : node.items) add_explore_ids(item, ids);
}

KnownIds known_ids(const model::ScenarioSpec& scenario) {
  KnownIds ids;
  for (const auto& alt : scenario.alternatives) {
    for (const auto& route : alt.topology.routes) ids.routes.insert(route.id);
    for (const auto& c : alt.topology.component_order) ids.components.insert(c);
    ids.zones.insert(alt.topology.zones.begin(), alt.topology.zones.end());
  }
  if (scenario.explore) add_explore_ids(*scenario.explore, ids);
  return ids;
}

void check_known(const YamlNode& node, const std::string& path, DecodeContext& ctx, const std::string& id,
                 const std::set<std::string>& known, std::string_view what) {
  if (known.empty() || known.contains(id)) return;
  const std::vector<std::string> names(known.begin(), known.end());
  ctx.error(node, path, fmt::format("no alternative has a {} '{}'{}", what, id, model::did_you_mean(id, names)));
}

std::optional<WorkloadSpec> decode_root(const YamlNode& root, DecodeContext& ctx, const model::ScenarioFiles& files,
                                        const KnownIds& ids, const WorkloadLimits& limits) {
  const std::size_t errors_before = ctx.diagnostics.error_count();
  WorkloadSpec w;
  MapReader r(root, "workload", ctx);
  if (!r.ok()) return std::nullopt;
  if (r.optional("horizon", w.horizon) && (w.horizon.ns <= 0 || w.horizon > limits.max_horizon)) {
    ctx.error(*root.find("horizon"), "workload.horizon",
              fmt::format("expected a horizon above 0 and at most {}", model::format_duration(limits.max_horizon)));
  }
  if (r.optional("warmup", w.warmup) && w.warmup >= w.horizon) {
    ctx.error(*root.find("warmup"), "workload.warmup", "expected a warm-up shorter than the horizon");
  }
  decode_count(r, "seed", w.seed, std::uint64_t{1} << 53);
  if (const YamlNode* f = r.take("fidelity")) {
    model::decoding::decode_keyword(*f, r.child("fidelity"), ctx, w.fidelity,
                                    {{"auto", Fidelity::Auto}, {"request", Fidelity::Request}, {"flow", Fidelity::Flow}});
  }
  std::uint64_t replications = 1;
  if (const YamlNode* n = root.find("replications"); n != nullptr && n->is_map()) {
    decode_replication_target(*r.take("replications"), ctx, w);
  } else {
    decode_count(r, "replications", replications, kMaxReplications);
    w.replications = static_cast<int>(replications);
  }
  if (const YamlNode* l = r.take("limits")) {
    MapReader rl(*l, r.child("limits"), ctx);
    if (rl.ok()) {
      decode_count(rl, "max_events", w.max_events, limits.max_events);
      std::uint64_t in_flight = 0;
      if (rl.node().find("max_in_flight") != nullptr &&
          decode_count(rl, "max_in_flight", in_flight, in_flight_for_memory(limits.max_in_flight_memory))) {
        w.max_in_flight = in_flight;
      }
      rl.finish();
    }
  }
  if (const YamlNode* a = r.take_required("arrivals")) {
    MapReader ra(*a, r.child("arrivals"), ctx);
    if (ra.ok()) {
      decode_arrivals(ra, ctx, files, limits, w.arrivals);
      ra.finish();
    }
  }
  if (const YamlNode* routes = r.take("routes")) {
    model::decoding::for_each_named(*routes, r.child("routes"), ctx, [&](const std::string& id, const std::string& path, MapReader& rr) {
      check_known(rr.node(), path, ctx, id, ids.routes, "route");
      RouteLoadSpec route;
      route.path = path;
      if (rr.optional("share", route.share) && (*route.share < 0 || *route.share > 1)) {
        ctx.error(rr.node(), path + ".share", "expected a share from 0 to 1");
      }
      for (auto [key, out] : {std::pair{"request_size", &route.request_size}, std::pair{"response_size", &route.response_size}}) {
        if (const YamlNode* n = rr.take(key)) {
          Distribution d;
          if (decode_distribution(*n, rr.child(key), ctx, Quantity::Size, d)) *out = std::move(d);
        }
      }
      w.routes[id] = std::move(route);
    });
  }
  if (const YamlNode* components = r.take("components")) {
    model::decoding::for_each_named(*components, r.child("components"), ctx,
                                    [&](const std::string& id, const std::string& path, MapReader& rc) {
                                      check_known(rc.node(), path, ctx, id, ids.components, "component");
                                      BehaviourSpec b;
                                      detail::decode_behaviour(rc, ctx, b);
                                      w.components[id] = std::move(b);
                                    });
  }
  if (const YamlNode* c = r.take("connections")) {
    MapReader rc(*c, r.child("connections"), ctx);
    if (rc.ok()) {
      w.connections.path = rc.path();
      if (rc.optional("requests_per_connection", w.connections.requests_per_connection) &&
          w.connections.requests_per_connection < 1) {
        ctx.error(*c, rc.child("requests_per_connection"), "expected at least 1 request per connection");
      }
      rc.optional("duration", w.connections.duration);
      rc.finish();
    }
  }
  if (const YamlNode* n = r.take("network")) {
    // Each relation's value is a distribution, not a map of keys, so entries are decoded directly.
    if (!n->is_map()) {
      ctx.error(*n, r.child("network"), "expected a map of network relations to delay distributions");
    } else {
      w.network.path = r.child("network");
      for (const auto& entry : n->entries) {
        const std::string path = w.network.path + "." + entry.key;
        if (std::find(kRelationNames.begin(), kRelationNames.end(), entry.key) == kRelationNames.end()) {
          const std::vector<std::string> names(kRelationNames.begin(), kRelationNames.end());
          ctx.error(entry.value, path,
                    fmt::format("unknown network relation '{}'{}", entry.key, model::did_you_mean(entry.key, names)));
          continue;
        }
        Distribution d;
        if (decode_distribution(entry.value, path, ctx, Quantity::Duration, d)) w.network.delays[entry.key] = d;
      }
    }
  }
  if (const YamlNode* faults = r.take("faults")) {
    detail::decode_faults(*faults, r.child("faults"), ctx, detail::KnownNames{ids.zones, ids.components}, w.horizon, w.faults);
  }
  if (const YamlNode* deployments = r.take("deployments")) {
    detail::decode_deployments(*deployments, r.child("deployments"), ctx, detail::KnownNames{ids.zones, ids.components}, w.horizon,
                               w.deployments);
  }
  if (r.optional("lambda_account_concurrency", w.lambda_account_concurrency) && *w.lambda_account_concurrency < 1) {
    ctx.error(*root.find("lambda_account_concurrency"), "workload.lambda_account_concurrency", "expected at least 1 concurrent execution");
  }
  if (r.optional("minute_error_threshold", w.minute_error_threshold) &&
      !(*w.minute_error_threshold >= 0 && *w.minute_error_threshold < 1)) {
    ctx.error(*root.find("minute_error_threshold"), "workload.minute_error_threshold", "expected a share of requests from 0 to below 1");
  }
  r.finish();
  if (ctx.diagnostics.error_count() > errors_before) return std::nullopt;
  return w;
}

/// A criterion's `exercised_by` names faults or deployments of this workload.
bool check_exercised_by(const model::ScenarioSpec& scenario, const WorkloadSpec& w, model::Diagnostics& diagnostics) {
  std::vector<std::string> names;
  for (const auto& f : w.faults) names.push_back(f.id);
  for (const auto& d : w.deployments) names.push_back(d.id);
  bool ok = true;
  for (const auto& c : scenario.criteria) {
    for (std::size_t i = 0; i < c.exercised_by.size(); ++i) {
      const std::string& name = c.exercised_by[i];
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      const std::string path = fmt::format("{}.exercised_by[{}]", c.path, i);
      diagnostics.error(scenario.sources.locate(path), path,
                        fmt::format("'{}' is not a fault or deployment of workload{}; expected one of: {}", name,
                                    model::did_you_mean(name, names), names.empty() ? std::string("(none defined)") : fmt::format("{}", fmt::join(names, ", "))));
      ok = false;
    }
  }
  return ok;
}

/// A component fault whose effect can hit its target in no alternative (a Spot interruption on
/// a service no alternative runs on Spot, a task crash on a NAT gateway) never fires, and a
/// criterion it exercises reads "not exercised": said where the fault is written. Not said for
/// a scenario with an explore block, whose variants may be what it hits (a Spot share).
void warn_faults_hitting_nothing(const model::ScenarioSpec& scenario, const WorkloadSpec& w, model::Diagnostics& diagnostics) {
  if (scenario.explore) return;
  for (const auto& f : w.faults) {
    if (f.effect == FaultEffect::ZoneOutage) continue;
    const bool hits = std::any_of(scenario.alternatives.begin(), scenario.alternatives.end(), [&](const model::AlternativeSpec& alt) {
      return detail::fault_can_hit(f.effect, alt.topology, f.target.component);
    });
    if (hits) continue;
    const YamlNode* faults = scenario.workload ? scenario.workload->find("faults") : nullptr;
    const YamlNode* fault = faults != nullptr && faults->is_map() ? faults->find(f.id) : nullptr;
    const YamlNode* at = fault != nullptr && fault->is_map() && fault->find("component") != nullptr ? fault->find("component") : fault;
    diagnostics.warning(at != nullptr ? at->loc : model::SourceLoc{scenario.file, 1, 1}, f.path + ".component",
                        fmt::format("a {} fault hits {}; '{}' is not one in any alternative, so the fault never fires", fault_effect_name(f.effect),
                                    detail::fault_target_kind(f.effect), f.target.component));
  }
}

}  // namespace

namespace detail {

void decode_behaviour(MapReader& r, DecodeContext& ctx, BehaviourSpec& b) {
  b.path = r.path();
  auto dist = [&](std::string_view key, Quantity q, std::optional<Distribution>& out) {
    if (const YamlNode* n = r.take(key)) {
      Distribution d;
      if (decode_distribution(*n, r.child(key), ctx, q, d)) out = std::move(d);
    }
  };
  auto positive_int = [&](std::string_view key, std::optional<int>& out, int min) {
    if (!r.optional(key, out)) return false;
    if (*out >= min) return true;
    ctx.error(*r.node().find(key), r.child(key), fmt::format("expected a whole number >= {}", min));
    return false;
  };
  auto ratio = [&](std::string_view key, std::optional<double>& out, double max) {
    if (r.optional(key, out) && (*out < 0 || *out > max)) {
      ctx.error(*r.node().find(key), r.child(key), fmt::format("expected a number from 0 to {}", max));
    }
  };
  dist("service_time", Quantity::Duration, b.service_time);
  // Requests one task (or environment) serves at once: a million is far past any runtime's
  // connection limit, and keeps tasks x concurrency exact (docs/limits.md).
  if (positive_int("concurrency", b.concurrency, 1) && *b.concurrency > kMaxConcurrency) {
    ctx.error(*r.node().find("concurrency"), r.child("concurrency"),
              model::decoding::range_message("a concurrency", "1", std::to_string(kMaxConcurrency), std::to_string(*b.concurrency)));
  }
  positive_int("queue_length", b.queue_length, 0);
  ratio("reference_vcpu", b.reference_vcpu, 16);
  ratio("cache_hit_ratio", b.cache_hit_ratio, 1);
  dist("cold_start", Quantity::Duration, b.cold_start);
  r.optional("idle_reclaim", b.idle_reclaim);
  // A timeout of 0 would read as "none given" (no timeout at all): refuse it.
  if (r.optional("timeout", b.timeout) && b.timeout->ns <= 0) {
    ctx.error(*r.node().find("timeout"), r.child("timeout"), "expected a timeout above 0, such as 29s");
  }
  // Zero would read as "none given" and fall back to the caller's timeout: refuse it instead.
  if (r.optional("connect_timeout", b.connect_timeout) && b.connect_timeout->ns <= 0) {
    ctx.error(*r.node().find("connect_timeout"), r.child("connect_timeout"), "expected a connect timeout above 0, such as 10s");
  }
  dist("authorizer_time", Quantity::Duration, b.authorizer_time);
  ratio("reads_per_request", b.reads_per_request, 1000);
  ratio("writes_per_request", b.writes_per_request, 1000);
  r.optional("item_size", b.item_size);
  r.optional("log_bytes_per_request", b.log_bytes_per_request);
  r.optional("metering_increment", b.metering_increment);
  dist("launch_time", Quantity::Duration, b.launch_time);
  r.optional("image_pull_time_per_gb", b.image_pull_time_per_gb);
  r.optional("image_size", b.image_size);
  r.optional("stop_detection", b.stop_detection);
  r.optional("lost_task_detection", b.lost_task_detection);
  // ECS caps a container's stopTimeout at 120 s on Fargate, the length of a Spot notice.
  if (r.optional("stop_timeout", b.stop_timeout) && (b.stop_timeout->ns <= 0 || b.stop_timeout->ns > Duration::seconds(120).ns)) {
    ctx.error(*r.node().find("stop_timeout"), r.child("stop_timeout"),
              model::decoding::range_message("a stop timeout", "1s", "120s", model::format_duration(*b.stop_timeout)));
  }
  r.optional("launch_retry", b.launch_retry);
  dist("failover_time", Quantity::Duration, b.failover_time);
  r.optional("dns_ttl", b.dns_ttl);
  r.optional("node_failure_detection", b.node_failure_detection);
  r.optional("deregistration_delay", b.deregistration_delay);
  positive_int("scale_out_datapoints", b.scale_out_datapoints, 1);
  positive_int("scale_in_datapoints", b.scale_in_datapoints, 1);
  if (r.optional("scale_in_margin", b.scale_in_margin) && !(*b.scale_in_margin >= 0 && *b.scale_in_margin < 1)) {
    ctx.error(*r.node().find("scale_in_margin"), r.child("scale_in_margin"), "expected a share of the target from 0 to below 1");
  }
  r.optional("scaling_cooldown", b.scaling_cooldown);
  std::string state, reason;
  if (r.choice("initial_state", state, {"steady", "running"})) b.initial_state = state;
  if (r.optional("initial_state_reason", reason)) b.initial_state_reason = reason;
  if (state == "running" && reason.find_first_not_of(" \t\n") == std::string::npos) {
    ctx.error(*r.node().find("initial_state"), r.child("initial_state"),
              "initial_state: running assumes tasks run that the design may not be able to start; say why in initial_state_reason");
  } else if (b.initial_state_reason && state != "running") {
    ctx.error(*r.node().find("initial_state_reason"), r.child("initial_state_reason"),
              "initial_state_reason explains initial_state: running; without it, it has nothing to explain");
  }
}

}  // namespace detail

std::optional<double> parse_rate(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const std::string number(text.substr(0, slash));
  const std::string_view unit = text.substr(slash + 1);
  double value = 0;
  const auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc{} || p != number.data() + number.size() || !(value >= 0) || !std::isfinite(value)) return std::nullopt;
  if (unit == "s") return value;
  if (unit == "min") return value / 60;
  if (unit == "h") return value / 3600;
  if (unit == "d") return value / 86400;
  return std::nullopt;
}

std::optional<WorkloadSpec> decode_workload(const model::ScenarioSpec& scenario, model::Diagnostics& diagnostics,
                                            const WorkloadLimits& limits) {
  if (!scenario.workload) {
    diagnostics.error(model::SourceLoc{scenario.file, 1, 1}, "workload",
                      "the scenario has no workload; `archsim run` needs one (see docs/simulation.md)");
    return std::nullopt;
  }
  model::SourceIndex sources;
  DecodeContext ctx{diagnostics, sources};
  auto workload = decode_root(*scenario.workload, ctx, model::ScenarioFiles{scenario.base_dir, scenario.allow_outside_paths},
                              known_ids(scenario), limits);
  if (workload && !check_exercised_by(scenario, *workload, diagnostics)) return std::nullopt;
  if (workload) warn_faults_hitting_nothing(scenario, *workload, diagnostics);
  return workload;
}

std::optional<WorkloadSpec> decode_workload_text(std::string_view yaml, const std::string& name, const std::string& base_dir,
                                                 model::Diagnostics& diagnostics, const WorkloadLimits& limits) {
  auto root = model::parse_yaml(yaml, name, diagnostics);
  if (!root) return std::nullopt;
  model::SourceIndex sources;
  DecodeContext ctx{diagnostics, sources};
  return decode_root(*root, ctx, model::ScenarioFiles{base_dir}, KnownIds{}, limits);
}

std::string_view fidelity_name(Fidelity f) {
  switch (f) {
    case Fidelity::Auto: return "auto";
    case Fidelity::Request: return "request";
    case Fidelity::Flow: return "flow";
  }
  return "auto";
}

}  // namespace archsim::sim
