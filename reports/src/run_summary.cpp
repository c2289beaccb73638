#include "run_summary.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace archsim::reports {

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

std::string fidelity_text(const sim::SimResult& s) {
  std::string text = s.fidelity == sim::Fidelity::Flow ? "flow (traffic as flows between state changes, docs/simulation.md)"
                                                        : "request level (every request walked)";
  if (!s.fidelity_reason.empty()) text += "; " + s.fidelity_reason;
  if (!s.replications_reason.empty()) text += "; " + s.replications_reason;
  return text;
}

std::string replications_text(const sim::WorkloadSpec& w) {
  if (!w.precision) return fmt::format("{} replication{}", w.replications, w.replications == 1 ? "" : "s");
  std::string goals;
  for (const auto& g : w.precision->until) goals += fmt::format("{}{} ± {}", goals.empty() ? "" : ", ", g.metric, g.text);
  return fmt::format("{} to {} replications until {}", w.precision->min, w.replications, goals);
}

std::string with_commas(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string clipped(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  const std::size_t space = text.rfind(' ', max_bytes);
  return text.substr(0, space == std::string::npos || space == 0 ? max_bytes : space) + " …";
}

std::string incident_time(const sim::Incident& i) {
  return model::format_duration(sim::Duration{(i.at_ns + 500'000) / 1'000'000 * 1'000'000});
}

std::vector<AtZero> at_zero(const sim::SimResult& s) {
  std::vector<AtZero> out;
  for (const auto& m : s.usage) {
    if (m.meter != "seconds_at_zero" || m.total() <= 0) continue;
    AtZero z{m.component, m.total() / s.replications};
    for (const auto& other : s.usage) {
      if (other.component != m.component) continue;
      if (other.meter == "scale_outs_from_zero") z.returns = other.total() / s.replications;
      if (other.meter == "seconds_to_first_task") z.seconds_to_first_task = other.total() / s.replications;
    }
    out.push_back(std::move(z));
  }
  return out;
}

std::vector<ColdStarts> cold_starts(const sim::SimResult& s) {
  std::vector<ColdStarts> out;
  for (const auto& m : s.usage) {
    if (m.meter != "cold_starts") continue;
    ColdStarts c{m.component};
    for (const auto& other : s.usage) {
      if (other.component != m.component) continue;
      if (other.meter == "requests") c.invocations = other.total() / s.replications;
      if (other.meter == "init_seconds") c.init_seconds = other.total() / s.replications;
    }
    c.cold_starts = m.total() / s.replications;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<CapacityAtEnd> capacity_at_end(const sim::SimResult& s) {
  std::vector<CapacityAtEnd> out;
  for (const auto& rep : s.per_replication) {
    for (const auto& c : rep.capacity_at_end) {
      auto it = std::find_if(out.begin(), out.end(), [&](const CapacityAtEnd& e) { return e.service == c.service; });
      if (it == out.end()) {
        out.push_back({c.service, c.in_service, c.in_service, c.desired, c.desired, 0, 0});
        it = out.end() - 1;
      }
      it->in_service_low = std::min(it->in_service_low, c.in_service);
      it->in_service_high = std::max(it->in_service_high, c.in_service);
      it->desired_low = std::min(it->desired_low, c.desired);
      it->desired_high = std::max(it->desired_high, c.desired);
      it->replications_below += c.in_service < c.desired ? 1 : 0;
      ++it->replications;
    }
  }
  return out;
}

std::string describe(const CapacityAtEnd& c) {
  auto range = [](int low, int high) { return low == high ? fmt::format("{}", low) : fmt::format("{}-{}", low, high); };
  return fmt::format("{} {} of {} tasks in service{}", c.service, range(c.in_service_low, c.in_service_high),
                     range(c.desired_low, c.desired_high),
                     c.replications_below > 0 ? fmt::format(" (below its desired count in {} of {} replications)", c.replications_below, c.replications)
                                              : std::string());
}

Verdict verdict_of(const RunReport& r, std::string_view criterion, std::string_view alternative) {
  for (const auto& j : r.criteria) {
    if (j.criterion == criterion && j.alternative == alternative) return j.verdict;
  }
  return Verdict::Pending;
}

std::vector<DecisionSummary> decide(const RunReport& r, const std::vector<Gate>& gates) {
  std::vector<DecisionSummary> out;
  if (r.scenario_spec == nullptr) return out;
  const auto& spec = *r.scenario_spec;
  for (const auto& alt : spec.alternatives) {
    if (alt.status != model::DecisionStatus::Chosen) continue;
    DecisionSummary d{alt.id, true, {}, {}, {}};
    for (const auto& g : gates) {
      if (g.alternative != alt.id) continue;
      if (g.kind == GateKind::Simulation && g.verdict == Verdict::Fail) d.simulated = false;
      if (g.verdict == Verdict::Fail) d.failed.push_back(decision_label(g));
      if (g.kind == GateKind::Criterion && g.verdict != Verdict::Pass && g.verdict != Verdict::Fail) {
        d.open.push_back(fmt::format("{} ({})", g.name, to_string(g.verdict)));
      }
    }
    for (const auto& other : spec.alternatives) {
      if (other.id == alt.id) continue;
      DecisionSummary::Versus v{other.id, other.status, 0, 0};
      for (const auto& c : spec.criteria) {
        const Verdict mine = verdict_of(r, c.id, alt.id), theirs = verdict_of(r, c.id, other.id);
        v.better += (theirs == Verdict::Pass && mine == Verdict::Fail) ? 1 : 0;
        v.worse += (theirs == Verdict::Fail && mine == Verdict::Pass) ? 1 : 0;
      }
      d.versus.push_back(std::move(v));
    }
    out.push_back(std::move(d));
  }
  return out;
}

std::string DecisionSummary::verdict_text() const {
  if (!simulated) return "could not be simulated: this run says nothing of its criteria.";
  if (!failed.empty()) {
    return fmt::format("does not hold up: it fails {}{}.", fmt::join(failed, ", "),
                       open.empty() ? "" : fmt::format("; undecided: {}", fmt::join(open, ", ")));
  }
  if (!open.empty()) return fmt::format("passes every gate decided so far; undecided: {}.", fmt::join(open, ", "));
  return "holds up: it meets every criterion and passes every gate.";
}

std::string bound_text(const model::CriterionSpec& c) {
  const model::MetricInfo* metric = c.metric.empty() ? nullptr : model::find_metric(c.metric);
  if (metric == nullptr) return {};
  std::string bound;
  if (c.max) bound += fmt::format("<= {}", format_metric(*metric, *c.max));
  if (c.min) bound += fmt::format("{}>= {}", bound.empty() ? "" : " ", format_metric(*metric, *c.min));
  return bound;
}

}  // namespace archsim::reports
