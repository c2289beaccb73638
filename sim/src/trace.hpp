// Private to the simulator: reading request traces (CSV and ALB access logs).
#pragma once

#include <string>
#include <utility>

#include "archsim/model/input_file.hpp"
#include "archsim/model/source.hpp"
#include "archsim/sim/workload.hpp"

namespace archsim::sim::detail {

/// Reads `trace.file` (resolved against the scenario's folder, and confined to it unless
/// `files.allow_outside`) into `trace.records`, sorted by time and rebased so the first request
/// arrives at 0. Errors name the trace file, line and column. `where` locates the `trace` key
/// for errors about the file as a whole (not a regular file, over limits::kMaxTraceFileBytes).
/// At most min(max_records, limits::kMaxTraceRecords) requests are read.
bool load_trace(TraceSpec& trace, const model::ScenarioFiles& files, const model::SourceLoc& where,
                std::size_t max_records, model::Diagnostics& diagnostics);

/// The years a trace's ISO 8601 times may fall in (docs/limits.md): nanoseconds since 1970
/// fit 64 bits until 2262.
inline constexpr std::pair<std::int64_t, std::int64_t> kTraceYears{1970, 2200};

/// Seconds since the Unix epoch of an ISO 8601 UTC timestamp (`2026-01-05T10:00:00.123456Z`).

std::optional<std::int64_t> parse_iso8601_ns(std::string_view text);

}  // namespace archsim::sim::detail
