// Usage derived from the workload for `archsim price`: expected values over the simulator's own
// route plans (sim::expected_load), metered as the request walk meters them, stretched to the
// billing month by Usage::month like a run's measurement.
#include "archsim/pricing/usage_from_workload.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/sim/defaults.hpp"
#include "archsim/sim/expected_load.hpp"

namespace archsim::pricing {

namespace {

using model::ComponentType;
using sim::Meter;

/// Per (component, meter): the expected amount in each measured hour, and what it is made of.
struct Accumulator {
  std::vector<double> hourly;
  std::set<std::string> routes;
  std::string what;
};

class Derivation {
 public:
  Derivation(const sim::ExpectedLoad& load) : load_(load) {}

  /// Adds `per_request` (in the meter's unit) for every request of `route` reaching `visit`.
  void add(const std::string& component, sim::Meter meter, const sim::ExpectedRoute& route, const sim::ExpectedVisit& visit,
           double per_request, std::string what) {
    if (per_request <= 0) return;
    auto& a = meters_[{component, std::string(sim::meter_name(meter))}];
    if (a.hourly.empty()) a.hourly.assign(load_.arrivals_per_hour.size(), 0.0);
    for (std::size_t h = 0; h < a.hourly.size(); ++h) a.hourly[h] += load_.arrivals_per_hour[h] * route.share * visit.reach * per_request;
    a.routes.insert(fmt::format("{} ({:.4g} % of requests{})", route.id, 100 * route.share,
                                visit.reach < 1 ? fmt::format(", {:.4g} % of them past the cache", 100 * visit.reach) : std::string()));
    a.what = std::move(what);
  }

  const std::map<std::pair<std::string, std::string>, Accumulator>& meters() const { return meters_; }

 private:
  const sim::ExpectedLoad& load_;
  std::map<std::pair<std::string, std::string>, Accumulator> meters_;
};

void derive(Derivation& d, const sim::ExpectedLoad& load) {
  for (const auto& route : load.routes) {
    for (const auto& v : route.visits) {
      const sim::ExpectedComponent* c = load.component(v.component);
      if (c == nullptr) continue;
      const std::string& id = c->id;
      const double req = route.request_bytes, resp = route.response_bytes;
      const bool sends_out = v.from_internet && c->type != ComponentType::Lambda;
      switch (c->type) {
        case ComponentType::LoadBalancer:
          d.add(id, Meter::Requests, route, v, 1, "expected requests");
          d.add(id, Meter::ProcessedBytes, route, v, req + resp, fmt::format("requests x ({:.0f} + {:.0f}) bytes in and out", req, resp));
          d.add(id, Meter::NewConnections, route, v, 1 / load.requests_per_connection,
                fmt::format("requests / {:g} requests per connection", load.requests_per_connection));
          d.add(id, Meter::ConnectionSeconds, route, v, load.connection_seconds / load.requests_per_connection,
                fmt::format("new connections x {:g} s held", load.connection_seconds));
          d.add(id, Meter::RuleEvaluations, route, v, c->rules_evaluated, fmt::format("requests x {} listener rules evaluated", c->rules_evaluated));
          break;
        case ComponentType::Lambda: {
          d.add(id, Meter::Requests, route, v, 1, "expected invocations");
          // Billed duration rounds up to the millisecond: half a millisecond more on average.
          // The function waits for the hops after it; cold starts (INIT) and network delays are left out.
          const double seconds = v.downstream_seconds + 0.0005;
          const Meter key = c->provisioned_concurrency > 0 ? Meter::ProvisionedDurationGbSeconds : Meter::GbSeconds;
          d.add(id, key, route, v, seconds * c->memory_gb,
                fmt::format("invocations x {:.1f} ms mean duration (its service time and the hops after it, rounded up to the ms; "
                            "cold starts and network delays left out) x {:.4g} GB",
                            seconds * 1e3, c->memory_gb));
          break;
        }
        case ComponentType::S3Bucket:
          d.add(id, route.write ? Meter::PutRequests : Meter::Requests, route, v, 1, route.write ? "expected PUT requests" : "expected GET requests");
          break;
        case ComponentType::DynamoDb: {
          const auto units = sim::table_units_per_request(c->behaviour);
          d.add(id, Meter::Requests, route, v, 1, "expected requests");
          d.add(id, Meter::ReadUnits, route, v, units.reads, fmt::format("requests x {:g} read units", units.reads));
          d.add(id, Meter::WriteUnits, route, v, units.writes, fmt::format("requests x {:g} write units", units.writes));
          break;
        }
        case ComponentType::CloudFront:
        case ComponentType::ApiGateway:
        case ComponentType::EcsService:
        case ComponentType::Rds: d.add(id, Meter::Requests, route, v, 1, "expected requests"); break;
        default: break;
      }
      if (sends_out) d.add(id, Meter::InternetOutBytes, route, v, resp, fmt::format("requests x {:.0f} response bytes to the internet", resp));
      const double log_bytes = static_cast<double>(c->behaviour.log_bytes_per_request.count);
      if (!c->log_group.empty() && (c->type == ComponentType::EcsService || c->type == ComponentType::Lambda)) {
        d.add(c->log_group, Meter::IngestedBytes, route, v, log_bytes, fmt::format("requests to {} x {:.0f} log bytes each", id, log_bytes));
      }
      // Bytes between zones, on the component the walk meters each direction on.
      if (v.cross_zone > 0) {
        const std::string what = fmt::format("calls into {} x {:.3g} % crossing zones (the zones' shares of both ends) x", id, 100 * v.cross_zone);
        if (v.request_crossing_on == v.response_crossing_on) {
          d.add(v.request_crossing_on, Meter::CrossZoneBytes, route, v, v.cross_zone * (req + resp),
                fmt::format("{} ({:.0f} + {:.0f}) bytes", what, req, resp));
        } else {
          d.add(v.request_crossing_on, Meter::CrossZoneBytes, route, v, v.cross_zone * req, fmt::format("{} {:.0f} request bytes", what, req));
          d.add(v.response_crossing_on, Meter::CrossZoneBytes, route, v, v.cross_zone * resp, fmt::format("{} {:.0f} response bytes", what, resp));
        }
      }
      // CloudFront: a cache hit is answered at the edge; only misses go on (sim::expected_load).
    }
  }
}

}  // namespace

void add_usage_from_workload(Usage& declared, const model::TopologySpec& topology, const sim::WorkloadSpec* workload,
                             bool has_usage_block) {
  const std::string block = has_usage_block ? "declared in the scenario's `usage` block (monthly)" : "the scenario has no `usage` block";
  if (workload == nullptr) {
    declared.basis = block + "; no workload to derive the rest from";
  }
  std::optional<sim::ExpectedLoad> load;
  std::string why;
  if (workload != nullptr) {
    load = sim::expected_load(topology, *workload, sim::builtin_sim_defaults(), why);
    if (!load) declared.basis = block + "; the workload cannot run on this alternative (" + why + "), so nothing was derived";
  }
  if (load) {
    Derivation d(*load);
    derive(d, *load);
    Usage measured;  // the derived hours, stretched to the month exactly as a run's measurement
    measured.hours = load->hours;
    for (const auto& [key, a] : d.meters()) measured.meters.push_back({key.first, key.second, a.hourly});
    int added = 0;
    for (const auto& [key, a] : d.meters()) {
      if (declared.find(key.first, key.second) || !topology.component(key.first)) continue;
      MeterSeries s{key.first, key.second, measured.month(key.first, key.second)};
      double total = 0;
      for (double x : s.hourly) total += x;
      declared.meters.push_back(std::move(s));
      declared.derived.push_back({key.first, key.second, total,
                                  fmt::format("derived from the workload: {} on route {}; arrivals: {}, stretched to {} h", a.what,
                                              fmt::join(a.routes, ", "), load->arrivals_basis, kHoursPerMonth)});
      ++added;
    }
    declared.basis = added == 0 ? block
                                : fmt::format("{}; {} meter{} {}derived from the workload (expected values, no simulation)", block,
                                              added, added == 1 ? "" : "s", has_usage_block ? "the block leaves out " : "");
  }
  // What a component carrying traffic bills by that can be neither declared-and-missing nor
  // derived: processed bytes of the NAT gateways and VPC endpoints its AWS API calls go through.
  std::set<std::string> visited;
  if (load) {
    for (const auto& r : load->routes) {
      for (const auto& v : r.visits) visited.insert(v.component);
    }
    for (const auto& c : load->components) {
      if (!visited.count(c.id)) continue;
      for (const auto& via : c.egress_via) {
        if (declared.find(via, Meter::ProcessedBytes)) continue;
        if (std::any_of(declared.undeclared.begin(), declared.undeclared.end(),
                        [&](const UsageOrigin& o) { return o.component == via && o.meter == sim::meter_name(Meter::ProcessedBytes); })) {
          continue;
        }
        declared.undeclared.push_back({via, std::string(sim::meter_name(Meter::ProcessedBytes)), 0,
                                       fmt::format("not declared, 0 assumed: {} sends its AWS API traffic (logs, images, data) through it; "
                                                   "archsim cannot derive those bytes from the workload, declare usage.{}.processed_bytes",
                                                   c.id, via)});
      }
      if (c.type == ComponentType::Lambda && c.provisioned_concurrency > 0 && !declared.find(c.id, Meter::GbSeconds)) {
        declared.undeclared.push_back({c.id, std::string(sim::meter_name(Meter::GbSeconds)), 0,
                                       "not declared, 0 assumed: with provisioned concurrency, how many invocations overflow to "
                                       "on-demand depends on concurrency over time; the derived duration is all billed as provisioned"});
      }
    }
  } else {
    // Nothing derived: every component on a route is traffic nobody declared.
    for (const auto& r : topology.routes) {
      for (const auto& h : r.hops) {
        const auto ref = topology.component(h.component);
        if (!ref || ref->type == ComponentType::InternetUsers || visited.count(h.component)) continue;
        visited.insert(h.component);
        const bool any = std::any_of(declared.meters.begin(), declared.meters.end(), [&](const MeterSeries& m) {
          return m.component == h.component && m.meter != sim::meter_name(Meter::TaskSeconds) &&
                 m.meter != sim::meter_name(Meter::SpotTaskSeconds) && m.meter != sim::meter_name(Meter::InstanceSeconds);
        });
        if (!any) {
          declared.undeclared.push_back({h.component, std::string(sim::meter_name(Meter::Requests)), 0,
                                         fmt::format("not declared, 0 assumed: on route {}, and {}", r.id,
                                                     workload == nullptr ? "the scenario has no workload to derive its traffic from"
                                                                         : "its traffic could not be derived (" + why + ")")});
        }
      }
    }
  }
}

std::optional<Usage> usage_for_pricing(const model::ScenarioSpec& scenario, const model::TopologySpec& topology,
                                       const sim::WorkloadSpec* workload, model::Diagnostics& diagnostics) {
  auto usage = declared_usage(scenario, topology, diagnostics);
  if (usage) add_usage_from_workload(*usage, topology, workload, scenario.usage.has_value());
  return usage;
}

}  // namespace archsim::pricing
