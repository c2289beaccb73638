// Design-space search at scale (docs/performance.md, "Design-space search").
//
//   explore_bench SCENARIO BLOCK HORIZON REPLICATIONS [THREADS]
//
// SCENARIO is a seed (its folder, topologies included, is copied to a temporary folder) whose
// explore block is replaced by the one in BLOCK (bench/explore/*.yaml), so a bench space never
// copies a seed's design. Screens every variant of that block exhaustively (REPLICATIONS each, at flow
// fidelity, HORIZON simulated), then confirms only the best one, and prints the screening's wall
// time and evaluations per second. Under `mpirun -np N` the evaluations go to ranks 1..N-1 and
// rank 0 also prints the coordination overhead per evaluation (mpi_runner.hpp's BatchTiming).
// Last, it runs NSGA-II (pagmo2) over the same space on the screening's recorded objectives (no
// new simulation) and prints how many evaluations it needs before its cheapest variant meeting
// every constraint is within 1 % of the exhaustive optimum's cost.
//
// A BLOCK whose `search.method` is `nsga2` (bench/explore/adr0005-1m.yaml, a space too large to
// screen) is searched as written instead: NSGA-II breeds the screening live, a generation per
// batch, and the bench prints the evaluations, the wall time, the best variant meeting every
// constraint at screening, and after how many evaluations the search first held a variant within
// 1 % of that best's cost.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "archsim/explore/explore.hpp"
#include "archsim/explore/mpi_runner.hpp"
#include "archsim/explore/nsga2_search.hpp"
#include "archsim/model/load.hpp"
#include "archsim/pricing/bill.hpp"

using namespace archsim;

namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Times each batch; the first is the screening.
class TimedRunner final : public explore::BatchRunner {
 public:
  explicit TimedRunner(explore::BatchRunner& inner) : inner_(inner) {}
  std::vector<std::string> run(const std::vector<std::string>& tasks, const explore::ProgressFn& progress) override {
    const auto start = std::chrono::steady_clock::now();
    auto results = inner_.run(tasks, progress);
    batches.push_back({tasks.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
    sent.insert(sent.end(), tasks.begin(), tasks.end());
    return results;
  }
  std::string describe() const override { return inner_.describe(); }
  std::size_t evaluators() const override { return inner_.evaluators(); }
  std::vector<std::pair<std::size_t, double>> batches;
  std::vector<std::string> sent;  ///< every task, in the order the batches went out

 private:
  explore::BatchRunner& inner_;
};

/// Whether a screened variant met every constraint at screening.
bool meets_at_screening(const reports::ExploreVariant& v) {
  if (v.feasibility == reports::Feasibility::Rejected || v.evaluations.empty() || !v.evaluations.front().error.empty()) return false;
  for (const auto& [id, verdict] : v.evaluations.front().constraints) {
    if (verdict != reports::Verdict::Pass) return false;
  }
  return true;
}

double screening_cost(const reports::ExploreVariant& v) { return v.evaluations.front().metrics.at("cost.monthly").mean; }

/// An NSGA-II search as the block asks: what it evaluated, and how soon it held its best.
int print_bred_search(const explore::ExploreInputs& inputs, const reports::ExploreReport& report, const TimedRunner& runner, double wall,
                      const char* block, int replications, const char* horizon) {
  std::map<std::uint64_t, const reports::ExploreVariant*> by_index;
  for (const auto& v : report.variants) by_index[v.index] = &v;
  // The screening batches are the generations; the last batch is the confirmation.
  std::vector<std::uint64_t> order;
  for (std::size_t b = 0, at = 0; b + 1 < runner.batches.size(); at += runner.batches[b].first, ++b) {
    for (std::size_t k = at; k < at + runner.batches[b].first; ++k) {
      // A batch cut into slices of replications sends each variant several times in a row.
      const auto index = nlohmann::json::parse(runner.sent[k]).at("variant").get<std::uint64_t>();
      if (order.empty() || order.back() != index || k == at) order.push_back(index);
    }
  }
  double best = std::numeric_limits<double>::infinity();
  for (const auto& v : report.variants) {
    if (meets_at_screening(v)) best = std::min(best, screening_cost(v));
  }
  std::size_t within = 0;
  double held = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < order.size() && within == 0; ++i) {
    const auto* v = by_index.at(order[i]);
    if (meets_at_screening(*v)) held = std::min(held, screening_cost(*v));
    if (held <= best * 1.01) within = i + 1;
  }
  std::printf("%s: NSGA-II (population %zu, %zu generations) over a space of %llu variants, %d replications x %s each, on %s\n", block,
              inputs.spec.population, inputs.spec.generations, static_cast<unsigned long long>(inputs.spec.space_size()), replications, horizon,
              runner.describe().c_str());
  std::printf("evaluated %zu variants (%zu batches) plus the confirmation: %.1f s wall\n", order.size(), runner.batches.size() - 1, wall);
  if (!std::isfinite(best)) {
    std::printf("no variant met every constraint at screening\n");
    return 0;
  }
  std::printf("best at screening: %.2f USD a month; the search first held a variant within 1%% of it after %zu evaluations\n", best, within);
  if (report.best) {
    const auto& v = report.variants[*report.best];
    std::printf("best confirmed: %s, %.2f USD a month: %s\n", v.id.c_str(), v.metric("cost.monthly")->mean,
                fmt::format("{}", fmt::join(v.choices, ", ")).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  explore::MpiSession mpi(argc, argv);
  if (argc < 5) {
    std::fprintf(stderr, "usage: explore_bench SCENARIO BLOCK HORIZON REPLICATIONS [THREADS]\n");
    return 2;
  }
  const std::filesystem::path seed = argv[1];
  const auto horizon = model::parse_duration(argv[3]);
  const int replications = std::stoi(argv[4]);
  const int threads = argc > 5 ? std::stoi(argv[5]) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  // Every rank writes the same copy to its own folder (ranks may share a machine).
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("archsim-explore-bench-{}", mpi.rank());
  std::filesystem::remove_all(folder);
  std::filesystem::copy(seed.parent_path(), folder, std::filesystem::copy_options::recursive);
  std::string text = read_text(seed);
  text = text.substr(0, text.find("\nexplore:\n")) + "\n" + read_text(argv[2]);
  const std::string file = (folder / seed.filename()).string();
  std::ofstream(file, std::ios::binary) << text;
  const auto facts = model::builtin_aws_facts();
  const model::LoadOptions options{false, false, {}};
  auto loaded = model::load_scenario(file, facts, options);
  model::Diagnostics diagnostics;
  auto pricing = loaded.ok() ? pricing::prepare_pricing(*loaded.scenario, diagnostics) : std::nullopt;
  auto inputs = pricing ? explore::make_explore_inputs(*loaded.scenario, facts, options, std::move(*pricing), diagnostics) : std::nullopt;
  if (!inputs || !horizon) {
    for (const auto& d : loaded.diagnostics.all()) std::fprintf(stderr, "%s\n", model::format_diagnostic(d).c_str());
    for (const auto& d : diagnostics.all()) std::fprintf(stderr, "%s\n", model::format_diagnostic(d).c_str());
    return 2;
  }
  inputs->horizon = *horizon;
  const bool bred = inputs->spec.method == explore::SearchMethod::Nsga2;
  if (!bred) inputs->spec.method = explore::SearchMethod::Exhaustive;
  inputs->spec.max_variants = std::numeric_limits<std::uint64_t>::max();
  inputs->spec.screening.replications = replications;
  inputs->spec.max_confirmed = 1;
  inputs->spec.confirmation.replications = replications;
  const explore::EvaluateFn evaluate = [&](const std::string& task) { return explore::evaluate_task(*inputs, task); };
  if (mpi.size() > 1 && mpi.rank() > 0) {
    explore::serve_tasks(evaluate, mpi);
    return 0;
  }
  std::unique_ptr<explore::MpiRunner> mpi_runner;
  std::unique_ptr<explore::BatchRunner> thread_runner;
  explore::BatchRunner* inner = nullptr;
  if (mpi.size() > 1) {
    mpi_runner = explore::make_mpi_runner(evaluate, mpi);
    inner = mpi_runner.get();
  } else {
    thread_runner = explore::make_thread_runner(evaluate, threads);
    inner = thread_runner.get();
  }
  TimedRunner runner(*inner);
  const auto wall_start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  const auto report = explore::run_explore(*inputs, runner);
  if (bred) {
    if (mpi_runner) mpi_runner->finish();
    return print_bred_search(*inputs, report, runner, std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count(),
                             argv[2], replications, argv[3]);
  }
  const auto [screened, seconds] = runner.batches.front();
  std::size_t simulated = 0;
  for (const auto& v : report.variants) simulated += v.feasibility != reports::Feasibility::Rejected ? 1 : 0;
  std::printf("%s with %s: %zu variants screened (%zu simulated, the rest rejected by the review), %d replications x %s each, on %s\n",
              seed.string().c_str(), argv[2], screened, simulated, replications, argv[3], runner.describe().c_str());
  std::printf("screening: %.1f s wall, %.2f evaluations/s, %.3f s per simulated evaluation\n", seconds, static_cast<double>(screened) / seconds,
              seconds / static_cast<double>(std::max<std::size_t>(simulated, 1)));
  // CPU time holds up when other work shares the machine, where wall time does not.
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  // The clock ran over the confirmation too: divided by every evaluation the search ran.
  std::printf("this process: %.1f s of CPU, %.3f s per evaluation (%zu, confirmation included)\n", cpu,
              cpu / static_cast<double>(std::max<std::size_t>(report.evaluations, 1)), report.evaluations);
  if (mpi_runner) {
    const auto timing = mpi_runner->all_batches();
    std::printf("MPI: %d ranks (%d evaluating); evaluation time %.1f s summed; coordination overhead %.4f s per evaluation\n", mpi.size(),
                timing.workers, timing.evaluation_seconds, timing.overhead_seconds_per_evaluation());
  }
  if (mpi_runner) mpi_runner->finish();

  // NSGA-II on the recorded screening: the evaluations it needs to come within 1 % of the
  // exhaustive optimum's cost among the variants meeting every constraint.
  std::vector<std::int64_t> sizes;
  for (const auto& d : inputs->spec.dimensions) sizes.push_back(static_cast<std::int64_t>(d.options.size()));
  const auto cost = screening_cost;
  const auto meets = meets_at_screening;
  double optimum = std::numeric_limits<double>::infinity();
  for (const auto& v : report.variants) {
    if (meets(v)) optimum = std::min(optimum, cost(v));
  }
  if (!std::isfinite(optimum)) {
    std::printf("NSGA-II: no variant meets every constraint at screening; nothing to converge to\n");
    return 0;
  }
  const auto lookup = [&](const std::vector<std::vector<std::int64_t>>& xs) {
    std::vector<std::vector<double>> out;
    for (const auto& x : xs) {
      // An exhaustive screening holds every variant at its index.
      const auto& v = report.variants[explore::index_of(inputs->spec, x)];
      std::vector<double> f;
      for (const auto& o : inputs->spec.objectives) {
        const sim::Estimate* e = nullptr;
        if (meets(v)) {
          const auto& metrics = v.evaluations.front().metrics;
          if (const auto it = metrics.find(o.metric); it != metrics.end()) e = &it->second;
        }
        f.push_back(e == nullptr ? std::numeric_limits<double>::infinity() : o.higher_is_better ? -e->mean : e->mean);
      }
      f.resize(std::max<std::size_t>(f.size(), 2), f.front());
      out.push_back(std::move(f));
    }
    return out;
  };
  for (const std::size_t population : {8u, 16u, 24u}) {
    const auto result = explore::nsga2_search(sizes, std::max<std::size_t>(inputs->spec.objectives.size(), 2), lookup,
                                              explore::Nsga2Options{population, 200, report.seed});
    std::size_t needed = 0;
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < result.evaluated.size() && needed == 0; ++i) {
      const auto& v = report.variants[explore::index_of(inputs->spec, result.evaluated[i])];
      if (meets(v)) best = std::min(best, cost(v));
      if (best <= optimum * 1.01) needed = i + 1;
    }
    if (needed > 0) {
      std::printf("NSGA-II (population %zu): within 1%% of the exhaustive optimum (%.2f USD) after %zu evaluations (%.1f%% of the space)\n",
                  population, optimum, needed, 100.0 * static_cast<double>(needed) / static_cast<double>(report.variants.size()));
    } else {
      std::printf("NSGA-II (population %zu): not within 1%% of %.2f USD after %zu evaluations (best %.2f)\n", population, optimum,
                  result.evaluated.size(), best);
    }
  }
  return 0;
}
