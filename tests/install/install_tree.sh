#!/usr/bin/env bash
# tests/install/install_tree.sh BUILD_DIR: `cmake --install` of a built tree into a scratch
# DESTDIR installs exactly the binary, its man page and the three shell completions (the data
# archsim reads is embedded), and the installed binary answers `--version` and validates a
# seed scenario exactly as the built one does. Run from the source root.
set -euo pipefail
build=$1
built="$build/tools/archsim"
fail() { echo "install_tree: $*" >&2; exit 1; }

stage=$(mktemp -d)
scratch=$(mktemp -d)
trap 'rm -rf "$stage" "$scratch"' EXIT
DESTDIR="$stage" cmake --install "$build" --prefix /usr > "$scratch/install.log" 2>&1 || { cat "$scratch/install.log" >&2; fail "cmake --install failed"; }

expected="usr/bin/archsim
usr/share/bash-completion/completions/archsim
usr/share/fish/vendor_completions.d/archsim.fish
usr/share/man/man1/archsim.1.gz
usr/share/zsh/vendor-completions/_archsim"
installed=$(cd "$stage" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
[[ "$installed" == "$expected" ]] || fail "installed files differ from what archsim ships:
$installed
expected:
$expected"
cmp -s <(gzip -dc "$stage/usr/share/man/man1/archsim.1.gz") "$build/tools/generated/share/man/man1/archsim.1" ||
  fail "usr/share/man/man1/archsim.1.gz is not the generated man page, compressed"
cmp -s "$stage/usr/share/bash-completion/completions/archsim" "$build/tools/generated/share/bash-completion/completions/archsim" ||
  fail "usr/share/bash-completion/completions/archsim is not the generated file"

binary="$stage/usr/bin/archsim"
version=$("$binary" --version) || fail "installed archsim --version failed"
[[ "$version" == "$("$built" --version)" ]] || fail "installed --version differs from the built one"
grep -Eq '^archsim [0-9]+\.[0-9]+\.[0-9]+$' <<< "$version" || fail "--version lacks 'archsim X.Y.Z': $version"
grep -Eq '^commit: ' <<< "$version" || fail "--version lacks the commit: $version"
grep -Eq '^price book us-east-1: [0-9]{4}-[0-9]{2}-[0-9]{2}' <<< "$version" || fail "--version lacks the price book dates: $version"

# The installed binary needs nothing from the build or source trees but the scenario itself.
set +e
"$binary" validate scenarios/adr0005.yaml > "$scratch/installed.txt" 2>&1
installed_code=$?
"$built" validate scenarios/adr0005.yaml > "$scratch/built.txt" 2>&1
built_code=$?
set -e
[[ $installed_code -eq $built_code ]] || fail "installed validate exits $installed_code, the built one $built_code"
[[ $installed_code -le 1 ]] || fail "installed validate exits $installed_code: $(cat "$scratch/installed.txt")"
cmp -s "$scratch/installed.txt" "$scratch/built.txt" || fail "installed validate prints something else than the built one"
grep -q 'scenarios/adr0005.yaml' "$scratch/installed.txt" || fail "validate output names no finding: $(head -5 "$scratch/installed.txt")"
echo "install_tree: ok ($(wc -l < "$scratch/installed.txt") lines of review, exit $installed_code)"
