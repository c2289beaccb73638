#!/usr/bin/env bash
# Installs archsim's build dependencies from Debian 12 packages.
# A no-op (no apt-get call at all) when every package is already installed,
# so CI and the README commands can call it unconditionally.
#
#   tools/install-deps.sh           everything: build, packaging, tests, fuzzing
#   tools/install-deps.sh --build   only what building and packaging the binary needs (the
#                                   Docker build stage, tools/docker/Dockerfile)
set -euo pipefail

packages=(
  cmake ninja-build g++
  libboost-graph-dev libyaml-cpp-dev libeigen3-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev
  # the HTML report's topology drawing: Graphviz's library (runtime: libgvc6)
  libgraphviz-dev pkg-config
  # design-space search's multi-objective optimiser (NSGA-II; runtime: libpagmo8)
  libpagmo-dev
  # packaging: `cpack -G DEB` reads the binary's library dependencies with dpkg-shlibdeps and file
  dpkg-dev file
)
if [ "${1:-}" != "--build" ]; then
  packages+=(
    doctest-dev
    # test-only: the JSON Schema conformance test uses a real validator; the CI recipes are
    # parsed as YAML and their comment steps run (curl, jq; node for github-script); the
    # generated completions are checked in each shell
    python3 python3-jsonschema python3-yaml zsh fish curl jq nodejs
    # test-only: the HTML reports in a real browser (tests/browser, about 20 s for the seeds)
    chromium
    # fuzzing: libFuzzer comes with clang (tests/fuzz, docs/fuzzing.md)
    clang libclang-rt-14-dev
    # the `mpi` preset (ARCHSIM_MPI): design-space search over MPI ranks, and mpirun for its tests
    libboost-mpi-dev openmpi-bin
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
