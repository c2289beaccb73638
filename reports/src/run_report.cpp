#include "archsim/reports/run_report.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/reports/bill_report.hpp"
#include "archsim/reports/gates.hpp"
#include "archsim/reports/review.hpp"
#include "run_summary.hpp"

namespace archsim::reports {

namespace {

constexpr double kQuantiles[] = {0.5, 0.9, 0.95, 0.99, 0.999};
constexpr const char* kQuantileNames[] = {"p50", "p90", "p95", "p99", "p99.9"};

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

/// Per replication mean with its 95 % interval, for every headline metric.
std::string render_headline(const AlternativeRun& alt, const sim::SimResult& s) {
  std::string out = fmt::format("   headline (mean of {} replication{}{}):\n", s.replications, s.replications == 1 ? "" : "s",
                                s.replications >= 2 ? ", ± half-width of the 95 % confidence interval" : "; run more for intervals");
  for (const auto& metric : model::criterion_metrics()) {
    const auto it = alt.metrics.find(metric.name);
    if (it == alt.metrics.end()) continue;
    out += fmt::format("     {:<24} {}\n", metric.name, format_estimate(metric, it->second));
  }
  out += fmt::format("     (availability.time: a minute is available when at most {:.3g}% of its requests fail)\n",
                     100 * s.minute_error_threshold);
  if (alt.analytic) {
    const auto& a = *alt.analytic;
    const auto sim_it = alt.metrics.find("availability");
    out += fmt::format("   availability, simulated vs analytic: {} vs {:.4f}% (steady state {:.4f}%, minus transients)\n",
                       sim_it == alt.metrics.end() ? std::string("-") : format_estimate(*model::find_metric("availability"), sim_it->second),
                       100 * a.availability, 100 * a.steady_state);
    if (!a.zones.empty()) out += fmt::format("     zones (share of time up): {}\n", fmt::join(a.zones, ", "));
    for (const auto& route : a.routes) {
      std::vector<std::string> parts;
      for (const auto& p : route.parts) {
        parts.push_back(p.availability < 1 ? fmt::format("{} [{}] {:.4f}%", p.component, p.model, 100 * p.availability)
                                           : fmt::format("{} [{}]", p.component, p.model));
      }
      out += fmt::format("     route {} {:.4f}% = {}{}\n", route.route, 100 * route.steady_state, fmt::join(parts, " x "),
                         route.transient_loss > 0 ? fmt::format(", minus transients {:.4f}%", 100 * route.transient_loss) : "");
    }
    for (const auto& note : a.notes) out += fmt::format("     note: {}\n", note);
  }
  std::string causes;
  for (std::size_t i = 1; i < sim::kOutcomeCount; ++i) {
    std::vector<double> counts;
    for (const auto& rep : s.per_replication) counts.push_back(static_cast<double>(rep.outcomes[i]));
    const sim::Estimate e = sim::estimate(counts);
    if (e.mean == 0) continue;
    causes += e.has_interval() ? fmt::format("  {} {:.1f} ± {:.1f}", sim::outcome_name(static_cast<sim::Outcome>(i)), e.mean, e.half_width)
                               : fmt::format("  {} {:.0f}", sim::outcome_name(static_cast<sim::Outcome>(i)), e.mean);
  }
  if (!causes.empty()) out += "     errors per replication:" + causes + "\n";
  return out;
}

std::string render_incidents(const sim::SimResult& s) {
  if (s.incidents.empty()) return {};
  constexpr std::size_t kShown = 40;
  std::string out = fmt::format("   incidents (replication 1{}):\n", s.incidents.size() > kShown ? fmt::format(", first {} of {}", kShown, s.incidents.size()) : "");
  for (std::size_t i = 0; i < s.incidents.size() && i < kShown; ++i) {
    const auto& inc = s.incidents[i];
    out += fmt::format("     {:>16}  {:<24} {}\n", incident_time(inc), inc.what,
                       inc.subject);
  }
  return out;
}

std::string render_criteria(const RunReport& r) {
  if (r.criteria.empty() || r.scenario_spec == nullptr) return {};
  const auto& spec = *r.scenario_spec;
  std::string out = "\n== criteria, measured (pass: the whole 95 % interval meets the bound; inconclusive: it straddles it)\n";
  std::size_t width = 22;  // the alternatives' column, as wide as the longest id
  for (const auto& alt : spec.alternatives) width = std::max(width, alt.id.size());
  for (const auto& c : spec.criteria) {
    const model::MetricInfo* metric = c.metric.empty() ? nullptr : model::find_metric(c.metric);
    const std::string bound = bound_text(c);
    out += fmt::format("{}: {}{}\n", c.id, c.heading(),
                       metric != nullptr ? fmt::format(" [{}{}]", c.metric, bound.empty() ? "" : " " + bound)
                                         : fmt::format(" [rules: {}]", fmt::join(c.rules, ", ")));
    for (const auto& j : r.criteria) {
      if (j.criterion != c.id) continue;
      std::string detail;
      if (j.measured && metric != nullptr) detail += format_estimate(*metric, *j.measured);
      if (!j.fired.empty()) detail += (detail.empty() ? "" : "; ") + fmt::format("fired: {}", fmt::join(j.fired, ", "));
      if (!j.note.empty()) detail += (detail.empty() ? "" : "; ") + j.note;
      std::string row = fmt::format("   {:<{}} {:<13} {}", j.alternative, width, to_string(j.verdict), detail);
      while (!row.empty() && row.back() == ' ') row.pop_back();
      out += row + "\n";
    }
  }
  // Does the chosen option hold up? Every gate it fails, and the alternatives that meet what it misses.
  for (const auto& d : decide(r, run_gates(r))) {
    out += fmt::format("\n== decision: the chosen option {} {}\n", d.chosen, d.verdict_text());
    for (const auto& v : d.versus) {
      out += fmt::format("   vs {:<{}} [{}] passes {} criteri{} the chosen fails, fails {} it passes\n", v.alternative, width,
                         to_string(v.status), v.better, v.better == 1 ? "on" : "a", v.worse);
    }
  }
  return out;
}

/// The run's last lines: each gate that fails it, then the exit status, so the terminal ends
/// on what a CI job acts on.
std::string render_gates_text(const RunReport& r) {
  const auto gates = run_gates(r);
  std::string out = "\n== gates";
  std::vector<const Gate*> failing;
  for (const auto& g : gates) {
    if (g.fails_run()) failing.push_back(&g);
  }
  out += failing.empty() ? fmt::format(": all {} pass or do not gate\n", gates.size())
                         : fmt::format(": {} of {} fail the run\n", failing.size(), gates.size());
  for (const Gate* g : failing) out += fmt::format("   FAIL {} {}: {}\n", g->alternative, g->name, g->detail);
  return out + exit_summary(gates) + "\n";
}

}  // namespace

bool RunReport::chosen_fails_criterion() const {
  if (scenario_spec == nullptr) return false;
  for (const auto& j : criteria) {
    const auto* alt = scenario_spec->alternative(j.alternative);
    if (alt != nullptr && alt->status == model::DecisionStatus::Chosen && j.verdict == Verdict::Fail) return true;
  }
  return false;
}

std::string format_latency(std::int64_t ns) {
  const double v = static_cast<double>(ns);
  if (v >= 1e9) return fmt::format("{:.3g}s", v / 1e9);
  if (v >= 1e6) return fmt::format("{:.3g}ms", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.3g}us", v / 1e3);
  return fmt::format("{}ns", ns);
}

namespace {

/// How a cell of the table at a glance reads; a terminal shows it in colour.
enum class Tone { Plain, Pass, Warn, Fail };

struct Cell {
  std::string text;
  Tone tone = Tone::Plain;
};

/// `c` padded to `width`, in its SGR colour (ECMA-48: green, yellow, red) when `colour`.
std::string cell_text(const Cell& c, std::size_t width, bool colour) {
  const std::string padded = c.text + std::string(width > c.text.size() ? width - c.text.size() : 0, ' ');
  if (!colour) return padded;
  switch (c.tone) {
    case Tone::Pass: return "\x1b[32m" + padded + "\x1b[0m";
    case Tone::Warn: return "\x1b[33m" + padded + "\x1b[0m";
    case Tone::Fail: return "\x1b[31m" + padded + "\x1b[0m";
    case Tone::Plain: break;
  }
  return padded;
}

Cell mean_cell(const AlternativeRun& alt, std::string_view name) {
  const auto it = alt.metrics.find(name);
  return {it == alt.metrics.end() ? std::string("-") : format_metric(*model::find_metric(name), it->second.mean)};
}

Cell budget_cell(const AlternativeRun& alt) {
  if (!alt.budget) return {"-"};
  const auto status = alt.budget->status;
  const Tone tone = status == pricing::BudgetStatus::Pass   ? Tone::Pass
                    : status == pricing::BudgetStatus::Over ? Tone::Fail
                                                            : Tone::Warn;
  return {std::string(pricing::to_string(status)), tone};
}

/// `fails 3 gates`, `2 undecided`, `passes`: the alternative's gates, as the decision reads them.
Cell verdict_cell(const std::vector<Gate>& gates, const std::string& alternative) {
  int failing = 0, open = 0;
  for (const auto& g : gates) {
    if (g.alternative != alternative) continue;
    failing += g.verdict == Verdict::Fail ? 1 : 0;
    open += g.verdict != Verdict::Fail && g.verdict != Verdict::Pass ? 1 : 0;
  }
  if (failing > 0) return {fmt::format("fails {} gate{}", failing, failing == 1 ? "" : "s"), Tone::Fail};
  if (open > 0) return {fmt::format("{} undecided", open), Tone::Warn};
  return {"passes", Tone::Pass};
}

}  // namespace

std::string render_run_table_text(const RunReport& r, bool colour) {
  const auto gates = run_gates(r);
  std::vector<std::vector<Cell>> rows{{{"alternative"}, {"status"}, {"availability"}, {"p99"}, {"cost / month"}, {"budget"}, {"findings"}, {"verdict"}}};
  for (const auto& spec : r.scenario_spec->alternatives) {
    std::vector<Cell> row{{spec.id}, {std::string(to_string(spec.status))}};
    const auto alt = std::find_if(r.alternatives.begin(), r.alternatives.end(), [&](const AlternativeRun& a) { return a.id == spec.id; });
    if (alt == r.alternatives.end() || !alt->result) {
      row.push_back({"not simulated", Tone::Fail});
      row.resize(6);
    } else {
      row.push_back(mean_cell(*alt, "availability"));
      row.push_back(mean_cell(*alt, "latency.p99"));
      row.push_back(mean_cell(*alt, "cost.monthly"));
      row.push_back(budget_cell(*alt));
    }
    const auto counts = count_findings(*r.review, spec.id);
    row.push_back({fmt::format("{} error{}, {} warning{}", counts.errors, counts.errors == 1 ? "" : "s", counts.warnings, counts.warnings == 1 ? "" : "s"),
                   counts.errors > 0 ? Tone::Fail : counts.warnings > 0 ? Tone::Warn : Tone::Pass});
    row.push_back(verdict_cell(gates, spec.id));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].text.size());
  }
  std::string out = fmt::format("== {}: the alternatives at a glance (means over {}; intervals and detail below)\n", r.scenario,
                                replications_text(r.workload));
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      // The last column is not padded: no trailing blanks.
      out += i + 1 < row.size() ? cell_text(row[i], widths[i], colour) + "  " : cell_text(row[i], 0, colour) + "\n";
    }
  }
  return out;
}

std::string render_run_text(const RunReport& r) {
  const auto& w = r.workload;
  std::string out = fmt::format("== simulation: {} over {} (warm-up {}), seed {}, {}\n   {}\n",
                                r.scenario, model::format_duration(r.horizon), model::format_duration(w.warmup), r.seed,
                                replications_text(w), describe_arrivals(w.arrivals));
  for (const auto& alt : r.alternatives) {
    out += fmt::format("\n== {} [{}]: {}\n", alt.id, to_string(alt.status), alt.title);
    if (alt.error) {
      out += fmt::format("   not simulated: {}\n", alt.error->message);
      continue;
    }
    const sim::SimResult& s = *alt.result;
    const std::uint64_t total = s.overall.total();
    out += "   simulated: " + fidelity_text(s) + "\n";
    out += fmt::format("   requests {}  errors {} (per replication)  availability {:.4f}%  (request-based: successful / total, all replications)\n",
                       with_commas(total / static_cast<std::uint64_t>(s.replications)),
                       with_commas(s.overall.errors() / static_cast<std::uint64_t>(s.replications)), 100.0 * s.availability());
    out += "   latency  " + latency_line(s.overall.latency) + "\n";
    if (s.routes.size() > 1) {
      for (const auto& route : s.routes) out += fmt::format("   route {:<10} {}\n", route.route, latency_line(route.latency));
    }
    std::string causes;
    for (std::size_t i = 1; i < sim::kOutcomeCount; ++i) {
      if (s.overall.outcomes[i] > 0) {
        causes += fmt::format("  {} {:.1f}", sim::outcome_name(static_cast<sim::Outcome>(i)),
                              static_cast<double>(s.overall.outcomes[i]) / s.replications);
      }
    }
    out += "   errors by cause (per replication):" + (causes.empty() ? std::string("  none") : causes) + "\n";
    for (const auto& a : s.assumptions) out += "   ASSUMED: " + a + "\n";
    if (const auto capacity = capacity_at_end(s); !capacity.empty()) {
      std::vector<std::string> ends;
      for (const auto& c : capacity) ends.push_back(describe(c));
      std::vector<double> below;
      for (const auto& rep : s.per_replication) below.push_back(rep.seconds_below_desired / 3600);
      out += fmt::format("   capacity: below the desired count {:.2f} h per replication after the warm-up; at the end: {}\n",
                         sim::estimate(below).mean, fmt::join(ends, "; "));
    }
    if (const sim::DeploymentCounts& d = s.deployments; d.total() > 0) {
      // Per replication, as the request counts above.
      const auto n = static_cast<double>(s.replications);
      out += fmt::format("   deployments (per replication): {:g} started, {:g} completed, {:g} rolled back, {:g} skipped (one at a time), "
                         "{:g} refused\n",
                         static_cast<double>(d.started) / n, static_cast<double>(d.completed) / n, static_cast<double>(d.rolled_back) / n,
                         static_cast<double>(d.skipped) / n, static_cast<double>(d.refused) / n);
    }
    for (const auto& c : cold_starts(s)) {
      out += fmt::format("   lambda {}: {:.1f} cold starts per replication ({:.3f} % of its {:.0f} requests), {:.0f} ms init on average\n",
                         c.function, c.cold_starts, c.invocations > 0 ? 100 * c.cold_starts / c.invocations : 0.0, c.invocations,
                         c.cold_starts > 0 ? 1000 * c.init_seconds / c.cold_starts : 0.0);
    }
    for (const auto& z : at_zero(s)) {
      out += fmt::format("   ecs {}: {:.1f} h at zero per replication (its requests get 503 meanwhile); {}\n", z.service, z.seconds / 3600,
                         z.returns > 0 ? fmt::format("{:g} returns from zero, the first task serving {:.0f} s after the scale-out on average",
                                                     z.returns, z.seconds_to_first_task / z.returns)
                                       : std::string("no task came back from zero"));
    }
    out += render_headline(alt, s);
    out += render_incidents(s);
    out += "   usage (per replication):\n";
    for (const auto& m : s.usage) {
      const double per_run = m.total() / s.replications;
      if (per_run == 0) continue;
      out += fmt::format("     {:<14} {:<20} {}\n", m.component, m.meter, format_quantity(per_run, m.unit));
    }
    if (alt.bill) out += render_bill_text(*alt.bill, alt.budget);
  }
  out += render_criteria(r);
  const std::string claims = render_claims_text(r.claims);
  if (!claims.empty()) out += "\n" + claims;
  return out + render_gates_text(r);
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
  if (const auto& p = r.workload.precision) {
    nlohmann::json until = nlohmann::json::object();
    for (const auto& g : p->until) until[g.metric] = g.text;
    doc["workload"]["replications_until"] = {{"min", p->min}, {"max", r.workload.replications}, {"until", until}};
  }
  doc["alternatives"] = nlohmann::json::array();
  for (const auto& alt : r.alternatives) {
    nlohmann::json a{{"id", alt.id}, {"title", alt.title}, {"status", to_string(alt.status)}};
    if (alt.error) {
      a["error"] = {{"path", alt.error->path}, {"message", alt.error->message}};
    } else {
      const sim::SimResult& s = *alt.result;
      nlohmann::json sim{{"fidelity", std::string(sim::fidelity_name(s.fidelity))},
                         {"fidelity_reason", s.fidelity_reason},
                         {"replications", s.replications},
                         {"replications_reason", s.replications_reason},
                         {"events", s.events},
                         {"requests", s.overall.total()},
                         {"requests_per_replication", static_cast<double>(s.overall.total()) / s.replications},
                         {"errors_per_replication", static_cast<double>(s.overall.errors()) / s.replications},
                         {"counts", "requests and outcomes are totals over every replication; *_per_replication are their means"},
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
      sim["metrics"] = nlohmann::json::object();
      for (const auto& metric : model::criterion_metrics()) {
        const auto it = alt.metrics.find(metric.name);
        if (it == alt.metrics.end()) continue;
        nlohmann::json e{{"mean", it->second.mean}, {"replications", it->second.n}};
        if (it->second.has_interval()) {
          e["ci95_low"] = it->second.low();
          e["ci95_high"] = it->second.high();
        }
        if (it->second.resolution > 0) e["resolution"] = it->second.resolution;
        sim["metrics"][std::string(metric.name)] = std::move(e);
      }
      if (alt.analytic) {
        nlohmann::json an{{"availability", alt.analytic->availability},
                          {"steady_state", alt.analytic->steady_state},
                          {"zones", alt.analytic->zones},
                          {"notes", alt.analytic->notes}};
        an["routes"] = nlohmann::json::array();
        for (const auto& route : alt.analytic->routes) {
          nlohmann::json parts = nlohmann::json::array();
          for (const auto& p : route.parts) parts.push_back({{"component", p.component}, {"model", p.model}, {"availability", p.availability}});
          an["routes"].push_back({{"route", route.route},
                                  {"share", route.share},
                                  {"availability", route.availability},
                                  {"steady_state", route.steady_state},
                                  {"transient_loss", route.transient_loss},
                                  {"parts", parts}});
        }
        sim["analytic"] = std::move(an);
      }
      sim["time_availability_definition"] =
          fmt::format("share of minutes after the warm-up with at most {}% of requests failed (minutes without requests count as available)",
                      100 * s.minute_error_threshold);
      if (const sim::DeploymentCounts& d = s.deployments; d.total() > 0) {
        sim["deployments_per_replication"] = {{"started", static_cast<double>(d.started) / s.replications},
                                              {"completed", static_cast<double>(d.completed) / s.replications},
                                              {"rolled_back", static_cast<double>(d.rolled_back) / s.replications},
                                              {"skipped", static_cast<double>(d.skipped) / s.replications},
                                              {"refused", static_cast<double>(d.refused) / s.replications}};
      }
      for (const auto& c : cold_starts(s)) {
        sim["lambda_cold_starts"].push_back({{"function", c.function},
                                             {"requests_per_replication", c.invocations},
                                             {"cold_starts_per_replication", c.cold_starts},
                                             {"mean_init_seconds", c.cold_starts > 0 ? c.init_seconds / c.cold_starts : 0.0}});
      }
      for (const auto& z : at_zero(s)) {
        sim["scale_to_zero"].push_back({{"service", z.service},
                                        {"hours_at_zero_per_replication", z.seconds / 3600},
                                        {"returns_from_zero_per_replication", z.returns},
                                        {"mean_seconds_to_first_task", z.returns > 0 ? z.seconds_to_first_task / z.returns : 0.0}});
      }
      for (const auto& c : capacity_at_end(s)) {
        sim["capacity_at_end"].push_back({{"service", c.service},
                                          {"in_service_low", c.in_service_low},
                                          {"in_service_high", c.in_service_high},
                                          {"desired_low", c.desired_low},
                                          {"desired_high", c.desired_high},
                                          {"replications_below_desired", c.replications_below}});
      }
      if (!s.assumptions.empty()) sim["assumptions"] = s.assumptions;
      sim["incidents"] = nlohmann::json::array();
      for (const auto& i : s.incidents) {
        sim["incidents"].push_back({{"at", incident_time(i)}, {"what", i.what}, {"subject", i.subject}});
      }
      a["simulation"] = std::move(sim);
    }
    if (alt.bill) a["cost"] = bill_json(*alt.bill);
    if (alt.budget) a["budget"] = budget_json(*alt.budget);
    doc["alternatives"].push_back(std::move(a));
  }
  doc["criteria"] = nlohmann::json::array();
  for (const auto& j : r.criteria) {
    nlohmann::json c{{"criterion", j.criterion}, {"alternative", j.alternative}, {"verdict", to_string(j.verdict)}};
    if (j.measured) {
      c["measured"] = {{"mean", j.measured->mean}, {"replications", j.measured->n}};
      if (j.measured->has_interval()) {
        c["measured"]["ci95_low"] = j.measured->low();
        c["measured"]["ci95_high"] = j.measured->high();
      }
      if (j.measured->resolution > 0) c["measured"]["resolution"] = j.measured->resolution;
    }
    if (!j.fired.empty()) c["fired"] = j.fired;
    if (!j.note.empty()) c["note"] = j.note;
    doc["criteria"].push_back(std::move(c));
  }
  doc["chosen_fails_criterion"] = r.chosen_fails_criterion();
  // What sets the exit code (gates.hpp), so a CI job can say why it failed.
  doc["gates"] = nlohmann::json::array();
  for (const auto& g : run_gates(r)) {
    doc["gates"].push_back({{"alternative", g.alternative},
                            {"kind", to_string(g.kind)},
                            {"gate", g.name},
                            {"verdict", to_string(g.verdict)},
                            {"gating", g.gating},
                            {"fails_run", g.fails_run()},
                            {"detail", g.detail}});
  }
  doc["pricing_claims"] = claims_json(r.claims);
  return doc;
}

std::string timeline_csv(const sim::SimResult& result) {
  // A warm-up minute's requests are not measured, and a minute without a successful request
  // has no latency: their fields are left empty rather than written as 0.
  std::string out = "minute,warmup,arrivals,errors,p99_ms,busy_capacity\n";
  for (std::size_t i = 0; i < result.timeline.size(); ++i) {
    const auto& m = result.timeline[i];
    const std::string errors = m.warmup ? std::string() : fmt::format("{}", m.errors);
    const std::string p99 = m.warmup || !m.p99_ns ? std::string() : fmt::format("{:.3f}", static_cast<double>(*m.p99_ns) / 1e6);
    out += fmt::format("{},{},{},{},{},{:.4f}\n", i, m.warmup ? 1 : 0, m.arrivals, errors, p99, m.busy_capacity);
  }
  return out;
}

}  // namespace archsim::reports
