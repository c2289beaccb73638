// `archsim diff`: two runs of a design side by side. It gates on what the change introduces,
// marks measured changes only beyond the replications' noise, and refuses what is not a run.
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "archsim/reports/document.hpp"
#include "archsim/reports/run_diff.hpp"
#include "archsim/sim/statistics.hpp"
#include "cli_fixture.hpp"

using namespace archsim;

namespace {

using test::cli;

/// The test's folder under the process's own temporary folder, which the test main sets
/// (TMPDIR) after static initialisation: a namespace-scope constant would share /tmp.
std::filesystem::path test_dir() { return std::filesystem::temp_directory_path() / "archsim_diff_test"; }

/// Runs the reference design under `criteria` with `seed`, results in test_dir()/<name>/.
std::string run_into(const std::string& name, const std::string& criteria, int seed = 3) {
  const std::string file = test::reference_scenario("archsim_diff_test", name, criteria, seed);
  const auto out = test_dir() / name;
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
  if (!disjoint) CHECK(md.out.find(" within noise</sub>") != std::string::npos);
}

TEST_CASE("diff: input that is not an archsim run is refused with where and what (exit 2)") {
  std::filesystem::create_directories(test_dir());
  const auto broken = test_dir() / "broken.json";
  std::ofstream(broken) << "{\n  \"schema\": \"archsim.run/1\",\n  oops\n}\n";
  const auto bad = cli({"diff", broken.string(), broken.string()});
  CHECK(bad.code == 2);
  CHECK(bad.err.find(broken.string() + ":3:3: error: not valid JSON") != std::string::npos);
  const auto other = test_dir() / "other.json";
  std::ofstream(other) << "{\"schema\": \"archsim.review/1\"}\n";
  const auto wrong = cli({"diff", other.string(), other.string()});
  CHECK(wrong.code == 2);
  CHECK(wrong.err.find("other.json: /schema: expected archsim.run/1") != std::string::npos);
  const auto incomplete = test_dir() / "incomplete.json";
  std::ofstream(incomplete) << "{\"schema\": \"archsim.run/1\", \"scenario\": \"x\", \"workload\": {}, \"alternatives\": [{\"id\": 1}]}\n";
  const auto partial = cli({"diff", incomplete.string(), incomplete.string()});
  CHECK(partial.code == 2);
  CHECK(partial.err.find("incomplete.json: /alternatives/0/id: expected a string") != std::string::npos);
  const auto missing = cli({"diff", (test_dir() / "none").string(), (test_dir() / "none").string()});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("cannot read it") != std::string::npos);
}

namespace {

/// A minimal `archsim.run/1` document with one alternative `a`: `simulation` and `cost` present
/// only when `monthly_usd` is (an alternative that could not be simulated has neither).
nlohmann::json run_doc(const std::string& status, std::optional<sim::Estimate> monthly_usd, const nlohmann::json& gates) {
  nlohmann::json a{{"id", "a"}, {"status", status}};
  if (monthly_usd) {
    nlohmann::json cost{{"mean", monthly_usd->mean}, {"replications", monthly_usd->n}};
    if (monthly_usd->has_interval()) cost["ci95_low"] = monthly_usd->low(), cost["ci95_high"] = monthly_usd->high();
    a["simulation"] = {{"metrics", {{"cost.monthly", cost}}}};
    a["cost"] = {{"by_service", {{{"service", "ecs"}, {"usd", monthly_usd->mean}}}}};
  } else {
    a["error"] = {{"path", "workload.limits.max_events"}, {"message", "the run reached its event limit"}};
  }
  return {{"schema", "archsim.run/1"}, {"scenario", "s"}, {"workload", nlohmann::json::object()},
          {"alternatives", nlohmann::json::array({a})}, {"criteria", nlohmann::json::array()}, {"gates", gates}};
}

nlohmann::json gate(const std::string& kind, const std::string& name, const std::string& verdict, bool gating) {
  return {{"alternative", "a"}, {"kind", kind}, {"gate", name}, {"verdict", verdict}, {"gating", gating},
          {"fails_run", gating && verdict == "fail"}, {"detail", kind + " " + verdict}};
}

test::CliRun diff_docs(const std::string& name, const nlohmann::json& base, const nlohmann::json& head, bool json = true) {
  std::filesystem::create_directories(test_dir());
  const auto b = test_dir() / (name + "-base.json"), h = test_dir() / (name + "-head.json");
  std::ofstream(b) << base.dump();
  std::ofstream(h) << head.dump();
  std::vector<std::string> args{"diff", b.string(), h.string()};
  if (json) args.insert(args.end(), {"--format", "json"});
  return cli(args);
}

}  // namespace

TEST_CASE("diff: ids are held to archsim's id rule, so a crafted results.json cannot break or inject into the comment") {
  const auto base = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array());
  for (const char* id : {"a|b", "a\n## x", ".." "/a"}) {
    auto head = base;
    head["alternatives"][0]["id"] = id;
    const auto r = diff_docs("crafted-id", base, head, false);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find("/alternatives/0/id: '") != std::string::npos);
    CHECK(r.err.find("is not an archsim id") != std::string::npos);
  }
  auto twice = base;
  twice["alternatives"].push_back(twice["alternatives"][0]);
  const auto r = diff_docs("twice", base, twice, false);
  CHECK(r.code == 2);
  CHECK(r.err.find("/alternatives/1/id: alternative 'a' is listed twice") != std::string::npos);
}

TEST_CASE("diff: a head that cannot simulate an alternative mends none of its gates and shows no cost change; its simulation gate is new") {
  const auto base = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("criterion", "fast", "fail", true)}));
  const auto head = run_doc("chosen", std::nullopt, nlohmann::json::array({gate("simulation", "simulation", "fail", true), gate("criterion", "fast", "pending", true)}));
  const auto r = diff_docs("unsimulated", base, head);
  CHECK(r.code == 1);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["new_failures"].size() == 1);
  CHECK(j["new_failures"][0]["kind"] == "simulation");
  CHECK(j["mended"].empty());
  CHECK(j["alternatives"][0]["services"].empty());
  // The rule that stopped firing on a simulated alternative is mended; on an unsimulated one it is not.
  const auto fired = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("findings", "rule x", "fail", true)}));
  CHECK(nlohmann::json::parse(diff_docs("stopped", fired, run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array())).out)["mended"].size() == 1);
  CHECK(nlohmann::json::parse(diff_docs("unknown", fired, run_doc("chosen", std::nullopt, nlohmann::json::array())).out)["mended"].empty());
}

TEST_CASE("diff: a gate is its alternative, kind and name, so a criterion named like the budget is its own gate") {
  const auto base = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("budget", "budget", "fail", true), gate("criterion", "budget", "pass", true)}));
  const auto head = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("budget", "budget", "pass", true), gate("criterion", "budget", "fail", true)}));
  const auto j = nlohmann::json::parse(diff_docs("kinds", base, head).out);
  REQUIRE(j["new_failures"].size() == 1);
  CHECK(j["new_failures"][0]["kind"] == "criterion");
  REQUIRE(j["mended"].size() == 1);
  CHECK(j["mended"][0]["kind"] == "budget");
  // Results from before the kinds and verdicts match on the name alone.
  auto old = base;
  for (auto& g : old["gates"]) g.erase("kind"), g.erase("verdict"), g.erase("gating");
  old["gates"].erase(1);
  const auto o = nlohmann::json::parse(diff_docs("old", old, head).out);
  CHECK(o["mended"].size() == 1);
  CHECK(o["still_failing"].size() == 1);  // the criterion `budget` takes the old `budget` gate's name
}

TEST_CASE("diff: a failure that only starts or stops gating, because the alternative's status changed, says so") {
  const auto rejected = run_doc("rejected", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("findings", "rule x", "fail", false)}));
  const auto chosen = run_doc("chosen", sim::Estimate{10, 0, 1, 0.95}, nlohmann::json::array({gate("findings", "rule x", "fail", true)}));
  const auto up = diff_docs("promoted", rejected, chosen, false);
  CHECK(up.code == 1);
  CHECK(up.out.find("failed on the base too, where it did not gate") != std::string::npos);
  const auto down = nlohmann::json::parse(diff_docs("demoted", chosen, rejected).out);
  CHECK(down["fails"] == false);
  CHECK(down["mended"].empty());
  REQUIRE(down["no_longer_gating"].size() == 1);
  CHECK(down["no_longer_gating"][0]["gate"] == "rule x");
}

TEST_CASE("diff: a service's cost change is marked better or worse only when the month's total moved beyond its noise") {
  const auto base = run_doc("chosen", sim::Estimate{10, 1, 5, 0.95}, nlohmann::json::array());
  const auto noise = diff_docs("cost-noise", base, run_doc("chosen", sim::Estimate{10.5, 1, 5, 0.95}, nlohmann::json::array()), false);
  CHECK(noise.out.find("| ecs | 10.00\u00A0USD | 10.50\u00A0USD | <sub>+0.50\u00A0USD</sub> |") != std::string::npos);
  CHECK(noise.out.find("| cost.monthly | $10.00\u00A0±\u00A0$1.00 | $10.50\u00A0±\u00A0$1.00 | <sub>+$0.50\u00A0(+5.0%) within noise</sub> |") !=
        std::string::npos);
  const auto real = diff_docs("cost-real", base, run_doc("chosen", sim::Estimate{15, 1, 5, 0.95}, nlohmann::json::array()), false);
  CHECK(real.out.find("| ecs | 10.00\u00A0USD | 15.00\u00A0USD | ❌ +5.00\u00A0USD |") != std::string::npos);
  CHECK(real.out.find("| cost.monthly | $10.00\u00A0±\u00A0$1.00 | $15.00\u00A0±\u00A0$1.00 | ❌ +$5.00\u00A0(+50.0%) |") != std::string::npos);
}

namespace {

/// `doc` with its alternative's bill lines: (component, usd) each, and one line without a price.
nlohmann::json with_lines(nlohmann::json doc, const std::vector<std::pair<std::string, double>>& lines) {
  auto& cost = doc["alternatives"][0]["cost"];
  cost["lines"] = nlohmann::json::array();
  for (const auto& [component, usd] : lines) cost["lines"].push_back({{"component", component}, {"missing_price", false}, {"usd", usd}});
  cost["lines"].push_back({{"component", "unpriced"}, {"missing_price", true}});
  return doc;
}

}  // namespace

TEST_CASE("diff: a cost change is attributed to the components whose bill lines moved, a new one marked new, first for the chosen option") {
  const auto base = with_lines(run_doc("chosen", sim::Estimate{40, 0, 1, 0.95}, nlohmann::json::array()), {{"alb", 36}, {"ecs", 2}, {"ecs", 2}});
  const auto head = with_lines(run_doc("chosen", sim::Estimate{72.85, 0, 1, 0.95}, nlohmann::json::array()), {{"alb", 36}, {"ecs", 4}, {"nat-a", 32.85}});
  const auto md = diff_docs("components", base, head, false);
  CHECK(md.code == 0);
  CHECK(md.out.starts_with("<!-- archsim:s -->\n## archsim diff: `s`\n\n**The chosen option** `a` ✅ passes every gate in head: "
                           "`cost.monthly` $40.00 → $72.85, +$32.85\u00A0(+82.1%)\n\nCost by component: "));
  CHECK(md.out.find("Cost by component: nat-a +32.85\u00A0USD (new)\n") != std::string::npos);
  CHECK(md.out.find("| nat-a | – | 32.85\u00A0USD | ❌ +32.85\u00A0USD (new) |") != std::string::npos);
  CHECK(md.out.find("unpriced") == std::string::npos);
  const auto j = nlohmann::json::parse(diff_docs("components", base, head).out);
  REQUIRE(j["alternatives"][0]["components"].size() == 1);  // ecs is 4 USD on both sides
  CHECK(j["alternatives"][0]["components"][0] == nlohmann::json{{"component", "nat-a"}, {"base_usd", 0.0}, {"head_usd", 32.85}, {"in_base", false}, {"in_head", true}});
  // The other way round the component is gone and the cost falls.
  const auto back = diff_docs("components-back", head, base, false);
  CHECK(back.out.find("Cost by component: nat-a −32.85\u00A0USD (gone)") != std::string::npos);
  CHECK(reports::doc::widest_table(md.out) <= reports::doc::kCommentWidth);
}

TEST_CASE("diff: --comment-only-if changed writes the comment only when something counts; failing only when head fails a gate") {
  const std::string met = run_into("met", kMet), missed = run_into("missed", kMissed);
  const auto same = cli({"diff", met, met, "--comment-only-if", "changed"});
  CHECK(same.code == 0);
  CHECK(same.out.empty());
  CHECK(same.err.find("archsim diff: no comment written (--comment-only-if changed): no figure moved beyond its noise") != std::string::npos);
  const auto moved = cli({"diff", met, missed, "--comment-only-if", "changed"});
  CHECK(moved.code == 1);  // the exit code is the diff's, comment or not
  CHECK(moved.out.starts_with("<!-- archsim:reference -->\n"));
  const auto passing = cli({"diff", met, met, "--comment-only-if", "failing"});
  CHECK(passing.code == 0);
  CHECK(passing.out.empty());
  CHECK(passing.err.find("(--comment-only-if failing): no gate fails the run in head") != std::string::npos);
  // Already failing on the base and still in head: no new failure (exit 0), but head fails, so the comment is written.
  const auto still = cli({"diff", missed, missed, "--comment-only-if", "failing"});
  CHECK(still.code == 0);
  CHECK(still.out.find("1 gate still failing as on the base") != std::string::npos);
  CHECK(cli({"diff", met, met, "--comment-only-if", "always"}).out.starts_with("<!-- archsim:reference -->\n"));
  const auto json = cli({"diff", met, met, "--format", "json", "--comment-only-if", "changed"});
  CHECK(json.code == 2);
  CHECK(json.err.find("--format json writes no comment") != std::string::npos);
}

TEST_CASE("diff: changed() counts a metric only beyond the noise, and any verdict or status change") {
  reports::RunDiff d;
  reports::AlternativeDiff a{"a", "chosen", "chosen", {}, "", "", {}, {}};
  a.metrics.push_back({"latency.p99", sim::Estimate{100, 10, 5, 0.95}, sim::Estimate{105, 10, 5, 0.95}});
  d.alternatives.push_back(a);
  CHECK_FALSE(d.alternatives[0].metrics[0].significant());
  CHECK_FALSE(d.changed());
  d.alternatives[0].metrics[0].head = sim::Estimate{200, 10, 5, 0.95};
  CHECK(d.changed());
  d.alternatives[0].metrics[0].head = d.alternatives[0].metrics[0].base;
  d.alternatives[0].head_status = "rejected";
  CHECK(d.changed());
  d.alternatives[0].head_status = "chosen";
  d.alternatives[0].head_budget = "over";
  CHECK(d.changed());
}
