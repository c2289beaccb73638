#include "import_command.hpp"

#include <map>

#include "archsim/cli.hpp"
#include "archsim/model/import.hpp"
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
  import->add_option("-o,--output", options.output, "Write the topology to this file (atomically) instead of stdout");
}

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  const std::string shown = model::escape_controls(options.file);
  std::map<std::string, std::string> parameters;
  for (const auto& p : options.parameters) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "archsim import: error: --parameter expects Key=Value, found '" << model::escape_controls(p) << "'\n";
      return kBadInput;
    }
    parameters[p.substr(0, eq)] = p.substr(eq + 1);
  }
  if (options.kind == "terraform" && !parameters.empty()) {
    err << "archsim import: error: --parameter is for CloudFormation templates; a Terraform plan has its variables' values\n";
    return kBadInput;
  }
  const model::ImportedTopology imported = options.kind == "cloudformation"
                                               ? model::import_cloudformation_file(options.file, shown, parameters)
                                               : model::import_terraform_file(options.file, shown);
  for (const auto& d : imported.diagnostics.all()) err << model::format_diagnostic(d) << "\n";
  if (!imported.ok()) return kBadInput;
  if (!emit(model::write_topology_yaml(imported, shown), options.output, out, err)) return kBadInput;
  return kOk;
}

}  // namespace archsim::cli
