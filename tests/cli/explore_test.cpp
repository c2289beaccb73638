// `archsim explore`: the design-space search on ADR-0005's seed with a small space, its outputs
// and its determinism, and every kind of bad `explore:` block as a located error with exit 2.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/model/load.hpp"
#include "archsim/pricing/bill.hpp"
#include "archsim/reports/explore_report.hpp"
#include "cli_fixture.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

/// The test's folder under the process's own temporary folder, which the test main sets
/// (TMPDIR) after static initialisation: a namespace-scope constant would share /tmp.
std::filesystem::path test_dir() { return std::filesystem::temp_directory_path() / "archsim_explore_test"; }

/// ADR-0005's seed in a folder of its own, its explore block replaced by `explore`.
std::string adr0005_with(const std::string& explore, const std::string& name = "adr0005.yaml") {
  std::filesystem::create_directories(test_dir() / "topologies");
  std::filesystem::copy_file("scenarios/topologies/adr0005-alb-private-tasks.yaml", test_dir() / "topologies/adr0005-alb-private-tasks.yaml",
                             std::filesystem::copy_options::overwrite_existing);
  std::string text = testing::read_file("scenarios/adr0005.yaml");
  text = text.substr(0, text.find("\nexplore:\n")) + "\n" + explore;
  std::ofstream(test_dir() / name, std::ios::binary) << text;
  return (test_dir() / name).string();
}

const std::string kSmall = R"(explore:
  base: alb-private-tasks
  dimensions:
    egress:
      options:
        none: null
        nat-per-zone: alb-private-tasks-nat
        endpoints: alb-private-tasks-endpoints
    components.api.architecture: [x86_64, arm64]
  constraints: {criteria: all, budget: false}
  screening: {replications: 2}
  confirmation: {replications: 3}
)";

}  // namespace

TEST_CASE("explore: ADR-0005's small space gives a front, the cheapest variant meeting every criterion, and the same bytes on any thread count") {
  const std::string file = adr0005_with(kSmall);
  const auto one = cli({"explore", file, "--horizon", "3d", "--format", "json", "--threads", "1"});
  INFO(one.err);
  REQUIRE(one.code == 0);
  const auto two = cli({"explore", file, "--horizon", "3d", "--format", "json", "--threads", "2"});
  CHECK(two.code == 0);
  CHECK(one.out == two.out);
  const auto j = nlohmann::json::parse(one.out);
  CHECK(j["schema"] == "archsim.explore/1");
  CHECK(j["space"]["size"] == 6);
  CHECK(j["method"] == "exhaustive");
  // The egress `none` is the ADR as written: tasks without a path to ECR, rejected by the review.
  for (const auto& v : j["variants"]) {
    if (v["choices"]["egress"] == "none") {
      CHECK(v["feasibility"] == "rejected");
      CHECK(v["findings"][0].get<std::string>().find("task-no-egress-path") != std::string::npos);
    }
  }
  // The best is the cheapest confirmed variant that meets every criterion.
  const std::string best = j["best"]["variant"];
  double best_cost = 0, cheapest = 1e18;
  for (const auto& v : j["variants"]) {
    // A rejected variant has no evaluation at all.
    if (v["feasibility"] != "meets" || v["evaluations"].empty()) continue;
    const auto& last = v["evaluations"].back();
    if (last["stage"] != "confirmation") continue;
    const double cost = last["metrics"]["cost.monthly"]["mean"];
    cheapest = std::min(cheapest, cost);
    if (v["id"] == best) best_cost = cost;
  }
  CHECK(best_cost == cheapest);
  CHECK(std::find(j["front"].begin(), j["front"].end(), best) != j["front"].end());
  // The document's alternatives are judged on the same terms, for the charts.
  CHECK(j["alternatives"].size() == 7);

  SUBCASE("the best variant's alternative, pasted under alternatives:, loads and runs as the search measured it") {
    std::string pasted;
    for (const auto& v : j["variants"]) {
      if (v["id"] == best) pasted = v["alternative_yaml"];
    }
    REQUIRE(!pasted.empty());
    std::string text = testing::read_file(file);
    std::string indented;
    for (std::size_t at = 0; at < pasted.size();) {
      const auto end = pasted.find('\n', at);
      indented += "  " + pasted.substr(at, end - at + 1);
      at = end + 1;
    }
    text.replace(text.find("\nalternatives:\n") + 15, 0, indented);
    std::ofstream(test_dir() / "pasted.yaml", std::ios::binary) << text;
    const auto validated = cli({"validate", (test_dir() / "pasted.yaml").string(), "--format", "json"});
    INFO(validated.err);
    CHECK(validated.err.find("error") == std::string::npos);
    const auto ran = cli({"run", (test_dir() / "pasted.yaml").string(), "--horizon", "3d", "--format", "json"});
    INFO(ran.err);
    const auto run = nlohmann::json::parse(ran.out);
    bool found = false;
    for (const auto& c : run["criteria"]) {
      if (c["alternative"] != best || c["criterion"] != "cost") continue;
      found = true;
      // The same variant, seed and horizon; the run's 10 replications against confirmation's 3.
      const double measured = c["measured"]["mean"];
      CHECK(measured == doctest::Approx(best_cost).epsilon(0.01).scale(0));
    }
    CHECK(found);
  }

  SUBCASE("Markdown and HTML carry the front and the best variant; --out writes the three files") {
    const auto md = cli({"explore", file, "--horizon", "3d", "--format", "markdown", "--out", (test_dir() / "out").string()});
    CHECK(md.code == 0);
    CHECK(md.out.find("## Pareto front") != std::string::npos);
    CHECK(md.out.find(best) != std::string::npos);
    const std::string html = testing::read_file(test_dir() / "out" / "explore.html");
    CHECK(html.find("<svg class=\"chart\"") != std::string::npos);
    CHECK(html.find("cost.monthly against availability") != std::string::npos);
    CHECK(nlohmann::json::parse(testing::read_file(test_dir() / "out" / "explore.json")) == j);
  }
}

namespace {

/// The search's inputs as `archsim explore FILE --horizon HORIZON` reads them.
explore::ExploreInputs inputs_for(const std::string& file, const std::string& horizon) {
  auto loaded = model::load_scenario(file, testing::facts());
  REQUIRE_MESSAGE(loaded.ok(), testing::diagnostics_text(loaded));
  model::Diagnostics diagnostics;
  auto pricing = pricing::prepare_pricing(*loaded.scenario, diagnostics);
  REQUIRE(pricing);
  auto inputs = explore::make_explore_inputs(*loaded.scenario, testing::facts(), {}, std::move(*pricing), diagnostics);
  REQUIRE(inputs);
  inputs->horizon = model::parse_duration(horizon);
  return std::move(*inputs);
}

/// A runner that claims many evaluators, as a large MPI job would: the search then cuts each
/// evaluation into slices of replications. It records the tasks it was given.
class ManyEvaluators final : public explore::BatchRunner {
 public:
  explicit ManyEvaluators(explore::EvaluateFn evaluate) : threads_(explore::make_thread_runner(std::move(evaluate), 2)) {}
  std::vector<std::string> run(const std::vector<std::string>& tasks, const explore::ProgressFn& progress) override {
    sent.insert(sent.end(), tasks.begin(), tasks.end());
    return threads_->run(tasks, progress);
  }
  std::string describe() const override { return "64 evaluators"; }
  std::size_t evaluators() const override { return 64; }
  std::vector<std::string> sent;

 private:
  std::unique_ptr<explore::BatchRunner> threads_;
};

}  // namespace

TEST_CASE("explore: evaluations cut into slices of replications give the same bytes as evaluations in one piece") {
  CHECK(explore::slices_per_evaluation(16, 2, 10) == 1);
  CHECK(explore::slices_per_evaluation(16, 9, 10) == 2);
  CHECK(explore::slices_per_evaluation(4, 64, 3) == 3);
  CHECK(explore::slices_per_evaluation(4, 64, 1) == 1);

  SUBCASE("one task, by hand: a variant, a rejected variant, one of the document's alternatives; on both seeds") {
    for (const auto& [file, tasks] : std::vector<std::pair<std::string, std::vector<std::string>>>{
             {adr0005_with(kSmall), {R"({"variant":3,"stage":"confirmation"})", R"({"variant":0,"stage":"confirmation"})",
                                     R"({"alternative":"alb-private-tasks-nat","stage":"confirmation"})"}},
             {"scenarios/free-tier-single-az.yaml", {R"({"variant":5,"stage":"screening"})", R"({"alternative":"serverless","stage":"screening"})"}}}) {
      const auto inputs = inputs_for(file, "1d");
      for (const auto& task : tasks) {
        CAPTURE(file);
        CAPTURE(task);
        const std::string whole = explore::evaluate_task(inputs, task);
        auto slice = [&](int first, int count) {
          auto j = nlohmann::json::parse(task);
          j["replications"] = {first, count};
          return explore::evaluate_task(inputs, j.dump());
        };
        const int n = nlohmann::json::parse(task)["stage"] == "screening" ? inputs.spec.screening.replications : inputs.spec.confirmation.replications;
        REQUIRE(n >= 2);
        // One replication per slice, and two uneven slices.
        std::vector<std::string> singles;
        for (int k = 0; k < n; ++k) singles.push_back(slice(k, 1));
        CHECK(explore::merge_slices(inputs, task, singles) == whole);
        CHECK(explore::merge_slices(inputs, task, {slice(0, 1), slice(1, n - 1)}) == whole);
      }
    }
  }

  SUBCASE("a whole search on a runner with 64 evaluators") {
    const auto inputs = inputs_for(adr0005_with(kSmall), "1d");
    const explore::EvaluateFn evaluate = [&inputs](const std::string& task) { return explore::evaluate_task(inputs, task); };
    auto threads = explore::make_thread_runner(evaluate, 2);
    ManyEvaluators many(evaluate);
    const auto plain = reports::explore_json(explore::run_explore(inputs, *threads), "test");
    const auto sliced = reports::explore_json(explore::run_explore(inputs, many), "test");
    CHECK(plain.dump(2) == sliced.dump(2));
    // It was cut: every batch here has fewer evaluations than twice 64, so every task is a
    // slice, and screening's 2 replications went out as 2 slices of one.
    REQUIRE(!many.sent.empty());
    for (const auto& task : many.sent) CHECK(nlohmann::json::parse(task).contains("replications"));
    CHECK(nlohmann::json::parse(many.sent[1])["replications"] == nlohmann::json::array({1, 1}));
  }
}

namespace {

/// Each variant's screening cost and, where the report has it, its alternative to paste, by
/// its choices (`<dimension>=<label>` joined with "; ").
struct PurchaseRun {
  std::map<std::string, double> cost;
  std::map<std::string, std::string> yaml;
};
PurchaseRun run_purchase_space(const std::string& file) {
  const auto ran = cli({"explore", file, "--horizon", "1d", "--format", "json"});
  INFO(ran.err);
  REQUIRE(ran.code != 2);
  PurchaseRun out;
  const auto report = nlohmann::json::parse(ran.out);  // kept: a range-for would not extend a temporary's life
  for (const auto& v : report["variants"]) {
    REQUIRE(!v["evaluations"].empty());
    std::string key;
    for (const auto& [name, label] : v["choices"].items()) key += (key.empty() ? "" : "; ") + name + "=" + label.get<std::string>();
    out.cost[key] = v["evaluations"][0]["metrics"]["cost.monthly"]["mean"];
    if (v.contains("alternative_yaml")) out.yaml[key] = v["alternative_yaml"];
  }
  return out;
}

const std::string kPurchaseHead = R"(explore:
  base: alb-private-tasks-endpoints
  constraints: {criteria: all, budget: false}
  screening: {replications: 2}
  confirmation: {replications: 2}
  dimensions:
)";

}  // namespace

TEST_CASE("explore: purchase options are a dimension, each variant billed under its own") {
  SUBCASE("a Compute Savings Plan in us-east-1: the same simulation, a lower bill") {
    const auto run = run_purchase_space(adr0005_with(kPurchaseHead + "    pricing.savings_plan: [null, {type: compute, term: 3yr, payment: all_upfront}]\n"));
    const std::string none = "pricing.savings_plan=null", plan = "pricing.savings_plan={type: compute, term: 3yr, payment: all_upfront}";
    REQUIRE(run.cost.size() == 2);
    CHECK(run.cost.at(plan) < run.cost.at(none));
    // The variant to paste carries its purchase options under the alternative.
    REQUIRE(run.yaml.contains(plan));
    const auto at = run.yaml.at(plan).find("\n  pricing:");
    REQUIRE(at != std::string::npos);
    CHECK(run.yaml.at(plan).find("savings_plan", at) != std::string::npos);
  }

  SUBCASE("Fargate Spot in eu-west-1, whose book prices it") {
    const std::string file = adr0005_with(kPurchaseHead + "    pricing.fargate: [on_demand, spot]\n", "spot.yaml");
    for (const auto& path : {file, (test_dir() / "topologies/adr0005-alb-private-tasks.yaml").string()}) {
      std::string text = testing::read_file(path);
      for (auto at = text.find("us-east-1"); at != std::string::npos; at = text.find("us-east-1", at)) text.replace(at, 9, "eu-west-1");
      std::ofstream(path, std::ios::binary) << text;
    }
    const auto run = run_purchase_space(file);
    REQUIRE(run.cost.size() == 2);
    CHECK(run.cost.at("pricing.fargate=spot") < run.cost.at("pricing.fargate=on_demand"));
    // Put the seed's topology back for the other tests.
    std::filesystem::copy_file("scenarios/topologies/adr0005-alb-private-tasks.yaml", test_dir() / "topologies/adr0005-alb-private-tasks.yaml",
                               std::filesystem::copy_options::overwrite_existing);
  }

  SUBCASE("a service's capacity provider strategy is a path dimension: a FARGATE base under Spot costs between all on demand and all on Spot") {
    const auto run = run_purchase_space(adr0005_with(kPurchaseHead + R"(    components.api.capacity_provider_strategy:
      - [{capacity_provider: FARGATE, weight: 1}]
      - [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, weight: 1}]
      - [{capacity_provider: FARGATE_SPOT, weight: 1}]
)", "strategy.yaml"));
    REQUIRE(run.cost.size() == 3);
    double on_demand = 0, mixed = 0, spot = 0;
    std::string mixed_key;
    for (const auto& [key, cost] : run.cost) {
      const bool has_spot = key.find("FARGATE_SPOT") != std::string::npos;
      if (!has_spot) on_demand = cost;
      else if (key.find("base: 1") != std::string::npos) mixed = cost, mixed_key = key;
      else spot = cost;
    }
    CHECK(spot < mixed);
    CHECK(mixed < on_demand);
    // The variant to paste carries the service's strategy.
    REQUIRE(run.yaml.contains(mixed_key));
    CHECK(run.yaml.at(mixed_key).find("capacity_provider_strategy") != std::string::npos);
  }

  SUBCASE("a combination of options the book cannot price (arm64 on Spot in us-west-2) is rejected, never ranked on a lower bound") {
    const std::string file = adr0005_with(kPurchaseHead + "    pricing.fargate: [on_demand, spot]\n    components.api.architecture: [x86_64, arm64]\n",
                                          "spot-west.yaml");
    for (const auto& path : {file, (test_dir() / "topologies/adr0005-alb-private-tasks.yaml").string()}) {
      std::string text = testing::read_file(path);
      for (auto at = text.find("us-east-1"); at != std::string::npos; at = text.find("us-east-1", at)) text.replace(at, 9, "us-west-2");
      std::ofstream(path, std::ios::binary) << text;
    }
    const auto out = test_dir() / "spot-west-out";
    const auto ran = cli({"explore", file, "--horizon", "1d", "--format", "json", "--out", out.string()});
    INFO(ran.err);
    REQUIRE(ran.code != 2);
    // The review found nothing wrong with it: the summary says why it was rejected.
    CHECK(testing::read_file(out / "explore.md").find("0 rejected by the review, 1 without a price in the book, ") != std::string::npos);
    const auto report = nlohmann::json::parse(ran.out);
    int rejected = 0, evaluated = 0;
    for (const auto& v : report["variants"]) {
      const bool spot_arm = v["choices"].dump().find("spot") != std::string::npos && v["choices"].dump().find("arm64") != std::string::npos;
      if (v["feasibility"] == "rejected") {
        ++rejected;
        CHECK(spot_arm);
        CHECK(v["findings"].dump().find("missing-price: pricing/data/us-west-2.yaml has no price for fargate_spot.gb_hour.arm64, "
                                        "fargate_spot.vcpu_hour.arm64") != std::string::npos);
      } else {
        ++evaluated;
        CHECK_FALSE(spot_arm);
      }
    }
    CHECK(rejected == 1);
    CHECK(evaluated == 3);
    std::filesystem::copy_file("scenarios/topologies/adr0005-alb-private-tasks.yaml", test_dir() / "topologies/adr0005-alb-private-tasks.yaml",
                               std::filesystem::copy_options::overwrite_existing);
  }

  SUBCASE("Fargate Spot with a book that has no Spot prices: a located error at the option, not a bill of missing lines") {
    // The scenario's own book: us-east-1's without its fargate_spot entries.
    std::string book, kept;
    std::istringstream in(testing::read_file("pricing/data/us-east-1.yaml"));
    bool skipping = false;
    for (std::string l; std::getline(in, l);) {
      if (l.starts_with("  ") && l.size() > 2 && l[2] != ' ') skipping = l.starts_with("  fargate_spot.");
      if (!skipping) kept += l + "\n";
    }
    std::ofstream(test_dir() / "no-spot-book.yaml", std::ios::binary) << kept;
    std::string file = adr0005_with(kPurchaseHead + "    pricing.fargate: [on_demand, spot]\n", "spot-east.yaml");
    std::string text = testing::read_file(file);
    text.replace(text.find("  free_tier: always_free\n"), 25, "  free_tier: always_free\n  price_book: no-spot-book.yaml\n");
    std::ofstream(file, std::ios::binary) << text;
    const auto r = cli({"explore", file, "--horizon", "1d"});
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("spot-east.yaml:") != std::string::npos);
    CHECK(r.err.find("has no Fargate Spot prices (fargate_spot.*) for us-east-1 (books with them: none)") != std::string::npos);
    CHECK(r.err.find("(explore dimension pricing.fargate, option spot)") != std::string::npos);
    const auto v = cli({"validate", file});
    CHECK(v.code == 2);
    CHECK(v.err.find("(explore dimension pricing.fargate, option spot)") != std::string::npos);
  }
}

TEST_CASE("explore: a bad explore block is a located error, exit 2") {
  const auto refused = [](const std::string& block, const std::string& expected, std::vector<std::string> extra = {}) {
    const std::string file = adr0005_with(block, "bad.yaml");
    std::vector<std::string> args{"explore", file, "--horizon", "3d"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = cli(args);
    INFO(block);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(expected) != std::string::npos);
    CHECK(r.err.find("bad.yaml:") != std::string::npos);
  };
  const std::string head = "explore:\n  base: alb-private-tasks\n  dimensions:\n";
  // A path that names nothing in the base's topology, with a did-you-mean; validate says so too.
  refused(head + "    components.apu.desired_count: [1, 2]\n", "'components.apu.desired_count' names nothing in alternative alb-private-tasks's topology (did you mean 'api'?)");
  const auto validated = cli({"validate", (test_dir() / "bad.yaml").string()});
  CHECK(validated.code == 2);
  CHECK(validated.err.find("bad.yaml:") != std::string::npos);
  CHECK(validated.err.find("names nothing in alternative alb-private-tasks's topology (did you mean 'api'?)") != std::string::npos);
  // A leaf the loader does not know: an ignored key would vary nothing.
  refused(head + "    components.api.desird_count: [1, 2]\n", "unknown key 'desird_count' (did you mean 'desired_count'?)");
  // An option that makes the topology invalid to load.
  refused(head + "    components.api.desired_count: [1, -3]\n", "(explore dimension components.api.desired_count, option -3)");
  // A capacity provider strategy ECS refuses: two bases.
  refused(head + "    components.api.capacity_provider_strategy: [[{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, base: 2}]]\n",
          "item [0] already has a base: only one capacity provider in a strategy can have one (explore dimension "
          "components.api.capacity_provider_strategy, option [{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, base: 2}])");
  // A purchase option the loader does not know, or a value it does not take.
  refused(head + "    pricing.fargat: [spot]\n", "unknown key 'fargat' (did you mean 'fargate'?) (explore dimension pricing.fargat, option spot)");
  refused(head + "    pricing.fargate: [on_demand, spto]\n", "expected one of on_demand, spot, found 'spto' (did you mean 'spot'?)");
  // An objective no run produces.
  refused(head + "    components.api.desired_count: [1, 2]\n  objectives: [cost.monthly, latency.p98]\n",
          "no run produces a metric 'latency.p98' (did you mean 'latency.p95'?)");
  // A best variant judged two ways at once.
  refused(head + "    components.api.desired_count: [1, 2]\n  best: {min: cost.monthly, max: availability}\n",
          "expected `{min: METRIC}` or `{max: METRIC}`, one of the two");
  // The same value twice would be the same variant evaluated and counted twice.
  refused(head + "    pricing.fargate: [spot, on_demand, spot]\n", "explore.dimensions.pricing.fargate[2]: error: 'spot' is already value [0] of this dimension");
  refused(head + "    components.api.desired_count: [2, 3, 2]\n", "'2' is already value [0] of this dimension; each value is one variant");
  // An empty space.
  refused(head + "    components.api.desired_count: []\n", "expected a list of values");
  refused("explore:\n  base: alb-private-tasks\n  dimensions: {}\n", "expected a map of dimensions, at least one");
  // An unknown base.
  refused("explore:\n  base: alb-privat-tasks\n  dimensions:\n    components.api.desired_count: [1]\n", "did you mean 'alb-private-tasks'?");
  // A space larger than the budget: its size and the flag that allows it.
  refused(head + "    components.api.max_count: {range: [6, 11]}\n  search: {method: exhaustive}\n",
          "the space has 6 variants, more than the 5 an exhaustive search may evaluate; raise it with --max-variants 6", {"--max-variants", "5"});
  refused(head + "    components.api.max_count: {range: [6, 205]}\n  search: {population: 8, generations: 3}\n",
          "NSGA-II would evaluate up to 32 variants (population 8 x 3 generations + 1) of a space of 200, more than the 20 allowed; raise it with --max-variants 32",
          {"--max-variants", "20"});
  // A scenario without the block.
  const auto none = cli({"explore", "scenarios/cloudfront-rds.yaml"});
  CHECK(none.code == 2);
  CHECK(none.err.find("the scenario has no `explore:` block") != std::string::npos);
}

TEST_CASE("explore: a variant the usage block does not fit is rejected with the reason, the search goes on") {
  const auto dir = test_dir() / "usage-fit";
  std::filesystem::create_directories(dir);
  test::put_reference_topology(dir.string());
  const std::string mixed = "[{capacity_provider: FARGATE, base: 1}, {capacity_provider: FARGATE_SPOT, weight: 1}]";
  std::ofstream(dir / "s.yaml") << "archsim: 1\nname: ex\nregion: us-east-1\nworkload:\n  horizon: 1h\n  seed: 1\n  arrivals: {rate: 1/s}\n"
                                   "usage:\n  app: {task_seconds: 7200, spot_task_seconds: 3600}\n"
                                   "alternatives:\n  a:\n    title: t\n    status: chosen\n    topology: good_topology.yaml\n"
                                   "    overrides:\n      components: {app: {capacity_provider_strategy: " + mixed + "}}\n"
                                   "explore:\n  base: a\n  dimensions:\n    components.app.capacity_provider_strategy:\n"
                                   "      - " + mixed + "\n      - [{capacity_provider: FARGATE_SPOT, weight: 1}]\n"
                                   "  screening: {replications: 1}\n  confirmation: {replications: 1}\n";
  const auto r = cli({"explore", (dir / "s.yaml").string(), "--format", "json", "--out", (dir / "out").string()});
  REQUIRE_MESSAGE(r.code <= 1, r.err);
  const auto report = nlohmann::json::parse(r.out);
  REQUIRE(report["variants"].size() == 2);
  CHECK(report["variants"][0]["feasibility"] != "rejected");
  CHECK(report["variants"][1]["feasibility"] == "rejected");
  CHECK(report["variants"][1]["findings"].dump().find("usage: usage.app.spot_task_seconds: expected the service's whole task time") != std::string::npos);
  CHECK(testing::read_file(dir / "out" / "explore.md").find("0 rejected by the review, 1 the usage block does not fit, ") != std::string::npos);
}

TEST_CASE("explore: a fault may name a component only an explore option adds; a typo is still an error") {
  const auto dir = test_dir() / "option-component";
  std::filesystem::create_directories(dir);
  test::put_reference_topology(dir.string());
  const auto scenario = [&](const std::string& target) {
    std::ofstream(dir / "s.yaml") << "archsim: 1\nname: ex\nregion: us-east-1\nworkload:\n  horizon: 1h\n  seed: 1\n  arrivals: {rate: 1/s}\n"
                                     "  faults:\n    slow: {effect: dependency_slow, component: " + target + ", at: 10m, duration: 5m, added_latency: {constant: 100ms}}\n"
                                     "alternatives:\n  a:\n    title: t\n    status: chosen\n    topology: good_topology.yaml\n"
                                     "explore:\n  base: a\n  dimensions:\n    worker:\n      options:\n        none: null\n"
                                     "        with: {components: {worker: {type: lambda, memory: 512MiB}}}\n";
    return (dir / "s.yaml").string();
  };
  CHECK(cli({"validate", scenario("worker")}).code == 0);
  const auto typo = cli({"validate", scenario("wroker")});
  CHECK(typo.code == 2);
  CHECK(typo.err.find("no alternative has a component 'wroker' (did you mean 'worker'?)") != std::string::npos);
}
