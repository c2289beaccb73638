#include "trace.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "archsim/model/input_limits.hpp"

namespace archsim::sim::detail {

namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm: days since 1970-01-01 of a proleptic Gregorian date.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool parse_int(std::string_view text, std::int64_t& out) {
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && p == text.data() + text.size();
}

/// Seconds as a decimal number (`12.5`) into nanoseconds, exactly for up to 9 decimals.
std::optional<std::int64_t> parse_seconds_ns(std::string_view text) {
  const auto dot = text.find('.');
  std::int64_t whole = 0, frac = 0;
  if (!parse_int(text.substr(0, dot), whole) || whole < 0 || whole > 9'000'000'000) return std::nullopt;
  if (dot != std::string_view::npos) {
    std::string_view f = text.substr(dot + 1);
    if (f.empty() || f.size() > 9 || !parse_int(f, frac) || frac < 0) return std::nullopt;
    for (std::size_t i = f.size(); i < 9; ++i) frac *= 10;
  }
  return whole * 1'000'000'000 + frac;
}

/// Splits a line on `sep`, keeping double-quoted fields whole; records each field's column.
std::vector<std::pair<std::string_view, int>> split_fields(std::string_view line, char sep) {
  std::vector<std::pair<std::string_view, int>> out;
  std::size_t i = 0;
  while (i <= line.size()) {
    if (sep == ' ') {
      while (i < line.size() && line[i] == ' ') ++i;
      if (i == line.size()) break;
    }
    const int column = static_cast<int>(i) + 1;
    if (i < line.size() && line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      const std::size_t end = close == std::string_view::npos ? line.size() : close;
      out.emplace_back(line.substr(i + 1, end - i - 1), column);
      i = end + 1;
      if (i < line.size() && line[i] == sep) ++i;
      else if (i >= line.size()) break;
      continue;
    }
    const std::size_t end = std::min(line.find(sep, i), line.size());
    out.emplace_back(line.substr(i, end - i), column);
    if (end == line.size()) break;
    i = end + 1;
  }
  return out;
}

/// The path of a request line's URL: `GET https://host:443/items?id=1 HTTP/1.1` -> /items.
std::string url_path_of(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    const auto slash = url.find('/', scheme + 3);
    url = slash == std::string_view::npos ? std::string_view("/") : url.substr(slash);
  }
  return std::string(url.substr(0, url.find('?')));
}

}  // namespace

std::optional<std::int64_t> parse_iso8601_ns(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t.back() != 'Z') {
    return std::nullopt;
  }
  std::int64_t y, mo, d, h, mi;
  if (!parse_int(t.substr(0, 4), y) || !parse_int(t.substr(5, 2), mo) || !parse_int(t.substr(8, 2), d) ||
      !parse_int(t.substr(11, 2), h) || !parse_int(t.substr(14, 2), mi)) {
    return std::nullopt;
  }
  const auto seconds = parse_seconds_ns(t.substr(17, t.size() - 18));
  // Nanoseconds since 1970 in 64 bits end in April 2262; years outside kTraceYears would
  // overflow (year 2300 read as a time before the run, year 9999 as none at all).
  if (y < kTraceYears.first || y > kTraceYears.second) return std::nullopt;
  if (!seconds || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || *seconds >= 61'000'000'000) {
    return std::nullopt;
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 24 + h) * 60 + mi) * 60'000'000'000 + *seconds;
}

bool load_trace(TraceSpec& trace, const model::ScenarioFiles& files, const model::SourceLoc& where, std::size_t max_records,
                model::Diagnostics& diagnostics) {
  max_records = std::min(max_records, model::limits::kMaxTraceRecords);
  std::string refused;
  const auto resolved = model::resolve_scenario_path(files, trace.file, refused);
  if (!resolved) {
    diagnostics.error(where, trace.path, fmt::format("trace file {}", refused));
    return false;
  }
  const std::filesystem::path& file = *resolved;
  const std::string display = (std::filesystem::path(where.file).parent_path() / trace.file).lexically_normal().string();
  model::FileProblem problem;
  auto opened = model::open_regular_file(file, model::limits::kMaxTraceFileBytes, problem);
  if (!opened) {
    diagnostics.error(where, trace.path, fmt::format("trace file '{}' cannot be read (looked in {}): {}", trace.file, file.string(),
                                                     problem.message));
    return false;
  }
  std::ifstream& in = *opened;
  auto error_at = [&](int line, int column, const std::string& message) {
    diagnostics.error(model::SourceLoc{display, line, column}, trace.path, message);
  };
  std::string line;
  int line_no = 0;
  bool ok = true;
  bool header_seen = false;
  int errors = 0;
  std::vector<TraceRecord>& records = trace.records;
  records.clear();
  std::size_t bytes_read = 0;
  while (std::getline(in, line)) {
    ++line_no;
    // The size was checked before opening; a file that grows while read stops here.
    bytes_read += line.size() + 1;
    if (bytes_read > model::limits::kMaxTraceFileBytes + 1) {
      error_at(line_no, 1, fmt::format("trace grew past the {}-byte limit while it was read", model::limits::kMaxTraceFileBytes));
      return false;
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (records.size() >= max_records) {
      error_at(line_no, 1, fmt::format("trace has more than {} requests, the limit; split it or sample it", max_records));
      return false;
    }
    auto fail = [&](int column, const std::string& message) {
      ok = false;
      if (++errors <= 20) error_at(line_no, column, message);
    };
    TraceRecord r;
    if (trace.format == TraceFormat::Csv) {
      const auto fields = split_fields(line, ',');
      if (!header_seen) {
        header_seen = true;
        if (fields.size() < 2 || fields[0].first != "timestamp" || fields[1].first != "route") {
          fail(1, "expected the header line 'timestamp,route[,request_bytes,response_bytes]'");
          return false;
        }
        continue;
      }
      if (fields.size() < 2) {
        fail(1, "expected 'timestamp,route[,request_bytes,response_bytes]'");
        continue;
      }
      const auto& [stamp, stamp_col] = fields[0];
      if (auto s = parse_seconds_ns(stamp)) r.time_ns = *s;
      else if (auto iso = parse_iso8601_ns(stamp)) r.time_ns = *iso;
      else {
        fail(stamp_col, fmt::format("expected a timestamp (seconds such as 12.5, or ISO 8601 UTC such as "
                                    "2026-01-05T10:00:00Z, in the years {} to {}), found '{}'",
                                    kTraceYears.first, kTraceYears.second, stamp));
        continue;
      }
      r.route = std::string(fields[1].first);
      if (r.route.empty()) fail(fields[1].second, "expected a route id");
      for (std::size_t k = 2; k < fields.size() && k < 4; ++k) {
        std::int64_t bytes = 0;
        if (!parse_int(fields[k].first, bytes) || bytes < 0) {
          fail(fields[k].second, fmt::format("expected a byte count, found '{}'", fields[k].first));
        }
        (k == 2 ? r.request_bytes : r.response_bytes) = bytes;
      }
    } else {
      // ALB access log: type time elb client:port target:port request_processing_time
      // target_processing_time response_processing_time elb_status_code target_status_code
      // received_bytes sent_bytes "request" "user_agent" ... matched_rule_priority
      // request_creation_time ... (docs.aws.amazon.com/elasticloadbalancing/latest/application/
      // load-balancer-access-logs.html). The request arrived at request_creation_time; `time`
      // is when the response went out, so it is used only for logs that lack the former.
      const auto fields = split_fields(line, ' ');
      if (fields.size() < 13) {
        fail(1, fmt::format("expected an ALB access log entry (at least 13 fields), found {} fields", fields.size()));
        continue;
      }
      const auto& [stamp, stamp_col] = fields.size() > 21 ? fields[21] : fields[1];
      const auto iso = parse_iso8601_ns(stamp);
      if (!iso) {
        fail(stamp_col, fmt::format("expected an ISO 8601 UTC time in the years {} to {}, found '{}'", kTraceYears.first,
                                    kTraceYears.second, stamp));
        continue;
      }
      r.time_ns = *iso;
      std::int64_t received = 0, sent = 0;
      if (!parse_int(fields[10].first, received) || !parse_int(fields[11].first, sent)) {
        fail(fields[10].second, "expected received_bytes and sent_bytes as integers");
        continue;
      }
      r.request_bytes = received;
      r.response_bytes = sent;
      const std::string_view request = fields[12].first;
      const auto space = request.find(' ');
      if (space == std::string_view::npos) {
        fail(fields[12].second, fmt::format("expected \"METHOD URL PROTOCOL\", found \"{}\"", request));
        continue;
      }
      r.method = std::string(request.substr(0, space));
      const auto url_end = request.find(' ', space + 1);
      r.url_path = url_path_of(request.substr(space + 1, url_end == std::string_view::npos ? url_end : url_end - space - 1));
    }
    records.push_back(std::move(r));
  }
  if (errors > 20) error_at(line_no, 1, fmt::format("{} more errors in this trace not shown", errors - 20));
  if (!ok) return false;
  if (records.empty()) {
    diagnostics.error(where, trace.path, fmt::format("trace file '{}' has no requests", trace.file));
    return false;
  }
  // ALB writes each node's log separately, so entries are only roughly ordered; replay sorts
  // them (stably, so equal times keep file order).
  std::stable_sort(records.begin(), records.end(),
                   [](const TraceRecord& a, const TraceRecord& b) { return a.time_ns < b.time_ns; });
  const std::int64_t first = records.front().time_ns;
  for (auto& r : records) r.time_ns -= first;
  return true;
}

}  // namespace archsim::sim::detail
