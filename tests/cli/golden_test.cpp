// Golden-file tests of whole outputs: `validate`, `graph` and an hour of `run` for every seed
// scenario, and
// docs/rules.md. Regenerate with ARCHSIM_UPDATE_GOLDEN=1 and review the diff.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "archsim/cli.hpp"
#include "cli_fixture.hpp"
#include "fixture.hpp"

namespace {

void check_golden(const std::filesystem::path& golden, const std::string& actual) {
  if (std::getenv("ARCHSIM_UPDATE_GOLDEN") != nullptr) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
    return;
  }
  INFO("golden file: ", golden.string(), " (regenerate with ARCHSIM_UPDATE_GOLDEN=1)");
  REQUIRE(std::filesystem::exists(golden));
  CHECK(archsim::testing::read_file(golden) == actual);
}

std::string run(const std::vector<std::string>& args, int expected_code) {
  std::ostringstream out, err;
  CHECK(archsim::cli::run_cli(args, out, err) == expected_code);
  return out.str();
}

const char* const kSeeds[] = {"adr0005", "free-tier-single-az", "secondary-cidr-vpc-link", "cloudfront-rds",
                              "krakend-blue-green"};

}  // namespace

TEST_CASE("golden: validate and graph of every seed scenario") {
  for (const char* seed : kSeeds) {
    CAPTURE(seed);
    const std::string file = std::string("scenarios/") + seed + ".yaml";
    const std::filesystem::path dir = std::filesystem::path("tests/golden") / seed;
    // Every seed document has at least one mistake at error severity in its chosen design.
    check_golden(dir / "validate.txt", run({"validate", file}, 1));
    check_golden(dir / "validate.json", run({"validate", file, "--format", "json"}, 1));
    check_golden(dir / "validate.md", run({"validate", file, "--format", "markdown"}, 1));
    check_golden(dir / "graph.mmd", run({"graph", file, "--format", "mermaid"}, 0));
    check_golden(dir / "graph.dot", run({"graph", file, "--format", "dot"}, 0));
  }
}

TEST_CASE("golden: an hour of simulation of every seed scenario") {
  // One simulated hour keeps the test quick; the numbers are the scenario's own workload and
  // seed, so any change to the engine, the walk or a default shows up here. SOURCE_DATE_EPOCH
  // pins JUnit's timestamp and leaves its wall-clock times out, so the file is byte-stable.
  const archsim::test::ScopedEnv epoch("SOURCE_DATE_EPOCH", archsim::test::kSourceDateEpoch);
  for (const char* seed : kSeeds) {
    CAPTURE(seed);
    const std::string file = std::string("scenarios/") + seed + ".yaml";
    const std::filesystem::path dir = std::filesystem::path("tests/golden") / seed;
    check_golden(dir / "run-1h.txt", run({"run", file, "--horizon", "1h"}, 1));
    check_golden(dir / "run-1h.json", run({"run", file, "--horizon", "1h", "--format", "json"}, 1));
    check_golden(dir / "run-1h.md", run({"run", file, "--horizon", "1h", "--format", "markdown"}, 1));
    check_golden(dir / "run-1h.junit.xml", run({"run", file, "--horizon", "1h", "--format", "junit"}, 1));
  }
}

TEST_CASE("golden: diffs of the hour runs, whose JSON the output schema test checks") {
  // Two scenarios: alternatives only in base or only in head, a renamed scenario, new failures.
  check_golden("tests/golden/adr0005/diff-from-free-tier-single-az.json",
               run({"diff", "tests/golden/free-tier-single-az/run-1h.json", "tests/golden/adr0005/run-1h.json", "--format", "json"}, 1));
  check_golden("tests/golden/adr0005/diff-from-free-tier-single-az.md",
               run({"diff", "tests/golden/free-tier-single-az/run-1h.json", "tests/golden/adr0005/run-1h.json"}, 1));
  // A run against itself: both sides measured, failures that were already there.
  check_golden("tests/golden/adr0005/diff-to-itself.json",
               run({"diff", "tests/golden/adr0005/run-1h.json", "tests/golden/adr0005/run-1h.json", "--format", "json"}, 0));
  check_golden("tests/golden/adr0005/diff-to-itself.md", run({"diff", "tests/golden/adr0005/run-1h.json", "tests/golden/adr0005/run-1h.json"}, 0));
}

TEST_CASE("golden: a pull request that adds a NAT gateway per zone to KrakenD's chosen design, as diff says it") {
  // The head is the seed with the overrides of its `nat-per-zone` alternative moved onto the
  // chosen `two-albs-krakend`: what the fix costs, by component, and what it mends.
  const auto dir = std::filesystem::temp_directory_path() / "archsim_golden_pr_add_nat";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "topologies");
  std::filesystem::copy_file("scenarios/topologies/krakend-blue-green.yaml", dir / "topologies/krakend-blue-green.yaml");
  std::string scenario = archsim::testing::read_file("scenarios/krakend-blue-green.yaml");
  const auto overrides = scenario.find("    overrides:\n", scenario.find("  nat-per-zone:"));
  const auto overrides_end = scenario.find("\n\n", overrides);
  REQUIRE(overrides != std::string::npos);
  const std::string block = scenario.substr(overrides, overrides_end - overrides + 1);
  const std::string chosen_topology = "    topology: topologies/krakend-blue-green.yaml\n";
  const auto chosen = scenario.find(chosen_topology, scenario.find("  two-albs-krakend:"));
  REQUIRE(chosen != std::string::npos);
  scenario.insert(chosen + chosen_topology.size(), block);
  std::ofstream(dir / "head.yaml") << scenario;
  run({"run", "scenarios/krakend-blue-green.yaml", "--horizon", "1h", "--out", (dir / "base").string()}, 1);
  run({"run", (dir / "head.yaml").string(), "--horizon", "1h", "--out", (dir / "head").string()}, 1);
  // From the folder, so the comment names the runs `base` and `head` wherever the test runs.
  const auto source = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  const std::string md = run({"diff", "base", "head"}, 0);
  std::filesystem::current_path(source);
  check_golden("tests/golden/krakend-blue-green/diff-add-nat.md", md);
  CHECK(md.find("Cost by component: nat-a +") != std::string::npos);
}

TEST_CASE("golden: the design-space search of ADR-0005 over three days, whose JSON the output schema test checks") {
  // Three days reach the zone outage (day 3, 10:00) that two of the criteria are judged on.
  check_golden("tests/golden/adr0005/explore-3d.json", run({"explore", "scenarios/adr0005.yaml", "--horizon", "3d", "--format", "json"}, 0));
  check_golden("tests/golden/adr0005/explore-3d.md", run({"explore", "scenarios/adr0005.yaml", "--horizon", "3d", "--format", "markdown"}, 0));
}

TEST_CASE("golden: the HTML page of the ADR-0005 run") {
  check_golden("tests/golden/adr0005/run-1h.html", run({"run", "scenarios/adr0005.yaml", "--horizon", "1h", "--format", "html"}, 1));
}

TEST_CASE("golden: the bill of every seed scenario from its declared usage, and its pricing claims") {
  for (const char* seed : kSeeds) {
    CAPTURE(seed);
    const std::string file = std::string("scenarios/") + seed + ".yaml";
    const std::filesystem::path dir = std::filesystem::path("tests/golden") / seed;
    // The two scenarios with the 10 USD budget go over it; the others set none.
    const std::string name = seed;
    const int code = name == "adr0005" || name == "free-tier-single-az" ? 1 : 0;
    check_golden(dir / "price.txt", run({"price", file}, code));
    check_golden(dir / "price.json", run({"price", file, "--format", "json"}, code));
  }
}

TEST_CASE("golden: docs/rules.md is the rule catalogue as archsim prints it") {
  check_golden("docs/rules.md", run({"rules", "--format", "markdown"}, 0));
}
