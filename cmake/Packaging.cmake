# CPack: `cpack -G DEB` in a build folder makes a Debian package of what `cmake --install`
# installs (tools/CMakeLists.txt): the binary, its man page and shell completions.

set(CPACK_PACKAGE_NAME archsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "archsim loads each alternative of an architecture decision as a YAML topology, reviews it against what AWS documents, simulates traffic and failures through it and prices it, so the alternatives can be compared on availability, latency and monthly cost. Price books and AWS facts are built in.")
set(CPACK_PACKAGE_CONTACT "archsim maintainers <archsim@localhost>" CACHE STRING "The Debian package's Maintainer field")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the libraries the binary links, as dpkg-shlibdeps reads them (versioned, and
# right for whatever the build linked). Without it, the Debian 12 packages of those libraries.
find_program(ARCHSIM_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(ARCHSIM_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libgcc-s1, libstdc++6, libyaml-cpp0.7, libfmt9")
endif()
include(CPack)
