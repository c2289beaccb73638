#include <doctest/doctest.h>

#include "archsim/model/yaml_tree.hpp"

using namespace archsim::model;

TEST_CASE("yaml: every node keeps its 1-based line and column") {
  Diagnostics d;
  const auto root = parse_yaml("a: 1\nb:\n  c: [x, y]\n", "f.yaml", d);
  REQUIRE(root);
  const YamlNode* c = root->find("b")->find("c");
  REQUIRE(c);
  CHECK(c->loc.line == 3);
  CHECK(c->loc.column == 6);
  CHECK(c->items[1].loc.column == 10);
  CHECK(root->entries[1].key_loc.line == 2);
  CHECK(c->loc.file == "f.yaml");
}

TEST_CASE("yaml: syntax errors and duplicate keys are diagnostics, not exceptions") {
  Diagnostics d;
  CHECK_FALSE(parse_yaml("a: [1, 2\nb: 3\n", "bad.yaml", d));
  REQUIRE(d.size() == 1);
  CHECK(d.all()[0].loc.line > 0);
  Diagnostics dup;
  const auto root = parse_yaml("a: 1\na: 2\n", "dup.yaml", dup);
  REQUIRE(root);
  REQUIRE(dup.size() == 1);
  CHECK(dup.all()[0].message.find("duplicate key 'a'") != std::string::npos);
  CHECK(dup.all()[0].loc.line == 2);
}

TEST_CASE("yaml: nesting and size limits are enforced with a message") {
  Diagnostics d;
  std::string deep(100, '[');
  deep += std::string(100, ']');
  parse_yaml(deep, "deep.yaml", d);
  CHECK(d.has_errors());
  Diagnostics big;
  CHECK_FALSE(parse_yaml(std::string(64, 'x'), "big.yaml", big, YamlLimits{32, 64}));
  CHECK(big.all()[0].message.find("over the 32-byte limit") != std::string::npos);
}

TEST_CASE("yaml: merge patch merges maps, replaces lists and deletes on null (RFC 7396)") {
  Diagnostics d;
  auto target = *parse_yaml("a: {b: 1, c: 2}\nlist: [1, 2]\nkeep: x\n", "t.yaml", d);
  const auto patch = *parse_yaml("a: {b: 9, c: null, d: 4}\nlist: [3]\n", "p.yaml", d);
  merge_patch(target, patch);
  CHECK(target.find("a")->find("b")->scalar == "9");
  CHECK(target.find("a")->find("b")->loc.file == "p.yaml");
  CHECK(target.find("a")->find("c") == nullptr);
  CHECK(target.find("a")->find("d")->scalar == "4");
  CHECK(target.find("list")->items.size() == 1);
  CHECK(target.find("keep")->loc.file == "t.yaml");
}
