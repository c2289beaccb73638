#include "graph_command.hpp"

#include <algorithm>

#include "archsim/cli.hpp"
#include "archsim/model/graph.hpp"
#include "archsim/reports/diagram.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_graph(CLI::App& app, GraphOptions& options) {
  auto* cmd = app.add_subcommand("graph", "Draw an alternative's topology: zones and subnets as groups");
  add_scenario_input(*cmd, options.file, options.allow_outside_paths);
  cmd->add_option("-a,--alternative", options.alternative, "Alternative id (default: the chosen one, else the first)");
  cmd->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"mermaid", "dot"}));
  cmd->add_option("-o,--output", options.output, "Write the drawing to this file (atomically) instead of stdout");
}

int run_graph(const GraphOptions& options, std::ostream& out, std::ostream& err) {
  const Loaded loaded = load(options.file, {false, options.allow_outside_paths});
  if (!loaded.result.ok()) {
    print_diagnostics(err, loaded.result.diagnostics.all());
    return kBadInput;
  }
  const model::ScenarioSpec& scenario = *loaded.result.scenario;
  const model::AlternativeSpec* alt = nullptr;
  if (!options.alternative.empty()) {
    alt = scenario.alternative(options.alternative);
    if (alt == nullptr) {
      std::vector<std::string> ids;
      for (const auto& a : scenario.alternatives) ids.push_back(a.id);
      err << "archsim graph: " << model::escape_controls(options.file) << " has no alternative '" << model::escape_controls(options.alternative) << "'"
          << model::did_you_mean(options.alternative, ids) << "\n";
      return kBadInput;
    }
  } else {
    const auto chosen = std::find_if(scenario.alternatives.begin(), scenario.alternatives.end(),
                                     [](const model::AlternativeSpec& a) { return a.status == model::DecisionStatus::Chosen; });
    alt = chosen != scenario.alternatives.end() ? &*chosen : &scenario.alternatives.front();
  }
  const model::ArchGraph graph = model::build_graph(alt->topology);
  const std::string content = options.format == "dot" ? reports::render_dot(alt->topology, graph, scenario.name + " / " + alt->id)
                                                      : reports::render_mermaid(alt->topology, graph);
  return emit(content, options.output, out, err) ? kOk : kBadInput;
}

}  // namespace archsim::cli
