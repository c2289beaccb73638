#include "archsim/reports/run_report.hpp"

#include <cmath>

#include <fmt/format.h>

#include "archsim/reports/bill_report.hpp"
#include "archsim/reports/review.hpp"

namespace archsim::reports {

namespace {

constexpr double kQuantiles[] = {0.5, 0.9, 0.95, 0.99, 0.999};
constexpr const char* kQuantileNames[] = {"p50", "p90", "p95", "p99", "p99.9"};

std::string describe_arrivals(const sim::ArrivalSpec& a) {
  if (a.trace) {
    return fmt::format("trace replay of {} ({} requests, {})", a.trace->file, a.trace->records.size(),
                       a.trace->format == sim::TraceFormat::Csv ? "CSV" : "ALB access log");
  }
  std::string text = fmt::format("Poisson arrivals at {:g}/s", a.rate_per_second);
  if (!a.daily_profile.empty()) text += ", daily profile";
  if (!a.weekend_profile.empty()) text += ", weekend profile";
  if (!a.bursts.empty()) text += fmt::format(", {} burst(s)", a.bursts.size());
  return text;
}

/// 12,345,678
std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string format_quantity(double value, const std::string& unit) {
  if (unit == "bytes") {
    if (value >= 1e9) return fmt::format("{:.3f} GB", value / 1e9);
    if (value >= 1e6) return fmt::format("{:.3f} MB", value / 1e6);
    return fmt::format("{:.0f} B", value);
  }
  if (unit == "count") return fmt::format("{:.0f}", value);
  return fmt::format("{:.6g} {}", value, unit);
}

nlohmann::json latency_json(const sim::LatencyHistogram& h) {
  nlohmann::json j{{"count", h.count()}};
  for (std::size_t i = 0; i < std::size(kQuantiles); ++i) j[std::string(kQuantileNames[i]) + "_ms"] = static_cast<double>(h.quantile(kQuantiles[i])) / 1e6;
  j["max_ms"] = static_cast<double>(h.max()) / 1e6;
  j["mean_ms"] = h.mean() / 1e6;
  return j;
}

nlohmann::json outcomes_json(const sim::OutcomeCounts& counts) {
  nlohmann::json j = nlohmann::json::object();
  for (std::size_t i = 0; i < sim::kOutcomeCount; ++i) j[std::string(sim::outcome_name(static_cast<sim::Outcome>(i)))] = counts[i];
  return j;
}

std::string latency_line(const sim::LatencyHistogram& h) {
  if (h.count() == 0) return "no successful requests";
  std::string line;
  for (std::size_t i = 0; i < std::size(kQuantiles); ++i) line += fmt::format("{} {}  ", kQuantileNames[i], format_latency(h.quantile(kQuantiles[i])));
  return line + fmt::format("max {}  mean {}", format_latency(h.max()), format_latency(std::llround(h.mean())));
}

}  // namespace

std::string format_latency(std::int64_t ns) {
  const double v = static_cast<double>(ns);
  if (v >= 1e9) return fmt::format("{:.3g}s", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.3g}ms", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.3g}us", v / 1e3);
  return fmt::format("{}ns", ns);
}

std::string render_run_text(const RunReport& r) {
  const auto& w = r.workload;
  std::string out = fmt::format("== simulation: {} over {} (warm-up {}), seed {}, {} replication{}\n   {}\n",
                                r.scenario, model::format_duration(r.horizon), model::format_duration(w.warmup), r.seed,
                                w.replications, w.replications == 1 ? "" : "s", describe_arrivals(w.arrivals));
  for (const auto& alt : r.alternatives) {
    out += fmt::format("\n== {} [{}]: {}\n", alt.id, to_string(alt.status), alt.title);
    if (alt.error) {
      out += fmt::format("   not simulated: {}\n", alt.error->message);
      continue;
    }
    const sim::SimResult& s = *alt.result;
    const std::uint64_t total = s.overall.total();
    out += fmt::format("   requests {}  errors {}  availability {:.4f}%  (request-based: successful / total)\n",
                       with_commas(total / static_cast<std::uint64_t>(s.replications)),
                       with_commas(s.overall.errors() / static_cast<std::uint64_t>(s.replications)), 100.0 * s.availability());
    out += "   latency  " + latency_line(s.overall.latency) + "\n";
    if (s.routes.size() > 1) {
      for (const auto& route : s.routes) out += fmt::format("   route {:<10} {}\n", route.route, latency_line(route.latency));
    }
    std::string causes;
    for (std::size_t i = 1; i < sim::kOutcomeCount; ++i) {
      if (s.overall.outcomes[i] > 0) causes += fmt::format("  {} {}", sim::outcome_name(static_cast<sim::Outcome>(i)), with_commas(s.overall.outcomes[i]));
    }
    out += "   errors by cause:" + (causes.empty() ? std::string("  none") : causes) + "\n";
    out += "   usage (per replication):\n";
    for (const auto& m : s.usage) {
      const double per_run = m.total() / s.replications;
      if (per_run == 0) continue;
      out += fmt::format("     {:<14} {:<20} {}\n", m.component, m.meter, format_quantity(per_run, m.unit));
    }
    if (alt.bill) out += render_bill_text(*alt.bill, alt.budget);
  }
  const std::string claims = render_claims_text(r.claims);
  return claims.empty() ? out : out + "\n" + claims;
}

nlohmann::json run_json(const RunReport& r, std::string_view version) {
  nlohmann::json doc{{"schema", "archsim.run/1"},
                     {"archsim_version", version},
                     {"file", r.file},
                     {"scenario", r.scenario},
                     {"workload",
                      {{"horizon", model::format_duration(r.horizon)},
                       {"warmup", model::format_duration(r.workload.warmup)},
                       {"seed", r.seed},
                       {"replications", r.workload.replications},
                       {"arrivals", describe_arrivals(r.workload.arrivals)}}}};
  doc["alternatives"] = nlohmann::json::array();
  for (const auto& alt : r.alternatives) {
    nlohmann::json a{{"id", alt.id}, {"title", alt.title}, {"status", to_string(alt.status)}};
    if (alt.error) {
      a["error"] = {{"path", alt.error->path}, {"message", alt.error->message}};
    } else {
      const sim::SimResult& s = *alt.result;
      nlohmann::json sim{{"events", s.events},
                         {"requests", s.overall.total()},
                         {"availability", s.availability()},
                         {"availability_definition", "successful requests / all requests completed after the warm-up"},
                         {"latency", latency_json(s.overall.latency)},
                         {"outcomes", outcomes_json(s.overall.outcomes)}};
      sim["routes"] = nlohmann::json::array();
      for (const auto& route : s.routes) {
        sim["routes"].push_back({{"id", route.route}, {"latency", latency_json(route.latency)}, {"outcomes", outcomes_json(route.outcomes)}});
      }
      sim["usage"] = nlohmann::json::array();
      for (const auto& m : s.usage) {
        sim["usage"].push_back({{"component", m.component},
                                {"meter", m.meter},
                                {"unit", m.unit},
                                {"total_per_replication", m.total() / s.replications},
                                {"hourly_sum_over_replications", m.hourly}});
      }
      sim["incidents"] = nlohmann::json::array();
      for (const auto& i : s.incidents) {
        sim["incidents"].push_back({{"at", model::format_duration(sim::Duration{(i.at_ns + 500'000) / 1'000'000 * 1'000'000})}, {"what", i.what}, {"subject", i.subject}});
      }
      a["simulation"] = std::move(sim);
    }
    if (alt.bill) a["cost"] = bill_json(*alt.bill);
    if (alt.budget) a["budget"] = budget_json(*alt.budget);
    doc["alternatives"].push_back(std::move(a));
  }
  doc["pricing_claims"] = claims_json(r.claims);
  return doc;
}

std::string timeline_csv(const sim::SimResult& result) {
  std::string out = "minute,arrivals,errors,p99_ms,busy_capacity\n";
  for (std::size_t i = 0; i < result.timeline.size(); ++i) {
    const auto& m = result.timeline[i];
    out += fmt::format("{},{},{},{:.3f},{:.4f}\n", i, m.arrivals, m.errors, static_cast<double>(m.p99_ns) / 1e6, m.busy_capacity);
  }
  return out;
}

}  // namespace archsim::reports
