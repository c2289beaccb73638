#include "shell_docs.hpp"

#include <algorithm>
#include <regex>
#include <stdexcept>

#include <fmt/format.h>

namespace archsim::cli {

namespace {

/// Names and choices are written into shell scripts unquoted (case patterns, compgen word
/// lists): anything but these characters would need quoting that differs per shell.
void require_shell_word(const std::string& word, const std::string& what) {
  static const std::regex word_pattern("[A-Za-z0-9._-]+");
  if (!std::regex_match(word, word_pattern)) {
    throw std::logic_error(fmt::format("shell_docs: {} '{}' is not a plain word the completions can carry", what, word));
  }
}

/// CLI11 says what an option takes as `TYPE` or `TYPE:check:check`; the checks' own text may
/// hold colons, so only the part before the first is the type.
std::string value_type(const CLI::Option& option) {
  const std::string full = option.get_type_name();
  return full.substr(0, full.find(':'));
}

/// The values an IsMember check accepts: CLI11 describes such a check as `{a,b,c}`.
std::vector<std::string> member_choices(CLI::Option& option) {
  for (int i = 0;; ++i) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      return {};
    }
    const std::string text = validator->get_description();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') continue;
    std::vector<std::string> choices;
    std::size_t start = 1;
    while (start < text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size() - 1);
      choices.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    return choices;
  }
}

OptionDoc describe_option(CLI::Option& option) {
  OptionDoc doc;
  for (const auto& name : option.get_lnames()) doc.long_names.push_back("--" + name);
  for (const auto& name : option.get_snames()) doc.short_names.push_back("-" + name);
  if (!option.nonpositional()) doc.positional = option.get_name(true);
  if (option.get_type_size_max() > 0) {
    doc.value = value_type(option);
    doc.numeric = doc.value == "INT" || doc.value == "UINT" || doc.value == "FLOAT" || doc.value == "NUMBER";
    doc.choices = member_choices(option);
  }
  doc.description = option.get_description();
  doc.required = option.get_required();
  for (const auto& name : doc.names()) require_shell_word(name, "option name");
  if (!doc.positional.empty()) require_shell_word(doc.positional, "positional argument");
  for (const auto& choice : doc.choices) require_shell_word(choice, "choice of " + option.get_name());
  return doc;
}

/// Named options first, as defined, then the positional arguments in the order they are read.
std::vector<OptionDoc> describe_options(CLI::App& app) {
  std::vector<OptionDoc> named, positional;
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    OptionDoc doc = describe_option(*option);
    (doc.positional.empty() ? named : positional).push_back(std::move(doc));
  }
  named.insert(named.end(), positional.begin(), positional.end());
  return named;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : std::string(separator)) + w;
  return out;
}

/// Options that take a value, other than one of `choices`.
bool takes_free_value(const OptionDoc& o) { return o.positional.empty() && !o.value.empty() && o.choices.empty(); }

bool has_positional(const CommandDoc& command) {
  return std::any_of(command.options.begin(), command.options.end(), [](const OptionDoc& o) { return !o.positional.empty(); });
}

// ------------------------------------------------------------------ man

/// Running text for roff: a backslash printed as itself, and no line taken for a request.
std::string roff_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

/// An option name as man pages print it: bold, with minus signs that copy as ASCII hyphens.
std::string roff_name(std::string_view name) {
  std::string out = "\\fB";
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out + "\\fR";
}

std::string roff_placeholder(const OptionDoc& o) {
  if (!o.choices.empty()) {
    std::vector<std::string> bold;
    for (const auto& c : o.choices) bold.push_back("\\fB" + c + "\\fR");
    return join(bold, "|");
  }
  const std::string name = o.positional.empty() ? o.value : o.positional;
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return "\\fI" + upper + "\\fR";
}

void man_options(std::string& out, const std::vector<OptionDoc>& options) {
  for (const auto& o : options) {
    std::vector<std::string> names;
    for (const auto& n : o.names()) names.push_back(roff_name(n));
    out += ".TP\n";
    if (o.positional.empty()) {
      out += join(names, ", ") + (o.flag() ? "" : " " + roff_placeholder(o)) + "\n";
    } else {
      out += roff_placeholder(o) + "\n";
    }
    out += roff_text(o.description) + (o.required && o.positional.empty() ? " (required)" : "") + "\n";
  }
}

std::string man_usage(const CliDoc& cli, const CommandDoc& command) {
  std::string usage = "\\fB" + cli.name + " " + command.name + "\\fR";
  for (const auto& o : command.options) {
    if (!o.positional.empty()) usage += " " + roff_placeholder(o);
  }
  return usage + " [\\fIoptions\\fR]";
}

// ------------------------------------------------------------------ zsh

/// Text inside single quotes: a quote closes, escapes and reopens.
std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// An _arguments explanation (`[...]`) or message: brackets and colons end those fields.
std::string zsh_field(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ']' || c == '[' || c == ':') out += '\\';
    out += c;
  }
  return out;
}

std::string zsh_action(const OptionDoc& o) {
  if (!o.choices.empty()) return "(" + join(o.choices, " ") + ")";
  if (o.numeric) return " ";  // a number: nothing to offer
  return "_files";
}

// ------------------------------------------------------------------ fish

std::string fish_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string fish_option(const std::string& name, const std::string& condition, const OptionDoc& o) {
  std::string line = "complete -c " + name + " -n " + fish_quoted(condition);
  for (const auto& s : o.short_names) line += " -s " + s.substr(1);
  for (const auto& l : o.long_names) line += " -l " + l.substr(2);
  if (!o.choices.empty()) {
    line += " -x -a " + fish_quoted(join(o.choices, " "));
  } else if (o.numeric) {
    line += " -x";
  } else if (!o.value.empty()) {
    line += " -r -F";
  }
  return line + " -d " + fish_quoted(o.description) + "\n";
}

}  // namespace

std::vector<std::string> OptionDoc::names() const {
  std::vector<std::string> out = long_names;
  out.insert(out.end(), short_names.begin(), short_names.end());
  return out;
}

CliDoc describe_cli(CLI::App& app) {
  CliDoc cli;
  cli.name = app.get_name();
  require_shell_word(cli.name, "program name");
  cli.description = app.get_description();
  cli.footer = app.get_footer();
  cli.options = describe_options(app);
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    require_shell_word(sub->get_name(), "command name");
    cli.commands.push_back({sub->get_name(), sub->get_description(), describe_options(*sub)});
  }
  return cli;
}

std::string man_page(const CliDoc& cli, const std::string& version) {
  std::string upper = cli.name;
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string out = ".\\\" Generated from " + cli.name + "'s command-line definition by archsim_docs; do not edit.\n";
  out += fmt::format(".TH {} 1 \"\" \"{} {}\" \"User Commands\"\n", upper, cli.name, version);
  out += ".SH NAME\n" + cli.name + " \\- " + roff_text(cli.description) + "\n";
  out += ".SH SYNOPSIS\n";
  for (const auto& command : cli.commands) out += man_usage(cli, command) + "\n.br\n";
  out += "\\fB" + cli.name + "\\fR " + roff_name("--version") + "\n";
  out += ".SH DESCRIPTION\n" + roff_text(cli.description) + ".\n";
  out += ".SH OPTIONS\n";
  man_options(out, cli.options);
  out += ".SH COMMANDS\n";
  for (const auto& command : cli.commands) {
    out += fmt::format(".SS \"{} {}\"\n", cli.name, command.name);
    out += roff_text(command.description) + ".\n.PP\n";
    out += "Usage: " + man_usage(cli, command) + "\n";
    man_options(out, command.options);
  }
  if (!cli.footer.empty()) out += ".SH \"EXIT STATUS\"\n" + roff_text(cli.footer) + "\n";
  out += ".SH \"SEE ALSO\"\nREADME.md and docs/ in " + cli.name + "'s source tree: the scenario format, the model and the review outputs.\n";
  return out;
}

std::string bash_completion(const CliDoc& cli) {
  std::string out = "# bash completion for " + cli.name + ": generated from its command-line definition by archsim_docs; do not edit.\n";
  for (const auto& command : cli.commands) {
    out += fmt::format("\n_{}_{}() {{\n  local cur=$1 prev=$2\n  case \"$prev\" in\n", cli.name, command.name);
    std::vector<std::string> options, numbers, files;
    for (const auto& o : command.options) {
      if (!o.positional.empty()) continue;
      for (const auto& n : o.names()) options.push_back(n);
      if (!o.choices.empty()) {
        out += fmt::format("    {}) COMPREPLY=($(compgen -W \"{}\" -- \"$cur\")); return ;;\n", join(o.names(), "|"), join(o.choices, " "));
      } else if (takes_free_value(o)) {
        for (const auto& n : o.names()) (o.numeric ? numbers : files).push_back(n);
      }
    }
    if (!numbers.empty()) out += fmt::format("    {}) COMPREPLY=(); return ;;\n", join(numbers, "|"));
    if (!files.empty()) out += fmt::format("    {}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", join(files, "|"));
    out += "  esac\n";
    out += fmt::format("  if [[ \"$cur\" == -* ]]; then\n    COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n", join(options, " "));
    out += has_positional(command) ? "  else\n    COMPREPLY=($(compgen -f -- \"$cur\"))\n" : "  else\n    COMPREPLY=()\n";
    out += "  fi\n}\n";
  }
  std::vector<std::string> words;
  for (const auto& command : cli.commands) words.push_back(command.name);
  for (const auto& o : cli.options) {
    for (const auto& n : o.names()) words.push_back(n);
  }
  out += fmt::format("\n_{}() {{\n  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} i\n", cli.name);
  out += "  # The first word that names a verb decides; the program's own options are flags.\n";
  out += "  for ((i = 1; i < COMP_CWORD; i++)); do\n    case \"${COMP_WORDS[i]}\" in\n";
  for (const auto& command : cli.commands) {
    out += fmt::format("      {1}) _{0}_{1} \"$cur\" \"$prev\"; return ;;\n", cli.name, command.name);
  }
  out += "    esac\n  done\n";
  out += fmt::format("  COMPREPLY=($(compgen -W \"{}\" -- \"$cur\"))\n}}\n", join(words, " "));
  out += fmt::format("\ncomplete -o filenames -F _{0} {0}\n", cli.name);
  return out;
}

std::string zsh_completion(const CliDoc& cli) {
  const auto specs = [](const std::vector<OptionDoc>& options) {
    std::vector<std::string> out;
    int position = 0;
    for (const auto& o : options) {
      if (!o.positional.empty()) {
        out.push_back(single_quoted(fmt::format("{}:{}:{}", ++position, zsh_field(o.description), zsh_action(o))));
        continue;
      }
      const auto names = o.names();
      const std::string exclusive = names.size() > 1 ? "(" + join(names, " ") + ")" : "";
      for (const auto& n : names) {
        // `--name=` takes the value in the same word after `=` or as the next word, as CLI11 does.
        const std::string spelled = n.starts_with("--") && !o.flag() ? n + "=" : n;
        std::string spec = exclusive + spelled + "[" + zsh_field(o.description) + "]";
        if (!o.flag()) spec += ":" + zsh_field(names.front().substr(names.front().find_first_not_of('-'))) + ":" + zsh_action(o);
        out.push_back(single_quoted(spec));
      }
    }
    return out;
  };
  std::string out = "#compdef " + cli.name + "\n# zsh completion for " + cli.name +
                    ": generated from its command-line definition by archsim_docs; do not edit.\n";
  for (const auto& command : cli.commands) {
    out += fmt::format("\n_{}_{}() {{\n  _arguments -s \\\n    {}\n}}\n", cli.name, command.name, join(specs(command.options), " \\\n    "));
  }
  out += fmt::format("\n_{}() {{\n  local curcontext=\"$curcontext\" state state_descr line ret=1\n  typeset -A opt_args\n", cli.name);
  std::vector<std::string> top = specs(cli.options);
  top.push_back("'1:command:->command'");
  top.push_back("'*::argument:->argument'");
  out += "  _arguments -C \\\n    " + join(top, " \\\n    ") + " && ret=0\n";
  out += "  case $state in\n    command)\n      local -a commands\n      commands=(\n";
  for (const auto& command : cli.commands) out += "        " + single_quoted(command.name + ":" + command.description) + "\n";
  out += fmt::format("      )\n      _describe -t commands '{} command' commands && ret=0\n      ;;\n", cli.name);
  out += fmt::format("    argument)\n      curcontext=\"${{curcontext%:*:*}}:{}-$line[1]:\"\n      case $line[1] in\n", cli.name);
  for (const auto& command : cli.commands) out += fmt::format("        {1}) _{0}_{1} && ret=0 ;;\n", cli.name, command.name);
  out += "      esac\n      ;;\n  esac\n  return ret\n}\n";
  out += fmt::format("\n_{} \"$@\"\n", cli.name);
  return out;
}

std::string fish_completion(const CliDoc& cli) {
  std::string out = "# fish completion for " + cli.name + ": generated from its command-line definition by archsim_docs; do not edit.\n";
  out += "# File names only where a verb reads a file or an option takes one.\n";
  out += "complete -c " + cli.name + " -f\n";
  for (const auto& command : cli.commands) {
    out += "complete -c " + cli.name + " -n __fish_use_subcommand -a " + command.name + " -d " + fish_quoted(command.description) + "\n";
  }
  for (const auto& o : cli.options) out += fish_option(cli.name, "__fish_use_subcommand", o);
  for (const auto& command : cli.commands) {
    const std::string condition = "__fish_seen_subcommand_from " + command.name;
    for (const auto& o : command.options) {
      if (o.positional.empty()) out += fish_option(cli.name, condition, o);
    }
    if (has_positional(command)) out += "complete -c " + cli.name + " -n " + fish_quoted(condition) + " -F\n";
  }
  return out;
}

}  // namespace archsim::cli
