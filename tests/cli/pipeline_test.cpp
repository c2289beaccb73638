// The pipeline as one library call (tools/pipeline): what `archsim run` prints is this call's
// report, so a caller (a bench, the design-space search) gets the same figures and verdicts.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/model/rules.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/pricing/idle_cost.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/sim/workload.hpp"
#include "cli_fixture.hpp"
#include "fixture.hpp"

using namespace archsim;

TEST_CASE("pipeline: run_scenario's report is exactly what archsim run prints, criteria and verdicts included") {
  const char* file = "scenarios/secondary-cidr-vpc-link.yaml";
  const auto loaded = model::load_scenario(file, testing::facts());
  REQUIRE(loaded.ok());
  const model::ScenarioSpec& scenario = *loaded.scenario;
  model::Diagnostics d;
  const auto workload = sim::decode_workload(scenario, d);
  REQUIRE(workload.has_value());
  const auto pricing_context = pricing::prepare_pricing(scenario, d);
  REQUIRE(pricing_context.has_value());
  // The review `run` makes (validate_command.cpp: review): findings with their idle costs.
  auto findings = model::review_scenario(scenario, testing::facts());
  pricing::state_idle_costs(findings, scenario, *pricing_context);
  const auto review = reports::make_review_report(file, &scenario, loaded.diagnostics.all(), std::move(findings), testing::facts());
  sim::SimOptions options;
  options.horizon = sim::Duration::hours(1);
  options.threads = 2;
  int started = 0, finished = 0;
  pipeline::RunRequest request{scenario, review, *workload, *pricing_context, options, {}, {}, false};
  request.on_alternative = [&](const model::AlternativeSpec&) { ++started; };
  request.after_alternative = [&](const reports::AlternativeRun& run) {
    ++finished;
    CHECK_FALSE(run.error.has_value());
  };
  auto ran = pipeline::run_scenario(request);
  REQUIRE(ran.usage_ok);
  CHECK(started == static_cast<int>(scenario.alternatives.size()));
  CHECK(finished == started);
  ran.report.file = file;
  CHECK_FALSE(ran.report.criteria.empty());
  const auto cli = test::cli({"run", file, "--horizon", "1h", "--threads", "1", "--format", "json"});
  CHECK(cli.code == 1);  // the design as written fails its gates
  CHECK(nlohmann::json::parse(cli.out) == reports::run_json(ran.report, ARCHSIM_VERSION));
}
