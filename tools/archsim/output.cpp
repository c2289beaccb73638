#include "output.hpp"

#include "archsim/reports/atomic_file.hpp"

namespace archsim::cli {

Loaded load(const std::string& file, bool strict) {
  Loaded loaded{model::builtin_aws_facts(), {}};
  loaded.result = model::load_scenario(file, loaded.facts, model::LoadOptions{strict});
  return loaded;
}

const model::ScenarioSpec* usable_scenario(const Loaded& loaded, std::ostream& err) {
  if (loaded.result.ok()) return &*loaded.result.scenario;
  for (const auto& d : loaded.result.diagnostics.all()) err << model::format_diagnostic(d) << "\n";
  return nullptr;
}

bool emit(const std::string& content, const std::string& output_file, std::ostream& out, std::ostream& err) {
  if (output_file.empty()) {
    out << content;
    return static_cast<bool>(out);
  }
  const std::string problem = reports::write_file_atomically(output_file, content);
  if (!problem.empty()) {
    err << "archsim: cannot write " << output_file << ": " << problem << "\n";
    return false;
  }
  return true;
}

}  // namespace archsim::cli
