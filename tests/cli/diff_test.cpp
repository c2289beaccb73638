// `archsim diff`: two runs of a design side by side. It gates on what the change introduces,
// marks measured changes only beyond the replications' noise, and refuses what is not a run.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

const std::filesystem::path kDir = std::filesystem::temp_directory_path() / "archsim_diff_test";

/// Runs the reference design under `criteria` with `seed`, results in kDir/<name>/.
std::string run_into(const std::string& name, const std::string& criteria, int seed = 3) {
  const std::string file = test::reference_scenario("archsim_diff_test", name, criteria, seed);
  const auto out = kDir / name;
  std::filesystem::remove_all(out);
  const auto r = cli({"run", file, "--out", out.string()});
  REQUIRE_MESSAGE(r.code <= 1, r.err);
  return out.string();
}

const std::string kMet = "  fast: {title: fast, metric: latency.p99, max: 10s}\n";
const std::string kMissed = "  fast: {title: fast, metric: latency.p99, max: 1ms}\n";

}  // namespace

TEST_CASE("diff: a run against itself changes nothing and exits 0") {
  const std::string base = run_into("same", kMet);
  const auto r = cli({"diff", base, base + "/results.json"});
  CHECK(r.code == 0);
  CHECK(r.out.find("✅ exit 0: this change makes no gate fail that passed before (0 gates still failing as on the base, 0 mended)") !=
        std::string::npos);
  CHECK(r.out.find("Criteria verdicts that changed") == std::string::npos);
  CHECK(r.out.find("within noise") == std::string::npos);
}

TEST_CASE("diff: a criterion the change breaks is a new failing gate (exit 1); mending it exits 0 and says so") {
  const std::string met = run_into("met", kMet), missed = run_into("missed", kMissed);
  const auto breaks = cli({"diff", met, missed});
  CHECK(breaks.code == 1);
  CHECK(breaks.out.find("❌ exit 1: this change makes 1 gate fail the run") != std::string::npos);
  CHECK(breaks.out.find("- `good` ❌ fast: ") != std::string::npos);
  CHECK(breaks.out.find("| **fast** | `good` | ✅ pass | ❌ fail |") != std::string::npos);
  const auto mends = cli({"diff", missed, met, "--format", "json"});
  CHECK(mends.code == 0);
  const auto j = nlohmann::json::parse(mends.out);
  CHECK(j["schema"] == "archsim.diff/1");
  CHECK(j["fails"] == false);
  REQUIRE(j["mended"].size() == 1);
  CHECK(j["mended"][0]["gate"] == "fast");
}

TEST_CASE("diff: another seed moves latency within the intervals, which is noise, not a change; the notes say the workloads differ") {
  const std::string a = run_into("seed3", kMet, 3), b = run_into("seed4", kMet, 4);
  const auto r = cli({"diff", a, b, "--format", "json"});
  CHECK(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["notes"].dump().find("workload.seed differs: 3 → 4") != std::string::npos);
  const auto& p99 = j["alternatives"][0]["metrics"]["latency.p99"];
  CHECK(p99["base"]["mean"] != p99["head"]["mean"]);
  // The significance flag is the intervals' overlap, computed here again from the JSON.
  const bool disjoint = p99["base"]["ci95_high"].get<double>() < p99["head"]["ci95_low"].get<double>() ||
                        p99["head"]["ci95_high"].get<double>() < p99["base"]["ci95_low"].get<double>();
  CHECK(p99["significant"] == disjoint);
  const auto md = cli({"diff", a, b});
  if (!disjoint) CHECK(md.out.find("(within noise)") != std::string::npos);
}

TEST_CASE("diff: input that is not an archsim run is refused with where and what (exit 2)") {
  std::filesystem::create_directories(kDir);
  const auto broken = kDir / "broken.json";
  std::ofstream(broken) << "{\n  \"schema\": \"archsim.run/1\",\n  oops\n}\n";
  const auto bad = cli({"diff", broken.string(), broken.string()});
  CHECK(bad.code == 2);
  CHECK(bad.err.find(broken.string() + ":3:3: error: not valid JSON") != std::string::npos);
  const auto other = kDir / "other.json";
  std::ofstream(other) << "{\"schema\": \"archsim.review/1\"}\n";
  const auto wrong = cli({"diff", other.string(), other.string()});
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("other.json: /schema: expected archsim.run/1") != std::string::npos);
  const auto incomplete = kDir / "incomplete.json";
  std::ofstream(incomplete) << "{\"schema\": \"archsim.run/1\", \"scenario\": \"x\", \"workload\": {}, \"alternatives\": [{\"id\": 1}]}\n";
  const auto partial = cli({"diff", incomplete.string(), incomplete.string()});
  CHECK(partial.code == 2);
  CHECK(partial.err.find("incomplete.json: /alternatives/0/id: expected a string") != std::string::npos);
  const auto missing = cli({"diff", (kDir / "none").string(), (kDir / "none").string()});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("cannot read it") != std::string::npos);
}
