#include "explore_command.hpp"

#include <chrono>
#include <limits>
#include <thread>

#include <fmt/format.h>

#include "archsim/cli.hpp"
#include "archsim/explore/explore.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/reports/atomic_file.hpp"
#include "archsim/reports/explore_report.hpp"
#include "archsim/sim/workload.hpp"
#include "output.hpp"
#include "price_command.hpp"

namespace archsim::cli {

namespace {
explore::MpiSession* g_mpi_session = nullptr;
}  // namespace

void use_mpi_session(explore::MpiSession* session) { g_mpi_session = session; }

void setup_explore(CLI::App& app, ExploreOptions& options) {
  auto* c = app.add_subcommand("explore", "Search the scenario's explore: space for the Pareto front and the best variant meeting every criterion");
  add_scenario_input(*c, options.file, options.allow_outside_paths);
  c->add_flag("--strict", options.strict, "Treat unknown keys as errors");
  add_price_book_option(*c, options.price_book_dir);
  c->add_option("--format", options.format, "Output format: text, json (archsim.explore/1), markdown (a pull-request comment), html")
      ->check(CLI::IsMember({"text", "json", "markdown", "html"}));
  c->add_option("-o,--output", options.output, "Write the output to this file (atomically) instead of stdout");
  c->add_option("--out", options.out_dir, "Also write explore.json, explore.md and explore.html to this folder");
  c->add_option("--seed", options.seed, "Override workload.seed (a whole number from 0 to 2^64 - 1)")
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  c->add_option("--horizon", options.horizon, "Override workload.horizon for every evaluation (e.g. 7d)");
  c->add_option("--threads", options.threads, "Evaluate this many variants at once (default: every core; output is identical)")
      ->check(whole_number(256) & CLI::Range(1, 256));
  c->add_option("--max-variants", options.max_variants,
                "Evaluate up to this many variants exhaustively (overrides explore.search.max_variants; docs/explore.md)")
      ->check(whole_number(1'000'000'000) & CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
}

int run_explore(const ExploreOptions& options, std::ostream& out, std::ostream& given_err) {
  // Under mpirun every rank reads the same inputs; only rank 0 speaks and writes.
  const bool over_mpi = g_mpi_session != nullptr && g_mpi_session->size() > 1;
  const bool worker = over_mpi && g_mpi_session->rank() > 0;
  std::ostream silent(nullptr);
  std::ostream& err = worker ? silent : given_err;
  const Loaded loaded = load(options.file, {options.strict, options.allow_outside_paths});
  const model::ScenarioSpec* usable = usable_scenario(loaded, err);
  if (usable == nullptr) return kBadInput;
  auto pricing = prepare_scenario_pricing(*usable, err, options.price_book_dir);
  if (!pricing) return kBadInput;
  model::Diagnostics diagnostics;
  auto made = explore::make_explore_inputs(*usable, loaded.facts, {options.strict, options.allow_outside_paths, {}}, std::move(*pricing), diagnostics);
  print_diagnostics(err, diagnostics.all());
  if (!made) return kBadInput;
  explore::ExploreInputs& inputs = *made;
  inputs.seed = options.seed;
  if (options.max_variants) inputs.spec.max_variants = *options.max_variants;
  if (!horizon_option(options.horizon, inputs.workload, "explore", inputs.horizon, err)) return kBadInput;
  // The budget bounds what the search may simulate: the whole space when exhaustive, NSGA-II's
  // population x (generations + 1) when it breeds.
  const std::uint64_t size = inputs.spec.space_size(), budget = explore::evaluation_budget(inputs.spec);
  if (budget > inputs.spec.max_variants) {
    const std::string shown = size == std::numeric_limits<std::uint64_t>::max() ? std::string("more than 1.8e19") : std::to_string(size);
    const std::string message =
        explore::uses_nsga2(inputs.spec)
            ? fmt::format("NSGA-II would evaluate up to {} variants (population {} x {} generations + 1) of a space of {}, more than the {} allowed; "
                          "raise it with --max-variants {} (or explore.search.max_variants), or lower explore.search.population or generations",
                          budget, inputs.spec.population, inputs.spec.generations, shown, inputs.spec.max_variants, budget)
            : fmt::format("the space has {} variants, more than the {} an exhaustive search may evaluate; raise it with --max-variants {} "
                          "(or explore.search.max_variants), use explore.search.method: nsga2, or narrow the dimensions",
                          shown, inputs.spec.max_variants, shown);
    err << model::format_diagnostic(usable->located(
               model::Diagnostic{model::Severity::Error, usable->sources.locate("explore.dimensions"), "explore.dimensions", message}))
        << "\n";
    return kBadInput;
  }
  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const explore::EvaluateFn evaluate = [&inputs](const std::string& task) { return explore::evaluate_task(inputs, task); };
  if (worker) {
    explore::serve_tasks(evaluate, *g_mpi_session);
    return kOk;
  }
  std::unique_ptr<explore::BatchRunner> runner =
      over_mpi ? std::unique_ptr<explore::BatchRunner>(explore::make_mpi_runner(evaluate, *g_mpi_session)) : explore::make_thread_runner(evaluate, threads);
  const auto start = std::chrono::steady_clock::now();
  reports::ExploreReport report;
  try {
    report = explore::run_explore(inputs, *runner, [&](const explore::ExploreProgress& p) {
      if (!options.progress && p.done != p.total) return;
      const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (p.done == p.total) {
        err << fmt::format("archsim explore: {} done: {} evaluations, {} on the front so far ({:.0f} s)\n", p.stage, p.total, p.front, elapsed);
      } else if (p.done > 0) {
        const double eta = elapsed / static_cast<double>(p.done) * static_cast<double>(p.total - p.done);
        err << fmt::format("\rarchsim explore: {} {}/{} evaluated, ETA {:.0f} s   ", p.stage, p.done, p.total, eta) << std::flush;
      }
    });
  } catch (const std::runtime_error& e) {
    err << e.what() << "\n";
    return kBadInput;
  }
  const auto render = [&](const std::string& format) -> std::string {
    if (format == "json") return json_text(reports::explore_json(report, ARCHSIM_VERSION));
    if (format == "markdown") return reports::render_explore_markdown(report, ARCHSIM_VERSION);
    if (format == "html") return reports::render_explore_html(report, ARCHSIM_VERSION);
    return reports::render_explore_text(report);
  };
  if (!options.output.empty()) {
    if (const std::string problem = reports::file_target_problem(options.output); !problem.empty()) {
      err << "archsim: cannot write " << options.output << ": " << problem << "\n";
      return kBadInput;
    }
  }
  if (!options.out_dir.empty()) {
    std::vector<reports::OutputFile> files{{"explore.json", render("json")}, {"explore.md", render("markdown")}, {"explore.html", render("html")}};
    const auto ours = [](std::string_view name) { return name == "explore.json" || name == "explore.md" || name == "explore.html"; };
    if (const std::string problem = reports::replace_directory_atomically(options.out_dir, files, ours); !problem.empty()) {
      err << "archsim explore: cannot write --out " << options.out_dir << ": " << problem << "\n";
      return kBadInput;
    }
  }
  if (!emit(render(options.format), options.output, out, err)) return kBadInput;
  return report.best ? kOk : kFindings;
}

}  // namespace archsim::cli
