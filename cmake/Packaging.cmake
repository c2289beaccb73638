# CPack: `cpack -G DEB` in a build folder makes a Debian package of what `cmake --install`
# installs (tools/CMakeLists.txt): the binary, its man page and shell completions.

set(CPACK_PACKAGE_NAME archsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The extended description in lines under 80 characters (lintian: extended-description-line-too-long).
string(JOIN "\n" CPACK_PACKAGE_DESCRIPTION
    "archsim loads each alternative of an architecture decision as a YAML topology,"
    "reviews it against what AWS documents, simulates traffic and failures through"
    "it and prices it, so the alternatives can be compared on availability, latency"
    "and monthly cost. Price books and AWS facts are built in.")
# The package's Maintainer (Debian policy 5.6.2: "Name <address>"), set here only: the project's
# maintainers, under the identity every commit of the repository carries. Whoever builds the
# package for others (a distribution, a company mirror) names themselves with
# -DARCHSIM_PACKAGE_MAINTAINER="Name <address>"; a value that is not of that shape, or whose
# address is on localhost, stops the configure step instead of reaching a package.
set(ARCHSIM_PACKAGE_MAINTAINER "Seed 75d319cb maintainers <maintainers@users.noreply.b-seed-75d319cb.example>"
    CACHE STRING "The Debian package's Maintainer field: Name <address>")
if(NOT ARCHSIM_PACKAGE_MAINTAINER MATCHES "^[^<>@]*[^<>@ ] <[^<>@ ]+@([^<>@ .]+\\.)+[^<>@ .]+>$"
   OR ARCHSIM_PACKAGE_MAINTAINER MATCHES "@([^>]*\\.)?(localhost|localdomain)>$")
  message(FATAL_ERROR "ARCHSIM_PACKAGE_MAINTAINER is '${ARCHSIM_PACKAGE_MAINTAINER}': expected 'Name <address>' with an address "
                      "that is not on localhost (Debian policy 5.6.2), e.g. -DARCHSIM_PACKAGE_MAINTAINER=\"Jane Doe <jane@example.org>\"")
endif()
set(CPACK_PACKAGE_CONTACT "${ARCHSIM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ARCHSIM_PACKAGE_MAINTAINER}")
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
