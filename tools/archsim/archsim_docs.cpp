// archsim_docs OUTDIR: writes the man page and the bash, zsh and fish completions under OUTDIR
// in the layout `cmake --install` copies (share/man/man1/archsim.1, ...). Run by the build,
// so the files always describe the parser of the binary beside them.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli_app.hpp"
#include "shell_docs.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: archsim_docs OUTDIR\n";
    return 2;
  }
  namespace cli = archsim::cli;
  CLI::App app;
  cli::CliOptions options;
  cli::setup_cli(app, options);
  const cli::CliDoc doc = cli::describe_cli(app);
  const std::filesystem::path root = argv[1];
  const std::pair<std::filesystem::path, std::string> files[] = {
      {"share/man/man1/archsim.1", cli::man_page(doc, ARCHSIM_VERSION)},
      {"share/bash-completion/completions/archsim", cli::bash_completion(doc)},
      {"share/zsh/vendor-completions/_archsim", cli::zsh_completion(doc)},
      {"share/fish/vendor_completions.d/archsim.fish", cli::fish_completion(doc)},
  };
  for (const auto& [path, text] : files) {
    std::filesystem::create_directories((root / path).parent_path());
    std::ofstream out(root / path, std::ios::binary);
    out << text;
    if (!out.flush()) {
      std::cerr << "archsim_docs: cannot write " << (root / path).string() << "\n";
      return 1;
    }
  }
  return 0;
}
