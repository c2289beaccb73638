#include "archsim/sim/meters.hpp"

#include <array>

namespace archsim::sim {

namespace {

constexpr std::array kMeters = {
    MeterInfo{Meter::Requests, "requests", "count", true},
    MeterInfo{Meter::PutRequests, "put_requests", "count", true},
    MeterInfo{Meter::MeteredRequests, "metered_requests", "count", true},
    MeterInfo{Meter::ProcessedBytes, "processed_bytes", "bytes", true},
    MeterInfo{Meter::CrossZoneBytes, "cross_zone_bytes", "bytes", true},
    MeterInfo{Meter::InternetOutBytes, "internet_out_bytes", "bytes", true},
    MeterInfo{Meter::NewConnections, "new_connections", "count", true},
    MeterInfo{Meter::ConnectionSeconds, "connection_seconds", "s", true},
    MeterInfo{Meter::RuleEvaluations, "rule_evaluations", "count", true},
    MeterInfo{Meter::TaskSeconds, "task_seconds", "s", true},
    MeterInfo{Meter::VcpuSeconds, "vcpu_seconds", "vCPU-s", true},
    MeterInfo{Meter::GbSeconds, "gb_seconds", "GB-s", true},
    MeterInfo{Meter::MinimumTopUpSeconds, "minimum_top_up_seconds", "s", true},
    MeterInfo{Meter::SpotTaskSeconds, "spot_task_seconds", "s", true},
    MeterInfo{Meter::SecondsAtZero, "seconds_at_zero", "s", true},
    MeterInfo{Meter::ScaleOutsFromZero, "scale_outs_from_zero", "count", true},
    MeterInfo{Meter::SecondsToFirstTask, "seconds_to_first_task", "s", true},
    MeterInfo{Meter::DeploymentTaskSeconds, "deployment_task_seconds", "s", true},
    MeterInfo{Meter::ColdStarts, "cold_starts", "count", true},
    MeterInfo{Meter::InitSeconds, "init_seconds", "s", true},
    MeterInfo{Meter::ProvisionedGbSeconds, "provisioned_gb_seconds", "GB-s", true},
    MeterInfo{Meter::ProvisionedDurationGbSeconds, "provisioned_duration_gb_seconds", "GB-s", true},
    MeterInfo{Meter::ReadUnits, "read_units", "units", true},
    MeterInfo{Meter::WriteUnits, "write_units", "units", true},
    MeterInfo{Meter::InstanceSeconds, "instance_seconds", "s", true},
    MeterInfo{Meter::CacheHits, "cache_hits", "count", true},
    MeterInfo{Meter::IngestedBytes, "ingested_bytes", "bytes", true},
    MeterInfo{Meter::RetrievedBytes, "retrieved_bytes", "bytes", true},
    MeterInfo{Meter::StoredBytes, "stored_bytes", "bytes", false},
    MeterInfo{Meter::InfrequentAccessBytes, "infrequent_access_bytes", "bytes", false},
    MeterInfo{Meter::ArchiveInstantAccessBytes, "archive_instant_access_bytes", "bytes", false},
    MeterInfo{Meter::MonitoredObjects, "monitored_objects", "count", false},
    MeterInfo{Meter::BackupBytes, "backup_bytes", "bytes", false},
    MeterInfo{Meter::StreamReadRequests, "stream_read_requests", "count", false},
    MeterInfo{Meter::ApiRequests, "api_requests", "count", false},
    MeterInfo{Meter::MonthlyActiveUsers, "monthly_active_users", "count", false},
    MeterInfo{Meter::Queries, "queries", "count", false},
    MeterInfo{Meter::AlarmMetrics, "alarm_metrics", "count", false},
    MeterInfo{Meter::CustomMetrics, "custom_metrics", "count", false},
    MeterInfo{Meter::Dashboards, "dashboards", "count", false},
};

// The table is indexed by the enum: a meter added to one and not the other fails to compile.
constexpr bool in_enum_order() {
  for (std::size_t i = 0; i < kMeters.size(); ++i) {
    if (static_cast<std::size_t>(kMeters[i].meter) != i) return false;
  }
  return kMeters.size() == static_cast<std::size_t>(Meter::Dashboards) + 1;
}
static_assert(in_enum_order(), "kMeters lists every Meter once, in declaration order");

}  // namespace

std::span<const MeterInfo> all_meters() { return kMeters; }

const MeterInfo& meter_info(Meter m) { return kMeters[static_cast<std::size_t>(m)]; }

std::optional<Meter> meter_named(std::string_view name) {
  for (const MeterInfo& m : kMeters) {
    if (m.name == name) return m.meter;
  }
  return std::nullopt;
}

}  // namespace archsim::sim
