// The document model's two renderers: what a reviewer's Markdown viewer and browser are given
// must mean what the document says, whatever characters the scenario's names and AWS's
// messages contain.
#include <algorithm>
#include <cmath>

#include <doctest/doctest.h>

#include "archsim/reports/document.hpp"

using namespace archsim::reports::doc;

namespace {
Document one(Block b) { return Document{"t", {std::move(b)}}; }
}  // namespace

TEST_CASE("markdown: a pipe in a table cell is escaped, in text and in code, so the row keeps its columns") {
  const Table t{{"a", "b"}, {Align::Left, Align::Right}, {{plain("x|y"), styled("p|q", Style::Code)}}};
  const std::string md = render_markdown(one(Block{t}));
  CHECK(md == "| a | b |\n| --- | --: |\n| x\\|y | `p\\|q` |\n");
}

TEST_CASE("markdown: emphasis keeps outer spaces outside the markers, which CommonMark needs to close it") {
  const std::string md = render_markdown(one(Block{Paragraph{{Span{"the ", Style::Plain}, Span{" chosen ", Style::Strong}, Span{"x", Style::Code}}}}));
  CHECK(md == "the  **chosen** `x`\n");
}

TEST_CASE("markdown: characters with a meaning are escaped in text; a code span's fence outgrows its backticks") {
  CHECK(render_markdown(one(Block{Paragraph{plain("a_b *c* <d> [e] & `f`")}})) == "a\\_b \\*c\\* &lt;d&gt; \\[e\\] &amp; \\`f\\`\n");
  CHECK(render_markdown(one(Block{Paragraph{styled("a`b", Style::Code)}})) == "``a`b``\n");
  CHECK(render_markdown(one(Block{Paragraph{styled("`x", Style::Code)}})) == "`` `x ``\n");
}

TEST_CASE("markdown: verdicts carry their sign; details put a blank line after the summary so GitHub renders the body") {
  const Details d{{Span{"alt", Style::Code}, Span{" <1>", Style::Plain}}, {Block{Paragraph{styled("pass", Style::Pass)}}, Block{Paragraph{styled("fail", Style::Fail)}}}};
  CHECK(render_markdown(one(Block{d})) == "<details><summary><code>alt</code> &lt;1&gt;</summary>\n\n✅ pass\n\n❌ fail\n\n</details>\n");
}

TEST_CASE("html: text is escaped and styles become classes; the page fetches nothing") {
  Document d{"a <b> & \"c\"", {Block{Paragraph{{Span{"<script>", Style::Plain}, Span{"ok", Style::Pass}, Span{"x&y", Style::Code}}}}}};
  const std::string html = render_html(d);
  CHECK(html.find("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>") != std::string::npos);
  CHECK(html.find("<p>&lt;script&gt;<span class=\"pass\">ok</span><code>x&amp;y</code></p>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("http") == std::string::npos);
  CHECK(html.ends_with("</body>\n</html>\n"));
}

TEST_CASE("html: a chart is one SVG path per series, scaled to the series' peak, broken where a value is missing") {
  const double nan = std::nan("");
  const Chart c{"by the hour", "h", 1, {Series{"errors", {0, 2, nan, 4}}}, {"%"}, "time since the start", {}};
  const std::string html = render_html(one(Block{c}));
  // 720 wide, plot from x = 64 to 708; 150 high, plot from y = 10 to 116; the peak (4) at the top.
  CHECK(html.find("d=\"M64.0,116.0 L278.7,63.0 M708.0,10.0\"") != std::string::npos);
  // Gridlines at round values (0, 1, 2, 3, 4 %), each labelled; the axes titled with their units.
  for (const char* tick : {">0 %</text>", ">1 %</text>", ">2 %</text>", ">3 %</text>", ">4 %</text>"}) CHECK(html.find(tick) != std::string::npos);
  CHECK(html.find(">time since the start (h)</text>") != std::string::npos);
  CHECK(html.find("rotate(-90)\" text-anchor=\"middle\">%</text>") != std::string::npos);
}

TEST_CASE("html: a chart's y scale ends at a round value above the peak; fault windows and deployments are marked on the time axis") {
  Chart c{"by the hour", "h", 1, {Series{"p99", {100, 230, 180}}}, {"ms"}, "time since the start", {}};
  c.markers = {{Marker::Kind::Fault, 0.5, 1.5, "zone_down us-east-1a"}, {Marker::Kind::Deployment, 1, 1, "deployment_start api"}};
  const std::string html = render_html(one(Block{c}));
  CHECK(html.find(">300 ms</text>") != std::string::npos);  // steps of 100 up to 300, not the peak 230
  CHECK(html.find(">230") == std::string::npos);
  // The plot spans x 64 to 708 for 2 hours: the window from 0.5 h to 1.5 h is 225.0 to 547.0.
  CHECK(html.find("<rect class=\"fault\" x=\"225.0\" y=\"10\" width=\"322.0\" height=\"106\"><title>zone_down us-east-1a</title></rect>") !=
        std::string::npos);
  CHECK(html.find("<line class=\"deploy\" x1=\"386.0\"") != std::string::npos);
  CHECK(html.find("fault window") != std::string::npos);
}

TEST_CASE("bar chart: stacked by series in the page with a legend; a table of the figures and totals in Markdown") {
  const BarChart b{"cost", "USD", {"a", "b"}, {Series{"ECS", {10, 20}}, Series{"VPC", {5, std::nan("")}}}, true};
  const std::string html = render_html(one(Block{b}));
  CHECK(html.find("<title>a: ECS 10 USD</title>") != std::string::npos);
  CHECK(html.find("<title>b: VPC") == std::string::npos);  // no value, no bar
  CHECK(html.find(">VPC</text>") != std::string::npos);     // the legend
  CHECK(html.find(">20 USD</text>") != std::string::npos);  // the scale's top: the tallest stack
  const std::string md = render_markdown(one(Block{b}));
  CHECK(md.find("| `a` | 10\u00A0USD | 5\u00A0USD | 15\u00A0USD |") != std::string::npos);
  CHECK(md.find("| `b` | 20\u00A0USD | – | 20\u00A0USD |") != std::string::npos);
  CHECK(html.find(">a</text>") != std::string::npos);  // short labels: level under their bars
  CHECK(html.find("rotate(-45") == std::string::npos);
}

TEST_CASE("bar chart: labels too long for their bars are turned and drawn whole, so alternatives sharing a prefix stay apart") {
  const std::vector<std::string> names{"alb-private-tasks", "alb-private-tasks-nat", "alb-private-tasks-endpoints", "api-gateway-lambda",
                                       "public-ecs-tasks", "nlb", "cloudfront-alb-ecs"};
  const BarChart b{"cost", "USD", names, {Series{"ECS", {1, 2, 3, 4, 5, 6, 7}}}, true};
  const std::string html = render_html(one(Block{b}));
  for (const auto& name : names) CHECK(html.find(">" + name + "</text>") != std::string::npos);
  CHECK(html.find("…") == std::string::npos);
  CHECK(html.find("text-anchor=\"end\" transform=\"rotate(-45 ") != std::string::npos);
}

TEST_CASE("html: a viewport for phones, and table cells that name their column when a narrow screen turns rows into cards") {
  const Table t{{"alternative", "cost"}, {}, {{plain("a"), plain("1")}}};
  const std::string html = render_html(one(Block{t}));
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") != std::string::npos);
  CHECK(html.find("<td data-label=\"cost\">1</td>") != std::string::npos);
  CHECK(html.find("@media (max-width:640px)") != std::string::npos);
}

TEST_CASE("sparkline: eight levels from the lowest to the series' peak; a missing value is a space") {
  CHECK(sparkline({0, 1, 2, 3, 4, 5, 6, 7, 8}) == "▁▁▂▃▄▅▆▇█");
  CHECK(sparkline({0, 0}) == "▁▁");
  CHECK(sparkline({std::nan(""), 5}) == " █");
}

TEST_CASE("markdown: a chart longer than the sparkline's width keeps each bucket's peak, so a spike stays visible") {
  std::vector<double> week(168, 0.0);
  week[100] = 50;  // one bad hour in a week
  const Chart c{"by the hour", "h", 1, {Series{"errors", week}}, {"%"}};
  const std::string md = render_markdown(one(Block{c}));
  CHECK(md.find("█") != std::string::npos);
  CHECK(md.find("| 50 % |") != std::string::npos);
  // 60 characters of three bytes each between the backticks.
  const auto open = md.find('`'), close = md.find('`', open + 1);
  CHECK(close - open - 1 == 60 * 3);
  CHECK(widest_table(md) <= kCommentWidth);
}

TEST_CASE("markdown: a document's marker is its first line, as an HTML comment GitHub does not show") {
  Document d{"t", {Block{Paragraph{plain("x")}}}, "archsim:s"};
  CHECK(render_markdown(d) == "<!-- archsim:s -->\nx\n");
  CHECK(render_html(d).find("archsim:s") == std::string::npos);
}

TEST_CASE("comment width: a table is as narrow as its longest unbreakable runs, markup and escapes taking no room") {
  // Columns of 1 ("a"), 14 ("$39.85 ± $0.23" joined by no-break spaces) and 2 ("✅ ok" breaks; ✅ is two), plus 3 a column and 1.
  const Table t{{"a", "b", "c"}, {}, {{styled("a", Style::Code), plain("$39.85\u00A0±\u00A0$0.23"), styled("ok", Style::Pass)}}};
  CHECK(widest_table(render_markdown(one(Block{t}))) == 1 + 1 + 3 + 14 + 3 + 2 + 3);
  // Spaces and a hyphen before a letter break; a hyphen before a digit (a date) does not.
  const Table words{{"x"}, {}, {{plain("blue-green-deployment 2026-09-29 x|y")}}};
  CHECK(widest_table(render_markdown(one(Block{words}))) == 10 + 3 + 1);
  const Table wide{{"x"}, {}, {{styled(std::string(120, 'w'), Style::Code)}}};
  CHECK(widest_table(render_markdown(one(Block{wide}))) > kCommentWidth);
  CHECK(widest_table("no table\n") == 0);
  // Inside <details> a table is opened on purpose: it may scroll.
  CHECK(widest_table(render_markdown(one(Block{Details{plain("more"), {Block{wide}}}}))) == 0);
}
