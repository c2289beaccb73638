#include "output.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "archsim/model/text_check.hpp"
#include "archsim/reports/atomic_file.hpp"
#include "archsim/sim/defaults.hpp"
#include "archsim/sim/simulate.hpp"

namespace archsim::cli {

Loaded load(const std::string& file, const model::LoadOptions& options) {
  Loaded loaded{model::builtin_aws_facts(), {}};
  loaded.result = model::load_scenario(file, loaded.facts, options);
  return loaded;
}

bool horizon_option(const std::string& text, const sim::WorkloadSpec& workload, std::string_view verb, std::optional<model::Duration>& horizon,
                    std::ostream& err) {
  if (text.empty()) return true;
  const auto h = model::parse_duration(text);
  if (!h || h->ns <= 0 || *h > sim::WorkloadLimits{}.max_horizon) {
    err << "archsim " << verb << ": --horizon: expected a duration above 0 and at most " << model::format_duration(sim::WorkloadLimits{}.max_horizon)
        << " such as 1h or 7d, found '" << model::escape_controls(text) << "'\n";
    return false;
  }
  if (*h <= workload.warmup) {
    err << "archsim " << verb << ": --horizon " << text << " leaves nothing after the warm-up (" << model::format_duration(workload.warmup)
        << ", workload.warmup)\n";
    return false;
  }
  horizon = *h;
  return true;
}

std::string json_text(const nlohmann::json& document) {
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

CLI::Validator whole_number(std::uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool digits = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || ec != std::errc() || end != text.data() + text.size() || value > max) {
          return fmt::format("expected a whole number from 0 to {}, found '{}'", max, model::escape_controls(text));
        }
        return {};
      },
      fmt::format("UINT:0..{}", max));
}

CLI::Validator positive_number(double max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        double value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value <= 0 ||
            value > max) {
          return fmt::format("expected a number above 0 and at most {:g}, found '{}'", max, model::escape_controls(text));
        }
        return {};
      },
      fmt::format("NUMBER:0<x<={:g}", max));
}

bool template_parameters(const std::vector<std::string>& given, std::string_view verb, std::map<std::string, std::string>& out, std::ostream& err) {
  for (const auto& p : given) {
    const auto eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      err << "archsim " << verb << ": error: --parameter expects Key=Value, found '" << model::escape_controls(p) << "'\n";
      return false;
    }
    out[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return true;
}

void add_scenario_input(CLI::App& command, std::string& file, bool& allow_outside_paths) {
  command.add_option("file", file, "Scenario YAML file")->required();
  command.add_flag("--allow-outside-paths", allow_outside_paths,
                   "Let the scenario name files (topologies, traces, price books) outside its own folder; off by default so "
                   "that a scenario from an untrusted pull request cannot read the runner's files");
}

void check_alternatives_runnable(const model::ScenarioSpec& scenario, const sim::WorkloadSpec& workload, model::Diagnostics& diagnostics) {
  for (const auto& alt : scenario.alternatives) {
    if (auto why = sim::check_runnable(alt.topology, workload, sim::builtin_sim_defaults())) {
      why->message += " (alternative " + alt.id + ")";
      diagnostics.add(scenario.located(std::move(*why)));
    }
  }
}

void print_diagnostics(std::ostream& err, const std::vector<model::Diagnostic>& diagnostics) { err << model::format_diagnostics(diagnostics); }

const model::ScenarioSpec* usable_scenario(const Loaded& loaded, std::ostream& err) {
  if (loaded.result.ok()) return &*loaded.result.scenario;
  print_diagnostics(err, loaded.result.diagnostics.all());
  return nullptr;
}

void add_comment_only_if(CLI::App& command, std::string& condition) {
  command
      .add_option("--comment-only-if", condition,
                  "Write the Markdown comment only if: always (default), failing (a gate fails the run), changed (archsim diff: the change "
                  "moves a figure beyond its noise, a verdict or a gate)")
      ->check(CLI::IsMember({"always", "failing", "changed"}));
}

void say_no_comment(std::ostream& err, std::string_view verb, std::string_view condition, std::string_view why) {
  err << "archsim " << verb << ": no comment written (--comment-only-if " << condition << "): " << why << "\n";
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
