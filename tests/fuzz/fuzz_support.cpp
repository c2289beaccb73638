#include "fuzz_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace archsim::fuzz {

namespace {

std::string make_folder(const char* kind) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("archsim-fuzz-" + std::string(kind) + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace

const std::string& empty_folder() {
  static const std::string dir = make_folder("empty");
  return dir;
}

const std::string& scratch_folder() {
  static const std::string dir = make_folder("scratch");
  return dir;
}

std::string write_scratch_file(std::string_view content) {
  const std::string name = "input";
  std::ofstream out(std::filesystem::path(scratch_folder()) / name, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return name;
}

}  // namespace archsim::fuzz
