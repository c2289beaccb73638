// The review document of a run: the PR comment keeps under GitHub's limit by leaving out the
// per-alternative details (and says so), while the HTML page keeps everything.
#include <filesystem>

#include <doctest/doctest.h>

#include "archsim/model/graph.hpp"
#include "archsim/model/load.hpp"
#include "archsim/reports/diagram.hpp"
#include "archsim/reports/run_report.hpp"
#include "fixture.hpp"

using namespace archsim;

namespace {

/// A run of the reference design with a made-up hour of results: 1,000 requests, ten of them
/// answered 503, thirty incidents.
reports::RunReport fabricated_run(const model::ScenarioSpec& scenario) {
  reports::RunReport r;
  r.file = "scenario.yaml";
  r.scenario = scenario.name;
  r.horizon = model::Duration::seconds(3600);
  r.scenario_spec = &scenario;
  sim::SimResult s;
  s.replications = 1;
  s.overall.outcomes[static_cast<std::size_t>(sim::Outcome::Ok)] = 990;
  s.overall.outcomes[static_cast<std::size_t>(sim::Outcome::NoHealthyTarget)] = 10;
  for (int i = 0; i < 990; ++i) s.overall.latency.record(50'000'000 + i * 100'000);
  for (int m = 0; m < 60; ++m) s.timeline.push_back({static_cast<std::uint64_t>(16), m == 30 ? 10u : 0u, 80'000'000, 0.25});
  for (int i = 0; i < 30; ++i) s.incidents.push_back({i * 1'000'000'000LL, "task_running", "app/" + std::to_string(i)});
  reports::AlternativeRun alt;
  alt.id = "good";
  alt.title = "reference design";
  alt.status = model::DecisionStatus::Chosen;
  alt.result = std::move(s);
  r.alternatives.push_back(std::move(alt));
  return r;
}

}  // namespace

TEST_CASE("run comment: past its limit the per-alternative details are left out, and it says so; the page keeps them") {
  const auto loaded = testing::load_good();
  REQUIRE(loaded.ok());
  const auto run = fabricated_run(*loaded.scenario);
  const std::string full = reports::render_run_markdown(run, "test");
  CHECK(full.find("### Per alternative") != std::string::npos);
  CHECK(full.find("```mermaid\nflowchart") != std::string::npos);  // the chosen option's topology
  CHECK(full.find("| `no_healthy_target` | 10 |") != std::string::npos);
  CHECK(full.find("first 20 of 30") != std::string::npos);
  const std::string brief = reports::render_run_markdown(run, "test", full.size() - 1);
  CHECK(brief.size() < full.size());
  CHECK(brief.find("### Per alternative") == std::string::npos);
  CHECK(brief.find("would pass GitHub's comment limit") != std::string::npos);
  CHECK(brief.find("### Alternatives") != std::string::npos);  // the comparison stays
  const std::string html = reports::render_run_html(run, "test");
  CHECK(html.find("<h3>Per alternative</h3>") != std::string::npos);
  CHECK(html.find("<svg class=\"chart\"") != std::string::npos);
}

TEST_CASE("run comment: a limit the brief comment still passes drops its last parts, never the verdict and the failing gates") {
  const auto loaded = testing::load_good();
  REQUIRE(loaded.ok());
  const auto run = fabricated_run(*loaded.scenario);
  const std::string full = reports::render_run_markdown(run, "test");
  const std::string brief = reports::render_run_markdown(run, "test", full.size() - 1);
  const std::string tight = reports::render_run_markdown(run, "test", brief.size() - 1);
  CHECK(tight.size() <= brief.size() - 1);
  CHECK(tight.find("### Alternatives") != std::string::npos);  // the first parts stay
  CHECK(tight.find("leaves out the per-alternative details and the last") != std::string::npos);
  CHECK(tight.find("</sub>`--format html`<sub>") != std::string::npos);  // a code span, not escaped backticks
  // However small the limit, the marker, the heading, the verdict and the exit line remain.
  const std::string least = reports::render_run_markdown(run, "test", 10);
  CHECK(least.find("<!-- archsim:" + run.scenario + " -->\n## archsim: ") == 0);
  CHECK(least.find("exit ") != std::string::npos);
  CHECK(least.find("### Alternatives") == std::string::npos);
}

TEST_CASE("timeline: warm-up minutes leave errors and p99 empty, a minute without a success leaves p99 empty, in the CSV and the chart alike") {
  // Three hours: the first is warm-up (traffic, nothing measured), the second serves at
  // 80 ms, the third fails every request.
  sim::SimResult s;
  s.replications = 1;
  for (int m = 0; m < 180; ++m) {
    sim::MinuteSample minute;
    minute.arrivals = 16;
    minute.warmup = m < 60;
    if (m >= 60 && m < 120) minute.p99_ns = 80'000'000;
    if (m >= 120) minute.errors = 16;
    minute.busy_capacity = 0.25;
    s.timeline.push_back(minute);
  }
  const std::string csv = reports::timeline_csv(s);
  CHECK(csv.starts_with("minute,warmup,arrivals,errors,p99_ms,busy_capacity\n"));
  CHECK(csv.find("\n0,1,16,,,0.2500\n") != std::string::npos);
  CHECK(csv.find("\n60,0,16,0,80.000,0.2500\n") != std::string::npos);
  CHECK(csv.find("\n120,0,16,16,,0.2500\n") != std::string::npos);
  CHECK(csv.find(",0.000,") == std::string::npos);

  const auto loaded = testing::load_good();
  REQUIRE(loaded.ok());
  auto run = fabricated_run(*loaded.scenario);
  run.horizon = model::Duration::hours(3);
  run.alternatives.front().result->timeline = s.timeline;
  std::string md = reports::render_run_markdown(run, "test");
  const auto row = [&](const std::string& series) {
    const auto at = md.find("| " + series + " | `");  // the chart's row, not a table's header
    REQUIRE(at != std::string::npos);
    return md.substr(at, md.find('\n', at) - at);
  };
  const auto repeat = [](const std::string& c, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += c;
    return out;
  };
  // Three hours are charted by the minute, 60 characters of 3 minutes each: a gap where
  // nothing was measured, not a bar at 0.
  CHECK(md.find("first replication, by the minute") != std::string::npos);
  CHECK(row("error rate").find("`" + repeat(" ", 20) + repeat("▁", 20) + repeat("█", 20) + "`") != std::string::npos);
  CHECK(row("p99").find("`" + repeat(" ", 20) + repeat("█", 20) + repeat(" ", 20) + "`") != std::string::npos);
  // Past six hours, by the hour: one character an hour.
  auto& timeline = run.alternatives.front().result->timeline;
  timeline.insert(timeline.end(), s.timeline.begin() + 60, s.timeline.end());
  timeline.insert(timeline.end(), s.timeline.begin() + 60, s.timeline.end());
  run.horizon = model::Duration::hours(7);
  md = reports::render_run_markdown(run, "test");
  CHECK(md.find("first replication, by the hour") != std::string::npos);
  CHECK(row("error rate").find("` ▁█▁█▁█`") != std::string::npos);
  CHECK(row("p99 (slowest minute of the hour)").find("` █ █ █ `") != std::string::npos);
}

TEST_CASE("topology drawing: Graphviz lays the DOT out as inline SVG, the same bytes every time, however many a process draws") {
  const auto loaded = testing::load_good();
  REQUIRE(loaded.ok());
  const auto& topology = loaded.scenario->alternatives.front().topology;
  const auto graph = model::build_graph(topology);
  // A quote in a title stays inside its DOT string: it cannot add attributes (such as a URL).
  const std::string dot = reports::render_dot(topology, graph, "a\" URL=\"javascript:x", {{"alb", "alb: 5 req/s"}});
  CHECK(dot.starts_with("digraph \"a\\\" URL=\\\"javascript:x\" {"));
  std::string error;
  const std::string first = reports::layout_svg(dot, error);
  CHECK(error.empty());
  CHECK(first.starts_with("<svg"));
  CHECK(first.find("cluster") != std::string::npos);  // zones and subnets as clusters
  CHECK(first.find("alb: 5 req/s") != std::string::npos);
  CHECK(first.find("href") == std::string::npos);
  // In one process Graphviz 2.42 laid a second drawing out differently (and double-freed one
  // with edge labels): each layout runs in a child process, so three come out the same.
  for (int i = 0; i < 2; ++i) CHECK(reports::layout_svg(dot, error) == first);
  CHECK(reports::layout_svg("digraph {", error).empty());
  CHECK(!error.empty());
}

TEST_CASE("topology drawing: each box shows the component's measured traffic, how busy it was and the errors on its routes") {
  const auto loaded = testing::load_good();
  REQUIRE(loaded.ok());
  auto run = fabricated_run(*loaded.scenario);
  sim::SimResult& s = *run.alternatives.front().result;
  // An hour, one replication: the load balancer and the service each served 36,000 requests
  // (10 a second), the service ran 7,200 task-seconds (2 tasks), a quarter of its slots busy
  // (fabricated_run's timeline), and the one route, users > alb > app > db, failed 10 of 1,000.
  s.horizon = model::Duration::seconds(3600);
  s.usage = {{"alb", "requests", "count", {36000}}, {"app", "requests", "count", {36000}}, {"app", "task_seconds", "s", {7200}}};
  sim::RouteStats route;
  route.route = "main";
  route.outcomes = s.overall.outcomes;
  s.routes = {route};
  const std::string html = reports::render_run_html(run, "test");
  const auto drawing = html.find("<svg width=");
  REQUIRE(drawing != std::string::npos);
  const std::string svg = html.substr(drawing, html.find("</svg>", drawing) - drawing);
  CHECK(svg.find(">alb: 10 req/s · 1% errors on its routes<") != std::string::npos);
  CHECK(svg.find(">app: 10 req/s · 2 tasks avg<") != std::string::npos);
  CHECK(svg.find(">25% of task slots busy · 1% errors on its routes<") != std::string::npos);
  CHECK(svg.find(">db: 1% errors on its routes<") != std::string::npos);
  // A route without errors says so; a component no route reaches gets no error figure.
  s.routes.front().outcomes[static_cast<std::size_t>(sim::Outcome::NoHealthyTarget)] = 0;
  const std::string clean = reports::render_run_html(run, "test");
  CHECK(clean.find(">alb: 10 req/s · no errors on its routes<") != std::string::npos);
  CHECK(clean.find("repo: ") == std::string::npos);
}

TEST_CASE("topology drawing: a Lambda function's box shows its mean concurrency against its reserved concurrency") {
  auto loaded = model::load_scenario(std::filesystem::path(ARCHSIM_SOURCE_DIR) / "scenarios/adr0005.yaml", testing::facts());
  REQUIRE(loaded.ok());
  model::ScenarioSpec& scenario = *loaded.scenario;
  // The drawing is of the chosen option: make it ADR-0005's API Gateway -> Lambda design, its
  // function (512 MiB) limited to 10 concurrent executions.
  model::LambdaSpec* fn = nullptr;
  for (auto& alt : scenario.alternatives) {
    alt.status = alt.id == "api-gateway-lambda" ? model::DecisionStatus::Chosen : model::DecisionStatus::Rejected;
    for (auto& lambda : alt.topology.lambdas) {
      if (alt.id == "api-gateway-lambda" && lambda.id == "fn") fn = &lambda;
    }
  }
  REQUIRE(fn != nullptr);
  fn->reserved_concurrency = 10;
  reports::RunReport r;
  r.file = "scenarios/adr0005.yaml";
  r.scenario = scenario.name;
  r.horizon = model::Duration::seconds(3600);
  r.scenario_spec = &scenario;
  sim::SimResult s;
  s.replications = 2;
  s.horizon = model::Duration::seconds(3600);
  // Two replications of an hour, 3,600 GB-s in all: 0.5 GB-s a second, 1 execution on average
  // at 0.5 GB each.
  s.usage = {{"fn", "requests", "count", {7200}}, {"fn", "gb_seconds", "GB-s", {3600}}};
  reports::AlternativeRun alt;
  alt.id = "api-gateway-lambda";
  alt.status = model::DecisionStatus::Chosen;
  alt.result = std::move(s);
  r.alternatives.push_back(std::move(alt));
  const std::string html = reports::render_run_html(r, "test");
  CHECK(html.find(">fn: 1 req/s · concurrency 1 of 10 reserved (10%)<") != std::string::npos);
}
