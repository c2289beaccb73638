#include "recorder.hpp"

#include <algorithm>

#include "components/kinds.hpp"

namespace archsim::sim::detail {

Recorder::Recorder(const RuntimeModel& model, const WorkloadSpec& workload, Duration horizon, const Engine& engine)
    : model_(model), workload_(workload), horizon_(horizon), engine_(engine), meters_(model.components.size()) {
  result_.replications = 1;
  result_.horizon = horizon_;
  result_.warmup = workload_.warmup;
  result_.timeline.resize(static_cast<std::size_t>((horizon_.ns + kMinuteNs - 1) / kMinuteNs));
  // The minutes that start before the warm-up ends: those time_availability skips (summarise).
  for (std::size_t i = 0; i < result_.timeline.size(); ++i) {
    result_.timeline[i].warmup = static_cast<std::int64_t>(i) * kMinuteNs < workload_.warmup.ns;
  }
  for (std::size_t i = 0; i < model_.route_count; ++i) result_.routes.push_back(RouteStats{model_.plans[i].id, {}, {}});
  result_.overall.route = "all";
  result_.minute_error_threshold = model_.minute_error_threshold;
  register_meters();
}

void Recorder::register_meters() {
  for (const ComponentId ci : model_.components.ids()) {
    const ComponentModel& c = model_.components[ci];
    ComponentMeters& m = meters_[ci];
    if (kind(c.role).counts_requests) m.requests = add_meter(ci, Meter::Requests);
    bool zoned = false;
    for (NodeId n : c.nodes) zoned = zoned || model_.nodes[n].zone >= 0;
    if (zoned) m.cross_zone = add_meter(ci, Meter::CrossZoneBytes);
    const auto add = [&](Meter meter) { return add_meter(ci, meter); };
    visit_kind(c.role, [&](auto k) { decltype(k)::add_meters(model_, ci, m, add); });
  }
  for (const auto& d : model_.deployments) {
    ComponentMeters& m = meters_[d.service];
    if (m.deployment_seconds < 0) m.deployment_seconds = add_meter(d.service, Meter::DeploymentTaskSeconds);
  }
}

int Recorder::add_meter(ComponentId component, Meter meter) {
  const Duration measured{horizon_.ns - workload_.warmup.ns};
  UsageMeter m;
  m.component = model_.components[component].id;
  m.meter = std::string(meter_name(meter));
  m.unit = std::string(meter_info(meter).unit);
  m.hourly.assign(static_cast<std::size_t>((measured.ns + kHourNs - 1) / kHourNs), 0.0);
  result_.usage.push_back(std::move(m));
  return static_cast<int>(result_.usage.size() - 1);
}

void Recorder::meter(int id, double amount, std::int64_t at_ns) {
  if (id < 0) return;
  const std::int64_t since = (at_ns < 0 ? engine_.now().ns : at_ns) - workload_.warmup.ns;
  if (since < 0) return;
  auto& hourly = result_.usage[static_cast<std::size_t>(id)].hourly;
  if (hourly.empty()) return;
  const auto hour = std::min(static_cast<std::size_t>(since / kHourNs), hourly.size() - 1);
  hourly[hour] += amount;
}

void Recorder::incident(std::string_view what, std::string subject) {
  if (result_.incidents.size() >= kMaxIncidents) return;
  result_.incidents.push_back(Incident{engine_.now().ns, std::string(what), std::move(subject)});
}

MinuteSample& Recorder::minute_at(std::int64_t ns) {
  return result_.timeline[std::min(static_cast<std::size_t>(ns / kMinuteNs), result_.timeline.size() - 1)];
}

}  // namespace archsim::sim::detail
