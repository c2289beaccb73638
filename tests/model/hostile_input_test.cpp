// Issue 19, part B: hostile and absurd input. Each case is refused with exit-2 material (a
// located diagnostic), never a crash, a hang, a memory blow-up or a silent default.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include "archsim/model/input_file.hpp"
#include "archsim/model/input_limits.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/model/yaml_tree.hpp"
#include "fixture.hpp"

using namespace archsim::model;
using archsim::testing::diagnostics_text;
using archsim::testing::load_text;

namespace {

bool has(const Diagnostics& d, const std::string& text) {
  const auto& all = d.all();
  return std::any_of(all.begin(), all.end(), [&](const Diagnostic& x) { return format_diagnostic(x).find(text) != std::string::npos; });
}

bool has(const LoadResult& r, const std::string& text) { return has(r.diagnostics, text); }

/// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) : path(std::filesystem::temp_directory_path() / ("archsim-hostile-" + name)) {
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

const std::string kHead = "archsim: 1\nname: x\nregion: us-east-1\n";

std::string scenario_with_topology(const std::string& topology) {
  return kHead + "alternatives:\n  a:\n    title: t\n    topology: " + topology + "\n";
}

}  // namespace

TEST_CASE("hostile: an alias that contains itself is refused where it is, not expanded for ever") {
  Diagnostics d;
  const auto start = std::chrono::steady_clock::now();
  parse_yaml("x: &a [*a, *a]\n", "self.yaml", d);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  INFO(diagnostics_text(LoadResult{std::nullopt, d}));
  CHECK(d.has_errors());
  CHECK(d.all().front().loc.line == 1);
}

TEST_CASE("hostile: a billion laughs stops at the expanded-node budget, with the place it was reached") {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    text += fmt::format("a{}: &a{} [", i, i);
    for (int k = 0; k < 10; ++k) text += fmt::format("{}*a{}", k ? ", " : "", i - 1);
    text += "]\n";
  }
  Diagnostics d;
  const auto start = std::chrono::steady_clock::now();
  parse_yaml(text, "laughs.yaml", d);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  REQUIRE(d.has_errors());
  CHECK(has(d, fmt::format("more than {} YAML nodes (maps, lists and values; an alias counts every node it copies)", limits::kMaxYamlNodes)));
  CHECK(d.all().front().loc.known());
  // A file without aliases (a Terraform plan is JSON) is not told about them.
  std::string flat = "[";
  for (std::size_t i = 0; i <= limits::kMaxYamlNodes; ++i) flat += i ? ",1" : "1";
  Diagnostics big;
  parse_yaml(flat + "]", "plan.json", big);
  CHECK(has(big, fmt::format("more than {} nodes (maps, lists and values): archsim's limit against runaway files", limits::kMaxYamlNodes)));
  CHECK_FALSE(has(big, "alias"));
  // Aliases within the budget still work.
  Diagnostics fine;
  const auto root = parse_yaml("base: &b {x: 1}\ncopy: *b\n", "ok.yaml", fine);
  REQUIRE(root);
  CHECK_FALSE(fine.has_errors());
  CHECK(root->find("copy")->find("x")->scalar == "1");
}

TEST_CASE("hostile: deep flow nesting is an error, not a stack overflow") {
  for (std::size_t depth : {100u, 100'000u}) {
    Diagnostics d;
    const std::string deep = std::string(depth, '[') + std::string(depth, ']');
    CHECK_NOTHROW(parse_yaml(deep, "deep.yaml", d));
    CHECK(d.has_errors());
  }
}

TEST_CASE("hostile: an over-long key is refused at the key; did-you-mean never compares long words") {
  Diagnostics d;
  parse_yaml("a: 1\n" + std::string(500, 'k') + ": 2\n", "long.yaml", d);
  CHECK(has(d, "long.yaml:2:1: error: a key of 500 bytes, over the 128-byte limit for keys and ids"));
  // yaml-cpp refuses a key over 1024 characters itself, quoted or not: a syntax error, located.
  for (const std::string& key : {std::string(1'000'000, 'k'), "\"" + std::string(1'000'000, 'k') + "\""}) {
    Diagnostics huge;
    CHECK_FALSE(parse_yaml("a: 1\n" + key + ": 2\n", "huge.yaml", huge));
    CHECK(has(huge, "huge.yaml:2:"));
  }
  // A long unknown word against many candidates: no suggestion, and no quadratic matrix.
  const std::vector<std::string> candidates(100, std::string(100, 'k'));
  CHECK(closest_match(std::string(100, 'k'), candidates).empty());
  CHECK(closest_match("mian", {"main", "other"}) == "main");
  // Case is the likeliest slip in an AWS keyword, however many letters it touches.
  CHECK(closest_match("fargate_spot", {"FARGATE", "FARGATE_SPOT"}) == "FARGATE_SPOT");
  CHECK(closest_match("Standard_Infrequent_Access", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"}) == "STANDARD_INFREQUENT_ACCESS");
  // A whole file of one key is over the file cap before anything is parsed.
  Diagnostics big;
  CHECK_FALSE(parse_yaml(std::string(limits::kMaxYamlFileBytes + 1, 'k') + ": 1\n", "big.yaml", big));
  CHECK(has(big, "over the 1048576-byte limit"));
}

TEST_CASE("hostile: names, titles and values have length caps, reported where they are written") {
  const auto long_name = load_text(scenario_with_topology("good_topology.yaml").replace(kHead.find("name: x"), 7,
                                                                                        "name: " + std::string(300, 'n')));
  CHECK(has(long_name, "test.yaml:2:7: name: error: a name or title is at most 200 bytes long"));
  const auto huge_value = load_text(kHead + "description: " + std::string(limits::kMaxScalarBytes + 1, 'd') +
                                    "\nalternatives:\n  a: {title: t, topology: good_topology.yaml}\n");
  CHECK(has(huge_value, "test.yaml:4:14: error: a value of 65537 bytes, over the 65536-byte limit for one value"));
}

TEST_CASE("hostile: bytes that are not UTF-8 text are refused with their line and column") {
  const auto latin1 = load_text("archsim: 1\nname: caf\xe9\nregion: us-east-1\n");
  CHECK(has(latin1, "test.yaml:2:10: error: byte 0xE9 is not valid UTF-8"));
  const auto nul = load_text(std::string("archsim: 1\nname: a\0b\n", 20));
  CHECK(has(nul, "test.yaml:2:8: error: NUL byte in the file"));
  const auto esc = load_text("archsim: 1\nname: a\x1b[31mred\n");
  CHECK(has(esc, "test.yaml:2:8: error: control character U+001B in the file"));
  // An escape in a double-quoted scalar makes the same character after the byte check.
  const auto escaped = load_text(kHead + "description: \"\\e[2J\"\nalternatives:\n  a: {title: t, topology: good_topology.yaml}\n");
  CHECK(has(escaped, "test.yaml:4:14: error: control character U+001B in a value"));
  const auto surrogate = load_text(kHead + "description: \"\\ud800\"\nalternatives:\n  a: {title: t, topology: good_topology.yaml}\n");
  CHECK_FALSE(surrogate.ok());
  // Multi-line prose and tabs are fine.
  Diagnostics prose;
  CHECK(parse_yaml("d: |\n  one\n  two\tthree\n", "p.yaml", prose));
  CHECK_FALSE(prose.has_errors());
}

TEST_CASE("hostile: a second YAML document is refused where it starts") {
  const auto two = load_text(scenario_with_topology("good_topology.yaml") + "---\nname: y\n");
  CHECK(has(two, "test.yaml:8:1: error: a second YAML document starts here"));
  Diagnostics empty_second;
  parse_yaml("a: 1\n---\n", "e.yaml", empty_second);
  CHECK(has(empty_second, "e.yaml:2:1: error: a second YAML document"));
}

TEST_CASE("hostile: an alternative id must be a portable file name; any id is one printable word") {
  for (const char* id : {"\"a/b\"", "\"..\"", "\".hidden\"", "\"a b\""}) {
    CAPTURE(id);
    const auto r = load_text(kHead + "alternatives:\n  " + id + ": {title: t, topology: good_topology.yaml}\n");
    CHECK_FALSE(r.ok());
    CHECK(has(r, "test.yaml:5:3: alternatives: error:"));
    CHECK(has(r, "is not a usable id"));
  }
  const auto long_id = load_text(kHead + "alternatives:\n  " + std::string(65, 'a') + ": {title: t, topology: good_topology.yaml}\n");
  CHECK(has(long_id, "this id names output files, so it is at most 64 bytes long"));
  const auto fine = load_text(kHead + "alternatives:\n  Alt_1.v2-x: {title: t, topology: good_topology.yaml}\n");
  INFO(diagnostics_text(fine));
  CHECK(fine.ok());
}

TEST_CASE("hostile: files a scenario names stay inside its folder unless allowed") {
  for (const char* path : {".." "/cli/outside.yaml", ".." "/../../../../../etc/passwd", "/etc/passwd"}) {
    CAPTURE(path);
    const auto r = load_text(scenario_with_topology(path));
    CHECK(has(r, "test.yaml:7:15: alternatives.a.topology: error: topology file"));
    CHECK(has(r, "leads outside the scenario's folder"));
    CHECK(has(r, "--allow-outside-paths"));
  }
  // `..` that stays inside the tree is fine.
  const auto detour = load_text(scenario_with_topology("../support/good_topology.yaml"));
  INFO(diagnostics_text(detour));
  CHECK(detour.ok());
  // A symbolic link inside the folder that points out of it is caught too.
  TempDir dir("links");
  std::filesystem::create_directories(dir.path / "scenario");
  std::filesystem::copy_file(std::string(ARCHSIM_SOURCE_DIR) + "/tests/support/good_topology.yaml", dir.path / "outside.yaml");
  std::filesystem::create_symlink(dir.path / "outside.yaml", dir.path / "scenario" / "link.yaml");
  std::filesystem::copy_file(std::string(ARCHSIM_SOURCE_DIR) + "/tests/support/good_topology.yaml", dir.path / "scenario" / "inside.yaml");
  std::ofstream(dir.path / "scenario" / "s.yaml") << scenario_with_topology("link.yaml");
  std::ofstream(dir.path / "scenario" / "t.yaml") << scenario_with_topology("inside.yaml");
  const auto linked = load_scenario(dir.path / "scenario" / "s.yaml", archsim::testing::facts());
  CHECK(has(linked, "leads outside the scenario's folder"));
  const auto inside = load_scenario(dir.path / "scenario" / "t.yaml", archsim::testing::facts());
  INFO(diagnostics_text(inside));
  CHECK(inside.ok());
  // Allowed explicitly, the same link (and a plain ../) is read.
  const auto allowed = load_scenario(dir.path / "scenario" / "s.yaml", archsim::testing::facts(), LoadOptions{false, true});
  INFO(diagnostics_text(allowed));
  CHECK(allowed.ok());
}

TEST_CASE("hostile: only regular files are read; a FIFO or a device is refused at once") {
  TempDir dir("fifo");
  const auto fifo = dir.path / "pipe.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  FileProblem problem;
  CHECK_FALSE(read_regular_file(fifo, 1024, problem));
  CHECK(problem.message == "is a FIFO (named pipe), not a regular file");
  CHECK_FALSE(read_regular_file("/dev/zero", 1024, problem));
  CHECK(problem.message == "is a character device, not a regular file");
  CHECK_FALSE(read_regular_file(dir.path, 1024, problem));
  CHECK(problem.message == "is a directory, not a regular file");
  CHECK_FALSE(read_regular_file(dir.path / "missing", 1024, problem));
  CHECK(problem.missing);
  std::ofstream(dir.path / "big") << std::string(2000, 'x');
  CHECK_FALSE(read_regular_file(dir.path / "big", 1024, problem));
  CHECK(problem.message == "is 2000 bytes, over the 1024-byte limit");
  // The scenario itself and an included topology alike.
  const auto scenario = load_scenario(fifo, archsim::testing::facts());
  CHECK(has(scenario, "pipe.yaml: error: cannot read it: is a FIFO (named pipe), not a regular file"));
  std::filesystem::create_directories(dir.path / "s");
  REQUIRE(::mkfifo((dir.path / "s" / "topo.yaml").c_str(), 0600) == 0);
  std::ofstream(dir.path / "s" / "s.yaml") << scenario_with_topology("topo.yaml");
  const auto topology = load_scenario(dir.path / "s" / "s.yaml", archsim::testing::facts());
  CHECK(has(topology, "s.yaml:7:15: alternatives.a.topology: error: topology file 'topo.yaml': cannot read it: is a FIFO"));
}

TEST_CASE("hostile: text from elsewhere is escaped for the terminal and made XML-safe") {
  CHECK(escape_controls("a\x1b[31mb\n\xff") == "a\\x1b[31mb\\n\\xff");
  CHECK(replace_unshowable("a\x01" "b\tc\xff") == "a\xEF\xBF\xBD" "b\tc\xEF\xBF\xBD");
  const Diagnostic d{Severity::Error, SourceLoc{"f\x1b.yaml", 1, 2}, "p", "bad \x1b[2J"};
  CHECK(format_diagnostic(d) == "f\\x1b.yaml:1:2: p: error: bad \\x1b[2J");
  CHECK(file_name_id_problem("ok-id_1.2").empty());
  CHECK_FALSE(file_name_id_problem("a\\b").empty());
  CHECK(utf8_sequence_length("\xed\xa0\x80", 0) == 0);  // a surrogate
  CHECK(utf8_sequence_length("\xc0\xaf", 0) == 0);      // overlong '/'
  CHECK(utf8_sequence_length("\xe2\x82\xac", 0) == 3);  // the euro sign
}

TEST_CASE("hostile: a missing file beside a scenario named without a folder is not found, not outside the folder") {
  // `archsim validate s.yaml` has an empty base folder; the missing file's path stayed relative
  // and matched no absolute root, so it was called outside the folder.
  std::string problem;
  const auto beside = archsim::model::resolve_scenario_path(archsim::model::ScenarioFiles{std::filesystem::path()}, "surely-missing-topology.yaml", problem);
  CHECK_MESSAGE(beside.has_value(), problem);
  const auto below = archsim::model::resolve_scenario_path(archsim::model::ScenarioFiles{std::filesystem::path()}, "no/such/dir/t.yaml", problem);
  CHECK_MESSAGE(below.has_value(), problem);
  const auto above = archsim::model::resolve_scenario_path(archsim::model::ScenarioFiles{std::filesystem::path()}, ".." "/surely-missing.yaml", problem);
  CHECK_FALSE(above.has_value());
  CHECK(problem.find("leads outside the scenario's folder") != std::string::npos);
}

