// A small document model for the reports people read in a design review: headings,
// paragraphs, tables, lists, collapsible sections, code and charts.
//
// The pull-request comment (Markdown) and the standalone page (HTML) of `archsim run` are
// built once as a Document from the run's result (run_report.hpp) and then written by two
// renderers that know only this model, so the two outputs cannot say different things. Text
// carries its meaning (a verdict that passed, a code identifier), not its look: each renderer
// decides how a pass or a fail shows (an emoji in Markdown, a coloured class in HTML).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace archsim::reports::doc {

/// What a piece of text is; renderers choose how it looks.
enum class Style {
  Plain,
  Strong,
  Code,   ///< an identifier, a file:line:col, a command
  Pass,   ///< a verdict that holds
  Fail,   ///< a verdict that does not
  Warn,   ///< inconclusive, an alert, a warning
  Muted,  ///< secondary detail
};

struct Span {
  std::string text;
  Style style = Style::Plain;
};
using Text = std::vector<Span>;

inline Text plain(std::string s) { return {Span{std::move(s), Style::Plain}}; }
inline Text styled(std::string s, Style style) { return {Span{std::move(s), style}}; }

struct Heading {
  int level = 2;  ///< 1 to 4
  Text text;
};
struct Paragraph {
  Text text;
};
struct List {
  std::vector<Text> items;
};
enum class Align { Left, Right };
struct Table {
  std::vector<std::string> header;
  std::vector<Align> align;  ///< per column; missing columns align left
  std::vector<std::vector<Text>> rows;
};
/// Preformatted text; `language` tags it for Markdown renderers (e.g. `mermaid`).
struct Code {
  std::string language;
  std::string text;
};
/// One line over evenly spaced points; NaN marks a point without a value.
struct Series {
  std::string name;
  std::vector<double> values;
};
/// Something that happened on a chart's x axis: a window (a fault, from `from` to `to`) or an
/// instant (`to == from`: a deployment began), in the chart's x units.
struct Marker {
  enum class Kind { Fault, Deployment };
  Kind kind = Kind::Fault;
  double from = 0, to = 0;
  std::string label;  ///< `zone_down us-east-1a`
};
/// A line chart of series sharing the x axis (`x_step` units of `x_unit` between points).
/// HTML draws it as inline SVG, one plot per series with its axes' titles, gridlines at round
/// values and the markers; Markdown as one sparkline per series.
struct Chart {
  std::string title;
  std::string x_unit;  ///< e.g. `h`
  double x_step = 1;
  std::vector<Series> series;
  std::vector<std::string> y_units;  ///< per series, e.g. `%`, `ms`
  std::string x_title;               ///< what the x axis measures, e.g. `time since the start`
  std::vector<Marker> markers;
};
/// Bars per category (an alternative), one segment per series (a service, a percentile):
/// stacked into one bar, or side by side. HTML draws SVG with a legend; Markdown a table.
struct BarChart {
  std::string title;
  std::string y_unit;  ///< e.g. `USD`, `ms`
  std::vector<std::string> categories;
  std::vector<Series> series;  ///< values per category; NaN: none
  bool stacked = false;
};

/// Points on two measured axes, in groups (the front, the other variants, the document's own
/// alternatives), each point with its interval on both axes. HTML draws SVG with a legend and
/// the labelled groups' names beside their points; Markdown a table of the labelled points.
struct ScatterPoint {
  double x = 0, y = 0;
  double x_half_width = 0, y_half_width = 0;  ///< 95 % intervals, 0: none
  std::string label;
};
struct ScatterGroup {
  std::string name;
  std::vector<ScatterPoint> points;
  bool labelled = false;  ///< names its points on the chart and in Markdown's table
};
struct ScatterChart {
  std::string title;
  std::string x_title, x_unit, y_title, y_unit;
  std::vector<ScatterGroup> groups;
  std::optional<double> y_max;  ///< the axis never goes past it (a percentage: 100)
};

/// A drawing: trusted inline SVG (made by archsim or Graphviz from escaped text) in the page,
/// its source in Markdown (Mermaid, which GitHub draws). Without SVG the page shows the source.
struct Drawing {
  std::string svg;
  Code source;
};

struct Block;
/// A section the reader opens on demand (`<details>` in both renderers).
struct Details {
  Text summary;
  std::vector<Block> blocks;
  bool open_in_html = false;  ///< the page shows it open (charts); a comment keeps it collapsed
};
struct Block {
  std::variant<Heading, Paragraph, List, Table, Code, Chart, BarChart, ScatterChart, Drawing, Details> content;
};

struct Document {
  std::string title;  ///< the HTML page title; Markdown starts with the first block
  std::vector<Block> blocks;
  /// Markdown's first line as an HTML comment (`<!-- marker -->`), invisible on GitHub, so a CI
  /// job finds the comment it posted before and edits it; empty: none. Only `-` may repeat
  /// inside it, never `--` followed by `>` (comment_marker builds a safe one).
  std::string marker;
};

/// GitHub-flavoured Markdown, fit for a pull-request comment (tables, `<details>`).
std::string render_markdown(const Document& document);

/// The widest a comment's table may be drawn, in characters: GitHub's comment column (about
/// 880 px at 14 px) shows some 100 characters of table text before it scrolls sideways.
inline constexpr std::size_t kCommentWidth = 100;
/// How wide the widest open table of `markdown` is at its narrowest, in characters: per column
/// its longest unbreakable run (text breaks at spaces and after a hyphen not followed by a
/// digit, as browsers wrap; a figure joined by no-break spaces stays whole; markup and escapes
/// take no room, ✅ ❌ ⚠️ take two), plus 3 a column for padding and rules. A table within
/// kCommentWidth fits a comment without sideways scrolling. Tables inside `<details>` are not
/// counted: a reader opens them on purpose, and a finding's URL may make them scroll.
std::size_t widest_table(std::string_view markdown);
/// A table as plain text for a terminal: the spans' text without their styles, columns two
/// spaces apart and aligned as the table says (display columns, not bytes), no trailing blanks.
std::string render_text_table(const Table& table);

/// One self-contained HTML5 page: inline CSS and SVG, no script, nothing fetched; fit for a
/// phone (a viewport, tables that turn into cards on a narrow screen).
std::string render_html(const Document& document);

/// Text safe inside HTML and XML elements and attribute values: & < > " ' as references.
std::string escape_markup(std::string_view s);

/// Short figures for chart labels and drawings: three significant digits, whole numbers from
/// 1,000 up (`0.25`, `41.7`, `1250`).
std::string short_figure(double v);

/// `▁▂▄█`: one character per value, scaled from 0 to the series' maximum (space for NaN).
std::string sparkline(const std::vector<double>& values);

}  // namespace archsim::reports::doc
