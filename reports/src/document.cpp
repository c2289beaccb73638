#include "archsim/reports/document.hpp"

#include "archsim/model/text_check.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

namespace archsim::reports::doc {

namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

/// Markdown for a series shown as a sparkline: a week by the hour at under three hours a
/// character, narrow enough that the sparkline's table (name, line, peak) fits a comment
/// (kCommentWidth).
constexpr std::size_t kSparklineWidth = 60;

/// Buckets of consecutive values, each kept by its maximum: a spike of errors must not vanish
/// when a week is drawn in 84 characters.
std::vector<double> peaks(const std::vector<double>& values, std::size_t width) {
  if (values.size() <= width) return values;
  std::vector<double> out(width, std::nan(""));
  for (std::size_t i = 0; i < values.size(); ++i) {
    double& slot = out[i * width / values.size()];
    if (!std::isnan(values[i])) slot = std::isnan(slot) ? values[i] : std::max(slot, values[i]);
  }
  return out;
}

double series_max(const std::vector<double>& values) {
  double m = 0;
  for (double v : values) {
    if (!std::isnan(v)) m = std::max(m, v);
  }
  return m;
}


// ---------------------------------------------------------------- Markdown

enum class Context { Block, TableCell };

std::string md_escape(const std::string& raw, Context context) {
  const std::string s = model::replace_unshowable(raw);
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': case '`': case '*': case '_': case '[': case ']': case '~': out += '\\'; out += c; break;
      case '|': out += context == Context::TableCell ? "\\|" : "|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '\n': out += context == Context::TableCell ? "<br>" : "\n"; break;
      default: out += c;
    }
  }
  return out;
}

/// A code span whose fence is longer than any run of backticks inside it (CommonMark 6.1).
std::string md_code(const std::string& raw, Context context) {
  const std::string s = model::replace_unshowable(raw);
  std::size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  std::string body;
  for (char c : s) body += (c == '|' && context == Context::TableCell) ? std::string("\\|") : std::string(1, c);
  const bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

/// `**x**` around the span's text, its outer spaces kept outside: CommonMark does not close
/// emphasis after a space (`**a **b` is not bold).
std::string md_wrap(const std::string& s, const std::string& open, const std::string& close, Context context) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return s;
  const auto last = s.find_last_not_of(' ');
  return s.substr(0, first) + open + md_escape(s.substr(first, last - first + 1), context) + close + s.substr(last + 1);
}

std::string md_inline(const Text& text, Context context) {
  std::string out;
  for (const auto& span : text) {
    switch (span.style) {
      case Style::Plain: out += md_escape(span.text, context); break;
      case Style::Strong: out += md_wrap(span.text, "**", "**", context); break;
      case Style::Code: out += md_code(span.text, context); break;
      case Style::Pass: out += "✅ " + md_escape(span.text, context); break;
      case Style::Fail: out += "❌ " + md_escape(span.text, context); break;
      case Style::Warn: out += "⚠️ " + md_escape(span.text, context); break;
      case Style::Muted: out += md_wrap(span.text, "<sub>", "</sub>", context); break;
    }
  }
  return out;
}

std::string html_inline(const Text& text);

void md_block(const Block& block, std::string& out);

void md_table(const Table& t, std::string& out) {
  out += "|";
  for (const auto& h : t.header) out += " " + md_escape(h, Context::TableCell) + " |";
  out += "\n|";
  for (std::size_t c = 0; c < t.header.size(); ++c) out += c < t.align.size() && t.align[c] == Align::Right ? " --: |" : " --- |";
  out += "\n";
  for (const auto& row : t.rows) {
    out += "|";
    for (std::size_t c = 0; c < t.header.size(); ++c) out += " " + (c < row.size() ? md_inline(row[c], Context::TableCell) : "") + " |";
    out += "\n";
  }
  out += "\n";
}

void md_chart(const Chart& chart, std::string& out) {
  Table t{{"series", chart.title, "peak"}, {Align::Left, Align::Left, Align::Right}, {}};
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    const std::string unit = i < chart.y_units.size() ? chart.y_units[i] : "";
    t.rows.push_back({plain(s.name), styled(sparkline(peaks(s.values, kSparklineWidth)), Style::Code),
                      plain(short_figure(series_max(s.values)) + (unit.empty() ? "" : " " + unit))});
  }
  md_table(t, out);
}

/// A bar chart's figures as a table: a row per category, a column per series (and the total
/// of a stacked bar).
Table bar_table(const BarChart& c) {
  Table t{{c.title}, {Align::Left}, {}};
  for (const auto& s : c.series) {
    t.header.push_back(s.name);
    t.align.push_back(Align::Right);
  }
  if (c.stacked) {
    t.header.push_back("total");
    t.align.push_back(Align::Right);
  }
  for (std::size_t k = 0; k < c.categories.size(); ++k) {
    std::vector<Text> row{styled(c.categories[k], Style::Code)};
    double total = 0;
    for (const auto& s : c.series) {
      const double v = k < s.values.size() ? s.values[k] : std::nan("");
      row.push_back(plain(std::isnan(v) ? "–" : short_figure(v) + "\u00A0" + c.y_unit));
      if (!std::isnan(v)) total += v;
    }
    if (c.stacked) row.push_back(plain(short_figure(total) + "\u00A0" + c.y_unit));
    t.rows.push_back(std::move(row));
  }
  return t;
}

/// A scatter chart's labelled points as a table: what the chart shows beside each marked point.
Table scatter_table(const ScatterChart& c) {
  const auto axis = [](const std::string& title, const std::string& unit) { return unit.empty() ? title : title + " (" + unit + ")"; };
  Table t{{c.title, "group", axis(c.x_title, c.x_unit), axis(c.y_title, c.y_unit)}, {Align::Left, Align::Left, Align::Right, Align::Right}, {}};
  const auto figure = [](double v, double hw) { return hw > 0 ? fmt::format("{:.4g}\u00A0±\u00A0{:.2g}", v, hw) : fmt::format("{:.4g}", v); };
  for (const auto& g : c.groups) {
    if (!g.labelled) continue;
    for (const auto& p : g.points) t.rows.push_back({styled(p.label, Style::Code), plain(g.name), plain(figure(p.x, p.x_half_width)), plain(figure(p.y, p.y_half_width))});
  }
  return t;
}

void md_block(const Block& block, std::string& out) {
  std::visit(Overloaded{
                 [&](const Heading& h) { out += std::string(static_cast<std::size_t>(std::clamp(h.level, 1, 6)), '#') + " " + md_inline(h.text, Context::Block) + "\n\n"; },
                 [&](const Paragraph& p) { out += md_inline(p.text, Context::Block) + "\n\n"; },
                 [&](const List& l) {
                   for (const auto& item : l.items) out += "- " + md_inline(item, Context::Block) + "\n";
                   out += "\n";
                 },
                 [&](const Table& t) { md_table(t, out); },
                 [&](const Code& c) { out += "```" + c.language + "\n" + c.text + (c.text.ends_with('\n') ? "" : "\n") + "```\n\n"; },
                 [&](const Chart& c) { md_chart(c, out); },
                 [&](const BarChart& c) { md_table(bar_table(c), out); },
                 [&](const ScatterChart& c) { md_table(scatter_table(c), out); },
                 [&](const Drawing& d) { md_block(Block{d.source}, out); },
                 [&](const Details& d) {
                   // GitHub renders Markdown inside <details> only after a blank line; the summary is HTML.
                   out += "<details><summary>" + html_inline(d.summary) + "</summary>\n\n";
                   for (const auto& b : d.blocks) md_block(b, out);
                   out += "</details>\n\n";
                 },
             },
             block.content);
}

// ---------------------------------------------------------------- HTML

std::string html_inline(const Text& text) {
  std::string out;
  for (const auto& span : text) {
    const std::string t = escape_markup(span.text);
    switch (span.style) {
      case Style::Plain: out += t; break;
      case Style::Strong: out += "<strong>" + t + "</strong>"; break;
      case Style::Code: out += "<code>" + t + "</code>"; break;
      case Style::Pass: out += "<span class=\"pass\">" + t + "</span>"; break;
      case Style::Fail: out += "<span class=\"fail\">" + t + "</span>"; break;
      case Style::Warn: out += "<span class=\"warn\">" + t + "</span>"; break;
      case Style::Muted: out += "<span class=\"muted\">" + t + "</span>"; break;
    }
  }
  return out;
}

/// A round step for about `ticks` intervals over [0, span]: 1, 2 or 5 times a power of ten.
double nice_step(double span, int ticks) {
  if (!(span > 0)) return 1;
  const double raw = span / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (raw <= m * magnitude) return m * magnitude;
  }
  return 10 * magnitude;
}

/// An x tick's label: hours as `6h` or, from two days on, days as `d3`.
std::string x_label(double x, const std::string& x_unit, bool days) {
  if (x_unit == "h" && days) return fmt::format("d{}", static_cast<int>(std::lround(x / 24)));
  return short_figure(x) + x_unit;
}

constexpr double kChartWidth = 720, kLeft = 64, kRight = 12, kTop = 10;
constexpr const char* kPalette[] = {"#0969da", "#bf8700", "#1a7f37", "#cf222e", "#8250df", "#1b7c83", "#bc4c00", "#57606a"};

/// Gridlines and labels at round values over [low, high] of one axis; returns the axis's
/// rounded ends. `vertical`: lines across x (labels under the plot), else across y.
std::pair<double, double> linear_grid(double low, double high, double from, double length, double across_from, double across_to,
                                      bool vertical, const std::string& unit, std::optional<double> cap, std::string& out) {
  if (!(high > low)) {
    const double pad = std::max(std::abs(low) * 0.01, 1e-9);
    low -= pad, high += cap && high >= *cap ? 0 : pad;
  }
  const double step = nice_step(high - low, 4);
  const double first = std::floor(low / step + 1e-9) * step;
  const double last = cap ? std::min(*cap, std::ceil(high / step - 1e-9) * step) : std::ceil(high / step - 1e-9) * step;
  for (double v = first; v <= last + step / 2; v += step) {
    const double at = vertical ? from + length * (v - first) / (last - first) : from + length * (1 - (v - first) / (last - first));
    const std::string label = escape_markup(short_figure(std::abs(v) < step * 1e-9 ? 0 : v) + (unit.empty() ? "" : " " + unit));
    if (vertical) {
      out += fmt::format(R"(<line class="grid" x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}"/>)", at, across_from, across_to);
      out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)", at, across_to + 13, label);
    } else {
      out += fmt::format(R"(<line class="grid" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", across_from, at, across_to, at);
      out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="end">{}</text>)", across_from - 4, at + 3, label);
    }
  }
  return {first, last};
}

/// Gridlines from 0 to a round value at or above `peak`, whose top it returns: the line and
/// bar charts' y axis.
double y_grid(double peak, double plot_top, double plot_h, double left, double right, const std::string& unit, std::string& out) {
  return linear_grid(0, peak > 0 ? peak : 1, plot_top, plot_h, left, right, false, unit, std::nullopt, out).second;
}

/// One series as an SVG line chart: y from 0 to a round value above its peak with gridlines,
/// the x axis in round steps (days for a week), both axes titled with their units, fault
/// windows shaded and deployments drawn as lines on the time axis.
std::string html_series_svg(const Series& s, const std::string& unit, const Chart& c) {
  constexpr double kHeight = 150, kBottom = 34;
  const double plot_w = kChartWidth - kLeft - kRight, plot_h = kHeight - kBottom - kTop;
  const std::size_t n = s.values.size();
  const double total_x = c.x_step * static_cast<double>(n == 0 ? 0 : n - 1);
  auto px = [&](double x) { return kLeft + (total_x > 0 ? plot_w * std::clamp(x / total_x, 0.0, 1.0) : 0.0); };
  std::string out = fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">)", kChartWidth, kHeight, escape_markup(s.name));
  for (const auto& m : c.markers) {
    if (m.kind == Marker::Kind::Fault) {
      const double x1 = px(m.from), x2 = std::max(px(m.to), x1 + 2);
      out += fmt::format(R"(<rect class="fault" x="{:.1f}" y="{}" width="{:.1f}" height="{}"><title>{}</title></rect>)", x1, kTop, x2 - x1, plot_h, escape_markup(m.label));
    } else {
      out += fmt::format(R"(<line class="deploy" x1="{0:.1f}" y1="{1}" x2="{0:.1f}" y2="{2}"><title>{3}</title></line>)", px(m.from), kTop, kTop + plot_h, escape_markup(m.label));
    }
  }
  const double top = y_grid(series_max(s.values), kTop, plot_h, kLeft, kLeft + plot_w, unit, out);
  out += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", kLeft, kTop + plot_h, kLeft + plot_w);
  const bool days = c.x_unit == "h" && total_x >= 48;
  const double tick = days ? 24 * nice_step(total_x / 24, 7) : nice_step(total_x, 6);
  for (double x = 0; total_x > 0 && x <= total_x + tick / 1000; x += tick) {
    out += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", px(x), kTop + plot_h + 13, escape_markup(x_label(x, c.x_unit, days)));
  }
  out += fmt::format(R"(<text class="title" x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", kLeft + plot_w / 2, kHeight - 3,
                     escape_markup(c.x_title + (days ? " (days)" : c.x_unit.empty() ? "" : " (" + c.x_unit + ")")));
  out += fmt::format(R"svg(<text class="title" transform="translate(12 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg", kTop + plot_h / 2,
                     escape_markup(unit.empty() ? s.name : unit));
  std::string path;
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(s.values[i])) {
      pen_down = false;
      continue;
    }
    const double y = kTop + plot_h * (1 - s.values[i] / top);
    path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", px(c.x_step * static_cast<double>(i)), y);
    pen_down = true;
  }
  if (!path.empty()) path.pop_back();
  out += fmt::format(R"(<path class="line" d="{}"/></svg>)", path);
  return out;
}

/// A scatter chart as SVG: both axes over the points' range (not from zero: availabilities
/// sit between 99 % and 100 %), each point a circle with its intervals as whiskers, a legend.
std::string html_scatter_svg(const ScatterChart& c) {
  constexpr double kBottom = 44, kHeight = 300;
  const double legend_rows = std::ceil(static_cast<double>(c.groups.size()) / 3);
  const double height = kHeight + 16 * legend_rows;
  const double plot_w = kChartWidth - kLeft - kRight - 40, plot_h = kHeight - kTop - kBottom;
  double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
  for (const auto& g : c.groups) {
    for (const auto& p : g.points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      x_low = std::min(x_low, p.x - p.x_half_width), x_high = std::max(x_high, p.x + p.x_half_width);
      y_low = std::min(y_low, p.y - p.y_half_width), y_high = std::max(y_high, p.y + p.y_half_width);
    }
  }
  if (!std::isfinite(x_low)) x_low = 0, x_high = 1, y_low = 0, y_high = 1;
  std::string out = fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">)", kChartWidth, height, escape_markup(c.title));
  const auto [xa, xb] = linear_grid(x_low, x_high, kLeft, plot_w, kTop, kTop + plot_h, true, c.x_unit, std::nullopt, out);
  const auto [ya, yb] = linear_grid(y_low, y_high, kTop, plot_h, kLeft, kLeft + plot_w, false, c.y_unit, c.y_max, out);
  const auto px = [&, xa = xa, xb = xb](double x) { return kLeft + plot_w * (x - xa) / (xb - xa); };
  const auto py = [&, ya = ya, yb = yb](double y) { return kTop + plot_h * (1 - (y - ya) / (yb - ya)); };
  out += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", kLeft, kTop + plot_h, kLeft + plot_w);
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const char* colour = kPalette[g % std::size(kPalette)];
    for (const auto& p : c.groups[g].points) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
      const double x = px(p.x), y = py(p.y);
      if (p.x_half_width > 0) out += fmt::format(R"(<line stroke="{}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", colour, px(p.x - p.x_half_width), y, px(p.x + p.x_half_width), y);
      if (p.y_half_width > 0) out += fmt::format(R"(<line stroke="{}" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}"/>)", colour, x, py(p.y - p.y_half_width), x, py(p.y + p.y_half_width));
      out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="{}" fill="{}"><title>{}</title></circle>)", x, y, c.groups[g].labelled ? 4 : 2.5, colour,
                         escape_markup(fmt::format("{}: {} {} {}, {} {} {}", p.label, c.x_title, short_figure(p.x), c.x_unit, c.y_title, short_figure(p.y), c.y_unit)));
      if (c.groups[g].labelled) out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}">{}</text>)", x + 6, y - 5, escape_markup(p.label));
    }
  }
  out += fmt::format(R"svg(<text class="title" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)svg", kLeft + plot_w / 2, kTop + plot_h + 30,
                     escape_markup(c.x_title + (c.x_unit.empty() ? "" : " (" + c.x_unit + ")")));
  out += fmt::format(R"svg(<text class="title" transform="translate(12 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg", kTop + plot_h / 2,
                     escape_markup(c.y_title + (c.y_unit.empty() ? "" : " (" + c.y_unit + ")")));
  for (std::size_t g = 0; g < c.groups.size(); ++g) {
    const double lx = kLeft + static_cast<double>(g % 3) * plot_w / 3, ly = kHeight + 4 + 16 * static_cast<double>(g / 3);
    out += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="4" fill="{}"/><text x="{:.1f}" y="{:.1f}">{}</text>)", lx + 4, ly - 4,
                       kPalette[g % std::size(kPalette)], lx + 12, ly, escape_markup(c.groups[g].name));
  }
  return out + "</svg>";
}

/// A bar chart as SVG: a bar (or a group of bars) per category, y gridlines at round values, a
/// legend per series.
std::string html_bar_svg(const BarChart& c) {
  constexpr double kBottom = 52;
  const double legend_rows = std::ceil(static_cast<double>(c.series.size()) / 4);
  const double plot_w = kChartWidth - kLeft - kRight;
  const std::size_t k_count = std::max<std::size_t>(c.categories.size(), 1);
  const double slot = plot_w / static_cast<double>(k_count);
  // Category labels sit level under their bars when each fits its slot; else every one is
  // turned and drawn whole, ending under its bar: cut short, `alb-private-tasks` and
  // `alb-private-tasks-nat` would read the same. kCharWidth: an average character of the
  // charts' 10 px sans-serif.
  constexpr double kCharWidth = 5.6, kTurnDegrees = 45;
  std::size_t longest = 0;
  for (const auto& label : c.categories) longest = std::max(longest, label.size());
  const bool turned = static_cast<double>(longest) * kCharWidth > slot * 0.95;
  const double label_h = turned ? static_cast<double>(longest) * kCharWidth * std::sin(kTurnDegrees * std::numbers::pi / 180) : 0;
  const double height = 190 + 16 * legend_rows + label_h;
  const double plot_h = height - kBottom - kTop - 16 * legend_rows - label_h;
  double peak = 0;
  for (std::size_t k = 0; k < c.categories.size(); ++k) {
    double stack = 0;
    for (const auto& s : c.series) {
      const double v = k < s.values.size() && !std::isnan(s.values[k]) ? s.values[k] : 0;
      stack = c.stacked ? stack + v : std::max(stack, v);
    }
    peak = std::max(peak, stack);
  }
  std::string out = fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">)", kChartWidth, height, escape_markup(c.title));
  const double top = y_grid(peak, kTop, plot_h, kLeft, kLeft + plot_w, c.y_unit, out);
  out += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", kLeft, kTop + plot_h, kLeft + plot_w);
  const double bar_w = slot * 0.7;
  const std::size_t per_slot = c.stacked ? 1 : std::max<std::size_t>(c.series.size(), 1);
  for (std::size_t k = 0; k < c.categories.size(); ++k) {
    const double x0 = kLeft + slot * static_cast<double>(k) + (slot - bar_w) / 2;
    double base = 0;
    for (std::size_t i = 0; i < c.series.size(); ++i) {
      const auto& s = c.series[i];
      const double v = k < s.values.size() && !std::isnan(s.values[k]) ? s.values[k] : 0;
      if (v <= 0) continue;
      const double w = bar_w / static_cast<double>(per_slot);
      const double x = c.stacked ? x0 : x0 + w * static_cast<double>(i);
      const double y_low = kTop + plot_h * (1 - (c.stacked ? base : 0) / top);
      const double y_high = kTop + plot_h * (1 - ((c.stacked ? base : 0) + v) / top);
      out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{}</title></rect>)", x, y_high, w,
                         std::max(y_low - y_high, 0.5), kPalette[i % std::size(kPalette)],
                         escape_markup(fmt::format("{}: {} {} {}", c.categories[k], s.name, short_figure(v), c.y_unit)));
      if (c.stacked) base += v;
    }
    const double label_x = x0 + bar_w / 2, label_y = kTop + plot_h + 13;
    if (turned) {
      out += fmt::format(R"svg(<text x="{0:.1f}" y="{1:.1f}" text-anchor="end" transform="rotate(-{2} {0:.1f} {1:.1f})">{3}</text>)svg", label_x + 3, label_y - 4,
                         kTurnDegrees, escape_markup(c.categories[k]));
    } else {
      out += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>)", label_x, label_y, escape_markup(c.categories[k]));
    }
  }
  out += fmt::format(R"svg(<text class="title" transform="translate(12 {:.1f}) rotate(-90)" text-anchor="middle">{}</text>)svg", kTop + plot_h / 2,
                     escape_markup(c.y_unit));
  for (std::size_t i = 0; i < c.series.size(); ++i) {
    const double lx = kLeft + static_cast<double>(i % 4) * plot_w / 4, ly = kTop + plot_h + label_h + 30 + 16 * static_cast<double>(i / 4);
    out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="10" height="10" fill="{}"/><text x="{:.1f}" y="{:.1f}">{}</text>)", lx, ly - 9,
                       kPalette[i % std::size(kPalette)], lx + 14, ly, escape_markup(c.series[i].name));
  }
  return out + "</svg>";
}

void html_block(const Block& block, std::string& out) {
  std::visit(Overloaded{
                 [&](const Heading& h) {
                   const int level = std::clamp(h.level, 1, 6);
                   out += fmt::format("<h{0}>{1}</h{0}>\n", level, html_inline(h.text));
                 },
                 [&](const Paragraph& p) { out += "<p>" + html_inline(p.text) + "</p>\n"; },
                 [&](const List& l) {
                   out += "<ul>\n";
                   for (const auto& item : l.items) out += "<li>" + html_inline(item) + "</li>\n";
                   out += "</ul>\n";
                 },
                 [&](const Table& t) {
                   auto cls = [&](std::size_t c) { return c < t.align.size() && t.align[c] == Align::Right ? " class=\"num\"" : ""; };
                   out += "<table>\n<thead><tr>";
                   for (std::size_t c = 0; c < t.header.size(); ++c) out += fmt::format("<th{}>{}</th>", cls(c), escape_markup(t.header[c]));
                   out += "</tr></thead>\n<tbody>\n";
                   for (const auto& row : t.rows) {
                     out += "<tr>";
                     // data-label: on a narrow screen each row becomes a card whose cells name their column (kStyle).
                     for (std::size_t c = 0; c < t.header.size(); ++c) {
                       out += fmt::format("<td{} data-label=\"{}\">{}</td>", cls(c), escape_markup(t.header[c]), c < row.size() ? html_inline(row[c]) : "");
                     }
                     out += "</tr>\n";
                   }
                   out += "</tbody>\n</table>\n";
                 },
                 [&](const Code& c) { out += "<pre><code>" + escape_markup(c.text) + "</code></pre>\n"; },
                 [&](const Chart& c) {
                   out += "<figure>\n<figcaption>" + escape_markup(c.title) + "</figcaption>\n";
                   for (std::size_t i = 0; i < c.series.size(); ++i) {
                     out += "<div class=\"series\">" + escape_markup(c.series[i].name) + "</div>\n";
                     out += html_series_svg(c.series[i], i < c.y_units.size() ? c.y_units[i] : "", c) + "\n";
                   }
                   if (!c.markers.empty()) {
                     out += "<div class=\"legend\"><span class=\"key fault\"></span>fault window <span class=\"key deploy\"></span>deployment started</div>\n";
                   }
                   out += "</figure>\n";
                 },
                 [&](const Drawing& d) {
                   if (d.svg.empty()) html_block(Block{d.source}, out);
                   else out += "<div class=\"drawing\">\n" + d.svg + "</div>\n";
                 },
                 [&](const BarChart& c) { out += "<figure>\n<figcaption>" + escape_markup(c.title) + "</figcaption>\n" + html_bar_svg(c) + "\n</figure>\n"; },
                 [&](const ScatterChart& c) { out += "<figure>\n<figcaption>" + escape_markup(c.title) + "</figcaption>\n" + html_scatter_svg(c) + "\n</figure>\n"; },
                 [&](const Details& d) {
                   out += std::string(d.open_in_html ? "<details open>" : "<details>") + "\n<summary>" + html_inline(d.summary) + "</summary>\n";
                   for (const auto& b : d.blocks) html_block(b, out);
                   out += "</details>\n";
                 },
             },
             block.content);
}

// On a narrow screen a table's rows become cards, and the topology drawing keeps its own size
// in a box that scrolls sideways: shrunk to a phone's width its labels would be unreadable.
constexpr const char* kStyle = R"(body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2328}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}th{background:#f6f8fa;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
pre{background:#f6f8fa;padding:8px;overflow:auto}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
.muted{color:#656d76;font-size:90%}details{margin:.5em 0;border:1px solid #d0d7de;border-radius:6px;padding:.3em .8em}summary{cursor:pointer;font-weight:600}
figure{margin:.5em 0}figcaption,.series{font-weight:600;margin-top:.4em}svg.chart{width:100%;max-width:720px;height:auto;display:block}
svg.chart text{font:10px sans-serif;fill:#656d76}svg.chart .axis{stroke:#8c959f}svg.chart .grid{stroke:#eaeef2}svg.chart .line{fill:none;stroke:#0969da;stroke-width:1.2}
svg.chart text.title{font-size:11px;fill:#1f2328}svg.chart .fault,.key.fault{fill:#cf222e;background:#cf222e;opacity:.15}svg.chart .deploy{stroke:#8250df;stroke-dasharray:3 2}
.legend{font-size:12px;color:#656d76}.key{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px}.key.deploy{border-left:2px dashed #8250df;width:0}
.drawing{overflow-x:auto}.drawing svg{max-width:100%;height:auto}
@media (max-width:640px){table,thead,tbody,tr,th,td{display:block}thead{display:none}tr{border:1px solid #d0d7de;margin:.5em 0}td,td.num{border:none;text-align:left;white-space:normal}
td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#656d76}.drawing svg{max-width:none}})";

}  // namespace

std::string short_figure(double v) { return std::abs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.3g}", v); }

std::string escape_markup(std::string_view raw) {
  // Control characters first: XML 1.0 has no way to write most of them (not even &#1;).
  const std::string s = model::replace_unshowable(raw);
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string sparkline(const std::vector<double>& values) {
  static const char* const kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  const double peak = series_max(values);
  std::string out;
  for (double v : values) {
    if (std::isnan(v)) {
      out += ' ';
      continue;
    }
    const int level = peak > 0 ? std::clamp(static_cast<int>(std::ceil(v / peak * 8)) - 1, 0, 7) : 0;
    out += kBars[level];
  }
  return out;
}

std::string render_markdown(const Document& document) {
  std::string out = document.marker.empty() ? std::string() : "<!-- " + document.marker + " -->\n";
  for (const auto& b : document.blocks) md_block(b, out);
  while (out.ends_with("\n\n")) out.pop_back();
  return out;
}

namespace {

/// Display columns of UTF-8 text: a code point each, two for the verdict emoji, none for the
/// emoji variation selector (U+FE0F).
std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    const std::string_view cp = s.substr(i, len);
    width += cp == "\uFE0F" ? 0 : (cp == "✅" || cp == "❌" || cp == "⚠") ? 2 : 1;
    i += len;
  }
  return width;
}

/// A table cell's text as GitHub shows it: emphasis, code fences, `<sub>` and escapes removed.
std::string shown_text(std::string_view cell) {
  std::string out;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const std::string_view rest = cell.substr(i);
    if (rest.starts_with("<sub>") || rest.starts_with("</sub>") || rest.starts_with("<br>")) {
      if (rest.starts_with("<br>")) out += ' ';
      i += rest.find('>');
    } else if (rest.starts_with("&lt;") || rest.starts_with("&gt;")) {
      out += rest[1] == 'l' ? '<' : '>';
      i += 3;
    } else if (rest.starts_with("&amp;")) {
      out += '&';
      i += 4;
    } else if (rest.starts_with("**")) {
      ++i;
    } else if (cell[i] == '\\' && i + 1 < cell.size()) {
      out += cell[++i];
    } else if (cell[i] != '`') {
      out += cell[i];
    }
  }
  return out;
}

/// The longest run of `text` a browser cannot break.
std::size_t longest_unbreakable(std::string_view text) {
  std::size_t longest = 0, start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool end = i == text.size() || text[i] == ' ';
    const bool after_hyphen = i > start && text[i - 1] == '-' && !end && !(text[i] >= '0' && text[i] <= '9');
    if (end || after_hyphen) {
      longest = std::max(longest, display_width(text.substr(start, i - start)));
      start = end ? i + 1 : i;
    }
  }
  return longest;
}

}  // namespace

std::string render_text_table(const Table& t) {
  const auto text = [](const Text& cell) {
    std::string s;
    for (const auto& span : cell) s += span.text;
    return s;
  };
  std::vector<std::vector<std::string>> lines{t.header};
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(text(cell));
    lines.push_back(std::move(cells));
  }
  std::vector<std::size_t> widths(t.header.size(), 0);
  for (const auto& cells : lines) {
    for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], display_width(cells[c]));
  }
  std::string out;
  for (const auto& cells : lines) {
    std::string line;
    for (std::size_t c = 0; c < cells.size() && c < widths.size(); ++c) {
      const std::string pad(widths[c] - display_width(cells[c]), ' ');
      line += (c ? "  " : "") + (c < t.align.size() && t.align[c] == Align::Right ? pad + cells[c] : cells[c] + pad);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::size_t widest_table(std::string_view markdown) {
  std::size_t widest = 0;
  std::vector<std::size_t> columns;
  auto close_table = [&] {
    if (columns.empty()) return;
    std::size_t width = 1;
    for (std::size_t w : columns) width += w + 3;
    widest = std::max(widest, width);
    columns.clear();
  };
  std::size_t pos = 0;
  int collapsed = 0;  // depth of <details>
  while (pos < markdown.size()) {
    const std::size_t eol = std::min(markdown.find('\n', pos), markdown.size());
    const std::string_view line = markdown.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.starts_with("<details>")) ++collapsed;
    if (line.starts_with("</details>")) --collapsed;
    if (!line.starts_with('|') || collapsed > 0) {
      close_table();
      continue;
    }
    if (line.starts_with("| --")) continue;  // the delimiter row
    std::size_t column = 0, cell_start = 1;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\') {
        ++i;
        continue;
      }
      if (line[i] != '|') continue;
      if (columns.size() <= column) columns.resize(column + 1, 0);
      columns[column] = std::max(columns[column], longest_unbreakable(shown_text(line.substr(cell_start, i - cell_start))));
      ++column;
      cell_start = i + 1;
    }
  }
  close_table();
  return widest;
}

std::string render_html(const Document& document) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape_markup(document.title) +
                    "</title>\n<style>\n" + kStyle + "\n</style>\n</head>\n<body>\n";
  for (const auto& b : document.blocks) html_block(b, out);
  return out + "</body>\n</html>\n";
}

}  // namespace archsim::reports::doc
