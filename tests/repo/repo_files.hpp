// The repository's own files, for tests that check the repository rather than the code: which
// files a clone holds, their text, and relative paths resolved the way a reader of a file would.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace archsim::testing {

struct RepoFiles {
  std::filesystem::path root;      // the source tree (ARCHSIM_SOURCE_DIR)
  std::vector<std::string> files;  // paths relative to root, '/'-separated, sorted
  std::set<std::string> entries;   // `files` plus every directory above them ("docs", "docs/designs")
  std::string method;              // "git ls-files", or "directory walk" where git is unavailable
};

/// The tracked files (`git ls-files`); without git, or outside a checkout, every file under the
/// source tree except `build*/` and hidden directories. Read once per test binary.
const RepoFiles& repo_files();

/// The file's text, or nullopt when it cannot be read or holds a NUL byte (binary).
std::optional<std::string> read_text(const std::filesystem::path& path);

/// `relative` ('/'-separated, may start with `../`) resolved against the directory of
/// `from_file` (repository-relative); nullopt when it climbs above the repository root.
/// The result has no `.`/`..` parts and no trailing slash; "" is the root itself.
std::optional<std::string> resolve_in_repo(std::string_view from_file, std::string_view relative);

/// Splits text into lines without their terminators.
std::vector<std::string_view> split_lines(std::string_view text);

}  // namespace archsim::testing
