// The git commit the binary was built from, written into a generated source at build time
// (cmake/build_commit.cmake) so that a commit made after configuring still shows.
#pragma once

#include <string_view>

namespace archsim::cli {

/// `git describe --always --dirty --abbrev=12` of the source tree at build time, the
/// ARCHSIM_GIT_COMMIT cache variable when set (a build from an export such as a Docker
/// context), or `unknown` when neither is available.
std::string_view build_commit();

}  // namespace archsim::cli
