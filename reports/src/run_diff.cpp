#include "archsim/reports/run_diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/spec.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/reports/criteria.hpp"
#include "archsim/reports/run_report.hpp"
#include "run_summary.hpp"

namespace archsim::reports {

namespace {

using doc::Align;
using doc::Block;
using doc::Span;
using doc::Style;
using doc::Text;

Block block(auto content) { return Block{std::move(content)}; }

/// Reads one `archsim.run/1` document; the first problem found, with its JSON pointer, ends it.
class RunReader {
 public:
  RunReader(const nlohmann::json& doc, std::string file, std::string& error) : doc_(doc), file_(std::move(file)), error_(error) {}

  const nlohmann::json* member(const nlohmann::json& parent, const std::string& pointer, std::string_view key,
                               nlohmann::json::value_t type) {
    if (!error_.empty()) return nullptr;
    const auto it = parent.find(key);
    if (it == parent.end() || !same_kind(it->type(), type)) {
      error_ = fmt::format("{}: {}/{}: expected {} (is this an archsim.run/1 results.json?)", file_, pointer, key, kind_name(type));
      return nullptr;
    }
    return &*it;
  }
  std::string text(const nlohmann::json& parent, const std::string& pointer, std::string_view key) {
    const auto* v = member(parent, pointer, key, nlohmann::json::value_t::string);
    return v == nullptr ? std::string() : v->get<std::string>();
  }
  /// An id, held to the rule archsim's loader holds it to: a results.json is read from a pull
  /// request's CI, and its ids go into Markdown tables and headings as they are.
  std::string id(const nlohmann::json& parent, const std::string& pointer, std::string_view key, bool names_files) {
    std::string value = text(parent, pointer, key);
    if (!error_.empty()) return value;
    if (const std::string problem = names_files ? model::file_name_id_problem(value) : model::identifier_problem(value); !problem.empty()) {
      error_ = fmt::format("{}: {}/{}: '{}' is not an archsim id: {}", file_, pointer, key, model::escape_controls(value), problem);
    }
    return value;
  }
  bool check_schema() {
    if (!doc_.is_object()) {
      error_ = fmt::format("{}: expected a JSON object (an archsim.run/1 results.json)", file_);
      return false;
    }
    const std::string schema = text(doc_, "", "schema");
    if (error_.empty() && schema != "archsim.run/1") {
      error_ = fmt::format("{}: /schema: expected archsim.run/1 (the results.json of archsim run), found '{}'", file_, schema);
    }
    return error_.empty();
  }
  const std::string& file() const { return file_; }
  bool ok() const { return error_.empty(); }

 private:
  static bool same_kind(nlohmann::json::value_t a, nlohmann::json::value_t b) {
    using V = nlohmann::json::value_t;
    auto number = [](V v) { return v == V::number_float || v == V::number_integer || v == V::number_unsigned; };
    return a == b || (number(a) && number(b));
  }
  static std::string_view kind_name(nlohmann::json::value_t t) {
    using V = nlohmann::json::value_t;
    switch (t) {
      case V::object: return "an object";
      case V::array: return "an array";
      case V::string: return "a string";
      case V::boolean: return "true or false";
      default: return "a number";
    }
  }
  const nlohmann::json& doc_;
  std::string file_;
  std::string& error_;
};

/// What one run says of one alternative, as the diff needs it.
struct AlternativeFacts {
  std::string status, budget;
  bool simulated = false;  ///< has a `simulation`: one that could not be simulated has only an `error`
  std::map<std::string, sim::Estimate, std::less<>> metrics;
  std::map<std::string, double, std::less<>> services;
  std::map<std::string, double, std::less<>> components;  ///< the bill's priced lines, summed by component
};

struct GateFacts {
  std::string verdict;  ///< `pass`, `fail`, `pending`; empty in results older than the verdicts
  bool fails_run = false;
  std::string detail;
};

/// A gate is its alternative, its kind and its name: a criterion may share a rule's or the
/// budget's name. Results that predate the kinds match on the name alone.
struct GateKey {
  std::string alternative, kind, gate;
  bool same_gate(const GateKey& o) const { return alternative == o.alternative && gate == o.gate && (kind.empty() || o.kind.empty() || kind == o.kind); }
};

struct RunFacts {
  std::string scenario;
  nlohmann::json workload;
  std::vector<std::string> order;  ///< alternative ids as the run lists them
  std::map<std::string, AlternativeFacts, std::less<>> alternatives;
  std::map<std::pair<std::string, std::string>, std::string> verdicts;  ///< (criterion, alternative) -> verdict
  std::vector<std::pair<GateKey, GateFacts>> gates;  ///< in the run's order
};

std::optional<RunFacts> read_run(const nlohmann::json& doc, const std::string& file, std::string& error) {
  using V = nlohmann::json::value_t;
  RunReader r(doc, file, error);
  if (!r.check_schema()) return std::nullopt;
  RunFacts facts;
  facts.scenario = r.text(doc, "", "scenario");
  if (const auto* w = r.member(doc, "", "workload", V::object)) facts.workload = *w;
  const auto* alts = r.member(doc, "", "alternatives", V::array);
  if (alts == nullptr) return std::nullopt;
  for (std::size_t i = 0; i < alts->size() && r.ok(); ++i) {
    const auto& a = (*alts)[i];
    const std::string at = fmt::format("/alternatives/{}", i);
    const std::string id = r.id(a, at, "id", true);
    if (r.ok() && facts.alternatives.contains(id)) {
      error = fmt::format("{}: {}/id: alternative '{}' is listed twice", file, at, id);
      return std::nullopt;
    }
    AlternativeFacts f;
    f.status = r.text(a, at, "status");
    f.simulated = a.contains("simulation");
    if (f.simulated) {
      const auto* sim = r.member(a, at, "simulation", V::object);
      const auto* metrics = sim == nullptr ? nullptr : r.member(*sim, at + "/simulation", "metrics", V::object);
      if (metrics != nullptr) {
        for (const auto& [name, m] : metrics->items()) {
          const std::string mat = at + "/simulation/metrics";
          const auto* mean = r.member(m, mat + "/" + name, "mean", V::number_float);
          if (mean == nullptr) break;
          sim::Estimate e{mean->get<double>(), 0, 1, 0.95};
          if (const auto n = m.find("replications"); n != m.end() && n->is_number()) e.n = n->get<int>();
          if (m.contains("ci95_low") && m.contains("ci95_high") && m["ci95_low"].is_number() && m["ci95_high"].is_number()) {
            e.half_width = (m["ci95_high"].get<double>() - m["ci95_low"].get<double>()) / 2;
          } else {
            e.n = std::min(e.n, 1);  // no interval: a value (one replication, or the analytic figure)
          }
          f.metrics[name] = e;
        }
      }
    }
    if (a.contains("budget")) {
      if (const auto* b = r.member(a, at, "budget", V::object)) f.budget = r.text(*b, at + "/budget", "status");
    }
    if (a.contains("cost")) {
      const auto* cost = r.member(a, at, "cost", V::object);
      const auto* services = cost == nullptr ? nullptr : r.member(*cost, at + "/cost", "by_service", V::array);
      if (services != nullptr) {
        for (std::size_t k = 0; k < services->size() && r.ok(); ++k) {
          const auto& s = (*services)[k];
          const std::string sat = fmt::format("{}/cost/by_service/{}", at, k);
          const std::string name = r.text(s, sat, "service");
          if (const auto* usd = r.member(s, sat, "usd", V::number_float)) f.services[name] = usd->get<double>();
        }
      }
      // Results from before the diff attributed cost to components may lack the lines.
      const auto* lines = cost == nullptr || !cost->contains("lines") ? nullptr : r.member(*cost, at + "/cost", "lines", V::array);
      for (std::size_t k = 0; lines != nullptr && k < lines->size() && r.ok(); ++k) {
        const auto& l = (*lines)[k];
        const std::string lat = fmt::format("{}/cost/lines/{}", at, k);
        const std::string component = r.id(l, lat, "component", false);
        const auto* missing = r.member(l, lat, "missing_price", V::boolean);
        if (missing == nullptr || missing->get<bool>()) continue;  // not in the total
        if (const auto* usd = r.member(l, lat, "usd", V::number_float)) f.components[component] += usd->get<double>();
      }
    }
    facts.order.push_back(id);
    facts.alternatives[id] = std::move(f);
  }
  if (const auto* criteria = r.member(doc, "", "criteria", V::array)) {
    for (std::size_t i = 0; i < criteria->size() && r.ok(); ++i) {
      const std::string at = fmt::format("/criteria/{}", i);
      const auto& c = (*criteria)[i];
      facts.verdicts[{r.id(c, at, "criterion", false), r.id(c, at, "alternative", true)}] = r.text(c, at, "verdict");
    }
  }
  // Results written before the gates existed have none: every gate then reads as passing.
  if (doc.contains("gates")) {
    if (const auto* gates = r.member(doc, "", "gates", V::array)) {
      for (std::size_t i = 0; i < gates->size() && r.ok(); ++i) {
        const std::string at = fmt::format("/gates/{}", i);
        const auto& g = (*gates)[i];
        GateFacts gf;
        if (const auto* fails = r.member(g, at, "fails_run", V::boolean)) gf.fails_run = fails->get<bool>();
        gf.detail = r.text(g, at, "detail");
        if (g.contains("verdict")) gf.verdict = r.text(g, at, "verdict");
        GateKey key{r.id(g, at, "alternative", true), g.contains("kind") ? r.text(g, at, "kind") : std::string(), r.text(g, at, "gate")};
        facts.gates.push_back({std::move(key), std::move(gf)});
      }
    }
  }
  if (!r.ok()) return std::nullopt;
  return facts;
}

/// +1 when a larger value is better (availability), -1 when smaller is (latency, errors, cost).
int better_direction(std::string_view metric) { return metric.starts_with("availability") ? 1 : -1; }

std::string signed_text(double value, const std::string& magnitude) { return (value < 0 ? "−" : "+") + magnitude; }

/// Head − base as an amount in the metric's unit (percentage points for a ratio) and, where
/// base is not 0, relative to base: `+$32.85 (+43.7%)`, `−0.050 pp (−0.05%)`. Joined by no-break
/// spaces: a figure in a comment's table does not wrap.
std::string delta_text(std::string_view metric, double base, double head) {
  const model::MetricInfo* info = model::find_metric(metric);
  const double delta = head - base;
  const std::string amount =
      info == nullptr                            ? signed_text(delta, fmt::format("{:g}", std::abs(delta)))
      : info->unit == model::MetricUnit::Ratio ? signed_text(delta, fmt::format("{:.3f}\u00A0pp", 100 * std::abs(delta)))
                                                 : signed_text(delta, format_metric(*info, std::abs(delta)));
  if (base == 0) return amount;
  const double relative = 100 * delta / std::abs(base);
  return fmt::format("{}\u00A0({})", amount, signed_text(relative, fmt::format("{:.1f}%", std::abs(relative))));
}

std::string compact_text(std::string_view metric, const std::optional<sim::Estimate>& e) {
  if (!e) return "–";
  const model::MetricInfo* info = model::find_metric(metric);
  return info == nullptr ? fmt::format("{:g}", e->mean) : compact_estimate(*info, *e);
}

/// The change of one metric: the amount and percentage, marked better or worse only beyond
/// the noise (the intervals do not overlap).
Text change_cell(const MetricChange& c) {
  if (!c.base && !c.head) return doc::plain("–");
  if (!c.base) return doc::styled("new", Style::Muted);
  if (!c.head) return doc::styled("no longer measured", Style::Muted);
  if (c.base->mean == c.head->mean) return doc::styled("none", Style::Muted);
  const std::string delta = delta_text(c.metric, c.base->mean, c.head->mean);
  if (!c.significant()) return doc::styled(delta + " within noise", Style::Muted);
  const bool better = (c.head->mean - c.base->mean) * better_direction(c.metric) > 0;
  return doc::styled(delta, better ? Style::Pass : Style::Fail);
}

/// `nat-a +32.85 USD (new)`: a part of the bill and what the change does to it.
std::string cost_change_text(const CostChange& c) {
  const std::string amount = signed_text(c.delta_usd(), fmt::format("{:.2f}\u00A0USD", std::abs(c.delta_usd())));
  return fmt::format("{} {}{}", c.name, amount, !c.in_base ? " (new)" : !c.in_head ? " (gone)" : "");
}

const MetricChange* find_change(const AlternativeDiff& a, std::string_view metric) {
  const auto it = std::find_if(a.metrics.begin(), a.metrics.end(), [&](const MetricChange& m) { return m.metric == metric; });
  return it == a.metrics.end() ? nullptr : &*it;
}

/// The headline metrics of a design, base → head, in the order a reviewer asks about them.
constexpr std::string_view kHeadlineMetrics[] = {"cost.monthly", "availability", "latency.p99", "error_rate"};
/// Component cost changes named in the first lines; the rest are in the tables below.
constexpr std::size_t kComponentsNamed = 3;

/// The parts of two bills (by service or by component) whose cost moved by a cent or more,
/// largest move first (ties by name).
std::vector<CostChange> cost_changes(const std::map<std::string, double, std::less<>>& base, const std::map<std::string, double, std::less<>>& head) {
  std::map<std::string, CostChange> parts;
  for (const auto& [name, usd] : base) parts[name] = {name, usd, 0, true, false};
  for (const auto& [name, usd] : head) {
    CostChange& c = parts.try_emplace(name, CostChange{name, 0, 0, false, false}).first->second;
    c.head_usd = usd;
    c.in_head = true;
  }
  std::vector<CostChange> out;
  for (auto& [name, c] : parts) {
    if (std::abs(c.delta_usd()) >= 0.005) out.push_back(c);
  }
  std::stable_sort(out.begin(), out.end(), [](const CostChange& x, const CostChange& y) { return std::abs(x.delta_usd()) > std::abs(y.delta_usd()); });
  return out;
}

}  // namespace

bool RunDiff::changed() const {
  if (!new_failures.empty() || !mended.empty() || !no_longer_gating.empty() || !criteria.empty()) return true;
  return std::any_of(alternatives.begin(), alternatives.end(), [](const AlternativeDiff& a) {
    return a.base_status != a.head_status || a.base_budget != a.head_budget ||
           std::any_of(a.metrics.begin(), a.metrics.end(), [](const MetricChange& m) { return m.significant() || !m.base != !m.head; });
  });
}

bool MetricChange::significant() const {
  if (!base || !head) return false;
  const double scale = std::max({std::abs(base->mean), std::abs(head->mean), 1e-300});
  if (std::abs(base->mean - head->mean) <= 1e-12 * scale) return false;
  // Without an interval a figure is taken as exact (the analytic availability, one replication).
  return base->high() < head->low() || head->high() < base->low();
}

std::optional<RunDiff> diff_runs(const nlohmann::json& base_doc, const std::string& base_file, const nlohmann::json& head_doc,
                                 const std::string& head_file, std::string& error) {
  const auto base = read_run(base_doc, base_file, error);
  if (!base) return std::nullopt;
  const auto head = read_run(head_doc, head_file, error);
  if (!head) return std::nullopt;
  RunDiff d{base_file, head_file, head->scenario, {}, {}, {}, {}, {}, {}, {}};
  if (base->scenario != head->scenario) d.notes.push_back(fmt::format("the scenario was renamed: {} → {}", base->scenario, head->scenario));
  for (const char* key : {"horizon", "warmup", "replications", "seed", "arrivals"}) {
    const auto b = base->workload.find(key), h = head->workload.find(key);
    const std::string bt = b == base->workload.end() ? "–" : (b->is_string() ? b->get<std::string>() : b->dump());
    const std::string ht = h == head->workload.end() ? "–" : (h->is_string() ? h->get<std::string>() : h->dump());
    if (bt != ht) d.notes.push_back(fmt::format("workload.{} differs: {} → {}", key, bt, ht));
  }
  std::vector<std::string> ids = head->order;
  for (const auto& id : base->order) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  for (const auto& id : ids) {
    AlternativeDiff a{id, {}, {}, {}, {}, {}, {}};
    const auto b = base->alternatives.find(id), h = head->alternatives.find(id);
    if (b != base->alternatives.end()) a.base_status = b->second.status, a.base_budget = b->second.budget;
    if (h != head->alternatives.end()) a.head_status = h->second.status, a.head_budget = h->second.budget;
    for (const auto& metric : model::criterion_metrics()) {
      MetricChange c{std::string(metric.name), std::nullopt, std::nullopt};
      if (b != base->alternatives.end()) {
        if (const auto m = b->second.metrics.find(metric.name); m != b->second.metrics.end()) c.base = m->second;
      }
      if (h != head->alternatives.end()) {
        if (const auto m = h->second.metrics.find(metric.name); m != h->second.metrics.end()) c.head = m->second;
      }
      if (c.base || c.head) a.metrics.push_back(std::move(c));
    }
    // A bill that one side could not compute is not a saving or a cost of the change.
    const bool both_billed = b != base->alternatives.end() && h != head->alternatives.end() && b->second.simulated && h->second.simulated;
    if (both_billed) {
      a.services = cost_changes(b->second.services, h->second.services);
      a.components = cost_changes(b->second.components, h->second.components);
    }
    d.alternatives.push_back(std::move(a));
  }
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> verdicts;
  for (const auto& [key, v] : base->verdicts) verdicts[key].first = v;
  for (const auto& [key, v] : head->verdicts) verdicts[key].second = v;
  for (const auto& [key, v] : verdicts) {
    if (v.first != v.second) d.criteria.push_back({key.first, key.second, v.first, v.second});
  }
  auto find_gate = [](const RunFacts& r, const GateKey& key) -> const GateFacts* {
    for (const auto& [k, g] : r.gates) {
      if (k.same_gate(key)) return &g;
    }
    return nullptr;
  };
  auto change = [](const GateKey& key, const GateFacts& g, std::string note) {
    return GateChange{key.alternative, key.kind, key.gate, g.detail, std::move(note)};
  };
  for (const auto& [key, g] : head->gates) {
    const GateFacts* before = find_gate(*base, key);
    const bool failed_before = before != nullptr && before->fails_run;
    // The same failure, now gating: the design did not get worse, its decision status changed.
    const std::string note = !failed_before && before != nullptr && before->verdict == "fail" ? "failed on the base too, where it did not gate" : "";
    if (g.fails_run && !failed_before) d.new_failures.push_back(change(key, g, note));
    if (g.fails_run && failed_before) d.still_failing.push_back(change(key, g, ""));
  }
  // A gate that failed on the base is mended when head decides it and passes it, or no longer
  // has it (the rule stopped firing) on an alternative it simulated. A gate head could not
  // decide (an alternative it could not simulate, a pending criterion) is not mended; one that
  // still fails but no longer gates is said so, not counted as mended.
  for (const auto& [key, g] : base->gates) {
    if (!g.fails_run) continue;
    const auto alt = head->alternatives.find(key.alternative);
    if (alt == head->alternatives.end()) continue;
    const GateFacts* after = find_gate(*head, key);
    const bool passes = after == nullptr ? alt->second.simulated : after->verdict == "pass" || (after->verdict.empty() && !after->fails_run);
    if (passes) {
      d.mended.push_back(change(key, g, ""));
    } else if (after != nullptr && !after->fails_run && after->verdict == "fail") {
      d.no_longer_gating.push_back(change(key, *after, "still fails, but no longer gates the run"));
    }
  }
  return d;
}

doc::Document diff_document(const RunDiff& d, std::string_view version) {
  doc::Document out{"archsim diff: " + d.scenario, {}, comment_marker(d.scenario)};
  auto& blocks = out.blocks;
  blocks.push_back(block(doc::Heading{2, {Span{"archsim diff: ", Style::Plain}, Span{d.scenario, Style::Code}}}));
  // The chosen design first: does it still pass, and what the change does to it.
  for (const auto& a : d.alternatives) {
    if (a.head_status != "chosen") continue;
    const bool fails_now = std::any_of(d.new_failures.begin(), d.new_failures.end(), [&](const GateChange& g) { return g.alternative == a.id; }) ||
                           std::any_of(d.still_failing.begin(), d.still_failing.end(), [&](const GateChange& g) { return g.alternative == a.id; });
    Text t{Span{"The chosen option", Style::Strong}, Span{" ", Style::Plain}, Span{a.id, Style::Code}, Span{" ", Style::Plain},
           fails_now ? Span{"fails a gate in head", Style::Fail} : Span{"passes every gate in head", Style::Pass}};
    // `cost.monthly` $24.39 → $25.32, +$0.93 (+3.8%) · `availability` 99.95% → 99.95%, no change: the
    // metric named as criteria name it, one level of parentheses.
    std::string separator = ": ";
    for (std::string_view name : kHeadlineMetrics) {
      const MetricChange* m = find_change(a, name);
      if (m == nullptr || !m->head) continue;
      const std::string noise = m->base && m->base->mean != m->head->mean && !m->significant() ? " within noise" : "";
      t.push_back(Span{separator, Style::Plain});
      t.push_back(Span{std::string(name), Style::Code});
      t.push_back(Span{m->base ? fmt::format(" {} → {}, {}{}", compact_text(name, m->base), compact_text(name, m->head),
                                             m->base->mean == m->head->mean ? "no change" : delta_text(name, m->base->mean, m->head->mean), noise)
                               : fmt::format(" {} (new)", compact_text(name, m->head)),
                       Style::Plain});
      separator = " · ";
    }
    blocks.push_back(block(doc::Paragraph{std::move(t)}));
    if (!a.components.empty()) {
      std::vector<std::string> named;
      for (std::size_t i = 0; i < a.components.size() && i < kComponentsNamed; ++i) named.push_back(cost_change_text(a.components[i]));
      const std::size_t more = a.components.size() - named.size();
      blocks.push_back(block(doc::Paragraph{{Span{"Cost by component: ", Style::Plain}, Span{fmt::format("{}", fmt::join(named, ", ")), Style::Plain},
                                             Span{more > 0 ? fmt::format(" and {} more below", more) : std::string(), Style::Muted}}}));
    }
  }
  const std::string others =
      fmt::format("{} gate{} still failing as on the base, {} mended", d.still_failing.size(), d.still_failing.size() == 1 ? "" : "s", d.mended.size());
  blocks.push_back(block(doc::Paragraph{
      d.fails() ? Text{Span{fmt::format("exit 1: this change makes {} gate{} fail the run", d.new_failures.size(), d.new_failures.size() == 1 ? "" : "s"),
                            Style::Fail},
                       Span{" (" + others + ")", Style::Plain}}
                : Text{Span{"exit 0: this change makes no gate fail that passed before", Style::Pass}, Span{" (" + others + ")", Style::Plain}}}));
  auto gate_list = [&](const std::vector<GateChange>& gates, Style tone, const std::string& heading) {
    if (gates.empty()) return;
    doc::List list;
    for (const auto& g : gates) {
      list.items.push_back({Span{g.alternative, Style::Code}, Span{" ", Style::Plain},
                            Span{g.gate, tone}, Span{g.detail.empty() ? "" : ": " + clipped(g.detail, kGateDetailShown), Style::Plain},
                            Span{g.note.empty() ? "" : " (" + g.note + ")", Style::Muted}});
    }
    blocks.push_back(block(doc::Paragraph{doc::styled(heading, Style::Strong)}));
    blocks.push_back(block(std::move(list)));
  };
  gate_list(d.new_failures, Style::Fail, "Newly failing");
  gate_list(d.mended, Style::Pass, "Mended");
  gate_list(d.no_longer_gating, Style::Warn, "Still failing, no longer gating");
  if (!d.notes.empty()) {
    doc::List notes;
    for (const auto& n : d.notes) notes.items.push_back(doc::styled(n, Style::Warn));
    blocks.push_back(block(doc::Paragraph{doc::plain("The two runs are less directly comparable:")}));
    blocks.push_back(block(std::move(notes)));
  }
  blocks.push_back(block(doc::Heading{3, doc::plain("Alternatives, base → head")}));
  // A row per figure, so base, head and the change sit side by side within a comment's width;
  // the alternatives the change leaves exactly as they were wait in a collapsed table.
  const doc::Table empty{{"alternative", "figure", "base", "head", "change"}, {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right}, {}};
  doc::Table t = empty, same = empty;
  for (const auto& a : d.alternatives) {
    const bool untouched = a.base_status == a.head_status && a.base_budget == a.head_budget &&
                           std::all_of(a.metrics.begin(), a.metrics.end(), [](const MetricChange& m) { return m.base && m.head && m.base->mean == m.head->mean; });
    Text id{Span{a.id, Style::Code}, Span{" ", Style::Plain}};
    const std::string moved = a.added() ? "new" : a.removed() ? "removed" : a.base_status != a.head_status ? a.base_status + " → " + a.head_status : a.head_status;
    id.push_back(Span{moved, a.base_status != a.head_status ? Style::Warn : Style::Muted});
    doc::Table& into = untouched ? same : t;
    bool first = true;
    auto row = [&](std::string figure, Text base, Text head, Text change) {
      into.rows.push_back({first ? id : Text{}, doc::plain(std::move(figure)), std::move(base), std::move(head), std::move(change)});
      first = false;
    };
    for (std::string_view name : kHeadlineMetrics) {
      if (const MetricChange* m = find_change(a, name)) row(std::string(name), doc::plain(compact_text(name, m->base)), doc::plain(compact_text(name, m->head)), change_cell(*m));
    }
    if (!a.base_budget.empty() || !a.head_budget.empty()) {
      const bool worse = a.head_budget == "over" && a.base_budget != "over";
      row("budget", doc::plain(a.base_budget.empty() ? "–" : a.base_budget), doc::plain(a.head_budget.empty() ? "–" : a.head_budget),
          a.base_budget == a.head_budget ? doc::styled("none", Style::Muted) : doc::styled("changed", worse ? Style::Fail : Style::Warn));
    }
    if (first) row("–", doc::plain("–"), doc::plain("–"), doc::plain("–"));
  }
  if (t.rows.empty()) blocks.push_back(block(doc::Paragraph{doc::plain("The change leaves every figure of every alternative as it was.")}));
  else blocks.push_back(block(std::move(t)));
  if (!same.rows.empty()) {
    const std::size_t n = static_cast<std::size_t>(std::count_if(same.rows.begin(), same.rows.end(), [](const std::vector<Text>& r) { return !r[0].empty(); }));
    blocks.push_back(block(doc::Details{doc::plain(fmt::format("{} alternative{} the change leaves as {} w{}", n, n == 1 ? "" : "s", n == 1 ? "it" : "they", n == 1 ? "as" : "ere")),
                                        {block(std::move(same))}}));
  }
  blocks.push_back(block(doc::Paragraph{doc::styled(
      "change: head − base, and relative to base (availability and error rate in percentage points). It is marked better or worse only when the "
      "two 95 % intervals do not overlap; otherwise it is within the noise of the replications.",
      Style::Muted)}));
  if (!d.criteria.empty()) {
    blocks.push_back(block(doc::Heading{3, doc::plain("Criteria verdicts that changed")}));
    doc::Table c{{"criterion", "alternative", "base", "head"}, {}, {}};
    auto tone = [](const std::string& v) { return v == "pass" ? Style::Pass : v == "fail" ? Style::Fail : Style::Warn; };
    for (const auto& v : d.criteria) {
      c.rows.push_back({doc::styled(v.criterion, Style::Strong), doc::styled(v.alternative, Style::Code),
                        v.base.empty() ? doc::plain("–") : doc::styled(v.base, tone(v.base)),
                        v.head.empty() ? doc::plain("–") : doc::styled(v.head, tone(v.head))});
    }
    blocks.push_back(block(std::move(c)));
  }
  doc::Details costs{doc::plain("Monthly cost by component and by service, what changed"), {}};
  auto cost_table = [](const std::vector<CostChange>& parts, const std::string& what, bool real) {
    doc::Table s{{what, "base", "head", "change"}, {doc::Align::Left, doc::Align::Right, doc::Align::Right, doc::Align::Right}, {}};
    for (const auto& c : parts) {
      const double delta = c.delta_usd();
      const std::string amount = signed_text(delta, fmt::format("{:.2f}\u00A0USD", std::abs(delta)));
      s.rows.push_back({doc::plain(c.name), doc::plain(c.in_base ? fmt::format("{:.2f}\u00A0USD", c.base_usd) : std::string("–")),
                        doc::plain(c.in_head ? fmt::format("{:.2f}\u00A0USD", c.head_usd) : std::string("–")),
                        doc::styled(amount + (!c.in_base ? " (new)" : !c.in_head ? " (gone)" : ""), !real ? Style::Muted : delta > 0 ? Style::Fail : Style::Pass)});
    }
    return s;
  };
  for (const auto& a : d.alternatives) {
    if (a.services.empty() && a.components.empty()) continue;
    // A part's cost moves with the replications as the month's total does: it is a saving or
    // a cost of the change only when that total moved beyond its noise.
    const MetricChange* total = find_change(a, "cost.monthly");
    const bool real = total != nullptr && total->significant();
    costs.blocks.push_back(block(doc::Paragraph{{Span{a.id, Style::Code}, Span{real ? "" : " (the month's total moved within its noise)", Style::Muted}}}));
    if (!a.components.empty()) costs.blocks.push_back(block(cost_table(a.components, "component", real)));
    if (!a.services.empty()) costs.blocks.push_back(block(cost_table(a.services, "service", real)));
  }
  if (!costs.blocks.empty()) blocks.push_back(block(std::move(costs)));
  blocks.push_back(block(doc::Paragraph{{Span{fmt::format("archsim {} · base ", version), Style::Muted}, Span{d.base_file, Style::Code},
                                         Span{" · head ", Style::Muted}, Span{d.head_file, Style::Code}}}));
  return out;
}

nlohmann::json diff_json(const RunDiff& d, std::string_view version) {
  auto estimate = [](const std::optional<sim::Estimate>& e) -> nlohmann::json {
    if (!e) return nullptr;
    nlohmann::json j{{"mean", e->mean}, {"replications", e->n}};
    if (e->has_interval()) {
      j["ci95_low"] = e->low();
      j["ci95_high"] = e->high();
    }
    return j;
  };
  auto gates = [](const std::vector<GateChange>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& g : v) a.push_back({{"alternative", g.alternative}, {"kind", g.kind}, {"gate", g.gate}, {"detail", g.detail}, {"note", g.note}});
    return a;
  };
  nlohmann::json j{{"schema", "archsim.diff/1"}, {"archsim_version", version}, {"base", d.base_file}, {"head", d.head_file},
                   {"scenario", d.scenario}, {"notes", d.notes}, {"fails", d.fails()}};
  j["new_failures"] = gates(d.new_failures);
  j["mended"] = gates(d.mended);
  j["still_failing"] = gates(d.still_failing);
  j["no_longer_gating"] = gates(d.no_longer_gating);
  j["alternatives"] = nlohmann::json::array();
  for (const auto& a : d.alternatives) {
    nlohmann::json alt{{"id", a.id}, {"base_status", a.base_status}, {"head_status", a.head_status},
                       {"base_budget", a.base_budget}, {"head_budget", a.head_budget}};
    alt["metrics"] = nlohmann::json::object();
    for (const auto& m : a.metrics) alt["metrics"][m.metric] = {{"base", estimate(m.base)}, {"head", estimate(m.head)}, {"significant", m.significant()}};
    alt["services"] = nlohmann::json::array();
    for (const auto& s : a.services) alt["services"].push_back({{"service", s.name}, {"base_usd", s.base_usd}, {"head_usd", s.head_usd}});
    alt["components"] = nlohmann::json::array();
    for (const auto& c : a.components) {
      alt["components"].push_back({{"component", c.name}, {"base_usd", c.base_usd}, {"head_usd", c.head_usd}, {"in_base", c.in_base}, {"in_head", c.in_head}});
    }
    j["alternatives"].push_back(std::move(alt));
  }
  j["criteria"] = nlohmann::json::array();
  for (const auto& c : d.criteria) j["criteria"].push_back({{"criterion", c.criterion}, {"alternative", c.alternative}, {"base", c.base}, {"head", c.head}});
  return j;
}

}  // namespace archsim::reports
