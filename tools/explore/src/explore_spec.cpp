// Decoding `explore:` (docs/explore.md, "The explore block").
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "archsim/explore/explore.hpp"
#include "archsim/model/decode.hpp"
#include "archsim/model/units.hpp"
#include "archsim/sim/simulate.hpp"
#include "variants.hpp"

namespace archsim::explore {

namespace {

using model::YamlNode;
using model::decoding::DecodeContext;
using model::decoding::MapReader;

// docs/explore.md, "Limits": enough for every design question we know of, small enough that
// decoding a hostile block cannot exhaust memory before the space-size check refuses it.
constexpr std::size_t kMaxDimensions = 16;
constexpr std::size_t kMaxOptions = 1000;

YamlNode scalar_node(std::string text, const model::SourceLoc& loc) {
  YamlNode n;
  n.kind = YamlNode::Kind::Scalar;
  n.scalar = std::move(text);
  n.loc = loc;
  return n;
}

/// `{key: value}` nested along `segments`: the merge patch that sets one value at a path.
YamlNode patch_at(const std::vector<std::string>& segments, const std::vector<std::string>& leaves, const std::vector<YamlNode>& values,
                  const model::SourceLoc& key_loc) {
  YamlNode leaf;
  leaf.kind = YamlNode::Kind::Map;
  leaf.loc = key_loc;
  for (std::size_t i = 0; i < leaves.size(); ++i) leaf.entries.push_back({leaves[i], values[i].loc, values[i]});
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    YamlNode parent;
    parent.kind = YamlNode::Kind::Map;
    parent.loc = key_loc;
    parent.entries.push_back({*it, key_loc, std::move(leaf)});
    leaf = std::move(parent);
  }
  return leaf;
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

/// `components.api.desired_count` -> segments {components, api}, leaves {desired_count};
/// `components.api.{vcpu, memory}` -> leaves {vcpu, memory}. Empty leaves when malformed.
void split_path(std::string_view key, std::vector<std::string>& segments, std::vector<std::string>& leaves) {
  std::string_view rest = key;
  std::string_view last = key;
  if (const auto brace = key.find('{'); brace != std::string_view::npos) {
    if (key.back() != '}' || (brace > 0 && key[brace - 1] != '.')) return;
    last = key.substr(brace + 1, key.size() - brace - 2);
    rest = brace > 0 ? key.substr(0, brace - 1) : std::string_view{};
    std::size_t from = 0;
    while (from <= last.size()) {
      const auto comma = std::min(last.find(',', from), last.size());
      leaves.push_back(trim(last.substr(from, comma - from)));
      from = comma + 1;
    }
  } else {
    const auto dot = key.rfind('.');
    leaves.push_back(std::string(dot == std::string_view::npos ? key : key.substr(dot + 1)));
    rest = dot == std::string_view::npos ? std::string_view{} : key.substr(0, dot);
  }
  std::size_t from = 0;
  while (!rest.empty() && from <= rest.size()) {
    const auto dot = std::min(rest.find('.', from), rest.size());
    segments.emplace_back(rest.substr(from, dot - from));
    from = dot + 1;
  }
  const auto bad = [](const std::string& s) { return s.empty() || s.find_first_of("{}, ") != std::string::npos; };
  if (std::ranges::any_of(segments, bad) || std::ranges::any_of(leaves, bad) ||
      std::set<std::string>(leaves.begin(), leaves.end()).size() != leaves.size()) {
    leaves.clear();
  }
}

std::string label_of(const YamlNode& value) {
  if (value.is_scalar()) return value.scalar;
  if (value.is_null()) return "null";
  std::string out;
  for (const auto& item : value.items) out += (out.empty() ? "" : ", ") + label_of(item);
  for (const auto& e : value.entries) out += (out.empty() ? "" : ", ") + e.key + ": " + label_of(e.value);
  return value.is_sequence() ? "[" + out + "]" : "{" + out + "}";
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

/// Values on a path: `{range: [min, max], step: s}` or a list (of tuples when there are several leaves).
bool decode_values(const YamlNode& value, const std::string& path, std::size_t leaves, DecodeContext& ctx,
                   std::vector<std::vector<YamlNode>>& out) {
  if (value.is_map()) {
    MapReader r(value, path, ctx);
    std::vector<double> bounds;
    double step = 1;
    if (!r.required("range", bounds)) return false;
    r.optional("step", step);
    r.finish();
    if (bounds.size() != 2 || !(bounds[0] <= bounds[1]) || !(step > 0) || !std::isfinite(step)) {
      ctx.error(value, path, "expected `{range: [min, max]}` with min <= max, and a step above 0 if one is given");
      return false;
    }
    if (leaves != 1) {
      ctx.error(value, path, "a range sets one value; a path with several {leaves} takes a list of tuples");
      return false;
    }
    const double count = std::floor((bounds[1] - bounds[0]) / step + 1e-9) + 1;
    if (!(count <= static_cast<double>(kMaxOptions))) {
      ctx.error(value, path, fmt::format("the range has {} values; a dimension has at most {} (docs/explore.md, \"Limits\")",
                                         format_number(count), kMaxOptions));
      return false;
    }
    for (double i = 0; i < count; ++i) out.push_back({scalar_node(format_number(bounds[0] + i * step), value.loc)});
    return true;
  }
  if (!value.is_sequence() || value.items.empty()) {
    ctx.error(value, path, "expected a list of values, `{range: [min, max]}`, or `{options: {name: patch}}`");
    return false;
  }
  if (value.items.size() > kMaxOptions) {
    ctx.error(value, path, fmt::format("{} values; a dimension has at most {} (docs/explore.md, \"Limits\")", value.items.size(), kMaxOptions));
    return false;
  }
  for (std::size_t i = 0; i < value.items.size(); ++i) {
    const YamlNode& item = value.items[i];
    if (leaves == 1) {
      out.push_back({item});
    } else if (item.is_sequence() && item.items.size() == leaves) {
      out.push_back(item.items);
    } else {
      ctx.error(item, model::decoding::index_path(path, i), fmt::format("expected a list of {} values, one per {{leaf}} of the path", leaves));
      return false;
    }
  }
  return true;
}

/// The path's segments must name something the base alternative's topology has: a typo would
/// otherwise add a new, half-written entity, or a key the loader ignores with a warning.
bool check_path_exists(const model::ScenarioSpec& scenario, const model::AlternativeSpec& base, const std::vector<std::string>& segments,
                       const YamlNode::Entry& entry, const std::string& path, DecodeContext& ctx) {
  std::string at = base.path + ".topology";
  for (const auto& segment : segments) {
    const std::string next = at + "." + segment;
    if (!scenario.sources.find(next).known() && scenario.sources.children(next).empty()) {
      ctx.diagnostics.error(entry.key_loc, path,
                            fmt::format("'{}' names nothing in alternative {}'s topology{}", entry.key, base.id,
                                        model::did_you_mean(segment, scenario.sources.children(at))));
      return false;
    }
    at = next;
  }
  return true;
}

/// Loads the base with one option applied alone: an option that makes the topology invalid to
/// load is bad input, located where the option is written. Warnings the option causes (an
/// unknown key, with its did-you-mean) count as errors: an ignored key would make the
/// dimension vary nothing.
void check_option_loads(const model::ScenarioSpec& scenario, const YamlNode& tree, const std::string& base, const model::AwsFacts& facts,
                        const model::LoadOptions& options, const pricing::PricingContext* pricing, const Dimension& dimension,
                        std::size_t option, DecodeContext& ctx) {
  const YamlNode variant = variant_tree_with(tree, base, base + "-option", {&dimension.options[option]});
  const auto loaded = model::load_scenario_tree(variant, scenario.file, scenario.base_dir, facts, options);
  std::set<std::pair<int, int>> written;
  collect_locations(dimension.options[option].patch, written);
  model::Diagnostics found = loaded.diagnostics;
  // A purchase option the Region's book cannot price would bill as missing lines: cheaper than
  // it is, the one thing a search for the cheapest must not believe.
  if (dimension.options[option].purchase && pricing != nullptr && loaded.ok()) pricing::check_purchase_books(*loaded.scenario, *pricing, found);
  for (const auto& d : found.all()) {
    const bool ours = written.contains({d.loc.line, d.loc.column}) && d.loc.file == scenario.file;
    if (d.severity == model::Severity::Error || (ours && d.severity == model::Severity::Warning)) {
      model::Diagnostic e = d;
      e.severity = model::Severity::Error;
      e.message = fmt::format("{} (explore dimension {}, option {})", d.message, dimension.name, dimension.options[option].label);
      ctx.diagnostics.add(std::move(e));
    }
  }
}

}  // namespace

std::uint64_t ExploreSpec::space_size() const {
  std::uint64_t size = 1;
  for (const auto& d : dimensions) {
    if (d.options.empty()) return 0;
    if (size > std::numeric_limits<std::uint64_t>::max() / d.options.size()) return std::numeric_limits<std::uint64_t>::max();
    size *= d.options.size();
  }
  return size;
}

bool uses_nsga2(const ExploreSpec& spec) {
  return spec.method == SearchMethod::Nsga2 || (spec.method == SearchMethod::Auto && spec.space_size() > spec.max_variants);
}

std::uint64_t evaluation_budget(const ExploreSpec& spec) {
  if (!uses_nsga2(spec)) return spec.space_size();
  return std::min<std::uint64_t>(spec.space_size(), static_cast<std::uint64_t>(spec.population) * (spec.generations + 1));
}

std::optional<ExploreSpec> decode_explore(const model::ScenarioSpec& scenario, const YamlNode& tree, const model::AwsFacts& facts,
                                          const model::LoadOptions& options, const pricing::PricingContext* pricing,
                                          model::Diagnostics& diagnostics) {
  if (!scenario.explore) {
    diagnostics.error(model::SourceLoc{scenario.file, 1, 1}, "explore",
                      "the scenario has no `explore:` block: name a base alternative and the dimensions to vary (docs/explore.md)");
    return std::nullopt;
  }
  model::SourceIndex sources;
  DecodeContext ctx{diagnostics, sources};
  const auto errors_before = diagnostics.error_count();
  ExploreSpec spec;
  MapReader r(*scenario.explore, "explore", ctx);
  if (!r.ok()) return std::nullopt;
  const model::AlternativeSpec* base = nullptr;
  if (r.required("base", spec.base)) {
    base = scenario.alternative(spec.base);
    if (base == nullptr) {
      std::vector<std::string> ids;
      for (const auto& a : scenario.alternatives) ids.push_back(a.id);
      ctx.error(*r.node().find("base"), "explore.base",
                fmt::format("unknown alternative '{}'{}", spec.base, model::did_you_mean(spec.base, ids)));
    }
  }
  std::vector<std::string> alternative_ids;
  for (const auto& a : scenario.alternatives) alternative_ids.push_back(a.id);
  if (const YamlNode* dims = r.take_required("dimensions")) {
    if (!dims->is_map() || dims->entries.empty()) {
      ctx.error(*dims, "explore.dimensions", "expected a map of dimensions, at least one: `path.to.value: [values]` or `name: {options: {...}}`");
    } else if (dims->entries.size() > kMaxDimensions) {
      ctx.error(*dims, "explore.dimensions", fmt::format("{} dimensions; at most {} (docs/explore.md, \"Limits\")", dims->entries.size(), kMaxDimensions));
    } else {
      for (const auto& entry : dims->entries) {
        Dimension d{entry.key, "explore.dimensions." + entry.key, {}};
        const YamlNode& value = entry.value;
        if (const YamlNode* named = value.is_map() ? value.find("options") : nullptr) {
          // Named choices: each a merge patch on the topology, or an alternative's own overrides.
          if (value.entries.size() != 1 || !named->is_map() || named->entries.empty() || named->entries.size() > kMaxOptions) {
            ctx.error(value, d.path, fmt::format("expected `{{options: {{name: patch or alternative id}}}}` with 1 to {} options", kMaxOptions));
            continue;
          }
          for (const auto& option : named->entries) {
            const std::string option_path = d.path + ".options." + option.key;
            if (option.value.is_map()) {
              d.options.push_back({option.key, option.value});
            } else if (option.value.is_null()) {
              YamlNode empty;
              empty.kind = YamlNode::Kind::Map;
              empty.loc = option.key_loc;
              d.options.push_back({option.key, empty});
            } else if (option.value.is_scalar()) {
              const auto* overrides = alternative_overrides(tree, option.value.scalar);
              if (scenario.alternative(option.value.scalar) == nullptr) {
                ctx.error(option.value, option_path,
                          fmt::format("unknown alternative '{}'{}; an option is a merge patch (a map) or the id of an alternative whose overrides it applies",
                                      option.value.scalar, model::did_you_mean(option.value.scalar, alternative_ids)));
              } else if (overrides == nullptr || !overrides->is_map()) {
                ctx.error(option.value, option_path,
                          fmt::format("alternative '{}' has no `overrides:` map to apply", option.value.scalar));
              } else {
                d.options.push_back({option.key, *overrides});
              }
            } else {
              ctx.error(option.value, option_path, "expected a merge patch (a map), an alternative's id, or null (the base as it is)");
            }
          }
        } else {
          std::vector<std::string> segments, leaves;
          split_path(entry.key, segments, leaves);
          if (leaves.empty() || segments.empty()) {
            ctx.diagnostics.error(entry.key_loc, d.path,
                                  fmt::format("'{}' is neither a path into the topology (`components.api.desired_count`, "
                                              "`components.api.{{vcpu, memory}}`) nor a named choice (`name: {{options: {{...}}}}`)",
                                              entry.key));
            continue;
          }
          // `pricing.fargate`, `pricing.savings_plan`: the alternative's purchase options, whose
          // keys the loader checks when each option is loaded alone (check_option_loads).
          const bool purchase = segments.front() == "pricing";
          if (purchase) segments.erase(segments.begin());
          if (!purchase && base != nullptr && !check_path_exists(scenario, *base, segments, entry, d.path, ctx)) continue;
          std::vector<std::vector<YamlNode>> values;
          if (!decode_values(value, d.path, leaves.size(), ctx, values)) continue;
          for (std::size_t i = 0; i < values.size(); ++i) {
            const auto& v = values[i];
            std::string label;
            for (const auto& one : v) label += (label.empty() ? "" : ", ") + label_of(one);
            // The same value twice is the same variant twice: evaluated twice, counted twice.
            if (const auto same = std::find_if(d.options.begin(), d.options.end(), [&](const auto& o) { return o.label == label; });
                same != d.options.end()) {
              ctx.error(v.front(), fmt::format("{}[{}]", d.path, i),
                        fmt::format("'{}' is already value [{}] of this dimension; each value is one variant", label, same - d.options.begin()));
              continue;
            }
            d.options.push_back({label, patch_at(segments, leaves, v, entry.key_loc), purchase});
          }
        }
        spec.dimensions.push_back(std::move(d));
      }
    }
  }
  // Objectives: metrics every simulated variant produces, compared in their better direction.
  std::vector<std::string> objectives{"cost.monthly", "availability", "latency.p99"};
  r.optional("objectives", objectives);
  std::vector<std::string> metric_names;
  for (const auto& m : model::criterion_metrics()) metric_names.emplace_back(m.name);
  const auto metric = [&](const std::string& name, const YamlNode* at, const std::string& path) -> std::optional<reports::ExploreObjective> {
    const model::MetricInfo* info = model::find_metric(name);
    if (info == nullptr) {
      ctx.error(at != nullptr ? *at : *scenario.explore, path,
                fmt::format("no run produces a metric '{}'{}; objectives are metrics of docs/criteria.md: {}", name,
                            model::did_you_mean(name, metric_names), fmt::join(metric_names, ", ")));
      return std::nullopt;
    }
    return reports::ExploreObjective{std::string(info->name), info->higher_is_better};
  };
  const YamlNode* objectives_node = scenario.explore->find("objectives");
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    const YamlNode* at = objectives_node != nullptr && i < objectives_node->items.size() ? &objectives_node->items[i] : objectives_node;
    if (auto o = metric(objectives[i], at, model::decoding::index_path("explore.objectives", i))) {
      if (std::ranges::any_of(spec.objectives, [&](const auto& e) { return e.metric == o->metric; })) {
        ctx.error(*at, model::decoding::index_path("explore.objectives", i), fmt::format("objective {} is listed twice", o->metric));
      }
      spec.objectives.push_back(*o);
    }
  }
  if (objectives.empty() && objectives_node != nullptr) ctx.error(*objectives_node, "explore.objectives", "expected at least one objective");
  if (const YamlNode* best = r.take("best")) {
    MapReader rb(*best, "explore.best", ctx);
    std::string lowest, highest;
    const bool min = rb.optional("min", lowest);
    const bool max = rb.optional("max", highest);
    rb.finish();
    // Both written is as wrong as neither: the best variant is judged one way.
    if (min == max && rb.ok()) ctx.error(*best, "explore.best", "expected `{min: METRIC}` or `{max: METRIC}`, one of the two");
    const std::string& name = min ? lowest : highest;
    if (min != max) {
      if (auto o = metric(name, best->find(min ? "min" : "max"), min ? "explore.best.min" : "explore.best.max")) {
        spec.pick = {o->metric, max};
      }
    }
  }
  // Constraints: the scenario's criteria and budget unless the block narrows them.
  for (const auto& c : scenario.criteria) spec.criteria.push_back(c.id);
  spec.budget = scenario.budget.has_value();
  if (const YamlNode* constraints = r.take("constraints")) {
    MapReader rc(*constraints, "explore.constraints", ctx);
    if (const YamlNode* criteria = rc.take("criteria")) {
      if (!(criteria->is_scalar() && criteria->scalar == "all")) {
        std::vector<std::string> ids;
        if (model::decoding::decode_value(*criteria, "explore.constraints.criteria", ctx, ids)) {
          std::vector<std::string> known = spec.criteria;
          spec.criteria.clear();
          for (std::size_t i = 0; i < ids.size(); ++i) {
            if (std::ranges::find(known, ids[i]) == known.end()) {
              ctx.error(criteria->items[i], model::decoding::index_path("explore.constraints.criteria", i),
                        fmt::format("unknown criterion '{}'{}", ids[i], model::did_you_mean(ids[i], known)));
            } else {
              spec.criteria.push_back(ids[i]);
            }
          }
        }
      }
    }
    if (rc.optional("budget", spec.budget) && spec.budget && !scenario.budget) {
      ctx.error(*constraints->find("budget"), "explore.constraints.budget", "the scenario sets no `budget:` to meet");
    }
    rc.finish();
  }
  if (const YamlNode* search = r.take("search")) {
    MapReader rs(*search, "explore.search", ctx);
    rs.keyword("method", spec.method, {{"auto", SearchMethod::Auto}, {"exhaustive", SearchMethod::Exhaustive}, {"nsga2", SearchMethod::Nsga2}});
    // Read as int (the decoders' whole number), every bound far inside it.
    int max_variants = static_cast<int>(spec.max_variants), population = static_cast<int>(spec.population),
        generations = static_cast<int>(spec.generations);
    rs.optional_in("max_variants", max_variants, 1, 1'000'000'000, "the most variants to evaluate");
    rs.optional_in("population", population, 8, 10'000, "NSGA-II's population (a multiple of 4)");
    rs.optional_in("generations", generations, 1, 100'000, "NSGA-II's generations");
    if (population % 4 != 0) ctx.error(*search->find("population"), "explore.search.population", "NSGA-II needs a population that is a multiple of 4");
    spec.max_variants = static_cast<std::uint64_t>(max_variants);
    spec.population = static_cast<std::size_t>(population);
    spec.generations = static_cast<std::size_t>(generations);
    rs.finish();
  }
  for (auto [key, stage] : {std::pair{"screening", &spec.screening}, std::pair{"confirmation", &spec.confirmation}}) {
    const YamlNode* n = r.take(key);
    if (n == nullptr) continue;
    const std::string path = std::string("explore.") + key;
    MapReader rs(*n, path, ctx);
    if (rs.optional_in("replications", stage->replications, 1, 1000, "replications") && stage == &spec.confirmation) {
      spec.confirmation_replications_written = true;
    }
    rs.keyword("fidelity", stage->fidelity, {{"auto", sim::Fidelity::Auto}, {"flow", sim::Fidelity::Flow}, {"request", sim::Fidelity::Request}});
    if (stage == &spec.confirmation) {
      int max_confirmed = static_cast<int>(spec.max_confirmed);
      rs.optional_in("max_variants", max_confirmed, 1, 100'000, "the most variants confirmed");
      spec.max_confirmed = static_cast<std::size_t>(max_confirmed);
    }
    rs.finish();
  }
  r.finish();
  if (diagnostics.error_count() > errors_before || base == nullptr) return std::nullopt;
  if (spec.space_size() == 0 || spec.dimensions.empty()) {
    ctx.error(*scenario.explore, "explore.dimensions", "the space is empty: every dimension needs at least one option");
    return std::nullopt;
  }
  // Each option alone must load: a broken option is the scenario's error, not an infeasible variant.
  for (const auto& d : spec.dimensions) {
    for (std::size_t i = 0; i < d.options.size(); ++i) check_option_loads(scenario, tree, spec.base, facts, options, pricing, d, i, ctx);
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return spec;
}

std::optional<ExploreInputs> make_explore_inputs(const model::ScenarioSpec& scenario, const model::AwsFacts& facts,
                                                 const model::LoadOptions& options, pricing::PricingContext pricing,
                                                 model::Diagnostics& diagnostics) {
  auto tree = model::read_yaml_file(scenario.file, scenario.file, diagnostics);
  const auto workload = sim::decode_workload(scenario, diagnostics);
  if (!tree || !workload) return std::nullopt;
  auto spec = decode_explore(scenario, *tree, facts, options, &pricing, diagnostics);
  if (!spec) return std::nullopt;
  // With `replications: {until: ...}` the workload's count is its most; confirmation runs that.
  if (!spec->confirmation_replications_written) spec->confirmation.replications = workload->replications;
  return ExploreInputs{facts, options, scenario.file, std::move(*tree), scenario, *workload, std::move(pricing), std::move(*spec), {}, {}};
}

}  // namespace archsim::explore
