// Writing outputs so that a reader never sees half a file: write a temporary file in the
// target's directory, flush it, then rename it over the target.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace archsim::reports {

/// Returns an empty string on success, else what went wrong (the target is left untouched).
std::string write_file_atomically(const std::filesystem::path& target, std::string_view content);

}  // namespace archsim::reports
