// Where a value came from and what is wrong with it.
//
// Every value archsim loads keeps the file, line and column it was written at, so that
// load errors, design-review findings and SARIF results point at the YAML the user wrote.
// Diagnostics are gathered, never thrown: a loader reports every problem of a file at once.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace archsim::model {

/// A position in a source file; line and column are 1-based, 0 means unknown.
struct SourceLoc {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
};

enum class Severity { Note, Warning, Error };

std::string_view to_string(Severity severity);

/// One problem found while loading: where, at which dotted path, and what was expected.
struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;
  std::string path;  ///< dotted path from the scenario root, e.g. `alternatives.a.topology.vpcs.main.cidr`
  std::string message;
};

/// The position of byte `offset` of `text` (1-based; columns count bytes, as yaml-cpp's do):
/// for readers that know an offset and must report a line and column.
SourceLoc locate_offset(std::string_view text, std::size_t offset, std::string file);

/// `file:line:col`, or just the file (`<input>` if none) when the position is unknown.
std::string format_location(const SourceLoc& loc);

/// `file:line:col: dotted.path: severity: message`, the form every archsim error takes.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Each diagnostic on its own line, at most limits::kMaxPrintedDiagnostics of them; one last
/// line counts the rest, so the first error of a file with thousands stays in sight.
std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics);

/// An ordered collection of diagnostics; loaders append, callers decide what is fatal.
class Diagnostics {
 public:
  void error(const SourceLoc& loc, std::string path, std::string message);
  void warning(const SourceLoc& loc, std::string path, std::string message);
  void add(Diagnostic diagnostic);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t size() const { return items_.size(); }
  const std::vector<Diagnostic>& all() const { return items_; }

  /// Promotes every warning to an error (`--strict`).
  void promote_warnings();

 private:
  std::vector<Diagnostic> items_;
};

/// The location of every value a loader decoded, by dotted path.
///
/// `locate` falls back to the nearest enclosing path, so a finding about a key that is
/// missing points at its parent, as the diagnostics convention asks.
class SourceIndex {
 public:
  void record(const std::string& path, const SourceLoc& loc);
  SourceLoc locate(std::string_view path) const;
  /// Where exactly this path was read; unknown when it was not (no fallback to a parent), so a
  /// check can tell a written value from a default.
  SourceLoc find(std::string_view path) const;
  std::size_t size() const { return locations_.size(); }
  /// The keys read one level below `path` (`components` -> api, alb, ...), sorted: what a
  /// path that names nothing could have meant.
  std::vector<std::string> children(std::string_view path) const;

 private:
  std::map<std::string, SourceLoc, std::less<>> locations_;
};

/// The closest candidate by edit distance, or "" when nothing is close enough to suggest.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// `" (did you mean 'x'?)"` or "" — appended to unknown-key and unknown-reference messages.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace archsim::model
