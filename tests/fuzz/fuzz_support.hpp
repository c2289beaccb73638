// Scratch places for the fuzz targets: an empty folder that scenario paths resolve in, and a
// per-process file that file readers read.
#pragma once

#include <string>
#include <string_view>

namespace archsim::fuzz {

/// A folder with nothing in it, created once per process.
const std::string& empty_folder();

/// The folder `write_scratch_file` writes in.
const std::string& scratch_folder();

/// Writes `content` to this process's scratch file (replacing it) and returns its name,
/// relative to scratch_folder().
std::string write_scratch_file(std::string_view content);

}  // namespace archsim::fuzz
