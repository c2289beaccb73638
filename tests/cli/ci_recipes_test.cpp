// The CI recipes under ci/ (docs/ci.md) are YAML of the shape GitHub Actions and GitLab CI
// read, and every `archsim` command line in their shell steps is one the CLI accepts: each is
// parsed by the CLI11 definition `archsim` itself parses with (cli_app.hpp), so a renamed
// verb, option or choice fails here rather than in a team's pipeline.
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "archsim/cli_app.hpp"
#include "fixture.hpp"

namespace {

namespace cli = archsim::cli;

/// A recipe's own variables (GitHub `env:`, GitLab `variables:`), by name.
using Variables = std::map<std::string, std::string>;

/// Shell words of `text` with quotes removed, expansions of the recipe's `variables` ($X, ${X})
/// replaced by their values and every other expansion ($X, ${X}, ${{ expr }}) by `x`, and the operators that end a command (`;`, newline, `&&`, `||`, `|`, `&`, parentheses,
/// `$(`) as words of their own; a redirection is `>` followed by its target, or `>&`.
std::vector<std::string> shell_words(const std::string& text, const Variables& variables) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  const auto end_word = [&] {
    if (in_word) words.push_back(word);
    word.clear();
    in_word = false;
  };
  const auto expansion = [&](std::size_t& i) {  // at '$'
    std::string name;
    if (text.compare(i, 3, "${{") == 0) {
      i = text.find("}}", i) + 1;
    } else if (text.compare(i, 2, "${") == 0) {
      const auto close = text.find('}', i);
      name = text.substr(i + 2, close - i - 2);
      i = close;
    } else {
      const auto start = i + 1;
      while (i + 1 < text.size() && (std::isalnum(static_cast<unsigned char>(text[i + 1])) != 0 || text[i + 1] == '_' || text[i + 1] == '?')) ++i;
      name = text.substr(start, i + 1 - start);
    }
    const auto known = variables.find(name);
    word += known != variables.end() ? known->second : "x";
    in_word = true;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ' ' || c == '\t') {
      end_word();
    } else if (c == '\n') {
      end_word();
      words.push_back(";");
    } else if (c == '#' && !in_word) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '\\') {
      if (i + 1 < text.size() && text[i + 1] != '\n') word += text[i + 1], in_word = true;
      ++i;
    } else if (c == '\'') {
      const auto close = text.find('\'', i + 1);
      word += text.substr(i + 1, close - i - 1);
      in_word = true;
      i = close;
    } else if (c == '"') {
      in_word = true;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          word += text[++i];
        } else if (text[i] == '$') {
          expansion(i);
        } else {
          word += text[i];
        }
      }
    } else if (c == '$' && i + 1 < text.size() && text[i + 1] == '(') {
      end_word();
      words.push_back("(");
      ++i;
    } else if (c == '$') {
      expansion(i);
    } else if (c == '>' || c == '<') {
      if (in_word && word.find_first_not_of("0123456789") == std::string::npos) word.clear(), in_word = false;  // 2>
      end_word();
      if (i + 1 < text.size() && text[i + 1] == '>') ++i;
      if (i + 1 < text.size() && text[i + 1] == '&') {
        for (++i; i + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[i + 1])) != 0;) ++i;
        words.push_back(">&");
      } else {
        words.push_back(">");
      }
    } else if (c == ';' || c == '|' || c == '&' || c == '(' || c == ')') {
      end_word();
      std::string op(1, c);
      if ((c == '|' || c == '&') && i + 1 < text.size() && text[i + 1] == c) op += text[++i];
      words.push_back(op);
    } else {
      word += c;
      in_word = true;
    }
  }
  end_word();
  return words;
}

/// The arguments of every command in `text` that runs `archsim`.
std::vector<std::vector<std::string>> archsim_commands(const std::string& text, const Variables& variables = {}) {
  static const std::set<std::string> separators = {";", "&&", "||", "|", "&", "(", ")"};
  static const std::set<std::string> keywords = {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "}", "time"};
  std::vector<std::vector<std::string>> commands;
  const auto words = shell_words(text, variables);
  bool command_position = true;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (separators.count(words[i]) != 0) {
      command_position = true;
      continue;
    }
    if (command_position && keywords.count(words[i]) != 0) continue;
    if (command_position && words[i] == "archsim") {
      std::vector<std::string> args;
      for (++i; i < words.size() && separators.count(words[i]) == 0; ++i) {
        if (words[i] == ">") {
          ++i;  // the redirection's target
        } else if (words[i] != ">&") {
          args.push_back(words[i]);
        }
      }
      commands.push_back(args);
      --i;
    }
    command_position = false;
  }
  return commands;
}

/// Empty when the CLI accepts `args`, else CLI11's complaint. Parsing runs no verb.
std::string parse_problem(const std::vector<std::string>& args) {
  CLI::App app;
  cli::CliOptions options;
  cli::setup_cli(app, options);
  std::vector<const char*> argv{"archsim"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Success&) {  // --version, --help
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return {};
}

std::string joined(const std::vector<std::string>& args) {
  std::string out = "archsim";
  for (const auto& a : args) out += " " + a;
  return out;
}

/// What a recipe's shell steps do with archsim: how often each verb runs, with which formats.
struct Uses {
  std::multiset<std::string> verbs;  ///< `run`, `diff`, ..., `--version`
  std::set<std::string> formats;     ///< `<verb> <format>`
  std::multiset<std::string> diff_comment_conditions;  ///< --comment-only-if of each `diff`
};

void check_shell(const std::string& where, const std::string& script, const Variables& variables, Uses& uses) {
  for (const auto& args : archsim_commands(script, variables)) {
    INFO(where, ": ", joined(args));
    CHECK(parse_problem(args) == "");
    REQUIRE_FALSE(args.empty());
    uses.verbs.insert(args.front());
    for (std::size_t i = 0; i + 1 < args.size(); ++i) {
      if (args[i] == "--format") uses.formats.insert(args.front() + " " + args[i + 1]);
      if (args[i] == "--comment-only-if" && args.front() == "diff") uses.diff_comment_conditions.insert(args[i + 1]);
    }
  }
}

void check_uses(const std::string& recipe, const Uses& uses) {
  INFO(recipe);
  CHECK(uses.verbs.count("run") >= 2);  // base and head
  CHECK(uses.verbs.count("diff") == 1);
  CHECK(uses.verbs.count("--version") == 1);
  CHECK(uses.formats.count("diff markdown") == 1);
  CHECK(uses.formats.count("validate sarif") == 1);
  // The comment is written only when its condition holds (docs/ci.md), a value the recipe sets
  // and the CLI accepts (parse_problem above read the variable's value).
  CHECK(uses.diff_comment_conditions.size() == 1);
}

/// `node`'s entries (a map of names to scalars) added to `variables`.
void add_variables(const YAML::Node& node, Variables& variables) {
  if (!node || !node.IsMap()) return;
  for (const auto& entry : node) variables[entry.first.as<std::string>()] = entry.second.as<std::string>("");
}

std::string source_file(const std::string& path) {
  const std::string text = archsim::testing::read_file(std::string(ARCHSIM_SOURCE_DIR) + "/" + path);
  REQUIRE_MESSAGE(!text.empty(), "cannot read " << path);
  return text;
}

}  // namespace

TEST_CASE("ci recipes: the shell reading finds archsim commands and their arguments, and a wrong one fails to parse") {
  const auto commands = archsim_commands(
      "mkdir -p out # archsim here is a comment\n"
      "(cd base && archsim run \"$SCENARIO\" --out out/base --format text) || [ $? -eq 1 ]\n"
      "x=$(archsim diff a b --format markdown 2>&1 | tee log) ; if archsim --version >/dev/null; then echo archsim; fi");
  REQUIRE(commands.size() == 3);
  CHECK(commands[0] == std::vector<std::string>{"run", "x", "--out", "out/base", "--format", "text"});
  CHECK(commands[1] == std::vector<std::string>{"diff", "a", "b", "--format", "markdown"});
  CHECK(commands[2] == std::vector<std::string>{"--version"});
  for (const auto& c : commands) CHECK(parse_problem(c) == "");
  CHECK(parse_problem({"run", "x", "--format", "xml"}) != "");
  CHECK(parse_problem({"diff", "a", "b", "--comment-everywhere"}) != "");
  CHECK(parse_problem({"simulate", "x"}) != "");
  // A recipe's own variable reads as its value, so a value the CLI refuses fails.
  const auto diff = archsim_commands("archsim diff a b --comment-only-if \"$WHEN\" --out \"${OUT}/x\"", {{"WHEN", "changed"}, {"OUT", "o"}});
  REQUIRE(diff.size() == 1);
  CHECK(diff[0] == std::vector<std::string>{"diff", "a", "b", "--comment-only-if", "changed", "--out", "o/x"});
  CHECK(parse_problem(archsim_commands("archsim diff a b --comment-only-if $WHEN", {{"WHEN", "sometimes"}})[0]) != "");
}

TEST_CASE("ci recipes: the GitHub Actions workflow runs on pull requests, comments once, uploads SARIF and JUnit, with real archsim commands") {
  const std::string path = "ci/github/archsim.yml";
  const YAML::Node workflow = YAML::Load(source_file(path));
  REQUIRE(workflow.IsMap());
  REQUIRE(workflow["on"]);
  CHECK(workflow["on"]["pull_request"]);
  REQUIRE(workflow["jobs"].IsMap());
  REQUIRE(workflow["jobs"].size() >= 1);
  Uses uses;
  Variables workflow_variables;
  add_variables(workflow["env"], workflow_variables);
  std::multiset<std::string> actions;
  std::map<std::string, std::string> step_scripts;  // id -> run
  for (const auto& job : workflow["jobs"]) {
    const std::string job_name = job.first.as<std::string>();
    INFO(path, ": job ", job_name);
    CHECK(job.second["runs-on"].IsScalar());
    REQUIRE(job.second["steps"].IsSequence());
    Variables job_variables = workflow_variables;
    add_variables(job.second["env"], job_variables);
    for (const auto& step : job.second["steps"]) {
      REQUIRE(step.IsMap());
      Variables variables = job_variables;
      add_variables(step["env"], variables);
      CHECK((step["run"] ? 1 : 0) + (step["uses"] ? 1 : 0) == 1);
      if (step["uses"]) {
        const auto action = step["uses"].as<std::string>();
        CHECK_MESSAGE(action.find('@') != std::string::npos, action << " is not pinned to a version");
        actions.insert(action.substr(0, action.find('@')));
      }
      if (step["run"]) {
        const auto script = step["run"].as<std::string>();
        check_shell(path + ": " + step["name"].as<std::string>(""), script, variables, uses);
        if (step["id"]) step_scripts[step["id"].as<std::string>()] = script;
      }
    }
  }
  check_uses(path, uses);
  CHECK(actions.count("actions/checkout") == 2);
  CHECK(actions.count("github/codeql-action/upload-sarif") == 1);
  CHECK(actions.count("actions/github-script") == 1);
  const std::string text = source_file(path);
  CHECK(text.find("github.event.pull_request.base.sha") != std::string::npos);
  // The comment is found again by archsim's marker and edited, not added per push.
  CHECK(text.find("<!-- archsim:") != std::string::npos);
  CHECK(text.find("updateComment") != std::string::npos);
  CHECK(text.find("junit.xml") != std::string::npos);
  // Every step output read (`steps.<id>.outputs.<name>`) is written by that step.
  static const std::regex output_read(R"(steps\.([\w-]+)\.outputs\.([\w-]+))");
  int read = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), output_read); it != std::sregex_iterator(); ++it, ++read) {
    const std::string id = (*it)[1], output = (*it)[2];
    INFO("steps.", id, ".outputs.", output);
    REQUIRE(step_scripts.count(id) == 1);
    CHECK(step_scripts[id].find(output + "=") != std::string::npos);
  }
  CHECK(read >= 2);
}

TEST_CASE("ci recipes: the GitLab CI job runs on merge requests, updates its note, reports JUnit, with real archsim commands") {
  const std::string path = "ci/gitlab/archsim.gitlab-ci.yml";
  const YAML::Node pipeline = YAML::Load(source_file(path));
  REQUIRE(pipeline.IsMap());
  REQUIRE(pipeline["stages"].IsSequence());
  std::set<std::string> stages;
  for (const auto& s : pipeline["stages"]) stages.insert(s.as<std::string>());
  Uses uses;
  int jobs = 0;
  for (const auto& entry : pipeline) {
    const std::string name = entry.first.as<std::string>();
    if (name == "stages" || name == "variables" || name == "include" || name == "default") continue;
    INFO(path, ": job ", name);
    const YAML::Node& job = entry.second;
    ++jobs;
    Variables variables;
    add_variables(pipeline["variables"], variables);
    add_variables(job["variables"], variables);
    REQUIRE(job["stage"]);
    CHECK(stages.count(job["stage"].as<std::string>()) == 1);
    REQUIRE(job["script"].IsSequence());
    bool merge_requests = false;
    for (const auto& rule : job["rules"]) merge_requests |= rule["if"].as<std::string>("").find("merge_request_event") != std::string::npos;
    CHECK(merge_requests);
    for (const char* part : {"before_script", "script"}) {
      for (const auto& line : job[part]) check_shell(path + ": " + part, line.as<std::string>(), variables, uses);
    }
    CHECK(job["artifacts"]["reports"]["junit"].as<std::string>("").ends_with("junit.xml"));
  }
  CHECK(jobs == 1);
  check_uses(path, uses);
  const std::string text = source_file(path);
  CHECK(text.find("CI_MERGE_REQUEST_DIFF_BASE_SHA") != std::string::npos);
  CHECK(text.find("<!-- archsim:") != std::string::npos);
  CHECK(text.find("--request PUT") != std::string::npos);
}
