// The man page and the bash, zsh and fish completions, generated from the CLI11 definition.
//
// `describe_cli` walks the CLI::App that `run_cli` parses with (cli_app.hpp): its verbs, each
// verb's options and positional arguments, and the choices an option's IsMember check accepts.
// The renderers turn that description into the four files `cmake --install` ships; the build
// regenerates them (tools/archsim_docs.cpp), so they cannot drift from the parser.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace archsim::cli {

struct OptionDoc {
  std::vector<std::string> long_names;   ///< `--format`, with the dashes
  std::vector<std::string> short_names;  ///< `-o`
  std::string positional;                ///< a positional argument's name (`file`); empty for an option
  std::string value;                     ///< what the option takes (`TEXT`, `UINT`); empty for a flag
  bool numeric = false;                  ///< the value is a number: no file names offered for it
  std::vector<std::string> choices;      ///< the values its IsMember check accepts, in order
  std::string description;
  bool required = false;

  bool flag() const { return positional.empty() && value.empty(); }
  /// Every name a user types: the long and short names.
  std::vector<std::string> names() const;
};

struct CommandDoc {
  std::string name, description;
  std::vector<OptionDoc> options;  ///< named options first, then positional arguments in order
};

struct CliDoc {
  std::string name, description, footer;
  std::vector<OptionDoc> options;  ///< the program's own (`--help`, `--version`)
  std::vector<CommandDoc> commands;
};

/// Reads `app` as defined (not parsed). Non-const because CLI11 gives validators by mutable
/// access only; `app` is left unchanged.
CliDoc describe_cli(CLI::App& app);

/// roff for man(1); `version` goes into the page's header.
std::string man_page(const CliDoc& cli, const std::string& version);
/// A script for bash-completion: `_<name>_<verb>` completes one verb.
std::string bash_completion(const CliDoc& cli);
/// A `#compdef` file for zsh's completion system: `_<name>_<verb>` completes one verb.
std::string zsh_completion(const CliDoc& cli);
/// `complete` commands for fish; each verb's lines carry `__fish_seen_subcommand_from <verb>`.
std::string fish_completion(const CliDoc& cli);

}  // namespace archsim::cli
