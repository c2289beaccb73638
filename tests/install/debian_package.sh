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

# The control fields Debian policy (5.3, 5.6) requires of a binary package, with the checks
# lintian makes of them.
field() { dpkg-deb -f "$deb" "$1"; }
dpkg-deb -I "$deb" > /dev/null || fail "dpkg-deb -I cannot read the package"
for name in Package Version Architecture Maintainer Description Section Priority Installed-Size Depends; do
  [[ -n "$(field "$name")" ]] || fail "the control file has no $name field"
done
[[ "$(field Package)" == archsim ]] || fail "Package: $(field Package)"
[[ "$(field Version)" == "$version" ]] || fail "Version: $(field Version), expected $version"
dpkg --validate-version "$(field Version)" 2> /dev/null || fail "Version $(field Version) is not a Debian version"
[[ "$(field Architecture)" == "$(dpkg --print-architecture)" ]] || fail "Architecture: $(field Architecture)"
# The Maintainer is the one value the build sets (cmake/Packaging.cmake), "Name <address>",
# not a placeholder on localhost (lintian: maintainer-address-malformed, -is-on-localhost).
maintainer=$(sed -n 's/^ARCHSIM_PACKAGE_MAINTAINER:STRING=//p' "$build/CMakeCache.txt")
[[ -n "$maintainer" && "$(field Maintainer)" == "$maintainer" ]] || fail "Maintainer: '$(field Maintainer)', expected ARCHSIM_PACKAGE_MAINTAINER '$maintainer'"
maintainer_shape='^[^<>@]*[^<>@ ] <[^<>@ ]+@([^<>@ .]+\.)+[^<>@ .]+>$'
[[ "$maintainer" =~ $maintainer_shape ]] || fail "Maintainer '$maintainer' is not 'Name <address>'"
on_localhost='@(.*\.)?(localhost|localdomain)>$'
[[ ! "$maintainer" =~ $on_localhost ]] || fail "Maintainer '$maintainer' is on localhost"
# Description: a synopsis under 80 characters that is not a sentence (no leading article, no
# final full stop), then an extended description (lintian: description-too-long,
# description-synopsis-starts-with-article, synopsis-is-a-sentence, extended-description-is-empty).
description=$(field Description)
synopsis=${description%%$'\n'*}
extended=${description#"$synopsis"$'\n'}
(( ${#synopsis} < 80 )) || fail "the Description's synopsis has ${#synopsis} characters, fewer than 80 make a synopsis: $synopsis"
sentence='^(A|An|The) '
[[ ! "$synopsis" =~ $sentence && "$synopsis" != *. ]] || fail "the Description's synopsis reads as a sentence: $synopsis"
[[ "$(wc -w <<< "$extended")" -ge 10 ]] || fail "the extended Description is empty or a few words: $extended"
while IFS= read -r line; do
  (( ${#line} <= 80 )) || fail "a line of the extended Description is over 80 characters: $line"
  [[ "$line" =~ ^\ [[:alnum:]] ]] || fail "a line of the extended Description is not text (a CMake list's ';'?): $line"
done <<< "$extended"
[[ "$(field Section)" =~ ^(utils|devel|admin|science|net)$ ]] || fail "Section: $(field Section)"
[[ "$(field Priority)" == optional ]] || fail "Priority: $(field Priority), expected optional (Debian policy 2.5)"
[[ "$(field Installed-Size)" =~ ^[0-9]+$ ]] || fail "Installed-Size: $(field Installed-Size)"
depends=$(field Depends)
# Every file belongs to root (lintian: wrong-file-owner-uid-or-gid), and carries an md5sum.
owners=$(dpkg-deb -c "$deb" | awk '{ print $2 }' | sort -u)
[[ "$owners" == root/root ]] || fail "files not owned by root/root: $owners"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -x './md5sums' > /dev/null || fail "the package has no md5sums"

dpkg-deb -x "$deb" "$scratch/root"
for f in usr/bin/archsim usr/share/man/man1/archsim.1.gz usr/share/bash-completion/completions/archsim \
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

# lintian, where it is installed: no error or warning but the two a licence would mend. The
# repository states no licence yet, so there is no debian/copyright (or changelog) to ship.
if command -v lintian > /dev/null; then
  tags=$(lintian --tag-display-limit 0 "$deb" 2> /dev/null | grep -E '^[EW]: ' | grep -vE ': (no-copyright-file|no-changelog)( |$)' || true)
  [[ -z "$tags" ]] || fail "lintian: $tags"
fi

version_text=$("$binary" --version) || fail "the packaged archsim --version failed"
[[ "$version_text" == "$("$build/tools/archsim" --version)" ]] || fail "the packaged --version differs from the built one"
echo "debian_package: ok: $(basename "$deb"), Depends: $depends"
