// Usage: measured by the simulator or declared by the scenario, stretched to a billing month.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "archsim/model/capacity_providers.hpp"
#include "archsim/model/decode.hpp"
#include "archsim/pricing/bill.hpp"

#include "archsim/model/scheduled_capacity.hpp"

namespace archsim::pricing {

using model::YamlNode;
using model::decoding::DecodeContext;
using sim::Meter;

const MeterSeries* Usage::find(std::string_view component, std::string_view meter) const {
  for (const auto& m : meters) {
    if (m.component == component && m.meter == meter) return &m;
  }
  return nullptr;
}

std::vector<double> Usage::month(std::string_view component, std::string_view meter) const {
  std::vector<double> out(kHoursPerMonth, 0.0);
  const MeterSeries* m = find(component, meter);
  if (m == nullptr || m->hourly.empty()) return out;
  const std::size_t n = m->hourly.size();
  // A run that ends mid-hour leaves a partial last slot; scale it to a full hour before repeating.
  const double last_fraction = std::clamp(hours - static_cast<double>(n - 1), 1e-9, 1.0);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const std::size_t slot = i % n;
    out[i] = slot + 1 == n ? m->hourly[slot] / last_fraction : m->hourly[slot];
  }
  return out;
}

namespace {

Usage usage_from_meters(const sim::SimResult& result, const std::vector<sim::UsageMeter>& meters, double factor) {
  Usage u;
  u.hours = static_cast<double>(result.horizon.ns - result.warmup.ns) / 3.6e12;
  for (const auto& meter : meters) {
    MeterSeries s{meter.component, meter.meter, meter.hourly};
    for (double& v : s.hourly) v *= factor;
    u.meters.push_back(std::move(s));
  }
  return u;
}

}  // namespace

Usage usage_from_simulation(const sim::SimResult& result) {
  const double per_replication = result.replications > 0 ? 1.0 / result.replications : 1.0;
  Usage u = usage_from_meters(result, result.usage, per_replication);
  u.basis = fmt::format("simulated {:.2f} h after warm-up, mean of {} replication{}", u.hours, result.replications,
                        result.replications == 1 ? "" : "s");
  return u;
}

Usage usage_from_replication(const sim::SimResult& result, std::size_t index) {
  Usage u = usage_from_meters(result, result.per_replication.at(index).usage, 1.0);
  u.basis = fmt::format("simulated {:.2f} h after warm-up, replication {}", u.hours, index + 1);
  return u;
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// The largest monthly quantity a meter takes: far beyond any real month (1e21 bytes is a
/// zettabyte; 1e21 seconds is 3e13 years), and low enough that no bill line overflows.
constexpr double kMaxMonthlyQuantity = 1e21;

/// A count with an optional k/M/B (thousand, million, billion) multiplier; empty otherwise.
std::optional<double> parse_count(std::string text) {
  if (text.empty()) return std::nullopt;
  double multiplier = 1;
  switch (text.back()) {
    case 'k': multiplier = 1e3; text.pop_back(); break;
    case 'M': multiplier = 1e6; text.pop_back(); break;
    case 'B': multiplier = 1e9; text.pop_back(); break;
    default: break;
  }
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < 0) return std::nullopt;
  return v * multiplier;
}

/// A monthly quantity. `*_bytes` meters take a number of bytes or a size in byte units only
/// (`100GB`, `2B` is two bytes): the count multipliers k/M/B are refused there, since `2B` would
/// read as two billion on any other meter. `*_seconds` meters take seconds, a count (`2.5M`) or
/// a duration (`1460h`); other meters a count. Every quantity is at most kMaxMonthlyQuantity.
bool decode_quantity(const YamlNode& node, const std::string& path, std::string_view meter, DecodeContext& ctx, double& out) {
  ctx.sources.record(path, node.loc);
  const std::string& text = node.scalar;
  const bool bytes = ends_with(meter, "_bytes");
  const bool seconds = ends_with(meter, "_seconds");
  std::optional<double> value;
  if (node.is_scalar() && !text.empty()) {
    if (bytes) {
      value = model::parse_byte_amount(text);
      if (!value) {
        const auto plain = parse_count(text);
        const char last = text.back();
        if (plain && (last == 'k' || last == 'M')) {
          ctx.error(node, path,
                    fmt::format("'{}' uses the count multiplier '{}' on a bytes meter; write bytes in byte units ({}), "
                                "e.g. '{}{}'",
                                text, last, model::byte_unit_names(), text.substr(0, text.size() - 1), last == 'k' ? "KB" : "MB"));
          return false;
        }
        if (plain && last != 'B') value = plain;  // a bare number of bytes
      }
    } else if (seconds) {
      value = model::parse_duration_seconds(text);
      if (!value) value = parse_count(text);
    } else {
      value = parse_count(text);
    }
  }
  if (value && *value > kMaxMonthlyQuantity) {
    ctx.error(node, path, fmt::format("'{}' is {:.3g} {}, above the {:.0e} a monthly meter takes", text, *value,
                                      bytes ? "bytes" : seconds ? "seconds" : "units", kMaxMonthlyQuantity));
    return false;
  }
  if (value) {
    const bool plain_b = bytes && text.size() >= 2 && text.back() == 'B' && (std::isdigit(static_cast<unsigned char>(text[text.size() - 2])) != 0);
    if (plain_b && *value < 1000) {
      // Elsewhere `2B` is two billion; say which reading this is when it is a few bytes.
      ctx.diagnostics.warning(node.loc, path,
                              fmt::format("'{}' is {} bytes: on a bytes meter B is the byte, not the billion of count meters; "
                                          "write {}GB for {} billion bytes",
                                          text, *value, text.substr(0, text.size() - 1), text.substr(0, text.size() - 1)));
    }
    out = *value;
    return true;
  }
  std::string expected = bytes ? fmt::format("a number of bytes or a size in byte units ({}) such as 100GB", model::byte_unit_names())
                               : "a monthly quantity such as 1500, 2.5M or 40k";
  if (seconds) expected += ", or a duration such as 1460h";
  ctx.error(node, path, "expected " + expected + ", found '" + text + "'");
  return false;
}

MeterSeries monthly(std::string component, Meter meter, double total) {
  return MeterSeries{std::move(component), std::string(sim::meter_name(meter)), std::vector<double>(kHoursPerMonth, total / kHoursPerMonth)};
}

bool in_any_alternative(const model::ScenarioSpec& scenario, std::string_view id) {
  for (const auto& alt : scenario.alternatives) {
    if (alt.topology.component(id)) return true;
  }
  return false;
}

}  // namespace

std::vector<Meter> declarable_meters(model::ComponentType type) {
  // Only what some price key reads: an ECS service, a database or a table bills no request as
  // such (a table's capacity units do), so a declared `requests` there would bill nothing in
  // silence; the simulator still meters them.
  using T = model::ComponentType;
  std::vector<Meter> m;
  switch (type) {
    case T::LoadBalancer:
      m = {Meter::Requests, Meter::ProcessedBytes, Meter::NewConnections, Meter::ConnectionSeconds, Meter::RuleEvaluations, Meter::InternetOutBytes};
      break;
    case T::EcsService: m = {Meter::TaskSeconds, Meter::MinimumTopUpSeconds, Meter::SpotTaskSeconds, Meter::InternetOutBytes}; break;
    case T::Lambda: m = {Meter::Requests, Meter::GbSeconds, Meter::ProvisionedGbSeconds, Meter::ProvisionedDurationGbSeconds}; break;
    case T::ApiGateway: m = {Meter::Requests, Meter::InternetOutBytes, Meter::ConnectionSeconds}; break;
    case T::CloudFront: m = {Meter::Requests, Meter::InternetOutBytes}; break;
    case T::S3Bucket:
      m = {Meter::Requests,       Meter::PutRequests, Meter::StoredBytes,           Meter::InternetOutBytes, Meter::RetrievedBytes,
           Meter::InfrequentAccessBytes, Meter::ArchiveInstantAccessBytes, Meter::MonitoredObjects};
      break;
    case T::Rds: m = {Meter::InstanceSeconds, Meter::BackupBytes}; break;
    case T::DynamoDb: m = {Meter::ReadUnits, Meter::WriteUnits, Meter::StoredBytes, Meter::BackupBytes, Meter::StreamReadRequests}; break;
    case T::NatGateway: m = {Meter::ProcessedBytes}; break;
    case T::VpcEndpoint: m = {Meter::ProcessedBytes}; break;
    case T::LogGroup: m = {Meter::IngestedBytes}; break;
    case T::SecretsManager: m = {Meter::ApiRequests}; break;
    case T::CognitoUserPool: m = {Meter::MonthlyActiveUsers}; break;
    case T::Route53Zone: m = {Meter::Queries}; break;
    case T::EcrRepository: m = {Meter::StoredBytes}; break;
    case T::ParameterStore:
    case T::InternetUsers: break;
  }
  m.emplace_back(Meter::CrossZoneBytes);
  return m;
}

std::vector<Meter> account_meters() { return {Meter::AlarmMetrics, Meter::CustomMetrics, Meter::Dashboards}; }

namespace {

std::vector<std::string> names_of(const std::vector<Meter>& meters) {
  std::vector<std::string> names;
  for (Meter m : meters) names.emplace_back(sim::meter_name(m));
  return names;
}

/// Why a meter the component's type takes bills nothing with the component's settings in
/// every alternative, or empty: a quantity declared there would be dropped in silence. (One
/// alternative without the setting is a comparison, S3 Standard against Standard-IA, say.)
std::string unbilled_by_settings(const model::ScenarioSpec& scenario, const std::string& id, Meter m) {
  // The id may name a component of another type in another alternative.
  const auto billed_somewhere = [&](model::ComponentType type, auto&& billed) {
    for (const auto& alt : scenario.alternatives) {
      const auto ref = alt.topology.component(id);
      if (ref && ref->type == type && billed(alt.topology, ref->index)) return true;
    }
    return false;
  };
  if (m == Meter::StreamReadRequests && !billed_somewhere(model::ComponentType::DynamoDb, [](const model::TopologySpec& t, std::size_t i) {
        return t.dynamodb_tables[i].stream_enabled;
      })) {
    return "the table has no stream in any alternative: set `stream_enabled: true` on it";
  }
  if (m == Meter::SpotTaskSeconds && !billed_somewhere(model::ComponentType::EcsService, [](const model::TopologySpec& t, std::size_t i) {
        return model::places_on_spot(t.ecs_services[i], t.fargate_spot);
      })) {
    return "no task of the service runs on Fargate Spot in any alternative: give it a capacity_provider_strategy with FARGATE_SPOT, "
           "or, where it has no strategy of its own (which `pricing.fargate` never overrides), the alternative `pricing: {fargate: spot}`";
  }
  const bool tiering = m == Meter::InfrequentAccessBytes || m == Meter::ArchiveInstantAccessBytes || m == Meter::MonitoredObjects;
  if (tiering && !billed_somewhere(model::ComponentType::S3Bucket, [](const model::TopologySpec& t, std::size_t i) {
        return t.s3_buckets[i].intelligent_tiering();
      })) {
    return "only S3 Intelligent-Tiering has access tiers and a monitoring fee, and the bucket is in it in no alternative; set "
           "`storage_class: INTELLIGENT_TIERING`";
  }
  if (m == Meter::RetrievedBytes && !billed_somewhere(model::ComponentType::S3Bucket, [](const model::TopologySpec& t, std::size_t i) {
        return t.s3_buckets[i].bills_retrieval();
      })) {
    return "S3 Standard has no retrieval fee, and the bucket is in it in every alternative; `retrieved_bytes` bills STANDARD_IA, ONEZONE_IA and "
           "GLACIER_IR buckets";
  }
  return "";
}

/// A service with Fargate Spot in its strategy and no declared `spot_task_seconds`: the task
/// time (top-ups included) split hour by hour as the strategy places that hour's tasks (its
/// desired count for a declared month, the schedule's count for a derived one), listed under
/// `derived` when only part of it is Spot.
void add_spot_task_seconds(Usage& u, const model::EcsServiceSpec& svc, bool alternative_on_spot) {
  const auto strategy = model::effective_strategy(svc, alternative_on_spot);
  if (!model::places_on_spot(strategy) || u.find(svc.id, Meter::SpotTaskSeconds)) return;
  const MeterSeries* tasks = u.find(svc.id, Meter::TaskSeconds);
  if (tasks == nullptr) return;
  const MeterSeries* top_up = u.find(svc.id, Meter::MinimumTopUpSeconds);
  // A month derived from the schedule runs the schedule's count each hour.
  const bool scheduled = std::any_of(u.derived.begin(), u.derived.end(), [&](const UsageOrigin& o) {
    return o.component == svc.id && o.meter == sim::meter_name(Meter::TaskSeconds);
  });
  const std::vector<double> counts = scheduled ? model::scheduled_desired_by_hour(svc, static_cast<int>(kHoursPerMonth), 0) : std::vector<double>{};
  MeterSeries spot{svc.id, std::string(sim::meter_name(Meter::SpotTaskSeconds)), tasks->hourly};
  double total = 0, spot_total = 0;
  for (std::size_t h = 0; h < spot.hourly.size(); ++h) {
    const double all = tasks->hourly[h] + (top_up != nullptr && h < top_up->hourly.size() ? top_up->hourly[h] : 0.0);
    const int count = h < counts.size() ? static_cast<int>(std::lround(counts[h])) : svc.desired_count;
    const double share = count > 0 ? static_cast<double>(model::spot_tasks(strategy, count)) / count : 0.0;
    spot.hourly[h] = all * share;
    total += all;
    spot_total += spot.hourly[h];
  }
  if (spot_total > 0 && spot_total < total) {
    u.derived.push_back({svc.id, std::string(sim::meter_name(Meter::SpotTaskSeconds)), spot_total,
                         fmt::format("{:.1f} of its {:.1f} task-hours, split hour by hour as its capacity provider strategy "
                                     "places that hour's tasks (at desired_count {}, {} on Fargate Spot)",
                                     spot_total / 3600.0, total / 3600.0, svc.desired_count, model::spot_tasks(strategy, svc.desired_count))});
  }
  u.meters.push_back(std::move(spot));
}

/// An Intelligent-Tiering bucket: its tiers hold parts of what it stores, and what the usage
/// block leaves out is said, never guessed: without a count of monitored objects the
/// monitoring fee is 0, a lower bound (undeclared); bytes in no declared tier are billed in
/// Frequent Access, an upper bound the bill states (cost_model.cpp).
void check_access_tiers(Usage& u, const model::S3BucketSpec& bucket, const std::map<std::string, model::SourceLoc>& declared_at,
                        model::Diagnostics& diagnostics) {
  const auto level = [&](Meter m) {
    const MeterSeries* s = u.find(bucket.id, m);
    return s != nullptr && !s->hourly.empty() ? s->hourly.front() * kHoursPerMonth : 0.0;
  };
  // What the bill stores (cost_model.cpp, stored_gb): the declared bytes, else the topology's `storage`.
  const double declared = level(Meter::StoredBytes);
  const double stored = declared > 0 ? declared : bucket.storage ? static_cast<double>(bucket.storage->count) : 0.0;
  // A declared quantity the bucket cannot hold, refused at the line that declares it.
  const auto refuse = [&](std::string_view meter, const std::string& message) {
    const std::string path = fmt::format("usage.{}.{}", bucket.id, meter);
    const auto at = declared_at.find(path);
    diagnostics.error(at != declared_at.end() ? at->second : model::SourceLoc{}, path, message);
  };
  const double colder = level(Meter::InfrequentAccessBytes) + level(Meter::ArchiveInstantAccessBytes);
  if (colder > stored * (1 + 1e-9)) {
    refuse(u.find(bucket.id, Meter::InfrequentAccessBytes) ? "infrequent_access_bytes" : "archive_instant_access_bytes",
           fmt::format("expected the Infrequent and Archive Instant Access tiers to hold at most what the bucket stores "
                       "({:.4g} GB), found {:.4g} GB in them; they are parts of stored_bytes",
                       stored / 1e9, colder / 1e9));
  }
  // Monitored objects are 128 KB or more each, so the bucket holds at most stored / 128 KB of
  // them (KB taken as 1,000 bytes, the looser bound): 1e21 of them on 1,000 GB billed 2.5e15 USD.
  const double objects = level(Meter::MonitoredObjects);
  if (objects > stored / 128e3 * (1 + 1e-9)) {
    refuse("monitored_objects", fmt::format("expected at most {:.4g} monitored objects: each is 128 KB or more, and the bucket stores {:.4g} GB; "
                                            "found {:.4g}",
                                            stored / 128e3, stored / 1e9, objects));
  }
  if (!u.find(bucket.id, Meter::MonitoredObjects)) {
    u.undeclared.push_back({bucket.id, std::string(sim::meter_name(Meter::MonitoredObjects)), 0,
                            fmt::format("not declared, 0 assumed: Intelligent-Tiering charges monitoring per object of 128 KB or more "
                                        "a month; declare usage.{}.monitored_objects",
                                        bucket.id)});
  }
}

}  // namespace

std::optional<Usage> declared_usage(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                    model::Diagnostics& diagnostics) {
  const auto errors_before = diagnostics.error_count();
  model::SourceIndex index;
  DecodeContext ctx{diagnostics, index};
  Usage u;
  u.hours = kHoursPerMonth;
  u.basis = "declared in the scenario's `usage` block (monthly)";
  std::map<std::string, model::SourceLoc> declared_at;  ///< by `usage.<id>.<meter>`
  if (scenario.usage) {
    const YamlNode& root = *scenario.usage;
    if (!root.is_map()) {
      ctx.error(root, "usage", "expected a map of component ids to monthly meters, found " + std::string(model::kind_name(root.kind)));
      return std::nullopt;
    }
    for (const auto& entry : root.entries) {
      const std::string path = "usage." + entry.key;
      std::vector<std::string> allowed;
      if (entry.key == "account") {
        allowed = names_of(account_meters());
      } else if (const auto ref = topology.component(entry.key)) {
        allowed = names_of(declarable_meters(ref->type));
      } else if (in_any_alternative(scenario, entry.key)) {
        continue;  // another alternative's component
      } else {
        std::vector<std::string> ids{"account"};
        for (const auto& alt : scenario.alternatives) {
          ids.insert(ids.end(), alt.topology.component_order.begin(), alt.topology.component_order.end());
        }
        diagnostics.error(entry.key_loc, path, "no alternative has a component '" + entry.key + "'" + model::did_you_mean(entry.key, ids));
        continue;
      }
      if (!entry.value.is_map()) {
        ctx.error(entry.value, path, "expected a map of meter names to monthly quantities");
        continue;
      }
      for (const auto& m : entry.value.entries) {
        const std::string mpath = path + "." + m.key;
        if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end()) {
          std::string list;
          for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
          diagnostics.error(m.key_loc, mpath, "unknown meter '" + m.key + "' for this component; expected one of " + list +
                                                  model::did_you_mean(m.key, allowed));
          continue;
        }
        if (const std::string why = unbilled_by_settings(scenario, entry.key, *sim::meter_named(m.key)); !why.empty()) {
          diagnostics.error(m.key_loc, mpath, "'" + m.key + "' bills nothing here: " + why);
          continue;
        }
        double total = 0;
        if (decode_quantity(m.value, mpath, m.key, ctx, total)) u.meters.push_back(monthly(entry.key, *sim::meter_named(m.key), total));
        declared_at.emplace(mpath, m.key_loc);
      }
    }
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  // Running resources run all month unless the block says otherwise.
  constexpr double month_seconds = kHoursPerMonth * 3600.0;
  for (const auto& svc : topology.ecs_services) {
    if (u.find(svc.id, Meter::TaskSeconds)) continue;
    if (!svc.autoscaling || svc.autoscaling->scheduled.empty()) {
      u.meters.push_back(monthly(svc.id, Meter::TaskSeconds, svc.desired_count * month_seconds));
      continue;
    }
    // A schedule (scale to zero at night, say) decides the month's task-hours; load-driven
    // scaling inside the scheduled range is left out, as no traffic is simulated here.
    // A 730-hour month holds 4.35 weeks, so whichever weekday it starts on would over- or
    // under-count that weekday's hours: the month is the weekly total x 730 / 168, spread in the
    // shape of a month that starts on a Monday.
    constexpr std::size_t week_hours = 168;
    MeterSeries s{svc.id, std::string(sim::meter_name(Meter::TaskSeconds)), model::scheduled_desired_by_hour(svc, static_cast<int>(kHoursPerMonth), 0)};
    double week_tasks = 0, raw = 0;  // the first week of the replay, and all of it
    for (std::size_t h = 0; h < s.hourly.size(); ++h) {
      if (h < week_hours) week_tasks += s.hourly[h];
      raw += s.hourly[h];
    }
    const double scale = raw > 0 ? week_tasks * kHoursPerMonth / static_cast<double>(week_hours) / raw : 0.0;
    double total = 0;
    for (double& tasks : s.hourly) total += tasks *= 3600.0 * scale;
    u.meters.push_back(std::move(s));
    std::vector<std::string> actions;
    for (const auto& a : svc.autoscaling->scheduled) actions.push_back(a.id);
    u.derived.push_back({svc.id, std::string(sim::meter_name(Meter::TaskSeconds)), total,
                         fmt::format("derived from its scheduled actions alone ({}): a week of them replayed (UTC), x {} h / 168 h: "
                                     "{:.1f} task-hours, a mean of {:.2f} tasks (desired_count {}); scaling on load is not included",
                                     fmt::join(actions, ", "), kHoursPerMonth, total / 3600.0, total / month_seconds,
                                     svc.desired_count)});
  }
  for (const auto& bucket : topology.s3_buckets) {
    if (bucket.intelligent_tiering()) check_access_tiers(u, bucket, declared_at, diagnostics);
  }
  for (const auto& svc : topology.ecs_services) {
    add_spot_task_seconds(u, svc, topology.fargate_spot);
    // Spot time is part of the task time: more of it than the whole would bill time that never ran.
    const auto declared = declared_at.find("usage." + svc.id + ".spot_task_seconds");
    if (declared == declared_at.end()) continue;
    const auto total = [&](Meter m) {
      double sum = 0;
      if (const MeterSeries* s = u.find(svc.id, m)) {
        for (double v : s->hourly) sum += v;
      }
      return sum;
    };
    const double all = total(Meter::TaskSeconds) + total(Meter::MinimumTopUpSeconds);
    if (total(Meter::SpotTaskSeconds) > all * (1 + 1e-9)) {
      diagnostics.error(declared->second, "usage." + svc.id + ".spot_task_seconds",
                        fmt::format("expected at most the service's task time ({:.0f} s: task_seconds + minimum_top_up_seconds), found {:.0f} s; "
                                    "spot_task_seconds is the part of it that ran on Fargate Spot",
                                    all, total(Meter::SpotTaskSeconds)));
    }
    // A strategy with no FARGATE share runs every task on Spot ("Fargate does not replace Spot
    // capacity with on-demand capacity"): less Spot than task time would bill the rest on demand.
    const auto strategy = model::effective_strategy(svc, topology.fargate_spot);
    const bool only_spot = model::spot_tasks(strategy, 1) == 1 && model::spot_tasks(strategy, 1000) == 1000;
    if (only_spot && total(Meter::SpotTaskSeconds) < all * (1 - 1e-9)) {
      diagnostics.error(declared->second, "usage." + svc.id + ".spot_task_seconds",
                        fmt::format("expected the service's whole task time ({:.0f} s: task_seconds + minimum_top_up_seconds) in {}, found {:.0f} s; "
                                    "{} places every task on FARGATE_SPOT, and Fargate never runs them on demand instead",
                                    all, topology.path, total(Meter::SpotTaskSeconds),
                                    svc.capacity_provider_strategy.empty() ? "the alternative's pricing.fargate: spot" : "its capacity_provider_strategy"));
    }
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  for (const auto& db : topology.databases) {
    if (!u.find(db.id, Meter::InstanceSeconds)) u.meters.push_back(monthly(db.id, Meter::InstanceSeconds, month_seconds));
  }
  for (const auto& f : topology.lambdas) {
    if (f.provisioned_concurrency > 0 && !u.find(f.id, Meter::ProvisionedGbSeconds)) {
      const double gb = static_cast<double>(f.memory.count) / (1024.0 * 1024.0 * 1024.0);
      u.meters.push_back(monthly(f.id, Meter::ProvisionedGbSeconds, f.provisioned_concurrency * gb * month_seconds));
    }
  }
  return u;
}

void add_unmeasured(Usage& measured, const Usage& declared, const std::set<std::string>& off_route) {
  // What the scenario leaves out and no run can measure stays said in the measured usage.
  for (const auto& o : declared.undeclared) {
    if (!measured.find(o.component, o.meter)) measured.undeclared.push_back(o);
  }
  for (const auto& m : declared.meters) {
    if (const MeterSeries* got = measured.find(m.component, m.meter)) {
      const bool nothing = std::all_of(got->hourly.begin(), got->hourly.end(), [](double v) { return v == 0.0; });
      if (!nothing || !off_route.contains(m.component)) continue;
      std::erase_if(measured.meters, [&](const MeterSeries& x) { return &x == got; });
    }
    // Declared meters are monthly; express them over the measured hours so that `month`
    // stretches them back to the same monthly total.
    MeterSeries s{m.component, m.meter, {}};
    const std::size_t n = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(measured.hours)));
    s.hourly.assign(n, m.hourly.empty() ? 0.0 : m.hourly.front());
    s.hourly.back() *= std::clamp(measured.hours - static_cast<double>(n - 1), 0.0, 1.0);
    measured.meters.push_back(std::move(s));
  }
}

}  // namespace archsim::pricing
