// Two runs of a design side by side, for the pull request that changes it: `archsim diff`
// reads the base branch's and the head branch's `results.json` (`archsim.run/1`) and says
// what the change does to each alternative's availability, latency, error rate, monthly cost
// and budget, which criteria verdicts moved, and which gates it breaks or mends.
//
// A measured change counts as real only when the two 95 % intervals do not overlap; inside
// them it is noise of the replications, and the report says so rather than alarm a reviewer.
// The exit code gates on what the change introduces: a gate that fails the run in head and
// did not in base (Infracost's "compare to baseline" model), so a PR is not blocked by a
// failure main already had.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archsim/reports/document.hpp"
#include "archsim/sim/statistics.hpp"

namespace archsim::reports {

struct MetricChange {
  std::string metric;                 ///< a criterion metric name (`availability`, `latency.p99`, `cost.monthly`, ...)
  std::optional<sim::Estimate> base;  ///< absent when base did not measure it
  std::optional<sim::Estimate> head;
  /// Both measured, with intervals that do not overlap (or, without intervals, different values).
  bool significant() const;
};

/// A part of the monthly bill (a service, or a component of the topology) on both sides.
struct CostChange {
  std::string name;
  double base_usd = 0, head_usd = 0;
  bool in_base = false, in_head = false;  ///< billed on that side; a component only in head is new
  double delta_usd() const { return head_usd - base_usd; }
};

struct AlternativeDiff {
  std::string id;
  std::string base_status, head_status;  ///< empty where the alternative is absent
  std::vector<MetricChange> metrics;     ///< in criterion-metric order
  std::string base_budget, head_budget;  ///< `pass`, `alert`, `over` or empty
  std::vector<CostChange> services;      ///< cost by service that moved, largest change first
  std::vector<CostChange> components;    ///< cost by component (its bill lines) that moved, largest change first
  bool added() const { return base_status.empty(); }
  bool removed() const { return head_status.empty(); }
};

struct VerdictChange {
  std::string criterion, alternative;
  std::string base, head;  ///< verdicts; empty where not judged
};

struct GateChange {
  std::string alternative;
  std::string kind;    ///< `findings`, `simulation`, `budget`, `criterion`; empty from results older than the kinds
  std::string gate;
  std::string detail;  ///< head's (base's for a mended gate)
  std::string note;    ///< what else a reviewer needs: the failure was there before but did not gate
};

struct RunDiff {
  std::string base_file, head_file, scenario;
  std::vector<std::string> notes;  ///< what makes the two less comparable (workload, seed, scenario name)
  std::vector<AlternativeDiff> alternatives;  ///< head's order, then those only in base
  std::vector<VerdictChange> criteria;        ///< only those whose verdict changed
  std::vector<GateChange> new_failures;       ///< fail the run in head, did not in base
  std::vector<GateChange> mended;             ///< failed the run in base, do not in head
  std::vector<GateChange> still_failing;      ///< fail the run in both
  std::vector<GateChange> no_longer_gating;   ///< failed the run in base, still fail in head but do not gate (a status change)
  bool fails() const { return !new_failures.empty(); }
  /// Head fails the run on some gate, new or not (`--comment-only-if failing`).
  bool head_fails() const { return !new_failures.empty() || !still_failing.empty(); }
  /// The change counts for something (`--comment-only-if changed`): an alternative added,
  /// removed or re-decided, a budget verdict or a criterion verdict that moved, a gate that
  /// starts or stops failing or gating, or a measured metric beyond the noise (the intervals
  /// do not overlap). A cost moved within its noise is not a change.
  bool changed() const;
};

/// Compares two `archsim.run/1` documents. Nullopt with `error` set (naming the file and the
/// JSON pointer of the value at fault) when either is not such a document.
std::optional<RunDiff> diff_runs(const nlohmann::json& base, const std::string& base_file, const nlohmann::json& head,
                                 const std::string& head_file, std::string& error);

/// The pull-request comment: what the change breaks, mends and moves.
doc::Document diff_document(const RunDiff& diff, std::string_view version);
nlohmann::json diff_json(const RunDiff& diff, std::string_view version);

}  // namespace archsim::reports
