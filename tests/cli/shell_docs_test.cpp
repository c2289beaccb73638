// The man page and shell completions the build generates (tools/archsim/archsim_docs.cpp)
// cover the CLI as defined: every verb, every option of every verb by each of its names, and
// every choice an option accepts, each in that verb's own part of the file. The files' syntax
// and behaviour in the shells are checked by tests/install/completions.sh.
#include <algorithm>
#include <cctype>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

#include "archsim/cli_app.hpp"
#include "archsim/shell_docs.hpp"
#include "fixture.hpp"

namespace {

namespace cli = archsim::cli;

std::string read_generated(const std::string& path) {
  const std::string text = archsim::testing::read_file(std::string(ARCHSIM_DOCS_DIR) + "/" + path);
  REQUIRE_MESSAGE(!text.empty(), "the build did not generate " << path);
  return text;
}

/// The text from `start` to the first `end` after it; empty when `start` is missing.
std::string part(const std::string& text, const std::string& start, const std::string& end) {
  const auto from = text.find(start);
  if (from == std::string::npos) return {};
  const auto to = text.find(end, from + start.size());
  return text.substr(from, to == std::string::npos ? std::string::npos : to - from);
}

std::string man_name(const std::string& name) {
  std::string out;
  for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
  return out;
}

std::string fish_name(const std::string& name) { return name.starts_with("--") ? "-l " + name.substr(2) : "-s " + name.substr(1); }

/// The fish lines that apply to `verb`.
std::string fish_part(const std::string& text, const std::string& verb) {
  std::istringstream lines(text);
  std::string out, line;
  while (std::getline(lines, line)) {
    if (line.find("'__fish_seen_subcommand_from " + verb + "'") != std::string::npos) out += line + "\n";
  }
  return out;
}

struct Generated {
  cli::CliDoc doc;
  std::string man, bash, zsh, fish;
};

Generated generated() {
  CLI::App app;
  cli::CliOptions options;
  cli::setup_cli(app, options);
  return {cli::describe_cli(app), read_generated("share/man/man1/archsim.1"), read_generated("share/bash-completion/completions/archsim"),
          read_generated("share/zsh/vendor-completions/_archsim"), read_generated("share/fish/vendor_completions.d/archsim.fish")};
}

}  // namespace

TEST_CASE("shell docs: the description read from CLI11 has every verb, and options with their names, values and choices") {
  const auto g = generated();
  std::vector<std::string> verbs;
  for (const auto& c : g.doc.commands) verbs.push_back(c.name);
  CHECK(verbs == std::vector<std::string>{"run", "price", "validate", "graph", "rules", "diff", "import", "prices", "explore"});
  const auto& run = g.doc.commands.front();
  const auto format = std::find_if(run.options.begin(), run.options.end(), [](const cli::OptionDoc& o) { return o.long_names == std::vector<std::string>{"--format"}; });
  REQUIRE(format != run.options.end());
  CHECK(format->choices == std::vector<std::string>{"text", "json", "markdown", "html", "junit"});
  const auto output = std::find_if(run.options.begin(), run.options.end(), [](const cli::OptionDoc& o) { return o.short_names == std::vector<std::string>{"-o"}; });
  REQUIRE(output != run.options.end());
  CHECK(output->names() == std::vector<std::string>{"--output", "-o"});
  CHECK(run.options.back().positional == "file");
  CHECK(run.options.back().required);
  const auto seed = std::find_if(run.options.begin(), run.options.end(), [](const cli::OptionDoc& o) { return o.long_names == std::vector<std::string>{"--seed"}; });
  REQUIRE(seed != run.options.end());
  CHECK(seed->numeric);
  CHECK(seed->choices.empty());
  const auto strict = std::find_if(run.options.begin(), run.options.end(), [](const cli::OptionDoc& o) { return o.long_names == std::vector<std::string>{"--strict"}; });
  REQUIRE(strict != run.options.end());
  CHECK(strict->flag());
  CHECK(g.doc.footer.find("Exit codes") != std::string::npos);
}

TEST_CASE("shell docs: the generated files are those of the CLI as built") {
  const auto g = generated();
  CHECK(g.man == cli::man_page(g.doc, ARCHSIM_VERSION));
  CHECK(g.bash == cli::bash_completion(g.doc));
  CHECK(g.zsh == cli::zsh_completion(g.doc));
  CHECK(g.fish == cli::fish_completion(g.doc));
}

TEST_CASE("shell docs: every option of every verb, and each choice, is in that verb's part of each file") {
  const auto g = generated();
  for (const auto& command : g.doc.commands) {
    const std::string man = part(g.man, ".SS \"archsim " + command.name + "\"", "\n.S");
    const std::string bash = part(g.bash, "_archsim_" + command.name + "() {", "\n}\n");
    const std::string zsh = part(g.zsh, "_archsim_" + command.name + "() {", "\n}\n");
    const std::string fish = fish_part(g.fish, command.name);
    INFO("verb ", command.name);
    REQUIRE_FALSE(man.empty());
    REQUIRE_FALSE(bash.empty());
    REQUIRE_FALSE(zsh.empty());
    CHECK(g.fish.find("__fish_use_subcommand -a " + command.name + " ") != std::string::npos);
    CHECK(g.zsh.find("'" + command.name + ":") != std::string::npos);
    for (const auto& option : command.options) {
      if (!option.positional.empty()) {
        std::string upper = option.positional;
        for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        // A positional with choices is shown as its choices (`terraform|cloudformation`).
        if (option.choices.empty()) {
          CHECK_MESSAGE(man.find("\\fI" + upper + "\\fR") != std::string::npos, command.name << " " << option.positional << " (man)");
        }
        for (const auto& choice : option.choices) {
          CHECK_MESSAGE(man.find("\\fB" + choice + "\\fR") != std::string::npos, command.name << " " << choice << " (man)");
        }
        CHECK_MESSAGE(zsh.find(":" + option.description.substr(0, 10)) != std::string::npos, command.name << " " << option.positional << " (zsh)");
        continue;
      }
      for (const auto& name : option.names()) {
        CHECK_MESSAGE(man.find(man_name(name)) != std::string::npos, command.name << " " << name << " (man)");
        CHECK_MESSAGE(bash.find(name) != std::string::npos, command.name << " " << name << " (bash)");
        CHECK_MESSAGE(zsh.find(name) != std::string::npos, command.name << " " << name << " (zsh)");
        CHECK_MESSAGE(fish.find(fish_name(name)) != std::string::npos, command.name << " " << name << " (fish)");
      }
      for (const auto& choice : option.choices) {
        CHECK_MESSAGE(man.find("\\fB" + choice + "\\fR") != std::string::npos, command.name << " " << choice << " (man)");
        CHECK_MESSAGE(bash.find(choice) != std::string::npos, command.name << " " << choice << " (bash)");
        CHECK_MESSAGE(zsh.find(choice) != std::string::npos, command.name << " " << choice << " (zsh)");
        CHECK_MESSAGE(fish.find(choice) != std::string::npos, command.name << " " << choice << " (fish)");
      }
    }
  }
  for (const auto& option : g.doc.options) {
    for (const auto& name : option.names()) {
      CHECK_MESSAGE(g.man.find(man_name(name)) != std::string::npos, name << " (man)");
      CHECK_MESSAGE(g.bash.find(name) != std::string::npos, name << " (bash)");
      CHECK_MESSAGE(g.zsh.find(name) != std::string::npos, name << " (zsh)");
      CHECK_MESSAGE(g.fish.find(fish_name(name)) != std::string::npos, name << " (fish)");
    }
  }
}
