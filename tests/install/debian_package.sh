#!/usr/bin/env bash
# tests/install/debian_package.sh BUILD_DIR VERSION: `cpack -G DEB` of a built tree gives a
# package whose control fields are right, whose Depends name the Debian package of every
# shared library the binary loads, and whose extracted binary runs (`dpkg-deb -x`, no
# LD_LIBRARY_PATH: its libraries are the system's). Exits 77 (skipped) without dpkg-deb.
set -euo pipefail
build=$1
version=$2
fail() { echo "debian_package: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg cpack; do
  command -v "$tool" > /dev/null || { echo "debian_package: skipped: $tool is not installed (Debian's dpkg / cmake)"; exit 77; }
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$build" && cpack -G DEB -B "$scratch/out") > "$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log" >&2; fail "cpack -G DEB failed"; }
shopt -s nullglob
debs=("$scratch"/out/*.deb)
[[ ${#debs[@]} -eq 1 ]] || fail "expected one .deb, found ${#debs[@]}: $(ls "$scratch/out")"
deb=${debs[0]}

field() { dpkg-deb -f "$deb" "$1"; }
[[ "$(field Package)" == archsim ]] || fail "Package: $(field Package)"
[[ "$(field Version)" == "$version" ]] || fail "Version: $(field Version), expected $version"
[[ "$(field Architecture)" == "$(dpkg --print-architecture)" ]] || fail "Architecture: $(field Architecture)"
[[ -n "$(field Maintainer)" && -n "$(field Description)" ]] || fail "no Maintainer or Description"
depends=$(field Depends)
dpkg-deb -I "$deb" > /dev/null || fail "dpkg-deb -I cannot read the package"

dpkg-deb -x "$deb" "$scratch/root"
for f in usr/bin/archsim usr/share/man/man1/archsim.1 usr/share/bash-completion/completions/archsim \
         usr/share/zsh/vendor-completions/_archsim usr/share/fish/vendor_completions.d/archsim.fish; do
  [[ -f "$scratch/root/$f" ]] || fail "the package lacks $f"
done
binary="$scratch/root/usr/bin/archsim"

# Every library the binary loads comes from a package its Depends names, or from one of
# their own dependencies (libgvc6 brings libltdl7): the closure of Depends over the
# installed packages' Depends fields.
closure=$(sed 's/, /\n/g' <<< "$depends" | awk '{ print $1 }')
frontier=$closure
while [[ -n "$frontier" ]]; do
  next=""
  for pkg in $frontier; do
    for dep in $(dpkg-query -W -f='${Depends}\n' "$pkg" 2> /dev/null | sed 's/([^)]*)//g; s/|/,/g; s/,/\n/g' | awk '{ print $1 }' | sed 's/:any$//'); do
      grep -qxF "$dep" <<< "$closure" || { closure+=$'\n'"$dep"; next+=" $dep"; }
    done
  done
  frontier=$next
done
while read -r library; do
  owner=""
  for candidate in "$library" "$(readlink -f "$library")" "/usr$library"; do
    owner=$(dpkg -S "$candidate" 2> /dev/null | head -1 | cut -d: -f1) && [[ -n "$owner" ]] && break
  done
  [[ -n "$owner" ]] || fail "no Debian package owns $library"
  grep -qxF "$owner" <<< "$closure" || fail "Depends ($depends) and their dependencies lack $owner, which provides $library"
done < <(ldd "$binary" | awk '/=> \// { print $3 }')

version_text=$("$binary" --version) || fail "the packaged archsim --version failed"
[[ "$version_text" == "$("$build/tools/archsim" --version)" ]] || fail "the packaged --version differs from the built one"
echo "debian_package: ok: $(basename "$deb"), Depends: $depends"
