// `archsim run`'s outputs for design reviews: the Markdown pull-request comment, the HTML page
// and the JUnit gates agree with the exit code and with each other.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/model/units.hpp"
#include "archsim/reports/document.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/sim/faults.hpp"
#include "cli_fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

/// The reference design as the chosen option under `criteria`, and a rejected copy of it.
std::string scenario_file(const std::string& criteria) {
  return test::reference_scenario("archsim_review_outputs_test", "scenario", criteria, 3, true);
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

const char* const kSeeds[] = {"adr0005", "free-tier-single-az", "secondary-cidr-vpc-link", "cloudfront-rds", "krakend-blue-green"};

}  // namespace

TEST_CASE("run: the PR comment and the JUnit gates say what the exit code says") {
  SUBCASE("a met criterion: exit 0, no failure, the chosen option holds up") {
    const std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
    const auto md = cli({"run", file, "--format", "markdown"});
    CHECK(md.code == 0);
    CHECK(md.out.find("**The chosen option** `good` ✅ holds up: it meets every criterion and passes every gate.") != std::string::npos);
    CHECK(md.out.find("✅ exit 0: no gate fails the run") != std::string::npos);
    const auto junit = cli({"run", file, "--format", "junit"});
    CHECK(junit.code == 0);
    CHECK(junit.out.find("failures=\"0\"") != std::string::npos);
    CHECK(count(junit.out, "<failure") == 0);
  }
  SUBCASE("a missed criterion fails the chosen option; the rejected one's miss is reported, not gated") {
    const std::string file = scenario_file("  fast: {title: fast, metric: latency.p99, max: 1ms}\n");
    const auto md = cli({"run", file, "--format", "markdown"});
    CHECK(md.code == 1);
    CHECK(md.out.find("❌ does not hold up: it fails fast.") != std::string::npos);
    CHECK(md.out.find("❌ exit 1: 1 gate fails the run") != std::string::npos);
    CHECK(md.out.find("- `good` **fast**: ") != std::string::npos);
    const auto junit = cli({"run", file, "--format", "junit"});
    CHECK(junit.code == 1);
    CHECK(count(junit.out, "<failure type=\"criterion\"") == 1);
    CHECK(junit.out.find("<skipped message=\"fails, but does not gate the run (rejected alternative; criteria gate the chosen one)") !=
          std::string::npos);
  }
}

TEST_CASE("run: a chosen option that meets every criterion but fails its budget does not hold up, in every format") {
  // The criteria pass; a budget of 1 cent fails. The decision is taken from every gate, so no
  // format may say "holds up" above a failing gate of the chosen option.
  const std::string file = test::reference_scenario("archsim_review_outputs_test", "over_budget",
                                                    "  up: {title: up, metric: availability, min: 99%}\n"
                                                    "budget: {monthly_limit_usd: 0.01}\n");
  const auto text = cli({"run", file});
  CHECK(text.code == 1);
  CHECK(text.out.find("holds up: it meets") == std::string::npos);
  CHECK(text.out.find("== decision: the chosen option good does not hold up: it fails budget (the team's gate, not an ADR criterion).") !=
        std::string::npos);
  // The terminal ends with the failing gates, one line each, then the exit status.
  const auto tail = text.out.substr(text.out.rfind("\n== gates"));
  CHECK(tail.find("== gates: 1 of ") != std::string::npos);
  CHECK(count(tail, "   FAIL good budget: ") == 1);
  CHECK(tail.ends_with("\nexit 1: 1 gate fails the run\n"));
  const auto md = cli({"run", file, "--format", "markdown"});
  CHECK(md.code == 1);
  CHECK(md.out.find("holds up: it meets") == std::string::npos);
  CHECK(md.out.find("❌ does not hold up: it fails budget") != std::string::npos);
  CHECK(md.out.find("❌ exit 1: 1 gate fails the run") != std::string::npos);
}

TEST_CASE("run: every seed's JUnit failures are the JSON gates that fail the run, and exit 1 has at least one") {
  for (const char* seed : kSeeds) {
    CAPTURE(seed);
    const std::string file = std::string("scenarios/") + seed + ".yaml";
    const auto json = cli({"run", file, "--horizon", "30m", "--format", "json"});
    const auto junit = cli({"run", file, "--horizon", "30m", "--format", "junit"});
    CHECK(json.code == junit.code);
    int failing = 0;
    const auto doc = nlohmann::json::parse(json.out);
    for (const auto& g : doc["gates"]) failing += g["fails_run"].get<bool>() ? 1 : 0;
    CHECK(count(junit.out, "<failure ") == failing);
    CHECK((json.code == 1) == (failing > 0));
  }
}

TEST_CASE("run: -o writes the chosen format to a file and nothing to stdout; --out writes every review output") {
  const std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  const auto dir = std::filesystem::temp_directory_path() / "archsim_review_outputs_test" / "out";
  std::filesystem::remove_all(dir);
  const auto page = dir.parent_path() / "page.html";
  const auto r = cli({"run", file, "--format", "html", "-o", page.string(), "--out", dir.string()});
  CHECK(r.code == 0);
  CHECK(r.out.empty());
  std::ifstream in(page);
  std::stringstream html;
  html << in.rdbuf();
  CHECK(html.str().starts_with("<!DOCTYPE html>"));
  CHECK(html.str().find("<svg class=\"chart\"") != std::string::npos);
  for (const char* name : {"results.json", "report.md", "report.html", "junit.xml", "timeline-good.csv", "timeline-other.csv"}) {
    CAPTURE(name);
    CHECK(std::filesystem::file_size(dir / name) > 0);
  }
  const auto unwritable = cli({"run", file, "--format", "markdown", "-o", "/no/such/dir/report.md"});
  CHECK(unwritable.code == 2);
  CHECK(unwritable.err.find("cannot write /no/such/dir/report.md") != std::string::npos);
}

TEST_CASE("run: --comment-only-if failing writes the comment only when a gate fails; always writes it; changed needs diff") {
  const std::string met = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  const std::string missed = test::reference_scenario("archsim_review_outputs_test", "missed", "  fast: {title: fast, metric: latency.p99, max: 1ms}\n");
  const auto dir = std::filesystem::temp_directory_path() / "archsim_review_outputs_test" / "comment";
  std::filesystem::remove_all(dir);
  // A passing run under `failing`: no comment on stdout, no report.md (an old one is removed), the rest written, exit 0.
  REQUIRE(cli({"run", met, "--out", dir.string()}).code == 0);
  REQUIRE(std::filesystem::exists(dir / "report.md"));
  const auto quiet = cli({"run", met, "--format", "markdown", "--out", dir.string(), "--comment-only-if", "failing"});
  CHECK(quiet.code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.find("archsim run: no comment written (--comment-only-if failing): no gate fails the run") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "report.md"));
  CHECK(std::filesystem::exists(dir / "results.json"));
  CHECK(std::filesystem::exists(dir / "report.html"));
  // A failing run under `failing`: the comment, marker first, and the same exit code as without the option.
  const auto loud = cli({"run", missed, "--format", "markdown", "--comment-only-if", "failing"});
  CHECK(loud.code == 1);
  CHECK(loud.out.starts_with("<!-- archsim:reference -->\n## archsim: `reference`"));
  CHECK(loud.err.find("no comment written") == std::string::npos);
  // `always`, the default, writes the comment for a passing run.
  const auto always = cli({"run", met, "--format", "markdown", "--comment-only-if", "always"});
  CHECK(always.code == 0);
  CHECK(always.out.starts_with("<!-- archsim:reference -->\n"));
  // Misuse is refused before anything runs: `changed` has no base here, and the option has no comment to decide in JSON.
  const auto changed = cli({"run", met, "--format", "markdown", "--comment-only-if", "changed"});
  CHECK(changed.code == 2);
  CHECK(changed.err.find("--comment-only-if changed needs a base run to compare with: run archsim diff BASE HEAD") != std::string::npos);
  CHECK(changed.err.find("estimated work") == std::string::npos);
  const auto json = cli({"run", met, "--format", "json", "--comment-only-if", "failing"});
  CHECK(json.code == 2);
  CHECK(json.err.find("--format json without --out writes none") != std::string::npos);
  CHECK(cli({"run", met, "--comment-only-if", "sometimes"}).code == 2);
}

TEST_CASE("comment: every seed's comment and the diffs start with the scenario's marker, and every open table fits a comment's width") {
  for (const char* seed : kSeeds) {
    CAPTURE(seed);
    std::ifstream in(std::filesystem::path("tests/golden") / seed / "run-1h.md");
    std::stringstream md;
    md << in.rdbuf();
    REQUIRE(!md.str().empty());
    CHECK(md.str().starts_with("<!-- archsim:"));
    CHECK(reports::doc::widest_table(md.str()) <= reports::doc::kCommentWidth);
  }
  for (const char* diff : {"tests/golden/adr0005/diff-from-free-tier-single-az.md", "tests/golden/adr0005/diff-to-itself.md"}) {
    CAPTURE(diff);
    std::ifstream in(diff);
    std::stringstream md;
    md << in.rdbuf();
    CHECK(md.str().starts_with("<!-- archsim:adr0005-networking-model -->\n"));
    CHECK(reports::doc::widest_table(md.str()) <= reports::doc::kCommentWidth);
  }
  CHECK(reports::comment_marker("adr0005-networking-model") == "archsim:adr0005-networking-model");
  // A name may hold anything on one line: the marker stays one valid HTML comment.
  CHECK(reports::comment_marker("a --> b <!-- ü") == "archsim:a_--__b___--___");
}

TEST_CASE("run: an alternative that cannot be simulated is a failing gate in every output, as its exit code 2 says") {
  // An event limit the run must reach makes the simulation stop with an error.
  std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  std::string text;
  {
    std::ifstream in(file);
    std::stringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  const std::string from = "replications: 3,";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "replications: 3, limits: {max_events: 1000},");
  file = std::filesystem::path(file).replace_filename("unsimulable.yaml").string();
  std::ofstream(file) << text;

  const auto json = cli({"run", file, "--format", "json"});
  CHECK(json.code == 2);
  int simulation_gates = 0;
  const auto doc = nlohmann::json::parse(json.out);
  for (const auto& g : doc["gates"]) {
    if (g["kind"] != "simulation") continue;
    ++simulation_gates;
    CHECK(g["fails_run"] == true);  // the rejected copy too: exit 2 does not ask for the status
    CHECK(g["detail"].get<std::string>().find("could not be simulated: ") == 0);
  }
  CHECK(simulation_gates == 2);
  const auto junit = cli({"run", file, "--format", "junit"});
  CHECK(junit.code == 2);
  CHECK(count(junit.out, "<failure type=\"simulation\"") == 2);
  const auto md = cli({"run", file, "--format", "markdown"});
  CHECK(md.code == 2);
  CHECK(md.out.find("`good` ❌ could not be simulated: this run says nothing of its criteria.") != std::string::npos);
  CHECK(md.out.find("exit 2: an alternative could not be simulated") != std::string::npos);
  CHECK(md.out.find("- `good` **simulation**: could not be simulated: ") != std::string::npos);
}

TEST_CASE("junit: under SOURCE_DATE_EPOCH the timestamp is that instant and no wall-clock time is written, so two runs are identical") {
  const std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", test::kSourceDateEpoch);
  const auto one = cli({"run", file, "--format", "junit", "--threads", "1"});
  const auto two = cli({"run", file, "--format", "junit", "--threads", "2"});
  CHECK(one.code == 0);
  CHECK(one.out == two.out);
  CHECK(count(one.out, "timestamp=\"2026-01-01T00:00:00\"") == 3);  // the run and each alternative's suite
  CHECK(one.out.find(" time=\"") == std::string::npos);
}

TEST_CASE("junit: without SOURCE_DATE_EPOCH each suite carries its simulation's wall time and the run's start") {
  const std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", std::nullopt);
  const auto r = cli({"run", file, "--format", "junit"});
  CHECK(r.code == 0);
  // The run's total and one per alternative: seconds with three decimals.
  CHECK(count(r.out, " time=\"") == 3);
  const auto at = r.out.find(" time=\"");
  REQUIRE(at != std::string::npos);
  const std::string value = r.out.substr(at + 7, r.out.find('"', at + 7) - at - 7);
  CAPTURE(value);
  CHECK(value.size() >= 5);
  CHECK(value[value.size() - 4] == '.');
  CHECK(count(r.out, "timestamp=\"20") == 3);
}

TEST_CASE("junit: a malformed SOURCE_DATE_EPOCH is refused rather than replaced by the clock") {
  const std::string file = scenario_file("  up: {title: up, metric: availability, min: 99%}\n");
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", "yesterday");
  const auto r = cli({"run", file, "--format", "junit"});
  CHECK(r.code == 2);
  CHECK(r.err.find("SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, found 'yesterday'") != std::string::npos);
}

TEST_CASE("junit: each test names the file its subject is written in, and a passing test says what was measured") {
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", test::kSourceDateEpoch);
  const auto r = cli({"run", "scenarios/adr0005.yaml", "--horizon", "30m", "--format", "junit"});
  CHECK(r.code == 1);
  // A rule's gate: the topology file where the finding is, as the CLI names it.
  CHECK(r.out.find("name=\"rule task-no-egress-path\" file=\"scenarios/topologies/adr0005-alb-private-tasks.yaml\"") != std::string::npos);
  // Budgets and criteria are written in the scenario.
  CHECK(r.out.find("name=\"budget\" file=\"scenarios/adr0005.yaml\"") != std::string::npos);
  CHECK(r.out.find("name=\"criterion zone-loss\" file=\"scenarios/adr0005.yaml\"") != std::string::npos);
  // A passing gate without a failure or skip reason carries its measurement as system-out.
  CHECK(r.out.find("<system-out>no error-severity finding</system-out>") != std::string::npos);
  CHECK(count(r.out, "<testcase ") == count(r.out, " file=\""));
}

TEST_CASE("run: a fault whose start is a distribution gives byte-identical JSON on 1 and 2 threads, and its incident shows the drawn time") {
  const std::string file = test::reference_scenario(
      "archsim_review_outputs_test", "distributed_start", "  up: {title: up, metric: availability, min: 50%, exercised_by: [power]}\n", 3, true,
      "faults: {power: {fis_scenario: az-power-interruption, zone: us-east-1a, at: {uniform: {min: 5m, max: 15m}}, duration: 2m}}");
  const test::ScopedEnv epoch("SOURCE_DATE_EPOCH", test::kSourceDateEpoch);
  const auto one = cli({"run", file, "--format", "json", "--threads", "1"});
  const auto two = cli({"run", file, "--format", "json", "--threads", "2"});
  CHECK(one.code == 0);
  CHECK(one.out == two.out);
  const auto doc = nlohmann::json::parse(one.out);
  // The first replication's outage starts at its drawn time, inside the range, not at the mean.
  bool found = false;
  for (const auto& incident : doc["alternatives"][0]["simulation"]["incidents"]) {
    if (incident["what"] != "fault_start:power") continue;
    found = true;
    CAPTURE(incident.dump());
    const auto at = model::parse_duration(incident["at"].get<std::string>());
    REQUIRE(at);
    CHECK(*at >= sim::Duration::minutes(5));
    CHECK(*at <= sim::Duration::minutes(15));
    CHECK(*at != sim::Duration::minutes(10));  // the draw, not the mean
  }
  CHECK(found);
}
