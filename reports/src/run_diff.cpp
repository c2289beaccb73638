#include "archsim/reports/run_diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "archsim/model/spec.hpp"
#include "archsim/reports/criteria.hpp"

namespace archsim::reports {

namespace {

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
    const std::string id = r.text(a, at, "id");
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
    }
    facts.order.push_back(id);
    facts.alternatives[id] = std::move(f);
  }
  if (const auto* criteria = r.member(doc, "", "criteria", V::array)) {
    for (std::size_t i = 0; i < criteria->size() && r.ok(); ++i) {
      const std::string at = fmt::format("/criteria/{}", i);
      const auto& c = (*criteria)[i];
      facts.verdicts[{r.text(c, at, "criterion"), r.text(c, at, "alternative")}] = r.text(c, at, "verdict");
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
        GateKey key{r.text(g, at, "alternative"), g.contains("kind") ? r.text(g, at, "kind") : std::string(), r.text(g, at, "gate")};
        facts.gates.push_back({std::move(key), std::move(gf)});
      }
    }
  }
  if (!r.ok()) return std::nullopt;
  return facts;
}

/// +1 when a larger value is better (availability), -1 when smaller is (latency, errors, cost).
int better_direction(std::string_view metric) { return metric.starts_with("availability") ? 1 : -1; }

std::string estimate_text(std::string_view metric, const std::optional<sim::Estimate>& e) {
  if (!e) return "–";
  const model::MetricInfo* info = model::find_metric(metric);
  return info == nullptr ? fmt::format("{:g}", e->mean) : format_estimate(*info, *e);
}

Text change_cell(const MetricChange& c) {
  if (!c.base && !c.head) return doc::plain("–");
  if (!c.base) return {Span{estimate_text(c.metric, c.head), Style::Plain}, Span{" (new)", Style::Muted}};
  if (!c.head) return {Span{estimate_text(c.metric, c.base), Style::Plain}, Span{" (no longer measured)", Style::Muted}};
  const std::string text = estimate_text(c.metric, c.base) + " → " + estimate_text(c.metric, c.head);
  if (!c.significant()) return {Span{text, Style::Plain}, Span{c.base->mean == c.head->mean ? "" : " (within noise)", Style::Muted}};
  const bool better = (c.head->mean - c.base->mean) * better_direction(c.metric) > 0;
  return {Span{text, better ? Style::Pass : Style::Fail}};
}

}  // namespace

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
    std::map<std::string, ServiceChange> services;
    // A bill that one side could not compute is not a saving or a cost of the change.
    const bool both_billed = b != base->alternatives.end() && h != head->alternatives.end() && b->second.simulated && h->second.simulated;
    if (both_billed) {
      for (const auto& [name, usd] : b->second.services) services[name] = {name, usd, 0};
    }
    if (both_billed) {
      for (const auto& [name, usd] : h->second.services) {
        services.try_emplace(name, ServiceChange{name, 0, 0});
        services[name].head_usd = usd;
      }
    }
    for (auto& [name, s] : services) {
      if (std::abs(s.head_usd - s.base_usd) >= 0.005) a.services.push_back(s);
    }
    std::stable_sort(a.services.begin(), a.services.end(), [](const ServiceChange& x, const ServiceChange& y) {
      return std::abs(x.head_usd - x.base_usd) > std::abs(y.head_usd - y.base_usd);
    });
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
  doc::Document out{"archsim diff: " + d.scenario, {}};
  auto& blocks = out.blocks;
  blocks.push_back(block(doc::Heading{2, {Span{"archsim diff: ", Style::Plain}, Span{d.scenario, Style::Code}}}));
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
                            Span{g.gate, tone}, Span{g.detail.empty() ? "" : ": " + g.detail, Style::Plain},
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
  doc::Table t{{"alternative", "availability", "p99", "error rate", "cost / month", "budget"}, {}, {}};
  auto metric = [](const AlternativeDiff& a, std::string_view name) -> Text {
    for (const auto& m : a.metrics) {
      if (m.metric == name) return change_cell(m);
    }
    return doc::plain("–");
  };
  for (const auto& a : d.alternatives) {
    Text id{Span{a.id, Style::Code}};
    const std::string moved = a.added() ? "new" : a.removed() ? "removed" : a.base_status != a.head_status ? a.base_status + " → " + a.head_status : "";
    if (!moved.empty()) id.insert(id.end(), {Span{" ", Style::Plain}, Span{moved, Style::Warn}});
    const std::string budget = a.base_budget == a.head_budget ? a.head_budget : (a.base_budget.empty() ? "–" : a.base_budget) + " → " + (a.head_budget.empty() ? "–" : a.head_budget);
    t.rows.push_back({std::move(id), metric(a, "availability"), metric(a, "latency.p99"), metric(a, "error_rate"), metric(a, "cost.monthly"),
                      doc::styled(budget.empty() ? "–" : budget, a.head_budget == "over" && a.base_budget != "over" ? Style::Fail : Style::Plain)});
  }
  blocks.push_back(block(std::move(t)));
  blocks.push_back(block(doc::Paragraph{doc::styled(
      "A change is marked better or worse only when the two 95 % intervals do not overlap; otherwise it is within the noise of the replications.",
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
  doc::Details costs{doc::plain("Monthly cost by service, what changed"), {}};
  for (const auto& a : d.alternatives) {
    if (a.services.empty()) continue;
    // A service's cost moves with the replications as the month's total does: it is a saving or
    // a cost of the change only when that total moved beyond its noise.
    const auto total = std::find_if(a.metrics.begin(), a.metrics.end(), [](const MetricChange& m) { return m.metric == "cost.monthly"; });
    const bool real = total != a.metrics.end() && total->significant();
    doc::Table s{{"service", "base", "head", "change"}, {doc::Align::Left, doc::Align::Right, doc::Align::Right, doc::Align::Right}, {}};
    for (const auto& sc : a.services) {
      const double delta = sc.head_usd - sc.base_usd;
      s.rows.push_back({doc::plain(sc.service), doc::plain(fmt::format("{:.2f} USD", sc.base_usd)), doc::plain(fmt::format("{:.2f} USD", sc.head_usd)),
                        doc::styled(fmt::format("{:+.2f} USD", delta), !real ? Style::Muted : delta > 0 ? Style::Fail : Style::Pass)});
    }
    costs.blocks.push_back(block(doc::Paragraph{{Span{a.id, Style::Code}}}));
    costs.blocks.push_back(block(std::move(s)));
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
    for (const auto& s : a.services) alt["services"].push_back({{"service", s.service}, {"base_usd", s.base_usd}, {"head_usd", s.head_usd}});
    j["alternatives"].push_back(std::move(alt));
  }
  j["criteria"] = nlohmann::json::array();
  for (const auto& c : d.criteria) j["criteria"].push_back({{"criterion", c.criterion}, {"alternative", c.alternative}, {"base", c.base}, {"head", c.head}});
  return j;
}

}  // namespace archsim::reports
