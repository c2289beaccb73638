#!/usr/bin/env bash
# tests/install/completions.sh GENERATED_DIR: the generated completions are scripts each shell
# accepts (bash -n, zsh -n, fish -n; zsh and fish only where installed) and that complete
# what the CLI accepts: verbs, a verb's options, an option's choices. The man page renders
# without groff warnings (where groff is installed). That every option is in every file is
# checked against the CLI definition itself by tests/cli/shell_docs_test.cpp.
set -euo pipefail
dir=$1
bash_file="$dir/share/bash-completion/completions/archsim"
zsh_file="$dir/share/zsh/vendor-completions/_archsim"
fish_file="$dir/share/fish/vendor_completions.d/archsim.fish"
man_file="$dir/share/man/man1/archsim.1"
fail() { echo "completions: $*" >&2; exit 1; }
has_word() { grep -qx -- "$2" <<< "$1" || fail "$3: '$2' not offered; offered: $(tr '\n' ' ' <<< "$1")"; }

bash -n "$bash_file" || fail "bash rejects $bash_file"
# Completes as bash-completion calls it: COMP_WORDS, COMP_CWORD, then the function `complete` names.
bash_complete() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _archsim; printf "%s\n" "${COMPREPLY[@]}"' _ "$bash_file" "$@"
}
has_word "$(bash_complete archsim '')" run "bash: archsim <TAB>"
has_word "$(bash_complete archsim '')" diff "bash: archsim <TAB>"
has_word "$(bash_complete archsim --v)" --version "bash: archsim --v<TAB>"
has_word "$(bash_complete archsim run --f)" --format "bash: archsim run --f<TAB>"
has_word "$(bash_complete archsim run --format '')" junit "bash: archsim run --format <TAB>"
has_word "$(bash_complete archsim validate --format s)" sarif "bash: archsim validate --format s<TAB>"
[[ -z "$(bash_complete archsim run --seed '')" ]] || fail "bash: archsim run --seed <TAB> offers something for a number"
has_word "$(bash_complete archsim validate scenarios/adr)" scenarios/adr0005.yaml "bash: archsim validate scenarios/adr<TAB>"
bash_checks=8

zsh_checks=0
if command -v zsh > /dev/null; then
  zsh -n "$zsh_file" || fail "zsh rejects $zsh_file"
  zsh_checks=1
else
  echo "completions: zsh is not installed: $zsh_file not checked"
fi

fish_checks=0
if command -v fish > /dev/null; then
  fish -n "$fish_file" || fail "fish rejects $fish_file"
  fish_complete() { fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$fish_file" "$1" | cut -f1; }
  has_word "$(fish_complete 'archsim ')" run "fish: archsim <TAB>"
  has_word "$(fish_complete 'archsim run --format ')" junit "fish: archsim run --format <TAB>"
  has_word "$(fish_complete 'archsim graph --')" --alternative "fish: archsim graph --<TAB>"
  has_word "$(fish_complete 'archsim validate scenarios/adr')" scenarios/adr0005.yaml "fish: archsim validate scenarios/adr<TAB>"
  fish_checks=5
else
  echo "completions: fish is not installed: $fish_file not checked"
fi

if command -v groff > /dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$man_file" 2>&1)
  [[ -z "$warnings" ]] || fail "groff warns about $man_file: $warnings"
  rendered=$(groff -man -Tutf8 "$man_file" 2> /dev/null | sed 's/.\x08//g')
  grep -q -- '--max-work' <<< "$rendered" || fail "the rendered man page lacks --max-work"
fi
echo "completions: ok (bash $bash_checks checks, zsh $zsh_checks, fish $fish_checks)"
