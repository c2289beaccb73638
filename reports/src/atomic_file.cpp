#include "archsim/reports/atomic_file.hpp"

#include <cstdio>
#include <fstream>
#include <random>

#include <fmt/format.h>

namespace archsim::reports {

std::string write_file_atomically(const std::filesystem::path& target, std::string_view content) {
  std::error_code ec;
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec)) return fmt::format("directory {} does not exist", dir.string());
  // A unique name in the same directory keeps the final rename atomic (same file system).
  std::random_device entropy;
  const auto temp = dir / fmt::format(".{}.{:08x}.tmp", target.filename().string(), entropy());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return fmt::format("cannot create {}", temp.string());
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(temp, ec);
      return fmt::format("cannot write {}", temp.string());
    }
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return fmt::format("cannot replace {}: {}", target.string(), ec.message());
  }
  return {};
}

}  // namespace archsim::reports
