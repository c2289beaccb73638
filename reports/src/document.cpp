#include "archsim/reports/document.hpp"

#include "archsim/model/text_check.hpp"

#include <algorithm>
#include <cmath>

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

/// Short figures for chart labels: three significant digits, whole numbers from 1,000 up.
std::string short_figure(double v) { return std::abs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.3g}", v); }

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

/// One series as an SVG line chart: its own y scale from 0 to its peak, a tick a day when the
/// x unit is hours.
std::string html_series_svg(const Series& s, const std::string& unit, double x_step, const std::string& x_unit) {
  constexpr double kWidth = 720, kHeight = 120, kLeft = 56, kBottom = 20, kTop = 8;
  const double peak = series_max(s.values);
  const double scale_max = peak > 0 ? peak : 1;
  const std::size_t n = s.values.size();
  const double plot_w = kWidth - kLeft - 8, plot_h = kHeight - kBottom - kTop;
  auto x_of = [&](std::size_t i) { return kLeft + (n <= 1 ? 0.0 : plot_w * static_cast<double>(i) / static_cast<double>(n - 1)); };
  auto y_of = [&](double v) { return kTop + plot_h * (1 - v / scale_max); };
  std::string out = fmt::format(R"(<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">)", kWidth, kHeight, escape_markup(s.name));
  out += fmt::format(R"(<line class="axis" x1="{0}" y1="{1}" x2="{2}" y2="{1}"/>)", kLeft, kTop + plot_h, kLeft + plot_w);
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", kLeft - 4, kTop + 8, escape_markup(short_figure(peak) + " " + unit));
  out += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">0</text>)", kLeft - 4, kTop + plot_h);
  const double total_x = x_step * static_cast<double>(n == 0 ? 0 : n - 1);
  const double tick = x_unit == "h" ? 24 : std::max(1.0, std::pow(10.0, std::floor(std::log10(std::max(total_x, 1.0)))));
  for (double x = 0; x <= total_x && tick > 0; x += tick) {
    const double px = kLeft + (total_x > 0 ? plot_w * x / total_x : 0);
    out += fmt::format(R"(<text x="{:.1f}" y="{}" text-anchor="middle">{}{}</text>)", px, kHeight - 4,
                       x_unit == "h" ? fmt::format("d{}", static_cast<int>(x / 24)) : short_figure(x), x_unit == "h" ? "" : x_unit);
  }
  std::string path;
  bool pen_down = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(s.values[i])) {
      pen_down = false;
      continue;
    }
    path += fmt::format("{}{:.1f},{:.1f} ", pen_down ? "L" : "M", x_of(i), y_of(s.values[i]));
    pen_down = true;
  }
  if (!path.empty()) path.pop_back();
  out += fmt::format(R"(<path class="line" d="{}"/></svg>)", path);
  return out;
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
                     for (std::size_t c = 0; c < t.header.size(); ++c) out += fmt::format("<td{}>{}</td>", cls(c), c < row.size() ? html_inline(row[c]) : "");
                     out += "</tr>\n";
                   }
                   out += "</tbody>\n</table>\n";
                 },
                 [&](const Code& c) { out += "<pre><code>" + escape_markup(c.text) + "</code></pre>\n"; },
                 [&](const Chart& c) {
                   out += "<figure>\n<figcaption>" + escape_markup(c.title) + "</figcaption>\n";
                   for (std::size_t i = 0; i < c.series.size(); ++i) {
                     out += "<div class=\"series\">" + escape_markup(c.series[i].name) + "</div>\n";
                     out += html_series_svg(c.series[i], i < c.y_units.size() ? c.y_units[i] : "", c.x_step, c.x_unit) + "\n";
                   }
                   out += "</figure>\n";
                 },
                 [&](const Details& d) {
                   out += "<details>\n<summary>" + html_inline(d.summary) + "</summary>\n";
                   for (const auto& b : d.blocks) html_block(b, out);
                   out += "</details>\n";
                 },
             },
             block.content);
}

constexpr const char* kStyle = R"(body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2328}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #d0d7de;padding:4px 8px;vertical-align:top}th{background:#f6f8fa;text-align:left}
td.num,th.num{text-align:right;white-space:nowrap}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:1px 4px;border-radius:4px}
pre{background:#f6f8fa;padding:8px;overflow:auto}.pass{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}.warn{color:#9a6700;font-weight:600}
.muted{color:#656d76;font-size:90%}details{margin:.5em 0;border:1px solid #d0d7de;border-radius:6px;padding:.3em .8em}summary{cursor:pointer;font-weight:600}
figure{margin:.5em 0}figcaption,.series{font-weight:600;margin-top:.4em}svg.chart{width:100%;max-width:720px;height:auto;display:block}
svg.chart text{font:10px sans-serif;fill:#656d76}svg.chart .axis{stroke:#d0d7de}svg.chart .line{fill:none;stroke:#0969da;stroke-width:1.2})";

}  // namespace

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
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape_markup(document.title) +
                    "</title>\n<style>\n" + kStyle + "\n</style>\n</head>\n<body>\n";
  for (const auto& b : document.blocks) html_block(b, out);
  return out + "</body>\n</html>\n";
}

}  // namespace archsim::reports::doc
