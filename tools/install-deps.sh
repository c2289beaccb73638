#!/usr/bin/env bash
# Installs archsim's build dependencies from Debian 12 packages.
# A no-op (no apt-get call at all) when every package is already installed,
# so CI and the README commands can call it unconditionally.
set -euo pipefail

packages=(
  cmake ninja-build g++
  libboost-graph-dev libyaml-cpp-dev libeigen3-dev
  nlohmann-json3-dev libfmt-dev doctest-dev libcli11-dev
  # the HTML report's topology drawing: Graphviz's library (runtime: libgvc6)
  libgraphviz-dev pkg-config
  # test-only: the JSON Schema conformance test uses a real validator
  python3 python3-jsonschema python3-yaml
  # test-only: the HTML reports in a real browser (tests/browser, about 20 s for the seeds)
  chromium
  # fuzzing: libFuzzer comes with clang (tests/fuzz, docs/fuzzing.md)
  clang libclang-rt-14-dev
)

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
