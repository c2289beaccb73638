#include "sim_fixture.hpp"

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "fixture.hpp"

namespace archsim::test {

sim::WorkloadSpec workload(const std::string& workload_yaml) {
  model::Diagnostics diagnostics;
  auto w = sim::decode_workload_text(workload_yaml, "workload.yaml", ARCHSIM_SOURCE_DIR "/tests/sim", diagnostics);
  for (const auto& d : diagnostics.all()) FAIL_CHECK(model::format_diagnostic(d));
  REQUIRE(w.has_value());
  return *w;
}

std::string workload_errors(const std::string& workload_yaml) {
  model::Diagnostics d;
  sim::decode_workload_text(workload_yaml, "w.yaml", ARCHSIM_SOURCE_DIR "/tests/sim", d);
  std::string all;
  for (const auto& diag : d.all()) all += model::format_diagnostic(diag) + "\n";
  return all;
}

sim::SimOutcome simulate_good(const std::string& overrides, const sim::WorkloadSpec& w, const sim::SimOptions& options,
                              const sim::SimDefaults& defaults) {
  const auto loaded = testing::load_good(overrides);
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  return sim::simulate(loaded.scenario->alternatives.front().topology, w, defaults, options);
}

sim::SimResult run_good(const std::string& overrides, const std::string& workload_yaml) {
  auto outcome = simulate_good(overrides, workload(workload_yaml));
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  return *outcome.result;
}

std::optional<double> first_incident(const sim::SimResult& r, std::string_view what, std::string_view subject, double from_s) {
  for (const auto& i : r.incidents) {
    const double at = static_cast<double>(i.at_ns) / 1e9;
    if (i.what == what && i.subject.starts_with(subject) && at >= from_s) return at;
  }
  return std::nullopt;
}

bool has_incident(const sim::SimResult& r, std::string_view what, std::string_view fragment) {
  for (const auto& i : r.incidents) {
    if (i.what == what && i.subject.find(fragment) != std::string::npos) return true;
  }
  return false;
}

double meter_total(const sim::SimResult& r, std::string_view component, std::string_view meter) {
  for (const auto& m : r.usage) {
    if (m.component == component && m.meter == meter) return m.total();
  }
  return 0;
}

std::string zero_network_yaml() {
  return "network: {same_zone: 0s, cross_zone: 0s, zone_to_regional: 0s, internet_to_region: 0s, "
         "internet_to_edge: 0s, edge_to_region: 0s}\n";
}

sim::SimResult simulate_single_service(int concurrency, double rate, const std::string& service_time, sim::Duration horizon,
                                       sim::Fidelity fidelity) {
  const std::string w = fmt::format(
      "horizon: {}\nwarmup: 10m\nseed: 11\narrivals: {{rate: {}/s}}\n{}components:\n"
      "  alb: {{service_time: 0s}}\n  app: {{service_time: {{{}}}, concurrency: {}, queue_length: 100000000}}\n",
      model::format_duration(horizon), rate, zero_network_yaml(), service_time, concurrency);
  sim::SimOptions options;
  options.fidelity = fidelity;
  auto outcome = simulate_good("components: {app: {desired_count: 1}}\nroutes: {main: {hops: [users, alb, app]}}\n", workload(w), options);
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  return *outcome.result;
}

}  // namespace archsim::test
