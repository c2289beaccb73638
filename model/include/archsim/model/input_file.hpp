// Reading the files a scenario names, safely: regular files only, with a size cap, and by
// default only inside the scenario's folder tree (docs/limits.md, docs/scenario-format.md
// "Files a scenario names").
//
// Every file archsim reads goes through `open_regular_file`: a FIFO would block open() for
// ever, /dev/zero never ends, and a directory reads as nothing; `stat` tells them apart before
// anything is opened.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace archsim::model {

/// Why a file could not be opened; `missing` when nothing exists at the path (callers word
/// that case with what they looked for).
struct FileProblem {
  std::string message;
  bool missing = false;
};

/// Opens `file` for reading if it is a regular file (after following symbolic links) of at
/// most `max_bytes`; otherwise says why (`is a FIFO, not a regular file`, `is 3000000 bytes,
/// over the 1048576-byte limit`, the system's reason for a failed stat or open).
std::optional<std::ifstream> open_regular_file(const std::filesystem::path& file, std::size_t max_bytes,
                                               FileProblem& problem);

/// The whole content of such a file; a file that grows past `max_bytes` while it is read is
/// refused too.
std::optional<std::string> read_regular_file(const std::filesystem::path& file, std::size_t max_bytes,
                                             FileProblem& problem);

/// Where a scenario's relative file names resolve: the scenario's folder, and whether a name may
/// lead out of its tree (`--allow-outside-paths`).
struct ScenarioFiles {
  std::filesystem::path base_dir;
  bool allow_outside = false;

  ScenarioFiles() = default;
  ScenarioFiles(std::filesystem::path dir, bool outside = false) : base_dir(std::move(dir)), allow_outside(outside) {}
  ScenarioFiles(const std::string& dir) : base_dir(dir) {}  // NOLINT: a folder confines by default
  ScenarioFiles(const char* dir) : base_dir(dir) {}         // NOLINT
};

/// `named` (as written in the scenario) resolved against the scenario's folder. Unless
/// `files.allow_outside`, a name that leads outside the folder's tree (a `..` that climbs out, an absolute
/// path, a symbolic link pointing out) is refused: nullopt, with the reason in `problem`.
std::optional<std::filesystem::path> resolve_scenario_path(const ScenarioFiles& files, std::string_view named,
                                                           std::string& problem);

}  // namespace archsim::model
