#!/usr/bin/env bash
# tests/install/build_commit.sh: cmake/build_commit.cmake, which `archsim --version` reads its
# commit from, says `unknown` outside a git checkout, takes ARCHSIM_GIT_COMMIT when given,
# names this checkout's commit otherwise, and leaves an unchanged file untouched (so an
# unchanged tree relinks nothing). Run from the source root.
set -euo pipefail
fail() { echo "build_commit: $*" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
generate() { cmake -DOUT="$1" -DSOURCE_DIR="$2" ${3:+-DCOMMIT="$3"} -P cmake/build_commit.cmake; }

mkdir "$scratch/export"  # a source tree without .git, as in a Docker context or a tarball
GIT_CEILING_DIRECTORIES="$scratch" generate "$scratch/none.cpp" "$scratch/export"
grep -q 'return "unknown";' "$scratch/none.cpp" || fail "outside a checkout: $(cat "$scratch/none.cpp")"

generate "$scratch/given.cpp" "$scratch/export" 0123456789ab
grep -q 'return "0123456789ab";' "$scratch/given.cpp" || fail "ARCHSIM_GIT_COMMIT not taken: $(cat "$scratch/given.cpp")"
generate "$scratch/odd.cpp" "$scratch/export" 'a"; evil(); "'
grep -q 'return "unknown";' "$scratch/odd.cpp" || fail "a commit that is not a plain word went into C++: $(cat "$scratch/odd.cpp")"

if command -v git > /dev/null && git rev-parse --git-dir > /dev/null 2>&1; then
  generate "$scratch/here.cpp" "$PWD"
  head=$(git rev-parse --short=12 HEAD)
  grep -q "return \"$head\(-dirty\)\?\";" "$scratch/here.cpp" || fail "expected commit $head: $(cat "$scratch/here.cpp")"
  before=$(stat -c %Y "$scratch/here.cpp")
  sleep 1
  generate "$scratch/here.cpp" "$PWD"
  [[ "$(stat -c %Y "$scratch/here.cpp")" == "$before" ]] || fail "an unchanged commit rewrote the file"
fi
echo "build_commit: ok"
