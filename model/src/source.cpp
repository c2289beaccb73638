#include "archsim/model/source.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "archsim/model/input_limits.hpp"
#include "archsim/model/text_check.hpp"

namespace archsim::model {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::Note: return "note";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "error";
}

SourceLoc locate_offset(std::string_view text, std::size_t offset, std::string file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return SourceLoc{std::move(file), line, column};
}

std::string format_location(const SourceLoc& loc) {
  // The file name comes from the command line or the scenario: shown escaped, like the rest.
  if (!loc.known()) return loc.file.empty() ? std::string("<input>") : escape_controls(loc.file);
  return fmt::format("{}:{}:{}", escape_controls(loc.file), loc.line, loc.column);
}

std::string format_diagnostic(const Diagnostic& d) {
  // A diagnostic quotes what the user wrote, and goes to a terminal: one line, no control
  // characters (an ESC in a key must not recolour or rewrite the screen).
  const std::string where = format_location(d.loc);
  if (d.path.empty()) return fmt::format("{}: {}: {}", where, to_string(d.severity), escape_controls(d.message));
  return fmt::format("{}: {}: {}: {}", where, escape_controls(d.path), to_string(d.severity), escape_controls(d.message));
}

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  const std::size_t shown = std::min(diagnostics.size(), limits::kMaxPrintedDiagnostics);
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) out += format_diagnostic(diagnostics[i]) + "\n";
  if (shown == diagnostics.size()) return out;
  const auto errors = static_cast<std::size_t>(std::count_if(diagnostics.begin() + static_cast<std::ptrdiff_t>(shown), diagnostics.end(),
                                                             [](const Diagnostic& d) { return d.severity == Severity::Error; }));
  return out + fmt::format("archsim: {} more not shown, {} of them errors: only the first {} are printed\n", diagnostics.size() - shown, errors, shown);
}

void Diagnostics::error(const SourceLoc& loc, std::string path, std::string message) {
  items_.push_back({Severity::Error, loc, std::move(path), std::move(message)});
}

void Diagnostics::warning(const SourceLoc& loc, std::string path, std::string message) {
  items_.push_back({Severity::Warning, loc, std::move(path), std::move(message)});
}

void Diagnostics::add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

void Diagnostics::promote_warnings() {
  for (auto& d : items_) {
    if (d.severity == Severity::Warning) d.severity = Severity::Error;
  }
}

void SourceIndex::record(const std::string& path, const SourceLoc& loc) {
  if (loc.known()) locations_.insert_or_assign(path, loc);
}

SourceLoc SourceIndex::find(std::string_view path) const {
  const auto it = locations_.find(path);
  return it == locations_.end() ? SourceLoc{} : it->second;
}

std::vector<std::string> SourceIndex::children(std::string_view path) const {
  const std::string prefix = path.empty() ? std::string() : std::string(path) + ".";
  std::vector<std::string> keys;
  for (auto it = locations_.lower_bound(prefix); it != locations_.end() && it->first.starts_with(prefix); ++it) {
    const std::string_view rest = std::string_view(it->first).substr(prefix.size());
    std::string key(rest.substr(0, rest.find('.')));
    if (!key.empty() && (keys.empty() || keys.back() != key)) keys.push_back(std::move(key));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

SourceLoc SourceIndex::locate(std::string_view path) const {
  std::string p(path);
  while (true) {
    if (auto it = locations_.find(p); it != locations_.end()) return it->second;
    // Walk up one level: `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a`.
    const auto cut = p.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) return {};
    p.resize(cut);
  }
}

namespace {
// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbouring letters each cost 1, so `mian` is one edit from `main`.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // The distance costs word x candidate in time and memory: a suggestion is for a typo in a
  // short word among a schema's keys or a scenario's ids, not for a megabyte-long key.
  if (word.size() > limits::kMaxSuggestWordBytes || candidates.size() > limits::kMaxSuggestCandidates) return {};
  // The same word in other case (`fargate` for FARGATE, `Standard` for STANDARD) is the likeliest
  // meaning, however many letters differ.
  const auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  for (const auto& candidate : candidates) {
    if (candidate.size() == word.size() && candidate != word && lower(candidate) == lower(word)) return candidate;
  }
  // Close enough to suggest: about a third of the word's letters wrong (at least one allowed).
  const std::size_t limit = std::max<std::size_t>(1, (word.size() + 2) / 3);
  std::string best;
  std::size_t best_distance = limit + 1;
  for (const auto& candidate : candidates) {
    // Lengths that differ by more than the limit cannot be within it.
    if (candidate.size() > word.size() + limit || word.size() > candidate.size() + limit) continue;
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", best);
}

}  // namespace archsim::model
