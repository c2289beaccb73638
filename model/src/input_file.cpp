#include "archsim/model/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iterator>

#include <sys/stat.h>

#include <fmt/format.h>

namespace archsim::model {

namespace {

std::string_view file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::optional<std::ifstream> open_regular_file(const std::filesystem::path& file, std::size_t max_bytes,
                                               FileProblem& problem) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    const int error = errno;
    problem = {std::strerror(error), error == ENOENT || error == ENOTDIR};
    return std::nullopt;
  }
  if (!S_ISREG(st.st_mode)) {
    problem = {fmt::format("is {}, not a regular file", file_kind(st.st_mode)), false};
    return std::nullopt;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    problem = {fmt::format("is {} bytes, over the {}-byte limit", st.st_size, max_bytes), false};
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    problem = {errno != 0 ? std::strerror(errno) : "cannot be opened for reading", false};
    return std::nullopt;
  }
  return in;
}

std::optional<std::string> read_regular_file(const std::filesystem::path& file, std::size_t max_bytes,
                                             FileProblem& problem) {
  auto in = open_regular_file(file, max_bytes, problem);
  if (!in) return std::nullopt;
  // Read in blocks up to one byte past the cap: memory follows the file, not the cap, and a
  // file that grew since stat is refused, not swallowed.
  std::string content;
  char block[1 << 16];
  while (*in && content.size() <= max_bytes) {
    in->read(block, sizeof block);
    content.append(block, static_cast<std::size_t>(in->gcount()));
  }
  if (in->bad()) {
    problem = {"cannot be read", false};
    return std::nullopt;
  }
  if (content.size() > max_bytes) {
    problem = {fmt::format("grew past the {}-byte limit while it was read", max_bytes), false};
    return std::nullopt;
  }
  return content;
}

std::optional<std::filesystem::path> resolve_scenario_path(const ScenarioFiles& files, std::string_view named,
                                                           std::string& problem) {
  const std::filesystem::path file = files.base_dir / std::filesystem::path(named);
  if (files.allow_outside) return file;
  // weakly_canonical resolves `..` and every symbolic link that exists, so a link inside the
  // folder that points out of it is caught as well as a `../` or an absolute path.
  // Both made absolute first: weakly_canonical leaves a relative path none of whose parts
  // exists relative (`missing.yaml` beside a scenario named without a folder), which then
  // matched no absolute root and was called outside the folder instead of not found.
  std::error_code ec;
  const auto root = std::filesystem::weakly_canonical(std::filesystem::absolute(files.base_dir.empty() ? "." : files.base_dir, ec), ec);
  std::error_code ec2;
  const auto resolved = std::filesystem::weakly_canonical(std::filesystem::absolute(file.empty() ? "." : file, ec2), ec2);
  if (ec || ec2) {
    problem = fmt::format("'{}' cannot be resolved: {}", named, (ec ? ec : ec2).message());
    return std::nullopt;
  }
  const auto [r, f] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  // A trailing empty component (a root that ends in '/') matches anything below it.
  if (r != root.end() && !(std::next(r) == root.end() && r->empty())) {
    problem = fmt::format(
        "'{}' leads outside the scenario's folder ({}); a scenario may name files under its own folder only, "
        "unless archsim is run with --allow-outside-paths",
        named, files.base_dir.empty() ? std::string(".") : files.base_dir.string());
    return std::nullopt;
  }
  return file;
}

}  // namespace archsim::model
