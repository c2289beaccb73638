#include "import_command.hpp"

#include <map>
#include <optional>

#include <fmt/format.h>

#include "archsim/cli.hpp"
#include "archsim/model/aws_facts.hpp"
#include "archsim/model/import.hpp"
#include "archsim/model/load.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_import(CLI::App& app, ImportOptions& options) {
  auto* import = app.add_subcommand("import", "Turn infrastructure code (a Terraform plan or state) into an archsim topology");
  import->add_option("kind", options.kind,
                     "What FILE is: terraform (the JSON of `terraform show -json`) or cloudformation (a template, JSON or YAML)")
      ->required()
      ->check(CLI::IsMember({"terraform", "cloudformation"}));
  import->add_option("file", options.file, "The file to import")->required();
  import->add_option("--parameter", options.parameters,
                     "cloudformation: a template parameter's value, Key=Value (repeatable; AWS::Region=<region> gives the region)");
  import->add_option("--against", options.against,
                     "A scenario: print what differs between its chosen alternative's topology and the imported one; exit 1 if anything does");
  import->add_option("-o,--output", options.output, "Write the topology to this file (atomically) instead of stdout");
}

namespace {

constexpr std::string_view kNoDrift = "  none: the code matches the scenario's topology\n";

/// `a, b` of a list of ids, or "none".
std::string ids(const std::vector<std::string>& list) { return list.empty() ? "none" : fmt::format("{}", fmt::join(list, ", ")); }

/// Every entity id of a topology by the section it is in (`subnets`, `components`).
std::map<std::string, std::map<std::string, std::string>> entities(const model::TopologySpec& t) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& v : t.vpcs) out["vpcs"][v.id] = v.cidr.text;
  for (const auto& s : t.subnets) out["subnets"][s.id] = fmt::format("{} {} route table {}", s.zone, s.cidr.text, s.route_table.empty() ? "(main)" : s.route_table);
  for (const auto& r : t.route_tables) {
    std::vector<std::string> routes;
    for (const auto& route : r.routes) {
      const char* target = route.target == model::RouteTarget::Local ? "local"
                           : route.target == model::RouteTarget::InternetGateway ? "internet gateway"
                           : "";
      routes.push_back(fmt::format("{} -> {}", route.destination.text, *target ? std::string(target) : route.target_id));
    }
    out["route_tables"][r.id] = ids(routes);
  }
  for (const auto& g : t.security_groups) out["security_groups"][g.id] = fmt::format("{} ingress, {} egress rules", g.ingress.size(), g.egress.size());
  for (const auto& id : t.component_order) {
    const auto c = t.component(id);
    std::string detail(model::type_keyword(c->type));
    if (const auto* s = t.ecs_service(id)) {
      detail += fmt::format(" {:g} vCPU {} x{} ({}..{}) in {}", s->vcpu, model::format_bytes(s->memory), s->desired_count, s->min_count, s->max_count,
                            ids(s->subnets));
    } else if (const auto* lb = t.load_balancer(id)) {
      detail += " in " + ids(lb->subnets);
    }
    out["components"][id] = detail;
  }
  for (const auto& r : t.routes) {
    std::vector<std::string> hops;
    for (const auto& h : r.hops) hops.push_back(h.component);
    out["routes"][r.id] = fmt::format("{}", fmt::join(hops, " -> "));
  }
  out["zones"][""] = ids(t.zones);
  return out;
}

}  // namespace

std::optional<std::string> topology_drift(const std::string& scenario_file, const std::string& imported_yaml, std::ostream& err) {
  const Loaded hand = load(scenario_file, {});
  const model::ScenarioSpec* scenario = usable_scenario(hand, err);
  if (scenario == nullptr) return std::nullopt;
  const model::AlternativeSpec* alt = nullptr;
  for (const auto& a : scenario->alternatives) {
    if (alt == nullptr || a.status == model::DecisionStatus::Chosen) alt = &a;
    if (a.status == model::DecisionStatus::Chosen) break;
  }
  // The imported topology, loaded as a scenario of its own with the same checks.
  std::string text = fmt::format("archsim: 1\nname: imported\nregion: {}\nalternatives:\n  imported:\n    title: imported\n    topology:\n",
                                 scenario->region);
  for (std::size_t at = 0; at < imported_yaml.size();) {
    const std::size_t end = imported_yaml.find('\n', at);
    const std::string line = imported_yaml.substr(at, end == std::string::npos ? std::string::npos : end - at);
    text += (line.empty() ? "" : "      " + line) + "\n";
    at = end == std::string::npos ? imported_yaml.size() : end + 1;
  }
  const model::AwsFacts facts = model::builtin_aws_facts();
  const model::LoadResult imported = model::load_scenario_text(text, "<imported>", ".", facts);
  if (!imported.ok()) {
    print_diagnostics(err, imported.diagnostics.all());
    return std::nullopt;
  }
  const auto was = entities(alt->topology);
  const auto now = entities(imported.scenario->alternatives.front().topology);
  std::string report = fmt::format("drift of {} (alternative {}) against the imported code:\n", model::escape_controls(scenario_file), alt->id);
  for (const char* section : {"zones", "vpcs", "subnets", "route_tables", "security_groups", "components", "routes"}) {
    const auto w = was.contains(section) ? was.at(section) : std::map<std::string, std::string>{};
    const auto n = now.contains(section) ? now.at(section) : std::map<std::string, std::string>{};
    for (const auto& [id, detail] : w) {
      const std::string name = id.empty() ? std::string(section) : fmt::format("{}.{}", section, id);
      if (!n.contains(id)) report += fmt::format("  missing from the code: {} ({})\n", name, detail);
      else if (n.at(id) != detail) report += fmt::format("  changed: {}: {} -> {}\n", name, detail, n.at(id));
    }
    for (const auto& [id, detail] : n) {
      if (!w.contains(id)) report += fmt::format("  only in the code: {}.{} ({})\n", section, id, detail);
    }
  }
  if (report.find("\n  ") == std::string::npos) report += kNoDrift;
  return report;
}

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  const std::string shown = model::escape_controls(options.file);
  std::map<std::string, std::string> parameters;
  if (!template_parameters(options.parameters, "import", parameters, err)) return kBadInput;
  if (options.kind == "terraform" && !parameters.empty()) {
    err << "archsim import: error: --parameter is for CloudFormation templates; a Terraform plan has its variables' values\n";
    return kBadInput;
  }
  const model::ImportedTopology imported = options.kind == "cloudformation"
                                               ? model::import_cloudformation_file(options.file, shown, parameters)
                                               : model::import_terraform_file(options.file, shown);
  print_diagnostics(err, imported.diagnostics.all());
  if (!imported.ok()) return kBadInput;
  // What the import writes must load: a value the code holds that archsim refuses (a strategy
  // weight of -1, two bases) is an error at its place in the plan or template, as `archsim
  // validate FILE` reports it, and nothing is written. (A topology with no region, or only a
  // network, is checked when a scenario names its region or adds the components.)
  if (imported.topology && imported.topology->find("region") != nullptr && imported.topology->find("components") != nullptr) {
    model::LoadOptions load_options;
    load_options.template_parameters = parameters;
    const model::LoadResult loaded = model::load_imported_topology(model::ImportedTopology(imported), options.file, options.kind == "cloudformation",
                                                                   model::builtin_aws_facts(), load_options);
    if (!loaded.ok()) {
      // The check loads the topology as a scenario's one alternative; the file written is the
      // topology, so its paths start there.
      const std::string wrapper = fmt::format("alternatives.{}.topology.", options.kind == "cloudformation" ? "template" : "plan");
      std::vector<model::Diagnostic> errors;
      for (auto d : loaded.diagnostics.all()) {
        if (d.severity != model::Severity::Error) continue;
        if (d.path.starts_with(wrapper)) d.path.erase(0, wrapper.size());
        errors.push_back(std::move(d));
      }
      print_diagnostics(err, errors);
      return kBadInput;
    }
  }
  const std::string yaml = model::write_topology_yaml(imported, shown);
  if (options.against.empty()) return emit(yaml, options.output, out, err) ? kOk : kBadInput;
  const auto drift = topology_drift(options.against, yaml, err);
  if (!drift) return kBadInput;
  if (!options.output.empty() && !emit(yaml, options.output, out, err)) return kBadInput;
  out << *drift;
  return drift->ends_with(kNoDrift) ? kOk : kFindings;
}

}  // namespace archsim::cli
