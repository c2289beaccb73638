// The design-review document of `archsim run`: what a reviewer reads in a pull request (the
// Markdown comment) or opens from a CI artifact (the HTML page). Both are one Document, built
// here from the run's result; every figure comes from the same structs the text and JSON
// outputs print.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/reports/bill_report.hpp"
#include "archsim/reports/diagram.hpp"
#include "archsim/reports/document.hpp"
#include "archsim/reports/gates.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/sim/expected_load.hpp"
#include "archsim/sim/meters.hpp"
#include "run_summary.hpp"

namespace archsim::reports {

namespace {

using doc::Align;
using doc::Block;
using doc::Span;
using doc::Style;
using doc::Text;

constexpr std::size_t kIncidentsShown = 20;

Block block(auto content) { return Block{std::move(content)}; }

Style verdict_style(Verdict v) {
  switch (v) {
    case Verdict::Pass: return Style::Pass;
    case Verdict::Fail: return Style::Fail;
    case Verdict::Inconclusive: return Style::Warn;
    case Verdict::Pending: return Style::Muted;
    case Verdict::NotExercised: return Style::Warn;
  }
  return Style::Plain;
}

/// The metric as a table cell shows it (compact_estimate), `–` when not measured.
std::string metric_text(const AlternativeRun& alt, std::string_view name) {
  const auto it = alt.metrics.find(name);
  const model::MetricInfo* metric = model::find_metric(name);
  if (it == alt.metrics.end() || metric == nullptr) return "–";
  return compact_estimate(*metric, it->second);
}


std::string alternative_label(const model::AlternativeSpec& alt) { return fmt::format("{} ({})", alt.id, to_string(alt.status)); }

const AlternativeRun* run_of(const RunReport& r, std::string_view id) {
  const auto it = std::find_if(r.alternatives.begin(), r.alternatives.end(), [&](const AlternativeRun& a) { return a.id == id; });
  return it == r.alternatives.end() ? nullptr : &*it;
}

std::pair<int, int> finding_counts(const ReviewReport* review, std::string_view alternative) {
  int errors = 0, warnings = 0;
  if (review == nullptr) return {0, 0};
  for (const auto& f : review->findings) {
    if (f.alternative != alternative) continue;
    errors += f.severity == model::Severity::Error ? 1 : 0;
    warnings += f.severity == model::Severity::Warning ? 1 : 0;
  }
  return {errors, warnings};
}

Text budget_cell(const pricing::BudgetCheck& b) {
  switch (b.status) {
    case pricing::BudgetStatus::Pass: return doc::styled("within", Style::Pass);
    case pricing::BudgetStatus::Alert: {
      std::optional<int> first;
      for (const auto& a : b.alerts) {
        if (a.day && (!first || *a.day < *first)) first = a.day;
      }
      return doc::styled(first ? fmt::format("alert (day {})", *first) : std::string("alert"), Style::Warn);
    }
    case pricing::BudgetStatus::Over: return doc::styled(fmt::format("over (day {})", b.over_day.value_or(0)), Style::Fail);
    case pricing::BudgetStatus::Undecided: return doc::styled(fmt::format("undecided ({})", b.undecided_because), Style::Warn);
  }
  return {};
}

// ---------------------------------------------------------------- sections

void decision_section(const RunReport& r, const std::vector<Gate>& gates, std::string_view version, std::vector<Block>& out) {
  out.push_back(block(doc::Heading{2, {Span{"archsim: ", Style::Plain}, Span{r.scenario, Style::Code}}}));
  for (const auto& d : decide(r, gates)) {
    Text t{Span{"The chosen option", Style::Strong}, Span{" ", Style::Plain}, Span{d.chosen, Style::Code}, Span{" ", Style::Plain}};
    t.push_back(Span{d.verdict_text(), d.holds_up() ? Style::Pass : !d.failed.empty() || !d.simulated ? Style::Fail : Style::Warn});
    out.push_back(block(doc::Paragraph{std::move(t)}));
    // What the design costs and delivers, so the first screen answers without the table.
    if (const AlternativeRun* alt = run_of(r, d.chosen); alt != nullptr && alt->result) {
      out.push_back(block(doc::Paragraph{{Span{d.chosen, Style::Code},
                                          Span{fmt::format(": availability {} · p99 {} · error rate {} · {} a month", metric_text(*alt, "availability"),
                                                           metric_text(*alt, "latency.p99"), metric_text(*alt, "error_rate"),
                                                           metric_text(*alt, "cost.monthly")),
                                               Style::Plain}}}));
    }
  }
  std::vector<const Gate*> failing;
  for (const auto& g : gates) {
    if (g.fails_run()) failing.push_back(&g);
  }
  out.push_back(block(doc::Paragraph{{Span{exit_summary(gates), run_exit_code(gates) == 0 ? Style::Pass : Style::Fail}}}));
  if (!failing.empty()) {
    doc::List list;
    for (const Gate* g : failing) {
      list.items.push_back({Span{g->alternative, Style::Code},
                            Span{" ", Style::Plain}, Span{g->name, Style::Strong}, Span{": " + clipped(g->detail, kGateDetailShown), Style::Plain}});
    }
    out.push_back(block(std::move(list)));
  }
  const auto& w = r.workload;
  out.push_back(block(doc::Paragraph{{Span{r.file, Style::Code},
                                      Span{fmt::format(" · {} (warm-up {}) × {} · seed {} · {} · archsim {}",
                                                       model::format_duration(r.horizon), model::format_duration(w.warmup),
                                                       replications_text(w), r.seed, describe_arrivals(w.arrivals), version),
                                           Style::Muted}}}));
}

void alternatives_section(const RunReport& r, std::vector<Block>& out) {
  out.push_back(block(doc::Heading{3, doc::plain("Alternatives")}));
  // The status sits under the id and the analytic figure under the simulated one, and the
  // error rate (near 100 % − availability) is left to the per-alternative details: a column
  // each would push the table past a comment's width (doc::kCommentWidth).
  doc::Table t{{"alternative", "availability", "p99", "cost / month", "budget", "findings"},
               {Align::Left, Align::Right, Align::Right, Align::Right, Align::Left, Align::Left},
               {}};
  for (const auto& spec : r.scenario_spec->alternatives) {
    const AlternativeRun* alt = run_of(r, spec.id);
    const auto [errors, warnings] = finding_counts(r.review, spec.id);
    Text findings = errors > 0 ? doc::styled(fmt::format("{} error{}", errors, errors == 1 ? "" : "s"), Style::Fail) : doc::plain("no error");
    if (warnings > 0) findings.push_back(Span{fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s"), Style::Plain});
    std::vector<Text> row{{Span{spec.id, Style::Code}, Span{" " + std::string(to_string(spec.status)), Style::Muted}}};
    if (alt == nullptr || alt->error || !alt->result) {
      row.push_back(doc::styled(alt != nullptr && alt->error ? "not simulated: " + alt->error->message : std::string("not simulated"), Style::Fail));
      row.resize(5);
    } else {
      Text availability = doc::plain(metric_text(*alt, "availability"));
      if (alt->analytic) availability.push_back(Span{fmt::format(" analytic {:.4f}%", 100 * alt->analytic->availability), Style::Muted});
      row.push_back(std::move(availability));
      row.push_back(doc::plain(metric_text(*alt, "latency.p99")));
      row.push_back(doc::plain(metric_text(*alt, "cost.monthly")));
      row.push_back(alt->budget ? budget_cell(*alt->budget) : doc::plain("–"));
    }
    row.push_back(std::move(findings));
    t.rows.push_back(std::move(row));
  }
  out.push_back(block(std::move(t)));
  // What a run assumed against the review sits next to the figures it changes.
  doc::List assumed;
  for (const auto& alt : r.alternatives) {
    if (!alt.result) continue;
    for (const auto& a : alt.result->assumptions) assumed.items.push_back({Span{alt.id, Style::Code}, Span{" assumes " + a, Style::Warn}});
  }
  if (!assumed.items.empty()) out.push_back(block(std::move(assumed)));
  out.push_back(block(doc::Paragraph{doc::styled(
      "Availability: successful / all requests after the warm-up; analytic: the steady-state model of the same topology and faults, minus "
      "zone-outage transients. ± is the half-width of the 95 % confidence interval over the replications.",
      Style::Muted)}));
}

/// The widest open table of `t` as a comment shows it.
std::size_t comment_width(const doc::Table& t) { return doc::widest_table(doc::render_markdown(doc::Document{"", {block(t)}, ""})); }

void criteria_section(const RunReport& r, std::vector<Block>& out) {
  const auto& spec = *r.scenario_spec;
  if (spec.criteria.empty()) return;
  out.push_back(block(doc::Heading{3, doc::plain("ADR criteria, measured")}));
  // One column per alternative would outgrow a comment with many alternatives: the columns go
  // into as many tables as fit doc::kCommentWidth, the first with the criteria in full, the
  // others by their ids.
  auto criterion_cell = [&](const model::CriterionSpec& c, bool full) {
    Text head{Span{c.id, Style::Strong}};
    if (!full) return head;
    const std::string bound = bound_text(c);
    head.push_back(Span{" " + c.heading(), Style::Plain});
    if (!bound.empty()) head.push_back(Span{fmt::format(" ({} {})", c.metric, bound), Style::Muted});
    if (!c.rules.empty()) head.push_back(Span{fmt::format(" (rules: {})", fmt::join(c.rules, ", ")), Style::Muted});
    return head;
  };
  auto verdict_cell = [&](const model::CriterionSpec& c, const model::AlternativeSpec& alt) {
    const model::MetricInfo* metric = c.metric.empty() ? nullptr : model::find_metric(c.metric);
    Text cell;
    for (const auto& j : r.criteria) {
      if (j.criterion != c.id || j.alternative != alt.id) continue;
      cell.push_back(Span{std::string(to_string(j.verdict)), verdict_style(j.verdict)});
      if (j.measured && metric != nullptr) cell.push_back(Span{" " + compact_estimate(*metric, *j.measured), Style::Plain});
      if (!j.fired.empty()) cell.push_back(Span{fmt::format(" ({})", fmt::join(j.fired, ", ")), Style::Muted});
    }
    return cell;
  };
  auto table_of = [&](const std::vector<const model::AlternativeSpec*>& alts, bool full) {
    doc::Table t{{"criterion"}, {Align::Left}, {}};
    for (const auto* alt : alts) {
      t.header.push_back(alternative_label(*alt));
      t.align.push_back(Align::Left);
    }
    for (const auto& c : spec.criteria) {
      std::vector<Text> row{criterion_cell(c, full)};
      for (const auto* alt : alts) row.push_back(verdict_cell(c, *alt));
      t.rows.push_back(std::move(row));
    }
    return t;
  };
  std::vector<const model::AlternativeSpec*> columns;
  bool first = true;
  for (const auto& alt : spec.alternatives) {
    columns.push_back(&alt);
    if (columns.size() > 1 && comment_width(table_of(columns, first)) > doc::kCommentWidth) {
      columns.pop_back();
      out.push_back(block(table_of(columns, first)));
      first = false;
      columns = {&alt};
    }
  }
  out.push_back(block(table_of(columns, first)));
  out.push_back(block(doc::Paragraph{doc::styled(
      "pass: the whole 95 % interval meets the bound and no rule of the criterion fires; fail: the whole interval misses it, or a rule fires; "
      "inconclusive: the interval straddles the bound (more replications would decide).",
      Style::Muted)}));
}

void elasticity_section(const RunReport& r, std::vector<Block>& out) {
  doc::List list;
  for (const auto& alt : r.alternatives) {
    if (!alt.result) continue;
    const sim::SimResult& s = *alt.result;
    const auto n = static_cast<double>(s.replications);
    if (const sim::DeploymentCounts& d = s.deployments; d.total() > 0) {
      list.items.push_back({Span{alt.id, Style::Code},
                            Span{fmt::format(": deployments per replication: {:g} started, {:g} completed, {:g} rolled back, {:g} skipped, {:g} refused",
                                             static_cast<double>(d.started) / n, static_cast<double>(d.completed) / n,
                                             static_cast<double>(d.rolled_back) / n, static_cast<double>(d.skipped) / n,
                                             static_cast<double>(d.refused) / n),
                                 Style::Plain}});
    }
    for (const auto& c : cold_starts(s)) {
      list.items.push_back({Span{alt.id, Style::Code},
                            Span{fmt::format(": Lambda {}: {:.1f} cold starts per replication ({:.3f} % of its requests), {:.0f} ms init on average",
                                             c.function, c.cold_starts, c.invocations > 0 ? 100 * c.cold_starts / c.invocations : 0.0,
                                             c.cold_starts > 0 ? 1000 * c.init_seconds / c.cold_starts : 0.0),
                                 Style::Plain}});
    }
    for (const auto& z : at_zero(s)) {
      list.items.push_back(
          {Span{alt.id, Style::Code},
           Span{fmt::format(": ECS {}: {:.1f} h at zero per replication (503 meanwhile); {}", z.service, z.seconds / 3600,
                            z.returns > 0 ? fmt::format("{:g} returns from zero, first task serving {:.0f} s after the scale-out on average",
                                                        z.returns, z.seconds_to_first_task / z.returns)
                                          : std::string("never came back from zero")),
                Style::Plain}});
    }
    if (alt.bill && alt.bill->always_on) {
      const pricing::Usd diff = *alt.bill->always_on - alt.bill->total;
      const bool saves = diff >= pricing::Usd{};
      list.items.push_back({Span{alt.id, Style::Code},
                            Span{fmt::format(": always on would cost {} USD a month; this month {} {} USD", pricing::format_cents(*alt.bill->always_on),
                                             saves ? "saves" : "costs", pricing::format_cents(saves ? diff : pricing::Usd{} - diff)),
                                 Style::Plain}});
    }
    if (alt.bill && alt.bill->deployments) {
      list.items.push_back({Span{alt.id, Style::Code},
                            Span{fmt::format(": deployments' extra task time: {} USD of the month", pricing::format_cents(*alt.bill->deployments)),
                                 Style::Plain}});
    }
  }
  if (list.items.empty()) return;
  out.push_back(block(doc::Heading{3, doc::plain("Scaling, cold starts and deployments")}));
  out.push_back(block(std::move(list)));
}

void cost_section(const RunReport& r, std::vector<Block>& out) {
  doc::Table t{{"alternative", "month", "largest services", "Free Tier saved", "missing prices", "prices as of"},
               {Align::Left, Align::Right, Align::Left, Align::Right, Align::Left, Align::Left},
               {}};
  for (const auto& alt : r.alternatives) {
    if (!alt.bill) continue;
    const auto services = alt.bill->by_service();
    std::vector<std::string> top;
    for (std::size_t i = 0; i < services.size() && top.size() < 3; ++i) {
      if (services[i].second.rounded_cents() > 0) top.push_back(fmt::format("{} {}", services[i].first, pricing::format_cents(services[i].second)));
    }
    std::string month = pricing::format_cents(alt.bill->net()) + " USD";
    if (alt.bill->on_demand) month += fmt::format(" ({}; on-demand {} USD)", alt.bill->purchase, pricing::format_cents(*alt.bill->on_demand));
    t.rows.push_back({doc::styled(alt.id, Style::Code), doc::plain(month),
                      doc::plain(fmt::format("{}", fmt::join(top, "; "))), doc::plain(pricing::format_cents(alt.bill->free_tier_savings) + " USD"),
                      alt.bill->missing_prices.empty() ? doc::plain("none")
                                                       : doc::styled(fmt::format("{}", fmt::join(alt.bill->missing_prices, ", ")), Style::Warn),
                      doc::plain(alt.bill->as_of())});
  }
  if (t.rows.empty()) return;
  out.push_back(block(doc::Heading{3, doc::plain("Cost")}));
  out.push_back(block(std::move(t)));
  // Every billed alternative's usage is scaled the same way; the first one with a bill says how.
  const auto billed = std::find_if(r.alternatives.begin(), r.alternatives.end(), [](const AlternativeRun& a) { return a.bill && !a.bill->scaling.empty(); });
  if (billed != r.alternatives.end()) out.push_back(block(doc::Paragraph{doc::styled("Usage: " + billed->bill->scaling + ".", Style::Muted)}));
}

/// The alternatives compared in two charts: the month's cost by service (stacked), and p50,
/// p90 and p99 latency side by side. Open in the page; collapsed, as tables, in the comment.
void comparison_section(const RunReport& r, std::vector<Block>& out) {
  doc::BarChart cost{"cost a month by service", "USD", {}, {}, true};
  doc::BarChart latency{"latency of successful requests by percentile, all replications", "ms", {}, {{"p50", {}}, {"p90", {}}, {"p99", {}}}, false};
  std::vector<std::string> services;  // by first appearance: each bill lists its largest first
  for (const auto& alt : r.alternatives) {
    if (!alt.bill) continue;
    for (const auto& [service, usd] : alt.bill->by_service()) {
      if (usd.rounded_cents() > 0 && std::find(services.begin(), services.end(), service) == services.end()) services.push_back(service);
    }
  }
  for (const auto& service : services) cost.series.push_back({service, {}});
  for (const auto& alt : r.alternatives) {
    if (alt.bill) {
      cost.categories.push_back(alt.id);
      const auto by_service = alt.bill->by_service();
      for (auto& series : cost.series) {
        const auto it = std::find_if(by_service.begin(), by_service.end(), [&](const auto& s) { return s.first == series.name; });
        series.values.push_back(it == by_service.end() ? 0.0 : it->second.to_double());
      }
    }
    if (alt.result && alt.result->overall.latency.count() > 0) {
      latency.categories.push_back(alt.id);
      for (auto& [series, q] : {std::pair{&latency.series[0], 0.5}, {&latency.series[1], 0.9}, {&latency.series[2], 0.99}}) {
        series->values.push_back(static_cast<double>(alt.result->overall.latency.quantile(q)) / 1e6);
      }
    }
  }
  doc::Details d{doc::plain("The alternatives compared: cost by service, latency by percentile"), {}, true};
  if (!cost.categories.empty() && !cost.series.empty()) d.blocks.push_back(block(std::move(cost)));
  if (!latency.categories.empty()) d.blocks.push_back(block(std::move(latency)));
  if (!d.blocks.empty()) out.push_back(block(std::move(d)));
}

void findings_section(const ReviewReport& review, std::vector<Block>& out) {
  if (review.scenario == nullptr || review.findings.empty()) return;
  out.push_back(block(doc::Heading{3, doc::plain("Review findings")}));
  for (const auto& spec : review.scenario->alternatives) {
    doc::Table t{{"severity", "where", "rule", "finding"}, {}, {}};
    for (const auto& f : review.findings) {
      if (f.alternative != spec.id) continue;
      const Style tone = f.severity == model::Severity::Error ? Style::Fail : f.severity == model::Severity::Warning ? Style::Warn : Style::Muted;
      t.rows.push_back({doc::styled(std::string(model::to_string(f.severity)), tone), doc::styled(model::format_location(f.loc), Style::Code),
                        doc::styled(f.rule, Style::Code), {Span{f.message, Style::Plain}, Span{f.hint.empty() ? "" : " Fix: " + f.hint, Style::Muted}}});
    }
    if (t.rows.empty()) continue;
    const auto [errors, warnings] = finding_counts(&review, spec.id);
    const int notes = static_cast<int>(t.rows.size()) - errors - warnings;
    doc::Details d{{Span{spec.id, Style::Code},
                    Span{fmt::format(" ({}): {} error{}, {} warning{}, {} note{}", to_string(spec.status), errors, errors == 1 ? "" : "s",
                                     warnings, warnings == 1 ? "" : "s", notes, notes == 1 ? "" : "s"),
                         Style::Plain}},
                   {}};
    d.blocks.push_back(block(std::move(t)));
    out.push_back(block(std::move(d)));
  }
}

void claims_section(const RunReport& r, std::vector<Block>& out) {
  if (r.claims.empty()) return;
  doc::Table t{{"the document says", "verdict", "what AWS says"}, {}, {}};
  int holds = 0;
  for (const auto& c : r.claims) {
    if (c.verdict == pricing::ClaimVerdict::Holds) {
      ++holds;
      continue;
    }
    t.rows.push_back({doc::plain("“" + c.quote + "”"),
                      doc::styled(std::string(to_string(c.verdict)), c.verdict == pricing::ClaimVerdict::Wrong ? Style::Fail : Style::Warn),
                      doc::plain(fmt::format("{}", fmt::join(c.findings, "; ")))});
  }
  out.push_back(block(doc::Heading{3, doc::plain("Pricing claims in the document")}));
  out.push_back(block(doc::Paragraph{doc::plain(fmt::format("{} of {} claims hold against the price book and the Free Tier catalogue{}", holds,
                                                            r.claims.size(), t.rows.empty() ? "." : "; the others:"))}));
  if (!t.rows.empty()) out.push_back(block(std::move(t)));
}

/// The incidents that open and close a fault window, by the simulator's names
/// (sim/src/faults.cpp): the window ends at the first closing incident whose subject starts
/// with the opening one's (`db_up` names the instance that took over: `db (db-b)`).
constexpr std::pair<std::string_view, std::string_view> kFaultWindows[] = {{"zone_down", "zone_up"}, {"db_down", "db_up"}};

/// The first replication's fault windows and deployment starts, in hours from its start.
std::vector<doc::Marker> timeline_markers(const sim::SimResult& s, double end_hours) {
  std::vector<doc::Marker> out;
  const auto hours = [](std::int64_t ns) { return static_cast<double>(ns) / 3.6e12; };
  for (std::size_t i = 0; i < s.incidents.size(); ++i) {
    const sim::Incident& in = s.incidents[i];
    if (in.what == "deployment_start") out.push_back({doc::Marker::Kind::Deployment, hours(in.at_ns), hours(in.at_ns), in.what + " " + in.subject});
    for (const auto& [open, close] : kFaultWindows) {
      if (in.what != open) continue;
      double to = end_hours;
      for (std::size_t k = i + 1; k < s.incidents.size(); ++k) {
        if (s.incidents[k].what == close && s.incidents[k].subject.starts_with(in.subject)) {
          to = hours(s.incidents[k].at_ns);
          break;
        }
      }
      out.push_back({doc::Marker::Kind::Fault, hours(in.at_ns), to, fmt::format("{} {} ({})", in.what, in.subject, model::format_duration(sim::Duration{static_cast<std::int64_t>((to - hours(in.at_ns)) * 3.6e12)}))});
    }
  }
  return out;
}

/// Runs up to this long are charted by the minute: by the hour, an hour's run would be one
/// point, a chart with no line.
constexpr std::size_t kMinutesChartedByMinute = 6 * 60;

/// The first replication's timeline, by the hour (by the minute for a short run): the error
/// share, the slowest minute's p99 and the ECS task slots busy.
doc::Chart timeline_chart(const sim::SimResult& s) {
  const bool by_minute = s.timeline.size() <= kMinutesChartedByMinute;
  const std::size_t minutes_per_point = by_minute ? 1 : 60;
  doc::Chart chart{by_minute ? "first replication, by the minute" : "first replication, by the hour",
                   by_minute ? "min" : "h",
                   1,
                   {{"error rate", {}}, {by_minute ? "p99" : "p99 (slowest minute of the hour)", {}}, {"ECS task slots busy", {}}},
                   {"%", "ms", "%"},
                   "time since the start",
                   {}};
  const std::size_t points = (s.timeline.size() + minutes_per_point - 1) / minutes_per_point;
  for (std::size_t point = 0; point < points; ++point) {
    // Warm-up minutes were not measured and minutes without a success have no latency: they
    // leave gaps (as in timeline_csv), not zeros.
    std::uint64_t arrivals = 0, errors = 0;
    std::optional<std::int64_t> p99;
    double busy = 0;
    const std::size_t end = std::min(s.timeline.size(), (point + 1) * minutes_per_point);
    for (std::size_t m = point * minutes_per_point; m < end; ++m) {
      const sim::MinuteSample& minute = s.timeline[m];
      busy += minute.busy_capacity;
      if (minute.warmup) continue;
      arrivals += minute.arrivals;
      errors += minute.errors;
      if (minute.p99_ns) p99 = std::max(p99.value_or(0), *minute.p99_ns);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // An error counts in the minute its request ends, an arrival in the minute it arrives: a
    // minute of a total outage can end a few more requests than arrived in it, never over 100%.
    chart.series[0].values.push_back(arrivals > 0 ? std::min(100.0, 100.0 * static_cast<double>(errors) / static_cast<double>(arrivals)) : nan);
    chart.series[1].values.push_back(p99 ? static_cast<double>(*p99) / 1e6 : nan);
    chart.series[2].values.push_back(100.0 * busy / static_cast<double>(end - point * minutes_per_point));
  }
  const double last_hour = static_cast<double>(points == 0 ? 0 : points - 1) / (by_minute ? 60.0 : 1.0);
  chart.markers = timeline_markers(s, last_hour);
  if (by_minute) {
    for (auto& marker : chart.markers) marker.from *= 60, marker.to *= 60;
  }
  return chart;
}

/// Latency of successful requests by percentile, from the fastest to p99 (the few slowest,
/// printed above the chart, would flatten the rest).
doc::Chart latency_chart(const sim::LatencyHistogram& h) {
  doc::Chart chart{"latency distribution, all replications", "%", 1, {{"latency by percentile, p0 to p99", {}}}, {"ms"}, "percentile of successful requests", {}};
  for (int p = 0; p <= 99; ++p) chart.series[0].values.push_back(static_cast<double>(h.quantile(p / 100.0)) / 1e6);
  return chart;
}

doc::Details alternative_details(const AlternativeRun& alt) {
  doc::Details d{{Span{alt.id, Style::Code}, Span{fmt::format(" ({}): {}", to_string(alt.status), alt.title), Style::Plain}}, {}};
  const sim::SimResult& s = *alt.result;
  const auto n = static_cast<std::uint64_t>(s.replications);
  std::vector<std::string> latency;
  for (const auto& [name, q] : {std::pair{"p50", 0.5}, {"p90", 0.9}, {"p95", 0.95}, {"p99", 0.99}, {"p99.9", 0.999}}) {
    if (s.overall.latency.count() > 0) latency.push_back(fmt::format("{} {}", name, format_latency(s.overall.latency.quantile(q))));
  }
  d.blocks.push_back(block(doc::Paragraph{doc::plain("Simulated: " + fidelity_text(s) + ".")}));
  d.blocks.push_back(block(doc::Paragraph{doc::plain(fmt::format(
      "{} requests and {} errors per replication; latency of successful requests: {}.", with_commas(s.overall.total() / n),
      with_commas(s.overall.errors() / n), latency.empty() ? std::string("none succeeded") : fmt::format("{}", fmt::join(latency, ", "))))}));
  doc::Table causes{{"error cause", "per replication"}, {Align::Left, Align::Right}, {}};
  for (std::size_t i = 1; i < sim::kOutcomeCount; ++i) {
    if (s.overall.outcomes[i] == 0) continue;
    causes.rows.push_back({doc::styled(std::string(sim::outcome_name(static_cast<sim::Outcome>(i))), Style::Code),
                           doc::plain(with_commas(s.overall.outcomes[i] / n))});
  }
  if (!causes.rows.empty()) d.blocks.push_back(block(std::move(causes)));
  for (const auto& a : s.assumptions) d.blocks.push_back(block(doc::Paragraph{{Span{"Assumed: ", Style::Warn}, Span{a, Style::Plain}}}));
  if (const auto capacity = capacity_at_end(s); !capacity.empty()) {
    std::vector<std::string> ends;
    for (const auto& c : capacity) ends.push_back(describe(c));
    d.blocks.push_back(block(doc::Paragraph{doc::plain(fmt::format("Capacity at the end of the run: {}.", fmt::join(ends, "; ")))}));
  }
  if (!s.timeline.empty()) {
    auto chart = timeline_chart(s);
    // A series without a single value (no request succeeded: no latency; no ECS task: no
    // slot) draws nothing.
    for (std::size_t i = chart.series.size(); i-- > 0;) {
      if (std::all_of(chart.series[i].values.begin(), chart.series[i].values.end(), [](double v) { return std::isnan(v) || v == 0; })) {
        chart.series.erase(chart.series.begin() + static_cast<std::ptrdiff_t>(i));
        chart.y_units.erase(chart.y_units.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
    if (!chart.series.empty()) d.blocks.push_back(block(std::move(chart)));
  }
  if (s.overall.latency.count() > 0) d.blocks.push_back(block(latency_chart(s.overall.latency)));
  if (alt.analytic) {
    doc::List routes;
    for (const auto& route : alt.analytic->routes) {
      std::vector<std::string> parts;
      for (const auto& p : route.parts) parts.push_back(fmt::format("{} [{}]", p.component, p.model));
      routes.items.push_back({Span{route.route, Style::Code}, Span{fmt::format(" {:.4f}% = {}", 100 * route.steady_state, fmt::join(parts, " × ")), Style::Plain}});
    }
    for (const auto& note : alt.analytic->notes) routes.items.push_back(doc::styled("note: " + note, Style::Muted));
    d.blocks.push_back(block(doc::Paragraph{doc::plain(fmt::format("Analytic availability {:.4f}% (steady state {:.4f}%):",
                                                                   100 * alt.analytic->availability, 100 * alt.analytic->steady_state))}));
    d.blocks.push_back(block(std::move(routes)));
  }
  if (!s.incidents.empty()) {
    doc::Table t{{"at", "what", "subject"}, {Align::Right, Align::Left, Align::Left}, {}};
    for (std::size_t i = 0; i < s.incidents.size() && i < kIncidentsShown; ++i) {
      t.rows.push_back({doc::plain(incident_time(s.incidents[i])), doc::styled(s.incidents[i].what, Style::Code), doc::plain(s.incidents[i].subject)});
    }
    d.blocks.push_back(block(doc::Paragraph{doc::plain(fmt::format("Incidents of the first replication{}:",
                                                                   s.incidents.size() > kIncidentsShown
                                                                       ? fmt::format(" (first {} of {})", kIncidentsShown, s.incidents.size())
                                                                       : std::string()))}));
    d.blocks.push_back(block(std::move(t)));
  }
  if (alt.bill) {
    doc::Table t{{"component", "price", "quantity", "unit price", "cost", "Free Tier"},
                 {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Left},
                 {}};
    for (const auto& l : alt.bill->lines) {
      if (l.missing_price) {
        t.rows.push_back({doc::plain(l.component), doc::styled(l.price_key, Style::Code), doc::plain(fmt::format("{:.6g} {}", l.quantity, l.unit)),
                          doc::styled("missing", Style::Warn), doc::styled("not in the total", Style::Warn), {}});
        continue;
      }
      t.rows.push_back({doc::plain(l.component), doc::styled(l.price_key, Style::Code), doc::plain(fmt::format("{:.6g} {}", l.quantity, l.unit)),
                        doc::plain(l.tiers.size() > 1 ? std::string("tiered") : pricing::format_price(l.unit_price)),
                        doc::plain(pricing::format_cents(l.cost)),
                        l.free_quantity > 0 ? doc::plain(fmt::format("{:.6g} {} ({})", l.free_quantity, l.unit, fmt::join(l.free_offers, ", ")))
                                            : Text{}});
    }
    d.blocks.push_back(block(doc::Paragraph{doc::plain(fmt::format("Bill: {} USD a month ({}, {}, prices as of {}; Free Tier plan {}).", pricing::format_cents(alt.bill->net()),
                                                                   alt.bill->region, alt.bill->price_book, alt.bill->as_of(), alt.bill->plan))}));
    d.blocks.push_back(block(std::move(t)));
  }
  if (alt.budget) {
    doc::List alerts;
    for (const auto& a : alt.budget->alerts) {
      alerts.items.push_back({Span{fmt::format("alert {} (> {} USD): ", budget_alert_name(a.alert), pricing::format_cents(a.threshold)), Style::Plain},
                              a.day ? Span{budget_alert_outcome(a, *alt.budget) + (a.fails_run() ? ", fails the run" : ""), a.fails_run() ? Style::Fail : Style::Warn}
                                    : Span{budget_alert_outcome(a, *alt.budget), Style::Pass}});
    }
    d.blocks.push_back(block(doc::Paragraph{{Span{fmt::format("Budget {} USD a month: ", pricing::format_cents(alt.budget->limit)), Style::Plain},
                                             budget_cell(*alt.budget).front()}}));
    if (!alerts.items.empty()) d.blocks.push_back(block(std::move(alerts)));
    if (alt.budget->has_forecasted_alert()) {
      d.blocks.push_back(block(doc::Paragraph{doc::styled(forecast_description(alt.budget->forecast) + ".", Style::Muted)}));
    }
  }
  return d;
}

void details_section(const RunReport& r, std::vector<Block>& out) {
  std::vector<Block> details;
  for (const auto& alt : r.alternatives) {
    if (alt.result) details.push_back(block(alternative_details(alt)));
  }
  if (details.empty()) return;
  out.push_back(block(doc::Heading{3, doc::plain("Per alternative")}));
  for (auto& d : details) out.push_back(std::move(d));
}

/// What the run measured of each component, for its boxes in the drawing (per replication,
/// after the warm-up, over all its zones: the simulator meters components, not placements):
/// - its traffic, requests a second;
/// - how busy it was, where the run's figures say: an ECS service's tasks running on average
///   and, when it is the alternative's only ECS service, the share of its task slots in use
///   (the timeline's busy capacity, which covers every ECS service together, of the first
///   replication); a Lambda function's mean concurrency (duration GB-seconds over its memory),
///   against its reserved concurrency; a provisioned DynamoDB table's units against its capacity;
/// - errors: the simulator counts outcomes by route, not by component, so a box shows the
///   share of failed requests on the routes that reach it (sim::expected_load's visits).
ComponentNotes component_notes(const RunReport& r, const model::TopologySpec& topology, const sim::SimResult& s) {
  const double seconds = static_cast<double>((s.horizon - s.warmup).ns) / 1e9 * s.replications;
  ComponentNotes notes;
  if (seconds <= 0) return notes;
  std::map<std::string, std::map<std::string, double, std::less<>>, std::less<>> meters;  // component, meter: total
  for (const auto& m : s.usage) meters[m.component][m.meter] += m.total();
  const auto rate = [&](const std::string& component, sim::Meter meter) {
    const auto c = meters.find(component);
    if (c == meters.end()) return 0.0;
    const auto m = c->second.find(sim::meter_name(meter));
    return m == c->second.end() ? 0.0 : m->second / seconds;
  };
  std::map<std::string, std::vector<std::string>, std::less<>> lines;
  for (const auto& [component, by_meter] : meters) {
    if (const double rps = rate(component, sim::Meter::Requests); rps > 0) lines[component].push_back(fmt::format("{} req/s", doc::short_figure(rps)));
  }
  for (const auto& service : topology.ecs_services) {
    auto& figures = lines[service.id];
    figures.push_back(fmt::format("{} tasks avg", doc::short_figure(rate(service.id, sim::Meter::TaskSeconds))));
    if (topology.ecs_services.size() != 1) continue;
    double busy = 0;
    int minutes = 0;
    for (const auto& minute : s.timeline) {
      if (!minute.warmup) busy += minute.busy_capacity, ++minutes;
    }
    if (minutes > 0) figures.push_back(fmt::format("{:.0f}% of task slots busy", 100 * busy / minutes));
  }
  for (const auto& lambda : topology.lambdas) {
    const double memory_gb = static_cast<double>(lambda.memory.count) / static_cast<double>(1ll << 30);
    const double concurrency = (rate(lambda.id, sim::Meter::GbSeconds) + rate(lambda.id, sim::Meter::ProvisionedDurationGbSeconds)) / memory_gb;
    lines[lambda.id].push_back(lambda.reserved_concurrency && *lambda.reserved_concurrency > 0
                                   ? fmt::format("concurrency {} of {} reserved ({:.0f}%)", doc::short_figure(concurrency),
                                                 *lambda.reserved_concurrency, 100 * concurrency / *lambda.reserved_concurrency)
                                   : fmt::format("concurrency {} avg", doc::short_figure(concurrency)));
  }
  for (const auto& table : topology.dynamodb_tables) {
    if (table.billing_mode != "provisioned") continue;
    for (const auto& [meter, capacity, unit] : {std::tuple{sim::Meter::ReadUnits, table.read_capacity, "RCU"}, {sim::Meter::WriteUnits, table.write_capacity, "WCU"}}) {
      if (capacity > 0) {
        const double used = rate(table.id, meter);
        lines[table.id].push_back(fmt::format("{} of {} {} ({:.0f}%)", doc::short_figure(used), capacity, unit, 100 * used / capacity));
      }
    }
  }
  std::string why_not;
  if (const auto load = sim::expected_load(topology, r.workload, sim::builtin_sim_defaults(), why_not)) {
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>, std::less<>> on_routes;  // component: errors, requests
    for (const auto& route : s.routes) {
      const auto expected = std::find_if(load->routes.begin(), load->routes.end(), [&](const sim::ExpectedRoute& e) { return e.id == route.route; });
      if (expected == load->routes.end()) continue;
      std::set<std::string, std::less<>> reached;
      for (const auto& visit : expected->visits) {
        if (visit.reach > 0) reached.insert(visit.component);
      }
      for (const auto& component : reached) {
        on_routes[component].first += route.errors();
        on_routes[component].second += route.total();
      }
    }
    for (const auto& [component, counts] : on_routes) {
      if (counts.second == 0) continue;
      lines[component].push_back(counts.first == 0 ? std::string("no errors on its routes")
                                                   : fmt::format("{}% errors on its routes", doc::short_figure(100.0 * static_cast<double>(counts.first) /
                                                                                                         static_cast<double>(counts.second))));
    }
  }
  // Every zone's box of a component shows them: the figures are the component's, named so.
  for (auto& [component, figures] : lines) {
    if (figures.empty()) continue;
    notes[component] = fmt::format("{}: {}", component, figures.front());
    for (std::size_t i = 1; i < figures.size(); ++i) notes[component] += (i % 2 == 0 ? "\n" : " · ") + figures[i];
  }
  return notes;
}

/// The chosen option's topology: Mermaid in the comment (GitHub draws it), in the page drawn
/// by Graphviz with each component's simulated figures.
void topology_section(const RunReport& r, std::vector<Block>& out) {
  for (const auto& alt : r.scenario_spec->alternatives) {
    if (alt.status != model::DecisionStatus::Chosen) continue;
    const auto graph = model::build_graph(alt.topology);
    const AlternativeRun* run = run_of(r, alt.id);
    const ComponentNotes notes = run != nullptr && run->result ? component_notes(r, alt.topology, *run->result) : ComponentNotes{};
    std::string error;
    std::string svg = layout_svg(render_dot(alt.topology, graph, r.scenario + " / " + alt.id, notes), error);
    doc::Details d{{Span{"Topology of the chosen option ", Style::Plain}, Span{alt.id, Style::Code}}, {}, true};
    if (!error.empty()) d.blocks.push_back(block(doc::Paragraph{doc::styled("The drawing could not be laid out: " + error + "; its Mermaid source:", Style::Warn)}));
    d.blocks.push_back(block(doc::Drawing{std::move(svg), doc::Code{"mermaid", render_mermaid(alt.topology, graph)}}));
    out.push_back(block(std::move(d)));
  }
}

void gates_section(const std::vector<Gate>& gates, std::vector<Block>& out) {
  if (gates.empty()) return;
  doc::Table t{{"alternative", "gate", "verdict", "gates the run", "detail"}, {}, {}};
  for (const auto& g : gates) {
    t.rows.push_back({doc::styled(g.alternative, Style::Code), doc::plain(g.name),
                      doc::styled(std::string(to_string(g.verdict)), verdict_style(g.verdict)), doc::plain(g.gating ? "yes" : "no"),
                      doc::plain(g.detail)});
  }
  doc::Details d{doc::plain(fmt::format("Every gate ({}): findings and budgets gate chosen and considered alternatives, criteria the chosen one",
                                        gates.size())),
                 {}};
  d.blocks.push_back(block(std::move(t)));
  out.push_back(block(std::move(d)));
}

}  // namespace

std::string comment_marker(std::string_view scenario) {
  std::string key;
  for (char c : scenario) {
    const bool kept = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    key += kept ? c : '_';
  }
  return "archsim:" + key;
}

doc::Document run_document(const RunReport& r, std::string_view version, bool with_details) {
  doc::Document d{"archsim: " + r.scenario, {}, comment_marker(r.scenario)};
  if (r.scenario_spec == nullptr) return d;
  const auto gates = run_gates(r);
  decision_section(r, gates, version, d.blocks);
  alternatives_section(r, d.blocks);
  criteria_section(r, d.blocks);
  elasticity_section(r, d.blocks);
  cost_section(r, d.blocks);
  comparison_section(r, d.blocks);
  if (r.review != nullptr) findings_section(*r.review, d.blocks);
  claims_section(r, d.blocks);
  if (with_details) {
    topology_section(r, d.blocks);
    details_section(r, d.blocks);
  }
  gates_section(gates, d.blocks);
  d.blocks.push_back(block(doc::Paragraph{{Span{fmt::format("Generated by archsim {} from {}; the same seed ({}) gives the same figures. ", version, r.file, r.seed),
                                                 Style::Muted},
                                            Span{"archsim run --out DIR", Style::Code},
                                            Span{" writes results.json and per-minute timelines.", Style::Muted}}}));
  return d;
}

doc::Document review_document(const ReviewReport& review, std::string_view version) {
  doc::Document d{"archsim review", {}};
  if (review.scenario == nullptr) return d;
  const auto& spec = *review.scenario;
  d.title = "archsim review: " + spec.name;
  d.blocks.push_back(block(doc::Heading{2, {Span{"archsim review: ", Style::Plain}, Span{spec.name, Style::Code}}}));
  d.blocks.push_back(block(doc::Paragraph{review.has_gating_errors()
                                              ? doc::styled("exit 1: an error-severity finding in a chosen or considered alternative", Style::Fail)
                                              : doc::styled("exit 0: no error-severity finding in a chosen or considered alternative", Style::Pass)}));
  doc::Table t{{"alternative", "status", "errors", "warnings", "title"}, {Align::Left, Align::Left, Align::Right, Align::Right, Align::Left}, {}};
  for (const auto& alt : spec.alternatives) {
    const auto [errors, warnings] = finding_counts(&review, alt.id);
    t.rows.push_back({doc::styled(alt.id, Style::Code), doc::plain(std::string(to_string(alt.status))),
                      errors > 0 ? doc::styled(std::to_string(errors), Style::Fail) : doc::plain("0"),
                      warnings > 0 ? doc::styled(std::to_string(warnings), Style::Warn) : doc::plain("0"), doc::plain(alt.title)});
  }
  d.blocks.push_back(block(std::move(t)));
  if (!spec.criteria.empty()) {
    doc::Table c{{"criterion"}, {Align::Left}, {}};
    for (const auto& alt : spec.alternatives) {
      c.header.push_back(alternative_label(alt));
      c.align.push_back(Align::Left);
    }
    for (const auto& crit : spec.criteria) {
      std::vector<Text> row{{Span{crit.id, Style::Strong}, Span{" " + crit.heading(), Style::Plain}}};
      for (const auto& alt : spec.alternatives) {
        Text cell;
        for (const auto& v : review.criteria) {
          if (v.criterion != crit.id || v.alternative != alt.id) continue;
          cell.push_back(Span{std::string(to_string(v.verdict)), verdict_style(v.verdict)});
          if (!v.fired.empty()) cell.push_back(Span{fmt::format(" ({})", fmt::join(v.fired, ", ")), Style::Muted});
        }
        row.push_back(std::move(cell));
      }
      c.rows.push_back(std::move(row));
    }
    d.blocks.push_back(block(doc::Heading{3, doc::plain("ADR criteria, by the rules")}));
    d.blocks.push_back(block(std::move(c)));
    d.blocks.push_back(block(doc::Paragraph{{Span{"Criteria with a metric stay pending until ", Style::Muted}, Span{"archsim run", Style::Code},
                                             Span{" measures them.", Style::Muted}}}));
  }
  findings_section(review, d.blocks);
  d.blocks.push_back(block(doc::Paragraph{doc::styled(fmt::format("Generated by archsim {} from {}.", version, review.file), Style::Muted)}));
  return d;
}

std::string render_review_markdown(const ReviewReport& review, std::string_view version) {
  return doc::render_markdown(review_document(review, version));
}

std::string render_run_markdown(const RunReport& r, std::string_view version, std::size_t limit) {
  const std::string md = doc::render_markdown(run_document(r, version, true));
  if (md.size() <= limit) return md;
  // Without the details; then, while still too long, without the last sections before the
  // footer, so the verdict and the gates at the top always reach the pull request.
  const auto brief = run_document(r, version, false);
  std::vector<Block> top;
  if (r.scenario_spec != nullptr) decision_section(r, run_gates(r), version, top);
  const std::size_t keep_at_least = std::min(top.size(), brief.blocks.size() - 1);
  std::string out;
  for (std::size_t body = brief.blocks.size() - 1; body >= keep_at_least; --body) {
    const std::size_t dropped = brief.blocks.size() - 1 - body;
    const std::string what = dropped == 0 ? "the per-alternative details"
                                          : fmt::format("the per-alternative details and the last {} part{} of this comment", dropped, dropped == 1 ? "" : "s");
    doc::Document d{brief.title, {brief.blocks.begin(), brief.blocks.begin() + static_cast<std::ptrdiff_t>(body)}, brief.marker};
    d.blocks.push_back(block(doc::Paragraph{
        {Span{fmt::format("The full report ({} characters) would pass GitHub's comment limit; this comment leaves out {}. They are in the HTML report (",
                          md.size(), what),
              Style::Muted},
         Span{"--format html", Style::Code}, Span{").", Style::Muted}}}));
    d.blocks.push_back(brief.blocks.back());
    out = doc::render_markdown(d);
    if (out.size() <= limit || body == keep_at_least) break;
  }
  return out;
}

std::string render_run_html(const RunReport& r, std::string_view version) { return doc::render_html(run_document(r, version, true)); }

}  // namespace archsim::reports
