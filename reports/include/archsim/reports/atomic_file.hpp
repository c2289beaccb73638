// Writing outputs so that a reader never sees half a file, and a killed run never leaves a mix
// of old and new: write into a temporary sibling in the target's folder, fsync it, then rename
// it over the target (docs/limits.md, "Input and output limits").
//
// Policy, deliberately:
// - a target that is a symbolic link is refused, not followed: in CI the output path lies in a
//   checkout a pull request controls, and a planted link would aim the write anywhere;
// - an existing target keeps its permission bits; a new one gets the umask's (0666 & ~umask);
// - errors name the real cause (the system's message for errno).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace archsim::reports {

/// Returns an empty string on success, else what went wrong (the target is left untouched).
std::string write_file_atomically(const std::filesystem::path& target, std::string_view content);

/// What would stop write_file_atomically from replacing `target` (its folder is missing, it is a
/// link or a folder), checked before a run writes anything; empty when nothing would.
std::string file_target_problem(const std::filesystem::path& target);

struct OutputFile {
  std::string name;  ///< a plain file name (no folder)
  std::string content;
};

/// Replaces folder `target` with one holding exactly `files`, as one set: they are written to a
/// temporary sibling folder, fsync'd, and swapped in with one atomic exchange (renameat2
/// RENAME_EXCHANGE; a plain rename when `target` does not exist yet), so a reader or a killed run
/// sees the old set or the new one, and files of the old set that the new one lacks are gone.
/// A folder holding anything `replaceable` does not accept is refused (archsim deletes only what
/// it wrote). Missing parent folders are created. Empty string on success, else what went wrong.
std::string replace_directory_atomically(const std::filesystem::path& target, const std::vector<OutputFile>& files,
                                         const std::function<bool(std::string_view name)>& replaceable);

}  // namespace archsim::reports
