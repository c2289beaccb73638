#include "fixture.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

namespace archsim::testing {

const model::AwsFacts& facts() {
  static const model::AwsFacts parsed = model::builtin_aws_facts();
  return parsed;
}

model::LoadResult load_text(const std::string& text, const model::LoadOptions& options) {
  return model::load_scenario_text(text, "test.yaml", std::string(ARCHSIM_SOURCE_DIR) + "/tests/support", facts(),
                                   options);
}

model::LoadResult load_good(const std::string& overrides) {
  std::string text =
      "archsim: 1\n"
      "name: fixture\n"
      "region: us-east-1\n"
      "alternatives:\n"
      "  good:\n"
      "    title: reference design\n"
      "    status: chosen\n"
      "    topology: good_topology.yaml\n";
  if (!overrides.empty()) {
    text += "    overrides:\n";
    std::size_t start = 0;
    while (start < overrides.size()) {
      const auto end = overrides.find('\n', start);
      text += "      " + overrides.substr(start, end - start) + "\n";
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return load_text(text);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string diagnostics_text(const model::LoadResult& loaded) {
  std::string out;
  for (const auto& d : loaded.diagnostics.all()) out += model::format_diagnostic(d) + "\n";
  return out;
}

std::vector<model::Finding> review(const model::LoadResult& loaded) {
  INFO(diagnostics_text(loaded));
  REQUIRE(loaded.ok());
  return model::review_scenario(*loaded.scenario, facts());
}

std::vector<std::string> rule_ids(const std::vector<model::Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) ids.push_back(f.rule);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace archsim::testing
