// `fidelity: auto` (sim/fidelity.hpp): request level where the run is small or the flow
// model's accuracy contract is not known to hold, flows elsewhere, and a reason either way.
#include <fmt/format.h>

#include <doctest/doctest.h>

#include "archsim/model/load.hpp"
#include "archsim/sim/fidelity.hpp"
#include "archsim/sim/simulate.hpp"

#include "fixture.hpp"
#include "sim_fixture.hpp"

namespace archsim {

namespace {

/// auto's choice for the reference topology with `overrides` under `workload_yaml`.
sim::FidelityChoice auto_choice(const std::string& overrides, const std::string& workload_yaml,
                                std::optional<sim::Fidelity> asked = std::nullopt) {
  const auto loaded = testing::load_good(overrides);
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  const auto w = test::workload(workload_yaml);
  std::string error;
  const auto choice = sim::choose_fidelity(loaded.scenario->alternatives.front().topology, w, sim::builtin_sim_defaults(), asked,
                                           w.replications, error);
  REQUIRE_MESSAGE(choice.has_value(), error);
  return *choice;
}

// The reference app: 2 tasks of 10 slots; 40 ms of service and its database call (3.3 ms at
// the mean) make 250/s 0.54 of their capacity: a slot is held until the database answers.
const std::string kApp = "components: {app: {desired_count: 2}}\n";
std::string month_at(double rate, const std::string& service = "{constant: 40ms}") {
  return fmt::format("horizon: 730h\nreplications: 4\narrivals: {{rate: {}/s}}\ncomponents: {{app: {{service_time: {}, concurrency: "
                     "10}}}}\n",
                     rate, service);
}

}  // namespace

TEST_CASE("fidelity auto walks a small run: exact, and quick") {
  const auto c = auto_choice(kApp, "horizon: 1h\nreplications: 4\narrivals: {rate: 5/s}\n");
  CHECK(c.fidelity == sim::Fidelity::Request);
  CHECK(c.reason.find("the run is small") != std::string::npos);
}

TEST_CASE("fidelity auto runs a month of moderate traffic as flows, and says the busiest queue") {
  const auto c = auto_choice(kApp, month_at(250));
  CAPTURE(c.reason);
  CHECK(c.fidelity == sim::Fidelity::Flow);
  CHECK(c.reason.find("the busiest queue, app, is 0.54 busy at the 250/s peak") != std::string::npos);
  CHECK(c.request_hops < 0.1 * 250 * 730 * 3600 * 4);
}

TEST_CASE("fidelity auto walks every request of a queue near saturation") {
  // 450/s on 20 slots held 43.3 ms: 0.97 busy, above the contract's 0.85.
  const auto c = auto_choice(kApp, month_at(450));
  CAPTURE(c.reason);
  CHECK(c.fidelity == sim::Fidelity::Request);
  CHECK(c.reason.find("app is near saturation: 0.97 of its 20 slots busy") != std::string::npos);
  // The peak counts, not the mean: a burst to 450/s decides it too.
  const auto burst = auto_choice(kApp, "horizon: 730h\nreplications: 4\narrivals: {rate: 100/s, bursts: [{start: 2h, duration: 10m, "
                                       "multiplier: 4.5}]}\ncomponents: {app: {service_time: {constant: 40ms}, concurrency: 10}}\n");
  CHECK(burst.fidelity == sim::Fidelity::Request);
  // Autoscaling's most tasks are the capacity: 10 tasks take 450/s at 0.18.
  const auto scaled = auto_choice("components: {app: {desired_count: 2, min_count: 2, max_count: 10, autoscaling: "
                                  "{target_tracking: [{metric: cpu, target: 50}]}}}\n",
                                  month_at(450));
  CHECK(scaled.fidelity == sim::Fidelity::Flow);
}

TEST_CASE("fidelity auto walks a busy queue with heavy-tailed service times") {
  // Lognormal with p99/median 40: sigma 1.59, mean 71 ms, cs^2 = e^(sigma^2) - 1 = 11.4; 150/s
  // keeps 20 slots 0.55 busy (held through the database call).
  const auto heavy = auto_choice(kApp, month_at(150, "{lognormal: {median: 20ms, p99: 800ms}}"));
  CHECK(heavy.fidelity == sim::Fidelity::Request);
  CAPTURE(heavy.reason);
  CHECK(heavy.reason.find("app's service times are heavy-tailed (squared coefficient of variation 11, above 4) at a queue 0.55 busy") != std::string::npos);
  // The same tail at a quiet queue hardly waits: flows.
  const auto quiet = auto_choice(kApp, month_at(20, "{lognormal: {median: 20ms, p99: 800ms}}"));
  CHECK(quiet.fidelity == sim::Fidelity::Flow);
}

TEST_CASE("fidelity auto walks every request of a DynamoDB table near its provisioned capacity") {
  // The Free Tier design's provisioned table: 25 write units; a request writes one 1 KB item.
  const auto loaded = model::load_scenario(ARCHSIM_SOURCE_DIR "/scenarios/free-tier-single-az.yaml", testing::facts());
  REQUIRE(loaded.ok());
  const model::AlternativeSpec* provisioned = nullptr;
  for (const auto& alt : loaded.scenario->alternatives) {
    if (alt.id == "dynamodb-provisioned") provisioned = &alt;
  }
  REQUIRE(provisioned != nullptr);
  for (const auto& [rate, fidelity] : {std::pair{5.0, sim::Fidelity::Flow}, std::pair{40.0, sim::Fidelity::Request}}) {
    const auto w = test::workload(fmt::format("horizon: 730h\nreplications: 4\narrivals: {{rate: {}/s}}\ncomponents: {{table: "
                                              "{{reads_per_request: 1, writes_per_request: 1, item_size: 1KB}}}}\n",
                                              rate));
    std::string error;
    const auto c = sim::choose_fidelity(provisioned->topology, w, sim::builtin_sim_defaults(), std::nullopt, 4, error);
    REQUIRE_MESSAGE(c.has_value(), error);
    CAPTURE(c->reason);
    CHECK(c->fidelity == fidelity);
    if (fidelity == sim::Fidelity::Request) CHECK(c->reason.find("table uses 1.60 of its read capacity at the 40/s peak") != std::string::npos);
  }
}

TEST_CASE("fidelity set by the user is kept, with no reason of auto's") {
  const auto walked = auto_choice(kApp, month_at(250), sim::Fidelity::Request);
  CHECK(walked.fidelity == sim::Fidelity::Request);
  CHECK(walked.reason.empty());
  const auto flows = auto_choice(kApp, "horizon: 1h\narrivals: {rate: 5/s}\nfidelity: flow\n");
  CHECK(flows.fidelity == sim::Fidelity::Flow);
  CHECK(flows.reason.empty());
}

TEST_CASE("fidelity choice carries the work it was made from, and simulate runs at a choice it is given") {
  const auto loaded = testing::load_good(kApp);
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  const auto& topology = loaded.scenario->alternatives.front().topology;
  const auto w = test::workload("horizon: 10m\nreplications: 2\narrivals: {rate: 5/s}\n");
  std::string error;
  const auto choice = sim::choose_fidelity(topology, w, sim::builtin_sim_defaults(), std::nullopt, w.replications, error);
  REQUIRE_MESSAGE(choice.has_value(), error);
  const auto work = sim::estimate_work(topology, w, sim::builtin_sim_defaults(), error);
  REQUIRE_MESSAGE(work.has_value(), error);
  CHECK(choice->work.requests == doctest::Approx(work->requests));
  CHECK(choice->work.hops_per_request == doctest::Approx(work->hops_per_request));
  CHECK(choice->request_hops == doctest::Approx(work->request_hops() * 2));
  // Unasked, simulate chooses as choose_fidelity does: this small run is walked.
  sim::SimOptions options;
  const auto chosen = sim::simulate(topology, w, sim::builtin_sim_defaults(), options);
  REQUIRE(chosen.result.has_value());
  CHECK(chosen.result->fidelity == sim::Fidelity::Request);
  CHECK(chosen.result->fidelity_reason == choice->reason);
  // Given a choice, it runs at that one without choosing again.
  sim::FidelityChoice given = *choice;
  given.fidelity = sim::Fidelity::Flow;
  given.reason = "chosen by the caller";
  options.fidelity_choice = given;
  const auto as_given = sim::simulate(topology, w, sim::builtin_sim_defaults(), options);
  REQUIRE(as_given.result.has_value());
  CHECK(as_given.result->fidelity == sim::Fidelity::Flow);
  CHECK(as_given.result->fidelity_reason == "chosen by the caller");
}

// An independent check (2026-12-08) found flows wrong where these hold, and auto choosing them.
TEST_CASE("fidelity auto walks a task that waits on its calls downstream, when the wait it adds shows") {
  // Two slots held 10 ms by the database while the app's own time is next to nothing: at
  // 160/s M/M/2 waits 17.8 ms more than flows, which queue on the own time, would say.
  const std::string held = "components: {app: {desired_count: 1}}\n";
  const auto c = auto_choice(held, "horizon: 730h\narrivals: {rate: 160/s}\ncomponents: {app: {service_time: {constant: 0.1ms}, "
                                   "concurrency: 2}, db: {service_time: {exponential: {mean: 10ms}}}}\n");
  CAPTURE(c.reason);
  CHECK(c.fidelity == sim::Fidelity::Request);
  CHECK(c.reason.find("app holds its slots through its calls downstream") != std::string::npos);
  // Twenty slots at the same load hardly wait: flows.
  const auto wide = auto_choice(held, "horizon: 730h\narrivals: {rate: 160/s}\ncomponents: {app: {service_time: {constant: 0.1ms}, "
                                      "concurrency: 20}, db: {service_time: {exponential: {mean: 10ms}}}}\n");
  CAPTURE(wide.reason);
  CHECK(wide.fidelity == sim::Fidelity::Flow);
}

TEST_CASE("fidelity auto walks a finite queue that refuses requests below saturation") {
  // 16 slots, no queue, 0.7 busy: Erlang B(16, 11.2) = 4.3 % refused; flows refuse none.
  const auto c = auto_choice("components: {app: {desired_count: 1}}\n",
                             "horizon: 730h\narrivals: {rate: 1120/s}\ncomponents: {app: {service_time: {constant: 10ms}, concurrency: 16, "
                             "queue_length: 0}, db: {service_time: {constant: 0.1ms}}}\n");
  CAPTURE(c.reason);
  CHECK(c.fidelity == sim::Fidelity::Request);
  CHECK(c.reason.find("app's queue of 0 refuses 4.") != std::string::npos);
}

}  // namespace archsim

