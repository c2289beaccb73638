#include "archsim/reports/fidelity_contract.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "archsim/sim/statistics.hpp"

namespace archsim::reports {

namespace {

constexpr double kMinuteNs = 60e9;
constexpr std::uint64_t kLatencySuccesses = 10'000;

std::vector<std::int64_t> incident_times(const sim::SimResult& r, std::string_view what) {
  std::vector<std::int64_t> t;
  for (const auto& i : r.incidents) {
    if (i.what == what) t.push_back(i.at_ns);
  }
  return t;
}

/// Same count of incidents, each within a minute of its counterpart.
ContractCheck incidents_agree(const sim::SimResult& request, const sim::SimResult& flow, std::string_view what) {
  const auto a = incident_times(request, what), b = incident_times(flow, what);
  double worst = 0;
  bool holds = a.size() == b.size();
  for (std::size_t i = 0; holds && i < a.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(a[i] - b[i])));
  holds = holds && worst <= kMinuteNs;
  return {fmt::format("{} (replication 1)", what), fmt::format("{}", a.size()),
          a.size() == b.size() ? fmt::format("{} (at most {:.0f} s apart)", b.size(), worst / 1e9) : fmt::format("{}", b.size()),
          "the same count, each within one metric period (60 s)", holds};
}

}  // namespace

std::vector<ContractCheck> check_flow_contract(const sim::SimResult& request, const sim::SimResult& flow,
                                               const pricing::Bill& request_bill, const pricing::Bill& flow_bill) {
  std::vector<ContractCheck> checks;
  // The monthly bill within 0.5 % (a cent at least: a bill of a few cents rounds).
  const double br = request_bill.total.to_double(), bf = flow_bill.total.to_double();
  checks.push_back({"monthly bill", fmt::format("{:.2f} USD", br), fmt::format("{:.2f} USD", bf), "within 0.5 %",
                    std::abs(bf - br) <= std::max(0.005 * std::abs(br), 0.01)});
  // Availability within the request level's 95 % interval or 0.01 percentage points; with
  // one replication there is no interval, so, as for counts, three standard deviations of
  // the difference of two binomial shares.
  std::vector<double> per;
  for (const auto& m : request.per_replication) per.push_back(m.availability);
  const double p = request.availability();
  const double n = static_cast<double>(std::max<std::uint64_t>(1, request.overall.total()));
  const double noise = 3 * std::sqrt(2 * p * (1 - p) / n);
  const double allowed = std::max({sim::estimate(per).half_width, 1e-4, noise});
  checks.push_back({"availability", fmt::format("{:.4f} %", 100 * request.availability()), fmt::format("{:.4f} %", 100 * flow.availability()),
                    fmt::format("within {:.4f} pp (the request level's 95 % interval, 0.01 pp, or 3 sd)", 100 * allowed),
                    std::abs(flow.availability() - request.availability()) <= allowed});
  // p50, p90 and p99 of successful requests within 5 %, where both runs have enough successes
  // for a p99 to be known to a few per cent (the 100 above it).
  if (request.overall.latency.count() >= kLatencySuccesses && flow.overall.latency.count() >= kLatencySuccesses) {
    for (const auto& [name, q] : {std::pair{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}}) {
      const auto r = static_cast<double>(request.overall.latency.quantile(q)), f = static_cast<double>(flow.overall.latency.quantile(q));
      checks.push_back({std::string(name) + " latency", fmt::format("{:.1f} ms", r / 1e6), fmt::format("{:.1f} ms", f / 1e6), "within 5 %",
                        std::abs(f - r) <= 0.05 * r});
    }
  }
  // Errors by cause within 5 %, or ±10 requests; both runs are samples, so widened by three
  // standard deviations of the count's Poisson noise.
  for (std::size_t o = 1; o < sim::kOutcomeCount; ++o) {
    const auto r = static_cast<double>(request.overall.outcomes[o]), f = static_cast<double>(flow.overall.outcomes[o]);
    if (r == 0 && f == 0) continue;
    const double bound = std::max({0.05 * r, 10.0, 3 * std::sqrt(2 * std::max(r, f))});
    checks.push_back({fmt::format("errors: {}", sim::outcome_name(static_cast<sim::Outcome>(o))), fmt::format("{:.0f}", r),
                      fmt::format("{:.0f}", f), fmt::format("within ±{:.0f} (5 %, 10, or 3 sd of the count)", bound),
                      std::abs(f - r) <= bound});
  }
  checks.push_back(incidents_agree(request, flow, "scale_out"));
  checks.push_back(incidents_agree(request, flow, "scale_in"));
  checks.push_back({"rollbacks", fmt::format("{}", request.deployments.rolled_back), fmt::format("{}", flow.deployments.rolled_back),
                    "the same", request.deployments.rolled_back == flow.deployments.rolled_back});
  checks.push_back(incidents_agree(request, flow, "rollback"));
  return checks;
}

std::string render_contract_text(const std::string& alternative, const std::vector<ContractCheck>& checks) {
  std::size_t width = 0;
  for (const auto& c : checks) width = std::max(width, c.what.size());
  const bool all = std::all_of(checks.begin(), checks.end(), [](const ContractCheck& c) { return c.holds; });
  std::string out = fmt::format("== {}: flow against request level: {}\n", alternative, all ? "the contract holds" : "the contract BREAKS");
  for (const auto& c : checks) {
    out += fmt::format("   {:<6} {:<{}}  request {:<16} flow {:<28} {}\n", c.holds ? "ok" : "BREAKS", c.what, width, c.request, c.flow, c.bound);
  }
  return out;
}

}  // namespace archsim::reports
