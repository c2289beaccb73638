#include "import_command.hpp"

#include "archsim/cli.hpp"
#include "archsim/model/import.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"

namespace archsim::cli {

void setup_import(CLI::App& app, ImportOptions& options) {
  auto* import = app.add_subcommand("import", "Turn infrastructure code (a Terraform plan or state) into an archsim topology");
  import->add_option("kind", options.kind, "What FILE is: terraform (the JSON of `terraform show -json`)")
      ->required()
      ->check(CLI::IsMember({"terraform"}));
  import->add_option("file", options.file, "The file to import")->required();
  import->add_option("-o,--output", options.output, "Write the topology to this file (atomically) instead of stdout");
}

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  const std::string shown = model::escape_controls(options.file);
  const model::ImportedTopology imported = model::import_terraform_file(options.file, shown);
  for (const auto& d : imported.diagnostics.all()) err << model::format_diagnostic(d) << "\n";
  if (!imported.ok()) return kBadInput;
  if (!emit(model::write_topology_yaml(imported, shown), options.output, out, err)) return kBadInput;
  return kOk;
}

}  // namespace archsim::cli
