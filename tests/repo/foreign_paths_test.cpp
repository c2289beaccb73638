// The repository stands on its own: no tracked file cites a path outside it. A clone lands at
// an unknown path on a machine that has none of the author's folders, so a citation of a file
// in the author's workspace or home directory, or a relative path that climbs out of the
// clone, points at nothing. The rule is spelled out in tests/README.md ("Foreign paths").
//
// Sample paths in this file are built by concatenation ("/" "tmp/...") so that the file itself
// holds no path the rule would flag.
#include <doctest/doctest.h>

#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "repo_files.hpp"

namespace archsim::testing {
namespace {

// First components of absolute paths that only exist on someone's machine.
constexpr std::array<std::string_view, 7> kForeignRoots = {"work", "home", "root", "tmp", "Users", "mnt", "media"};

bool path_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-' || c == '/' || c == '~';
}

// A path starts here unless it continues a word, a URL or a longer path (`https://host/x`,
// `docs/x`, `$HOME/x`, `C:\x`).
bool token_start(std::string_view line, std::size_t i) {
  if (i == 0) return true;
  const char before = line[i - 1];
  return !path_char(before) && before != '$' && before != '\\';
}

// A `tmp` path as the value of a command-line option or the target of a redirect, in a command
// a document shows (`--out`, `-o`, `>`): a scratch location, not a citation.
bool scratch_output(std::string_view line, std::size_t i) {
  std::size_t j = i;
  while (j > 0 && (line[j - 1] == ' ' || line[j - 1] == '=')) --j;
  if (j > 0 && line[j - 1] == '>') return true;
  std::size_t start = j;
  while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '`' && line[start - 1] != '(') --start;
  const std::string_view option = line.substr(start, j - start);
  return option.size() >= 2 && option[0] == '-' && j < i;
}

bool fence(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  return line.substr(i).starts_with("```") || line.substr(i).starts_with("~~~");
}

struct Problem {
  std::size_t line;
  std::string path;
  std::string why;
};

std::vector<Problem> foreign_paths(std::string_view file, std::string_view text, const std::set<std::string>& entries) {
  std::vector<Problem> problems;
  const bool markdown = file.ends_with(".md");
  bool in_fence = false;
  std::size_t number = 0;
  for (const std::string_view line : split_lines(text)) {
    ++number;
    if (markdown && fence(line)) {
      in_fence = !in_fence;
      continue;
    }
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (!token_start(line, i)) continue;
      const std::string_view rest = line.substr(i);
      if (rest.starts_with("~" "/")) {
        problems.push_back({number, std::string(rest.substr(0, 40)), "a path in someone's home directory"});
        continue;
      }
      if (rest.starts_with("/")) {
        for (const auto root : kForeignRoots) {
          const bool match = rest.size() > root.size() + 1 && rest.substr(1, root.size()) == root && rest[root.size() + 1] == '/';
          if (!match) continue;
          if (root == "tmp" && scratch_output(line, i)) continue;
          problems.push_back({number, std::string(rest.substr(0, 60)), "an absolute path outside the repository"});
        }
        continue;
      }
      if (!rest.starts_with("../")) continue;
      if (markdown && in_fence) continue;                          // a command, relative to its working directory
      if (markdown && line.substr(0, i).ends_with("$schema=")) continue;  // a modeline shown for another file
      std::size_t end = 0;
      while (end < rest.size() && path_char(rest[end])) ++end;
      std::string_view path = rest.substr(0, end);
      while (path.ends_with('.') && !path.ends_with("..")) path.remove_suffix(1);
      const auto resolved = resolve_in_repo(file, path);
      if (!resolved) {
        problems.push_back({number, std::string(path), "climbs out of the repository"});
      } else if (!resolved->empty() && !entries.contains(*resolved)) {
        problems.push_back({number, std::string(path), "names " + *resolved + ", which the repository does not hold"});
      }
    }
  }
  return problems;
}

std::string describe(std::string_view file, const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += std::string(file) + ":" + std::to_string(p.line) + ": " + p.path + " (" + p.why + ")\n";
  return out;
}

}  // namespace

TEST_CASE("foreign paths: workspace and home paths and climbs out of the clone are flagged") {
  const std::set<std::string> entries = {"docs", "docs/designs", "docs/designs/a.md", "docs/model.md", "scenarios", "scenarios/x.yaml"};
  const auto count = [&](std::string_view file, const std::string& text) { return foreign_paths(file, text, entries).size(); };
  const std::string slash = "/";
  const std::string up = "..";
  CHECK(count("docs/model.md", "The design is `" + slash + "work/shared/design.md`.") == 1);
  CHECK(count("scenarios/x.yaml", "# Encodes seed " + slash + "work/shared/seeds/000.txt:") == 1);
  CHECK(count("docs/model.md", "see " + slash + "home/me/notes.md and " + slash + "Users/me/x") == 2);
  CHECK(count("docs/model.md", "copied from " + slash + "tmp/review/report.md") == 1);
  CHECK(count("docs/model.md", "in ~" + slash + "notes.md") == 1);
  CHECK(count("pricing/data/x.yaml", "# (" + up + "/shared/reference/aws-pricing.md)") == 1);  // pricing/shared: absent
  CHECK(count("docs/model.md", "(" + up + "/" + up + "/shared/x.md)") == 1);                  // above the root
  // Spared: system paths, URLs, scratch outputs in commands, links that resolve, fenced commands.
  CHECK(count("tools/x.sh", "#!" + slash + "usr/bin/env bash\nexec 2>" + slash + "dev/null") == 0);
  CHECK(count("docs/model.md", "https://example.com" + slash + "home/work" + slash + "tmp/x") == 0);
  CHECK(count("docs/model.md", "`archsim run s.yaml --out " + slash + "tmp/adr`, `x > " + slash + "tmp/y`") == 0);
  CHECK(count("docs/designs/README.md", "[card](" + up + "/model.md), [up](" + up + "/)") == 0);
  CHECK(count("scenarios/x.yaml", "# Encodes " + up + "/docs/designs/a.md:") == 0);
  CHECK(count("docs/model.md", "```sh\ngit worktree add " + up + "/base\n```\n") == 0);
  CHECK(count("docs/model.md", "`# yaml-language-server: $schema=" + up + "/" + up + "/docs/s.json`") == 0);
  CHECK(count("docs/model.md", "sizes /16" + up + "/28 and a.../b") == 0);
}

TEST_CASE("foreign paths: no tracked file cites a path outside the repository") {
  const auto& repo = repo_files();
  MESSAGE("files from " << repo.method << ": " << repo.files.size());
  REQUIRE(repo.files.size() > 10);
  std::string report;
  std::size_t checked = 0;
  for (const auto& file : repo.files) {
    const auto text = read_text(repo.root / file);
    if (!text) continue;
    ++checked;
    report += describe(file, foreign_paths(file, *text, repo.entries));
  }
  CHECK(checked > 10);
  CHECK_MESSAGE(report.empty(), "paths outside the repository (tests/README.md, \"Foreign paths\"):\n" << report);
}

}  // namespace archsim::testing
