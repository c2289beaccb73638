// The usage meters, named once.
//
// A meter is a quantity a bill is made of: requests, bytes processed, task-seconds. The
// simulator produces meters, a scenario's `usage:` block declares the ones it cannot measure
// (storage, monthly active users), and the cost model prices both. All three name a meter
// through this one table, so a meter is spelled in one place: a renamed meter changes the
// simulator, the `usage:` block and the bill together instead of silently billing zero.
// The names are part of the outputs (results.json `usage`, bills, the `usage:` block), so
// they are stable; docs/simulation.md lists what each measures.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace archsim::sim {

enum class Meter : std::uint8_t {
  // Produced by the simulation (and declarable where the component type allows).
  Requests,           ///< requests a component served (S3: the GETs; Lambda: the invocations it ran)
  PutRequests,        ///< S3 PUT, COPY, POST and LIST requests
  MeteredRequests,    ///< HTTP API requests counted per started metering increment
  ProcessedBytes,     ///< bytes a load balancer, NAT gateway or interface endpoint processed
  CrossZoneBytes,     ///< bytes crossing between Availability Zones, metered where AWS bills them
  InternetOutBytes,   ///< bytes sent to the internet
  NewConnections,     ///< load balancer connections opened
  ConnectionSeconds,  ///< load balancer connection time
  RuleEvaluations,    ///< ALB listener rules evaluated
  TaskSeconds,        ///< Fargate task time billed
  VcpuSeconds,        ///< Fargate vCPU time billed
  GbSeconds,          ///< Fargate memory time, or Lambda on-demand duration
  MinimumTopUpSeconds,  ///< Fargate's one-minute minimum charge beyond a short task's life
  SpotTaskSeconds,    ///< of task_seconds + minimum_top_up_seconds, what ran on Fargate Spot
  SecondsAtZero,      ///< time a scalable service ran no task
  ScaleOutsFromZero,  ///< returns from zero tasks
  SecondsToFirstTask, ///< time from a scale-out from zero to its first running task
  DeploymentTaskSeconds,  ///< task time beyond the desired count while a deployment runs
  ColdStarts,         ///< Lambda environments initialised on demand
  InitSeconds,        ///< Lambda INIT time
  ProvisionedGbSeconds,          ///< Lambda provisioned concurrency kept ready
  ProvisionedDurationGbSeconds,  ///< Lambda duration on provisioned environments
  ReadUnits,          ///< DynamoDB read request units
  WriteUnits,         ///< DynamoDB write request units
  InstanceSeconds,    ///< RDS instance time
  CacheHits,          ///< CloudFront requests answered from cache
  IngestedBytes,      ///< CloudWatch Logs bytes ingested
  RetrievedBytes,     ///< S3 infrequent-access classes: bytes GETs read back, whoever the caller
  // Declared only: a run cannot measure these; the `usage:` block states them.
  StoredBytes,        ///< S3, DynamoDB, ECR storage
  InfrequentAccessBytes,       ///< S3 Intelligent-Tiering: of the stored bytes, those in the Infrequent Access tier
  ArchiveInstantAccessBytes,   ///< S3 Intelligent-Tiering: of the stored bytes, those in the Archive Instant Access tier
  MonitoredObjects,   ///< S3 Intelligent-Tiering: objects of 128 KB or more, which it monitors (a count held over the month)
  BackupBytes,        ///< RDS backup storage
  StreamReadRequests, ///< DynamoDB Streams GetRecords calls by consumers other than Lambda triggers
  ApiRequests,        ///< Secrets Manager API calls
  MonthlyActiveUsers, ///< Cognito
  Queries,            ///< Route 53 queries
  AlarmMetrics,       ///< CloudWatch alarm metrics (the account)
  CustomMetrics,      ///< CloudWatch custom metrics (the account)
  Dashboards,         ///< CloudWatch dashboards (the account)
};

struct MeterInfo {
  Meter meter;
  std::string_view name;  ///< as it appears in results.json, bills and the `usage:` block
  std::string_view unit;  ///< `count`, `bytes`, `s`, `vCPU-s`, `GB-s`, `units`
  bool simulated;         ///< the simulation produces it; else only a `usage:` block declares it
};

/// Every meter, in declaration order.
std::span<const MeterInfo> all_meters();
const MeterInfo& meter_info(Meter m);
inline std::string_view meter_name(Meter m) { return meter_info(m).name; }
/// The meter a name denotes, or nothing for a name no meter has.
std::optional<Meter> meter_named(std::string_view name);

}  // namespace archsim::sim
