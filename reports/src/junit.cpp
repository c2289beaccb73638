// The gates of a run as JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub
// test-report actions) already display: a test suite per alternative, a test case per gate.
// A gate that fails the run is a <failure>; a failure that does not gate (a rejected
// alternative, a considered one's criterion) and an undecided criterion are <skipped> with
// the reason, so the XML's failure count is zero exactly when no gate fails the run. A
// passing gate says what was measured in <system-out>, the element the consumers show.
// `time` and `timestamp` are the only figures not computed from the inputs and the seed; how
// SOURCE_DATE_EPOCH pins them is in docs/review-outputs.md.
#include <fmt/format.h>

#include "archsim/reports/document.hpp"
#include "archsim/reports/gates.hpp"
#include "archsim/reports/run_report.hpp"

namespace archsim::reports {

namespace {

std::string testcase(const Gate& g, const std::string& classname) {
  const std::string name = g.kind == GateKind::Criterion ? "criterion " + g.name : g.name;
  std::string out = fmt::format("    <testcase classname=\"{}\" name=\"{}\"", doc::escape_markup(classname), doc::escape_markup(name));
  if (!g.file.empty()) out += fmt::format(" file=\"{}\"", doc::escape_markup(g.file));
  const std::string detail = doc::escape_markup(g.detail);
  if (g.fails_run()) {
    return out + fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n", to_string(g.kind), detail, detail);
  }
  if (g.verdict == Verdict::Fail) {
    return out + fmt::format(">\n      <skipped message=\"fails, but does not gate the run ({} alternative{}): {}\"/>\n    </testcase>\n",
                             to_string(g.status), g.kind == GateKind::Criterion ? "; criteria gate the chosen one" : "", detail);
  }
  if (g.verdict != Verdict::Pass) {  // inconclusive, pending or not exercised: never reported as a pass
    return out + fmt::format(">\n      <skipped message=\"{}: {}\"/>\n    </testcase>\n", to_string(g.verdict), detail);
  }
  if (detail.empty()) return out + "/>\n";
  return out + fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n", detail);
}

/// ` time="12.345"` (seconds, to the millisecond, as JUnit writers print it), or nothing when not measured.
std::string time_attribute(std::optional<double> seconds) {
  return seconds ? fmt::format(" time=\"{:.3f}\"", *seconds) : std::string();
}

}  // namespace

std::string render_run_junit(const RunReport& r, std::string_view version) {
  const auto gates = run_gates(r);
  std::vector<std::string> order;  // alternatives in gate order
  for (const auto& g : gates) {
    if (order.empty() || order.back() != g.alternative) order.push_back(g.alternative);
  }
  auto count = [&](std::string_view alt, auto pred) {
    int n = 0;
    for (const auto& g : gates) n += (g.alternative == alt && pred(g)) ? 1 : 0;
    return n;
  };
  const auto fails = [](const Gate& g) { return g.fails_run(); };
  const auto skipped = [](const Gate& g) { return !g.fails_run() && g.verdict != Verdict::Pass; };
  const auto any = [](const Gate&) { return true; };
  int failures = 0, skips = 0;
  for (const auto& g : gates) {
    failures += fails(g) ? 1 : 0;
    skips += skipped(g) ? 1 : 0;
  }
  // An alternative's suite takes as long as its simulation; the run, as long as all of them.
  auto seconds_of = [&](std::string_view alt) -> std::optional<double> {
    for (const auto& a : r.alternatives) {
      if (a.id == alt) return a.wall_seconds;
    }
    return std::nullopt;
  };
  std::optional<double> total;
  for (const auto& a : r.alternatives) {
    if (a.wall_seconds) total = total.value_or(0.0) + *a.wall_seconds;
  }
  const std::string timestamp = r.started_at.empty() ? std::string() : fmt::format(" timestamp=\"{}\"", doc::escape_markup(r.started_at));
  std::string out = fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"archsim run {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\"{}{}>\n",
                                doc::escape_markup(r.file), gates.size(), failures, skips, time_attribute(total), timestamp);
  for (const auto& alt : order) {
    // Every gate belongs to one of the scenario's alternatives (gates.hpp).
    const std::string name = fmt::format("{} ({})", alt, to_string(r.scenario_spec->alternative(alt)->status));
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\"{}{}>\n", doc::escape_markup(name), count(alt, any),
                       count(alt, fails), count(alt, skipped), time_attribute(seconds_of(alt)), timestamp);
    out += fmt::format("    <properties><property name=\"archsim_version\" value=\"{}\"/><property name=\"seed\" value=\"{}\"/></properties>\n",
                       doc::escape_markup(version), r.seed);
    const std::string classname = fmt::format("archsim.{}.{}", r.scenario, alt);
    for (const auto& g : gates) {
      if (g.alternative == alt) out += testcase(g, classname);
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace archsim::reports
