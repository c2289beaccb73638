#include "repo_files.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace archsim::testing {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// `git ls-files -z` in root; nullopt when git is missing, fails or lists nothing.
std::optional<std::vector<std::string>> git_ls_files(const std::filesystem::path& root) {
  const std::string command = "git -C " + shell_quote(root.string()) + " ls-files -z 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return std::nullopt;
  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  if (pclose(pipe) != 0 || output.empty()) return std::nullopt;
  std::vector<std::string> files;
  std::size_t start = 0;
  while (start < output.size()) {
    const std::size_t end = output.find('\0', start);
    const std::size_t stop = end == std::string::npos ? output.size() : end;
    if (stop > start) files.emplace_back(output.substr(start, stop - start));
    start = stop + 1;
  }
  return files;
}

std::vector<std::string> walk(const std::filesystem::path& root) {
  std::vector<std::string> files;
  namespace fs = std::filesystem;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name.starts_with(".") || name.starts_with("build"))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), root).generic_string());
  }
  return files;
}

RepoFiles load() {
  RepoFiles repo;
  repo.root = std::filesystem::path(ARCHSIM_SOURCE_DIR);
  if (auto tracked = git_ls_files(repo.root)) {
    repo.files = std::move(*tracked);
    repo.method = "git ls-files";
  } else {
    repo.files = walk(repo.root);
    repo.method = "directory walk";
  }
  // A file listed by git but deleted in the work tree is not part of what a clone would hold.
  std::erase_if(repo.files, [&](const std::string& f) { return !std::filesystem::is_regular_file(repo.root / f); });
  std::sort(repo.files.begin(), repo.files.end());
  for (const auto& f : repo.files) {
    repo.entries.insert(f);
    for (std::size_t slash = f.find('/'); slash != std::string::npos; slash = f.find('/', slash + 1)) {
      repo.entries.insert(f.substr(0, slash));
    }
  }
  return repo;
}

}  // namespace

const RepoFiles& repo_files() {
  static const RepoFiles repo = load();
  return repo;
}

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = std::move(text).str();
  if (s.find('\0') != std::string::npos) return std::nullopt;
  return s;
}

std::optional<std::string> resolve_in_repo(std::string_view from_file, std::string_view relative) {
  std::vector<std::string> parts;
  const auto push_parts = [&](std::string_view path, bool drop_last) -> bool {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t slash = path.find('/', start);
      const std::size_t stop = slash == std::string_view::npos ? path.size() : slash;
      pieces.push_back(path.substr(start, stop - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    if (drop_last && !pieces.empty()) pieces.pop_back();
    for (auto piece : pieces) {
      if (piece.empty() || piece == ".") continue;
      if (piece == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else {
        parts.emplace_back(piece);
      }
    }
    return true;
  };
  if (!push_parts(from_file, true) || !push_parts(relative, false)) return std::nullopt;
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace archsim::testing
