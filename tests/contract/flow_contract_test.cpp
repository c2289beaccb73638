// The flow model's accuracy contract (docs/simulation.md, "Flow fidelity"; docs/performance.md
// has the table): for every seed scenario and alternative, the flow model against the request
// walk with the same seed and workload, over a horizon that reaches each seed's zone outage
// (2d10h) and KrakenD's bad release (3d16h). Both runs are samples of the same random model, so
// a count is held to 5 % (or ±10 requests) widened by three standard deviations of its Poisson
// noise; everything else is held to the contract as stated.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "archsim/pricing/bill.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/sim/statistics.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

struct Runs {
  sim::SimResult request, flow;
};

Runs run_both(const model::TopologySpec& topology, sim::WorkloadSpec workload) {
  Runs out;
  for (const auto fidelity : {sim::Fidelity::Request, sim::Fidelity::Flow}) {
    sim::SimOptions options;
    options.fidelity = fidelity;
    options.threads = 2;
    auto outcome = sim::simulate(topology, workload, sim::builtin_sim_defaults(), options);
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    (fidelity == sim::Fidelity::Request ? out.request : out.flow) = std::move(*outcome.result);
  }
  return out;
}

std::vector<double> per_replication(const sim::SimResult& r, double (*metric)(const sim::ReplicationMetrics&)) {
  std::vector<double> v;
  for (const auto& m : r.per_replication) v.push_back(metric(m));
  return v;
}

/// The times (ns) of one kind of incident, in the first replication.
std::vector<std::int64_t> incident_times(const sim::SimResult& r, std::string_view what) {
  std::vector<std::int64_t> t;
  for (const auto& i : r.incidents) {
    if (i.what == what) t.push_back(i.at_ns);
  }
  return t;
}

void check_contract(const model::ScenarioSpec& scenario, const model::AlternativeSpec& alt, const sim::WorkloadSpec& workload,
                    const pricing::PricingContext& pricing_context) {
  const Runs runs = run_both(alt.topology, workload);
  const sim::SimResult& rq = runs.request;
  const sim::SimResult& fl = runs.flow;
  CHECK(fl.fidelity == sim::Fidelity::Flow);
  // The monthly bill within 0.5 %.
  const auto bill_r = pricing::bill_for(pricing_context, alt.topology, pricing::usage_from_simulation(rq));
  const auto bill_f = pricing::bill_for(pricing_context, alt.topology, pricing::usage_from_simulation(fl));
  CHECK(bill_f.total.to_double() == doctest::Approx(bill_r.total.to_double()).epsilon(0.005).scale(0.01));
  // Availability within the request level's 95 % interval or 0.01 percentage points.
  const auto avail = sim::estimate(per_replication(rq, [](const sim::ReplicationMetrics& m) { return m.availability; }));
  const double allowed = std::max(avail.half_width, 1e-4);
  CHECK(std::abs(fl.availability() - rq.availability()) <= allowed);
  // p50, p90, p99 of successful requests within 5 %.
  if (rq.overall.latency.count() > 1000 && fl.overall.latency.count() > 1000) {
    for (double q : {0.5, 0.9, 0.99}) {
      CAPTURE(q);
      CHECK(static_cast<double>(fl.overall.latency.quantile(q)) ==
            doctest::Approx(static_cast<double>(rq.overall.latency.quantile(q))).epsilon(0.05).scale(0));
    }
  }
  // Errors by cause within 5 %, or ±10 requests, widened by 3 sd of Poisson noise.
  for (std::size_t o = 0; o < sim::kOutcomeCount; ++o) {
    const auto r = static_cast<double>(rq.overall.outcomes[o]), f = static_cast<double>(fl.overall.outcomes[o]);
    CAPTURE(sim::outcome_name(static_cast<sim::Outcome>(o)));
    CAPTURE(r);
    CAPTURE(f);
    CHECK(std::abs(f - r) <= std::max({0.05 * r, 10.0, 3 * std::sqrt(2 * std::max(r, f))}));
  }
  // Scaling actions at times within one metric period (a minute) of each other.
  for (const char* what : {"scale_out", "scale_in"}) {
    const auto a = incident_times(rq, what), b = incident_times(fl, what);
    CAPTURE(what);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(std::abs(a[i] - b[i]) <= 60'000'000'000LL);
  }
  // A rollback reached in both or in neither, within one alarm period.
  CHECK(fl.deployments.rolled_back == rq.deployments.rolled_back);
  const auto ra = incident_times(rq, "rollback"), rb = incident_times(fl, "rollback");
  REQUIRE(ra.size() == rb.size());
  for (std::size_t i = 0; i < ra.size(); ++i) CHECK(std::abs(ra[i] - rb[i]) <= 60'000'000'000LL);
  (void)scenario;
}

}  // namespace

TEST_CASE("flow fidelity meets its accuracy contract on every seed scenario and alternative") {
  const auto dir = std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    auto loaded = model::load_scenario(file, testing::facts());
    REQUIRE_MESSAGE(loaded.scenario, testing::diagnostics_text(loaded));
    model::Diagnostics diagnostics;
    auto workload = sim::decode_workload(*loaded.scenario, diagnostics);
    REQUIRE(workload);
    auto context = pricing::prepare_pricing(*loaded.scenario, diagnostics);
    REQUIRE(context);
    // Past the zone outage (2d10h) and KrakenD's bad release (3d16h); two replications.
    workload->horizon = sim::Duration::hours(file.stem() == "krakend-blue-green" ? 90 : 60);
    workload->replications = 2;
    for (const auto& alt : loaded.scenario->alternatives) {
      CAPTURE(file.filename().string());
      CAPTURE(alt.id);
      check_contract(*loaded.scenario, alt, *workload, *context);
    }
  }
}
