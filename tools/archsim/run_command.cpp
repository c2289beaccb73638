#include "run_command.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <limits>
#include <numeric>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/cli.hpp"
#include "archsim/pipeline/run_scenario.hpp"
#include "archsim/reports/atomic_file.hpp"
#include "archsim/reports/fidelity_contract.hpp"
#include "archsim/reports/gates.hpp"
#include "archsim/reports/run_report.hpp"
#include "archsim/sim/expected_load.hpp"
#include "archsim/sim/fidelity.hpp"
#include "archsim/sim/simulate.hpp"
#include "archsim/model/text_check.hpp"
#include "output.hpp"
#include "price_command.hpp"
#include "progress_bar.hpp"
#include "validate_command.hpp"

namespace archsim::cli {

void setup_run(CLI::App& app, RunOptions& options) {
  auto* run = app.add_subcommand("run", "Review a scenario, then simulate every alternative under its workload");
  add_scenario_input(*run, options.file, options.allow_outside_paths);
  run->add_flag("--strict", options.strict, "Treat unknown keys as errors");
  add_price_book_option(*run, options.price_book_dir);
  run->add_option("--format", options.format,
                  "Output format: text, json (archsim.run/1), markdown (a pull-request comment), html (a standalone page), junit (the gates "
                  "as JUnit XML)")
      ->check(CLI::IsMember({"text", "json", "markdown", "html", "junit"}));
  run->add_option("-o,--output", options.output, "Write the output to this file (atomically) instead of stdout");
  run->add_option("--seed", options.seed, "Override workload.seed (a whole number from 0 to 2^64 - 1)")
      ->check(whole_number(std::numeric_limits<std::uint64_t>::max()));
  run->add_option("--horizon", options.horizon, "Override workload.horizon (e.g. 1h, 7d)");
  run->add_option("--out", options.out_dir,
                  "Also write results.json, report.md, report.html, junit.xml and timeline-<alternative>.csv to this folder");
  run->add_option("--threads", options.threads, "Replications run on this many threads (default: every core; output is identical)")
      ->check(whole_number(256) & CLI::Range(1, 256));
  run->add_option("--max-work", options.max_work,
                  fmt::format("Refuse a run estimated to take more than this many request-hops, summed over replications and "
                              "alternatives (default {:g}; docs/limits.md)",
                              kDefaultMaxWork))
      ->check(positive_number(kMaxMaxWork));
  run->add_option("--fidelity", options.fidelity,
                  "Override workload.fidelity: request (every request walked), flow (traffic as flows between state "
                  "changes), auto; or compare: run both and print flow against request level, check by check of the "
                  "accuracy contract (exit 1 when one breaks; docs/simulation.md)")
      ->check(CLI::IsMember({"auto", "request", "flow", "compare"}));
  add_comment_only_if(*run, options.comment_only_if);
}

namespace {

/// SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/): whole
/// seconds since 1970-01-01 UTC that stand in for "now", so a CI job that sets it gets
/// byte-identical JUnit from the same inputs. Empty when unset; a malformed value is an error
/// there, as the convention asks, rather than a silent fallback to the clock.
std::optional<std::int64_t> source_date_epoch(std::ostream& err, bool& malformed) {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  malformed = false;
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text, &end, 10);
  if (*end != '\0' || errno != 0 || value < 0 || !std::isdigit(static_cast<unsigned char>(*text))) {
    err << "archsim run: SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 UTC, found '" << model::escape_controls(text) << "'\n";
    malformed = true;
    return std::nullopt;
  }
  return value;
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, the form JUnit's `timestamp` takes (no zone).
std::string utc_timestamp(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return text;
}

sim::WorkloadSpec with_horizon(sim::WorkloadSpec w, sim::Duration horizon) {
  w.horizon = horizon;
  return w;
}

/// Each alternative's estimated work in request-hops at the fidelity it will run at
/// (sim::choose_fidelity: expected requests x components visited x replications when walked,
/// the segments' cost as flows), in scenario order; 0 for one the simulator cannot build,
/// which reports its error when it runs. `compare` runs both fidelities and counts both.
/// `requests`: the most any alternative expects; `flows`: the alternatives run as flows.
struct RunWork {
  std::vector<double> per_alternative;
  double requests = 0;
  std::vector<std::string> flows;
  std::string request_reason;  ///< why auto walks an alternative the budget refuses, or empty
  /// What choose_fidelity answered, by alternative id: the run simulates at it rather than
  /// asking again (not for `compare`, which runs both).
  std::map<std::string, sim::FidelityChoice, std::less<>> choices;
};

RunWork work_per_alternative(const model::ScenarioSpec& scenario, const sim::WorkloadSpec& workload,
                             std::optional<sim::Fidelity> asked, bool compare) {
  RunWork work;
  for (const auto& alt : scenario.alternatives) {
    std::string why;
    const auto choice = sim::choose_fidelity(alt.topology, workload, sim::builtin_sim_defaults(),
                                             compare ? std::optional(sim::Fidelity::Request) : asked, workload.replications, why);
    if (!choice) {
      work.per_alternative.push_back(0.0);
      continue;
    }
    const sim::WorkEstimate& e = choice->work;
    work.requests = std::max(work.requests, e.requests);
    double hops = choice->request_hops;
    if (compare) hops += e.flow_request_hops(workload.horizon) * workload.replications;
    if (!compare) work.choices.emplace(alt.id, *choice);
    if (!compare && choice->fidelity == sim::Fidelity::Flow) work.flows.push_back(alt.id);
    if (!compare && choice->contract_breaks && work.request_reason.empty()) {
      work.request_reason = alt.id + ": " + choice->reason;
    }
    work.per_alternative.push_back(hops);
  }
  return work;
}

/// Says the run's estimated work on stderr before starting it; false, with the estimate and
/// the flag that raises the limit, when it exceeds `max_work`.
bool within_work_budget(const model::ScenarioSpec& scenario, const sim::WorkloadSpec& workload, const RunWork& work,
                        double max_work, std::ostream& err) {
  const double total = std::accumulate(work.per_alternative.begin(), work.per_alternative.end(), 0.0);
  std::string estimate = fmt::format("{:.3g} request-hops ({:.3g} requests over {} x {} replication(s), {} alternative(s)", total,
                                     work.requests, model::format_duration(workload.horizon), workload.replications,
                                     scenario.alternatives.size());
  if (!work.flows.empty()) {
    estimate += fmt::format("; as flows, each route's latency samples and about {:g} segments a minute: {}",
                            sim::FlowSampling::kSegmentsPerMinute, fmt::join(work.flows, ", "));
  }
  estimate += ")";
  err << "archsim run: estimated work " << estimate << "\n";
  if (total <= max_work) return true;
  err << fmt::format("archsim run: the estimated work, {}, exceeds the limit of {:g} request-hops; shorten the horizon, lower "
                     "the rate or the replications, or raise the limit with --max-work N (docs/limits.md)\n",
                     estimate, max_work);
  if (!work.request_reason.empty()) {
    err << "archsim run: fidelity auto walks every request of " << work.request_reason
        << "; --fidelity flow runs it as flows outside the accuracy contract (docs/simulation.md)\n";
  }
  return false;
}

/// `--fidelity compare`: every alternative at request level and as flows, the same seed and
/// workload, then the accuracy contract's checks (reports/fidelity_contract.hpp) as text.
/// Exit 0 when the contract holds everywhere, 1 when a check breaks, 2 on bad input.
int compare_fidelities(const RunOptions& options, const model::ScenarioSpec& scenario, const reports::ReviewReport& review,
                       const sim::WorkloadSpec& workload, const pricing::PricingContext& pricing_context, sim::SimOptions sim_options,
                       std::ostream& out, std::ostream& err) {
  if (options.format != "text" || !options.output.empty() || !options.out_dir.empty()) {
    err << "archsim run: --fidelity compare prints its comparison as text on standard output; drop --format, -o and --out\n";
    return kBadInput;
  }
  bool holds = true;
  std::string text;
  for (const auto& alt : scenario.alternatives) {
    const auto declared = declared_usage_or_report(scenario, alt.topology, err);
    if (!declared) return kBadInput;
    std::optional<sim::SimResult> results[2];
    pricing::Bill bills[2];
    for (const int i : {0, 1}) {
      sim_options.fidelity = i == 0 ? sim::Fidelity::Request : sim::Fidelity::Flow;
      const pipeline::RunRequest request{scenario, review, workload, pricing_context, sim_options, {}, {}, false};
      auto run = pipeline::run_alternative(request, alt, *declared);
      if (run.error) {
        err << model::format_diagnostic(*run.error) << " (alternative " << alt.id << ")\n";
        return kBadInput;
      }
      results[i] = std::move(run.result);
      bills[i] = std::move(*run.bill);
    }
    const auto checks = reports::check_flow_contract(*results[0], *results[1], bills[0], bills[1]);
    holds = holds && std::all_of(checks.begin(), checks.end(), [](const reports::ContractCheck& c) { return c.holds; });
    text += reports::render_contract_text(alt.id, checks) + "\n";
  }
  out << text << (holds ? "the flow model's accuracy contract holds on every alternative\n"
                        : "the flow model's accuracy contract breaks: check these alternatives with --fidelity request\n");
  return holds ? kOk : kFindings;
}

}  // namespace

int run_run(const RunOptions& options, std::ostream& out, std::ostream& err) {
  bool malformed_epoch = false;
  const auto fixed_epoch = source_date_epoch(err, malformed_epoch);
  if (malformed_epoch) return kBadInput;
  // Refused before the simulation, which may take minutes.
  if (options.comment_only_if == "changed") {
    err << "archsim run: --comment-only-if changed needs a base run to compare with: run archsim diff BASE HEAD --comment-only-if "
           "changed on the two runs' results (docs/review-outputs.md)\n";
    return kBadInput;
  }
  if (options.comment_only_if != "always" && options.format != "markdown" && options.out_dir.empty()) {
    err << "archsim run: --comment-only-if decides whether the Markdown comment is written; --format " << options.format
        << " without --out writes none (use --format markdown, or --out DIR for its report.md)\n";
    return kBadInput;
  }
  const auto wall_start = std::chrono::system_clock::now();
  const Loaded loaded = load(options.file, {options.strict, options.allow_outside_paths});
  const model::ScenarioSpec* usable = usable_scenario(loaded, err);
  if (usable == nullptr) return kBadInput;
  const model::ScenarioSpec& scenario = *usable;
  const std::string shown_file = model::escape_controls(options.file);  // may come from a glob over a PR's files
  const auto review_report = review(loaded, shown_file);
  model::Diagnostics diagnostics;
  const auto workload = sim::decode_workload(scenario, diagnostics);
  // Its warnings too (a fault that hits nothing, draws past the horizon): validate shows them.
  print_diagnostics(err, diagnostics.all());
  if (!workload) return kBadInput;
  const auto pricing_context = prepare_scenario_pricing(scenario, err, options.price_book_dir);
  if (!pricing_context) return kBadInput;
  sim::SimOptions sim_options;
  sim_options.seed = options.seed;
  // Replications run in parallel on every core by default; the output does not depend on it.
  sim_options.threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!horizon_option(options.horizon, *workload, "run", sim_options.horizon, err)) return kBadInput;
  // `compare` runs both: the request level's work dominates, and is what the budget checks.
  const bool compare = options.fidelity == "compare";
  if (!options.fidelity.empty() && !compare) {
    sim_options.fidelity = options.fidelity == "flow" ? sim::Fidelity::Flow : options.fidelity == "request" ? sim::Fidelity::Request : sim::Fidelity::Auto;
  }
  // A flow run's work follows the design's state changes, not its requests (work_per_alternative).
  const sim::WorkloadSpec run_workload = sim_options.horizon ? with_horizon(*workload, *sim_options.horizon) : *workload;
  const RunWork work = work_per_alternative(scenario, run_workload, sim_options.fidelity, compare);
  if (!within_work_budget(scenario, run_workload, work, options.max_work, err)) return kBadInput;
  if (compare) return compare_fidelities(options, scenario, review_report, *workload, *pricing_context, sim_options, out, err);
  std::optional<ProgressBar> progress;
  if (options.progress) progress.emplace(work.per_alternative, workload->replications, err);
  if (progress) sim_options.progress = [&progress](const sim::Progress& p) { progress->update(p); };
  pipeline::RunRequest request{scenario, review_report, *workload, *pricing_context, sim_options, {}, {},
                               // Measured only when the output may depend on the machine (see source_date_epoch).
                               !fixed_epoch.has_value()};
  request.fidelity_choices = work.choices;
  request.on_alternative = [&progress](const model::AlternativeSpec& alt) {
    if (progress) progress->start(alt.id);
  };
  request.after_alternative = [&progress, &err](const reports::AlternativeRun& run) {
    if (progress) progress->finish();
    if (run.error) err << model::format_diagnostic(*run.error) << " (alternative " << run.id << ")\n";
  };
  pipeline::RunResult ran = pipeline::run_scenario(request);
  print_diagnostics(err, ran.diagnostics.all());
  if (!ran.usage_ok) return kBadInput;
  reports::RunReport& report = ran.report;
  report.file = shown_file;
  report.started_at = utc_timestamp(fixed_epoch.value_or(std::chrono::duration_cast<std::chrono::seconds>(wall_start.time_since_epoch()).count()));
  const nlohmann::json json = reports::run_json(report, ARCHSIM_VERSION);
  const auto render = [&](const std::string& format) -> std::string {
    if (format == "json") return json_text(json);
    if (format == "markdown") return reports::render_run_markdown(report, ARCHSIM_VERSION);
    if (format == "html") return reports::render_run_html(report, ARCHSIM_VERSION);
    if (format == "junit") return reports::render_run_junit(report, ARCHSIM_VERSION);
    // The table at a glance first; the decision and failing gates close the detail.
    return reports::render_run_table_text(report, options.colour && options.output.empty()) + "\n" +
           reports::render_review_text(review_report) + "\n" + reports::render_run_text(report);
  };
  // Nothing is written until the whole run has succeeded: an alternative that could not be
  // simulated is bad input (exit 2), and its outputs would replace good ones with a report of
  // the failure. Standard output, which replaces nothing, still gets the report.
  const bool simulated = std::all_of(report.alternatives.begin(), report.alternatives.end(),
                                     [](const reports::AlternativeRun& a) { return !a.error; });
  if (!simulated && (!options.output.empty() || !options.out_dir.empty())) {
    err << "archsim run: an alternative could not be simulated, so nothing was written ("
        << (options.output.empty() ? "" : "-o " + options.output) << (!options.output.empty() && !options.out_dir.empty() ? ", " : "")
        << (options.out_dir.empty() ? "" : "--out " + options.out_dir) << " keep their previous content)\n";
    return kBadInput;
  }
  // -o is checked before --out is replaced, so a bad -o does not leave a new folder beside an old file.
  if (!options.output.empty()) {
    if (const std::string problem = reports::file_target_problem(options.output); !problem.empty()) {
      err << "archsim: cannot write " << options.output << ": " << problem << "\n";
      return kBadInput;
    }
  }
  const auto gates = reports::run_gates(report);
  // Without its comment a run still writes its other outputs; a report.md left from an earlier
  // run goes with the rest of the old folder, so a CI step cannot post a stale comment.
  const bool comment = options.comment_only_if == "always" || reports::any_gate_fails(gates);
  if (!comment) say_no_comment(err, "run", options.comment_only_if, "no gate fails the run");
  if (!options.out_dir.empty()) {
    std::vector<reports::OutputFile> files;
    for (const auto& [format, name] : {std::pair{"json", "results.json"}, {"markdown", "report.md"}, {"html", "report.html"}, {"junit", "junit.xml"}}) {
      if (comment || std::string_view(format) != "markdown") files.push_back({name, render(format)});
    }
    // Alternative ids are portable file names (checked at load: model::file_name_id_problem).
    for (const auto& alt : report.alternatives) files.push_back({"timeline-" + alt.id + ".csv", reports::timeline_csv(*alt.result)});
    const auto ours = [](std::string_view name) {
      return name == "results.json" || name == "report.md" || name == "report.html" || name == "junit.xml" ||
             (name.starts_with("timeline-") && name.ends_with(".csv"));
    };
    const std::string problem = reports::replace_directory_atomically(options.out_dir, files, ours);
    if (!problem.empty()) {
      err << "archsim run: cannot write --out " << options.out_dir << ": " << problem << "\n";
      return kBadInput;
    }
  }
  if ((comment || options.format != "markdown") && !emit(render(options.format), options.output, out, err)) return kBadInput;
  // The same gates as the summary the outputs end with (an alternative that could not be
  // simulated is a failing `simulation` gate: exit 2).
  return reports::run_exit_code(gates);
}

}  // namespace archsim::cli
