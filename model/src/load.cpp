#include "archsim/model/load.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "archsim/model/import.hpp"
#include "archsim/model/input_file.hpp"
#include "archsim/model/text_check.hpp"
#include "archsim/model/rules.hpp"
#include "decode_topology.hpp"
#include "import/import_internal.hpp"

namespace archsim::model {

namespace {

using decoding::DecodeContext;

// Money figures a scenario writes are bounded so that the 128-bit money arithmetic and the
// reports' doubles stay exact to the cent (docs/limits.md): a trillion USD a month.
constexpr double kMaxUsd = 1e12;
// Usage quantities: the same bound as declared usage (docs/scenario-format.md, `usage`).
constexpr double kMaxQuantity = 1e21;
// AWS Budgets alerts are a percentage of the limit; past 1000 % an alert says nothing a lower one does not.
constexpr double kMaxThresholdPercent = 1000;
// A price book ten years old has no bearing on today's bill; a larger bound only hides typos.
constexpr int kMaxBookAgeDays = 3650;
using decoding::MapReader;

/// `topology: {terraform: plan.json}` or `{cloudformation: template.yaml, parameters: {...}}`:
/// the infrastructure code imported as a topology whose values point into it; the import's
/// assumptions are notes (they are the import's, not the scenario's, and `--strict` is about
/// keys the scenario writes).
std::optional<YamlNode> imported_topology(MapReader& r, const YamlNode& topology, const ScenarioFiles& files, AlternativeSpec& alt,
                                          const std::string& scenario_name) {
  DecodeContext& ctx = r.context();
  const std::string path = r.child("topology");
  const bool terraform = topology.find("terraform") != nullptr;
  const std::string kind = terraform ? "terraform" : "cloudformation";
  const YamlNode& named = *topology.find(kind);
  const YamlNode* given = topology.find("parameters");
  if (!named.is_scalar() || topology.entries.size() != (given != nullptr ? 2u : 1u) || (terraform && given != nullptr) ||
      (given != nullptr && !given->is_map())) {
    ctx.error(topology, path,
              "expected `{terraform: FILE}` (the JSON of `terraform show -json`) or `{cloudformation: FILE, parameters: {Key: value}}`, and nothing else");
    return std::nullopt;
  }
  std::map<std::string, std::string> parameters;
  for (const auto& e : given != nullptr ? given->entries : std::vector<YamlNode::Entry>{}) {
    std::string value;
    if (decoding::decode_value(e.value, path + ".parameters." + e.key, ctx, value)) parameters[e.key] = value;
  }
  std::string refused;
  const auto resolved = resolve_scenario_path(files, named.scalar, refused);
  if (!resolved) {
    ctx.error(named, path + "." + kind, fmt::format("{} file {}", kind, refused));
    return std::nullopt;
  }
  const std::string display = (std::filesystem::path(scenario_name).parent_path() / named.scalar).lexically_normal().string();
  alt.topology_file = named.scalar;
  alt.topology_source = display;
  ctx.sources.record(path, named.loc);
  ImportedTopology imported = terraform ? import_terraform_file(*resolved, display) : import_cloudformation_file(*resolved, display, parameters);
  for (auto d : imported.diagnostics.all()) {
    if (!d.loc.known()) d.loc = named.loc;
    if (d.severity == Severity::Warning) d.severity = Severity::Note;
    d.path = d.path.empty() ? path : path + "." + d.path;
    ctx.diagnostics.add(std::move(d));
  }
  alt.resource_addresses = std::move(imported.addresses);
  if (imported.diagnostics.has_errors()) return std::nullopt;
  return std::move(imported.topology);
}

/// The topology node of one alternative: inline, or read from a file, then overridden.
std::optional<YamlNode> topology_node(MapReader& r, const ScenarioFiles& files, AlternativeSpec& alt,
                                      const std::string& scenario_name) {
  DecodeContext& ctx = r.context();
  const YamlNode* topology = r.take_required("topology");
  const YamlNode* overrides = r.take("overrides");
  if (topology == nullptr) return std::nullopt;
  std::optional<YamlNode> node;
  if (topology->is_scalar()) {
    alt.topology_file = topology->scalar;
    ctx.sources.record(r.child("topology"), topology->loc);
    std::string refused;
    const auto resolved = resolve_scenario_path(files, topology->scalar, refused);
    if (!resolved) {
      ctx.error(*topology, r.child("topology"), fmt::format("topology file {}", refused));
      return std::nullopt;
    }
    const std::filesystem::path& file = *resolved;
    // Messages name the included file as the user would find it from the scenario's folder.
    std::string display = (std::filesystem::path(scenario_name).parent_path() / topology->scalar).lexically_normal().string();
    alt.topology_source = display;
    Diagnostics include_diagnostics;
    node = read_yaml_file(file, display, include_diagnostics);
    for (auto d : include_diagnostics.all()) {
      if (!d.loc.known() && d.message.find("no such file") != std::string::npos) {
        d.loc = topology->loc;
        d.path = r.child("topology");
        d.message = fmt::format("topology file '{}' not found (looked in {})", topology->scalar, file.string());
      } else if (!d.loc.known()) {
        // The file as a whole is refused (not a regular file, too big): point at the scenario's line.
        d.loc = topology->loc;
        d.path = r.child("topology");
        d.message = fmt::format("topology file '{}': {}", topology->scalar, d.message);
      }
      ctx.diagnostics.add(d);
    }
  } else if (topology->is_map() && (topology->find("terraform") != nullptr || topology->find("cloudformation") != nullptr)) {
    node = imported_topology(r, *topology, files, alt, scenario_name);
  } else if (topology->is_map()) {
    alt.topology_source = scenario_name;
    node = *topology;
  } else {
    ctx.error(*topology, r.child("topology"),
              fmt::format("expected a topology map or the name of a topology file, found {}", kind_name(topology->kind)));
    return std::nullopt;
  }
  if (node && overrides != nullptr) {
    // A map is one JSON Merge Patch; a list is several, applied in order (what design-space
    // search writes for a variant: the alternative's own overrides, then each dimension's).
    // Composing patches into one map would not be the same: a later patch's null deletes a
    // key the earlier one wrote, but merged into one map it would delete the topology's too.
    ctx.sources.record(r.child("overrides"), overrides->loc);
    const bool list = overrides->is_sequence() && std::ranges::all_of(overrides->items, [](const YamlNode& p) { return p.is_map(); });
    if (!overrides->is_map() && !list) {
      ctx.error(*overrides, r.child("overrides"), "expected a map of overrides (applied as a JSON Merge Patch), or a list of such maps applied in order");
    } else if (list) {
      for (const auto& patch : overrides->items) merge_patch(*node, patch);
    } else {
      merge_patch(*node, *overrides);
    }
  }
  return node;
}

/// Health-check values a target group leaves out take AWS's defaults for its load balancer
/// type. A written 0 (or less) is refused here rather than read as "left out" and replaced by
/// the default in silence; other values outside AWS's ranges are the health-check-timing-invalid
/// rule's findings.
void apply_health_check_defaults(TopologySpec& t, const AwsFacts& facts, DecodeContext& ctx) {
  for (auto& lb : t.load_balancers) {
    const HealthCheckLimits& limits =
        lb.lb_type == LoadBalancerType::Application ? facts.alb_health_check : facts.nlb_health_check;
    for (auto& tg : lb.target_groups) {
      HealthCheckSpec& hc = tg.health_check;
      auto refuse_zero = [&](std::string_view key, bool positive, const IntRange& range, std::string_view unit, std::string found) {
        const std::string path = hc.path + "." + std::string(key);
        const SourceLoc loc = ctx.sources.find(path);
        if (hc.defaulted || positive || !loc.known()) return;
        ctx.diagnostics.error(loc, path, decoding::range_message(fmt::format("a health check {}", key), fmt::format("{}{}", range.min, unit),
                                                                 fmt::format("{}{}", range.max, unit), found));
      };
      refuse_zero("interval", hc.interval.ns > 0, limits.interval_s, "s", format_duration(hc.interval));
      refuse_zero("timeout", hc.timeout.ns > 0, limits.timeout_s, "s", format_duration(hc.timeout));
      refuse_zero("healthy_threshold", hc.healthy_threshold > 0, limits.healthy_threshold, "", std::to_string(hc.healthy_threshold));
      refuse_zero("unhealthy_threshold", hc.unhealthy_threshold > 0, limits.unhealthy_threshold, "", std::to_string(hc.unhealthy_threshold));
      if (hc.interval.ns <= 0) hc.interval = Duration::seconds(limits.interval_s.default_value);
      if (hc.timeout.ns <= 0) hc.timeout = Duration::seconds(limits.timeout_s.default_value);
      if (hc.healthy_threshold <= 0) hc.healthy_threshold = limits.healthy_threshold.default_value;
      if (hc.unhealthy_threshold <= 0) hc.unhealthy_threshold = limits.unhealthy_threshold.default_value;
    }
  }
}

/// A claim's `quote`: the document's words, so never empty.
void read_quote(MapReader& r, std::string& out) {
  if (r.required("quote", out) && out.empty()) {
    r.context().error(*r.node().find("quote"), r.child("quote"), "expected the document's words, found an empty quote");
  }
}

/// `claims:` after the alternatives, whose ids a claim may name.
void decode_claims(const YamlNode& node, DecodeContext& ctx, const AwsFacts& facts, ScenarioSpec& s) {
  std::vector<std::string> fact_ids;
  for (const auto& [id, statement] : facts.statements) fact_ids.push_back(id);
  std::vector<std::string> alternative_ids;
  for (const auto& alt : s.alternatives) alternative_ids.push_back(alt.id);
  decoding::for_each_item(node, "claims", ctx, [&](std::size_t, const std::string& path, MapReader& rc) {
    DocumentClaimSpec claim{.path = path};
    read_quote(rc, claim.quote);
    if (rc.required("fact", claim.fact) && !facts.statements.contains(claim.fact)) {
      ctx.error(*rc.node().find("fact"), rc.child("fact"),
                fmt::format("unknown fact '{}'; expected one of model/data/aws_statements.yaml: {}{}", claim.fact,
                            fmt::join(fact_ids, ", "), did_you_mean(claim.fact, fact_ids)));
    }
    if (rc.required("document_says", claim.document_says) &&
        (claim.document_says.empty() || std::ranges::any_of(claim.document_says, [](const std::string& v) { return v.empty(); }))) {
      ctx.error(*rc.node().find("document_says"), rc.child("document_says"),
                "expected the values the quote asserts, at least one, none empty");
    }
    if (rc.optional("alternative", claim.alternative) && s.alternative(claim.alternative) == nullptr) {
      ctx.error(*rc.node().find("alternative"), rc.child("alternative"),
                fmt::format("unknown alternative '{}'{}", claim.alternative, did_you_mean(claim.alternative, alternative_ids)));
    }
    s.claims.push_back(std::move(claim));
  });
}

/// A name or title read from `key` of `r` into `out`, refused (at its value) when it is not one
/// short line: names head reports and are repeated in every table and file.
void read_name(MapReader& r, std::string_view key, std::string& out, bool required) {
  if (!(required ? r.required(key, out) : r.optional(key, out))) return;
  if (const std::string problem = name_problem(out); !problem.empty()) {
    r.context().error(*r.node().find(key), r.child(key), problem);
    out.clear();
  }
}

/// `fargate` and `savings_plan`, the purchase options a scenario's `pricing` and an
/// alternative's `pricing` share.
void read_purchase_options(MapReader& r, PurchaseOptionsSpec& out) {
  std::string fargate = "on_demand";
  if (r.choice("fargate", fargate, {"on_demand", "spot"})) out.path = r.path();
  out.fargate_spot = fargate == "spot";
  if (const YamlNode* sp = r.take("savings_plan")) {
    MapReader rs(*sp, r.child("savings_plan"), r.context());
    SavingsPlanSpec plan;
    // Only Compute Savings Plans cover Fargate and Lambda; EC2 Instance plans cover neither.
    rs.choice("type", plan.type, {"compute"});
    // Term and payment pick the rate, so neither has a default.
    const auto required_choice = [&](std::string_view key, std::string& value, std::initializer_list<std::string_view> words) {
      if (rs.node().find(key) == nullptr) {
        rs.take_required(key);
      } else {
        rs.choice(key, value, words);
      }
    };
    required_choice("term", plan.term, {"1yr", "3yr"});
    required_choice("payment", plan.payment, {"no_upfront", "partial_upfront", "all_upfront"});
    rs.finish();
    out.savings_plan = plan;
    out.path = r.path();
  }
}

/// An alternative's `pricing:`: only purchase options, which replace the scenario's.
std::optional<PurchaseOptionsSpec> alternative_purchase_options(MapReader& ra) {
  const YamlNode* p = ra.take("pricing");
  if (p == nullptr) return std::nullopt;
  MapReader rp(*p, ra.child("pricing"), ra.context());
  PurchaseOptionsSpec options;
  read_purchase_options(rp, options);
  options.path = ra.child("pricing");
  rp.finish();
  return options;
}

/// `fargate: spot` places the ECS services that have no capacity_provider_strategy of their own
/// (a service's strategy replaces its cluster's default in ECS). Where every service has one, or
/// there is none, it changes nothing: said where it is written, once per place.
void warn_spot_changing_nothing(const ScenarioSpec& s, DecodeContext& ctx) {
  const auto takes_it = [](const TopologySpec& t) {
    return std::any_of(t.ecs_services.begin(), t.ecs_services.end(), [](const EcsServiceSpec& e) { return e.capacity_provider_strategy.empty(); });
  };
  const std::string why = "every ECS service there has its own capacity_provider_strategy, or there is none";
  for (const auto& alt : s.alternatives) {
    if (alt.pricing && alt.pricing->fargate_spot && !takes_it(alt.topology)) {
      const std::string path = alt.pricing->path + ".fargate";
      ctx.diagnostics.warning(ctx.sources.locate(path), path, fmt::format("`fargate: spot` changes nothing in alternative {}: {}", alt.id, why));
    }
  }
  if (!s.pricing.purchase.fargate_spot) return;
  const bool used = std::any_of(s.alternatives.begin(), s.alternatives.end(), [&](const AlternativeSpec& a) { return !a.pricing && takes_it(a.topology); });
  if (!used) {
    const std::string path = s.pricing.purchase.path + ".fargate";
    ctx.diagnostics.warning(ctx.sources.locate(path), path,
                            fmt::format("`fargate: spot` changes nothing in the alternatives without a `pricing` of their own: {}", why));
  }
}

void decode_scenario(const YamlNode& root, const ScenarioFiles& files, DecodeContext& ctx,
                     const AwsFacts& facts, ScenarioSpec& s) {
  MapReader r(root, "", ctx);
  if (!r.ok()) return;
  r.optional("archsim", s.format_version);
  if (s.format_version != 1) {
    ctx.error(*r.take("archsim"), "archsim", fmt::format("unsupported format version {}; this archsim reads 1", s.format_version));
  }
  read_name(r, "name", s.name, true);
  r.optional("description", s.description);
  r.optional("document", s.document);
  if (r.required("region", s.region) && !facts.region_zones.contains(s.region)) {
    // Prices, zones and quotas are per region: a region archsim has no data for would be
    // priced at 0.00 USD and reviewed without its zones, so it is refused, not noted.
    std::vector<std::string> known;
    for (const auto& [id, zones] : facts.region_zones) known.push_back(id);
    ctx.error(*root.find("region"), "region",
              fmt::format("unknown region '{}'{}; archsim knows {} (model/data/aws_network.yaml)", s.region,
                          did_you_mean(s.region, known), fmt::join(known, ", ")));
  }

  s.pricing.path = "pricing";
  if (const YamlNode* p = r.take("pricing")) {
    MapReader rp(*p, "pricing", ctx);
    rp.keyword("free_tier", s.pricing.free_tier,
               {{"none", FreeTierPlan::None},
                {"always_free", FreeTierPlan::AlwaysFree},
                {"legacy_12_month", FreeTierPlan::Legacy12Month},
                {"credits", FreeTierPlan::Credits}});
    rp.optional("account_created", s.pricing.account_created);
    rp.optional("billing_month", s.pricing.billing_month);
    // Dates that decide which Free Tier offers apply: a day that does not exist, or a month
    // written as a day, would be read by its first seven characters.
    const auto month_ok = [](std::string_view t) { return t.size() == 7 && is_iso_date(std::string(t) + "-01"); };
    const auto from_aws = [](std::string_view t) { return t.substr(0, 4) >= "2006"; };  // AWS's first services, March 2006
    if (const std::string& t = s.pricing.account_created; !t.empty() && (!(is_iso_date(t) || month_ok(t)) || !from_aws(t))) {
      ctx.diagnostics.error(ctx.sources.locate("pricing.account_created"), "pricing.account_created",
                fmt::format("expected the date the account was created, YYYY-MM-DD (or YYYY-MM), a day that exists from 2006 on, found '{}'", t));
    }
    if (const std::string& t = s.pricing.billing_month; !t.empty() && (!month_ok(t) || !from_aws(t))) {
      ctx.diagnostics.error(ctx.sources.locate("pricing.billing_month"), "pricing.billing_month",
                fmt::format("expected the month priced, YYYY-MM from 2006 on, found '{}'", t));
    }
    rp.optional_in("credits_usd", s.pricing.credits_usd, 0.0, kMaxUsd, "credits in USD");
    rp.optional("price_book", s.pricing.price_book);
    read_purchase_options(rp, s.pricing.purchase);
    if (const YamlNode* age = rp.take("max_book_age")) {
      // Days, written with their unit so that a bare number is not read as some other unit.
      std::string text;
      if (decoding::decode_value(*age, "pricing.max_book_age", ctx, text)) {
        int days = 0;
        const bool digits = text.size() >= 2 && text.size() <= 6 && text.back() == 'd' &&
                            std::all_of(text.begin(), text.end() - 1, [](char c) { return c >= '0' && c <= '9'; });
        if (digits) days = std::stoi(text.substr(0, text.size() - 1));
        if (!digits || days < 1 || days > kMaxBookAgeDays) {
          ctx.error(*age, "pricing.max_book_age", fmt::format("expected an age in days from 1d to {}d, such as 365d, found '{}'", kMaxBookAgeDays, text));
        } else {
          s.pricing.max_book_age_days = days;
        }
      }
    }
    if (const YamlNode* claims = rp.take("claims")) {
      decoding::for_each_item(*claims, "pricing.claims", ctx, [&](std::size_t, const std::string& path, MapReader& rc) {
        PricingClaimSpec claim{.path = path};
        read_quote(rc, claim.quote);
        rc.required("prices", claim.prices);
        rc.optional_in("free_quantity", claim.free_quantity, 0.0, kMaxQuantity, "a monthly quantity");
        rc.optional("unit", claim.unit);
        rc.optional_in("monthly_usd", claim.monthly_usd, 0.0, kMaxUsd, "a monthly cost in USD");
        if (!claim.free_quantity && !claim.monthly_usd) {
          ctx.error(rc.node(), path, "a pricing claim needs 'free_quantity' (with 'unit') or 'monthly_usd'");
        }
        if (claim.free_quantity && claim.unit.empty()) ctx.error(rc.node(), path, "'free_quantity' needs its 'unit'");
        s.pricing.claims.push_back(std::move(claim));
      });
    }
    rp.finish();
  }
  if (const YamlNode* b = r.take("budget")) {
    BudgetSpec budget{.path = "budget"};
    MapReader rb(*b, "budget", ctx);
    if (const YamlNode* n = rb.take_required("monthly_limit_usd");
        n != nullptr && decoding::decode_value(*n, "budget.monthly_limit_usd", ctx, budget.monthly_limit_usd) &&
        !(budget.monthly_limit_usd > 0 && budget.monthly_limit_usd <= kMaxUsd)) {
      ctx.error(*n, "budget.monthly_limit_usd",
                fmt::format("expected a monthly limit above 0 and at most {:g} USD, found {:g}", kMaxUsd, budget.monthly_limit_usd));
    }
    rb.keyword("forecast", budget.forecast,
               {{"history", BudgetForecast::History}, {"none", BudgetForecast::None}, {"linear", BudgetForecast::Linear}});
    if (const YamlNode* alerts = rb.take("alerts")) {
      decoding::for_each_item(*alerts, "budget.alerts", ctx, [&](std::size_t, const std::string& path, MapReader& ra) {
        BudgetAlertSpec alert{.path = path};
        ra.keyword("kind", alert.kind, {{"actual", BudgetAlertKind::Actual}, {"forecasted", BudgetAlertKind::Forecasted}});
        if (const YamlNode* n = ra.take_required("threshold_percent");
            n != nullptr && decoding::decode_value(*n, path + ".threshold_percent", ctx, alert.threshold_percent) &&
            !(alert.threshold_percent > 0 && alert.threshold_percent <= kMaxThresholdPercent)) {
          ctx.error(*n, path + ".threshold_percent",
                    fmt::format("expected a threshold above 0 and at most {:g} (% of the monthly limit), found {:g}", kMaxThresholdPercent,
                                alert.threshold_percent));
        }
        ra.optional("fail_run", alert.fail_run);
        budget.alerts.push_back(alert);
      });
    }
    rb.finish();
    s.budget = std::move(budget);
  }
  if (const YamlNode* w = r.take("workload")) {
    // Decoded by the simulator; kept as a tree so its values keep their locations.
    s.workload = *w;
    ctx.sources.record("workload", w->loc);
  }
  if (const YamlNode* u = r.take("usage")) {
    // Decoded by pricing, against each alternative's components.
    s.usage = *u;
    ctx.sources.record("usage", u->loc);
  }
  if (const YamlNode* e = r.take("explore")) {
    // Decoded by design-space search (tools/explore), which needs the alternatives first.
    s.explore = *e;
    ctx.sources.record("explore", e->loc);
  }
  if (const YamlNode* c = r.take("criteria")) {
    decoding::for_each_named(*c, "criteria", ctx, [&](const std::string& id, const std::string& path, MapReader& rc) {
      CriterionSpec criterion{.id = id, .path = path};
      read_name(rc, "title", criterion.title, true);
      rc.choice("category", criterion.category,
                {"security", "operations", "reliability", "performance", "cost", "simplicity", "flexibility"});
      if (rc.optional("rules", criterion.rules)) {
        // A rule id that names no rule would never fire, so the criterion would pass in silence.
        std::vector<std::string> ids;
        for (const auto& rule : rule_catalog()) ids.emplace_back(rule.id);
        const YamlNode& list = *rc.node().find("rules");
        for (std::size_t i = 0; i < criterion.rules.size(); ++i) {
          if (find_rule(criterion.rules[i]) != nullptr) continue;
          ctx.error(list.items[i], decoding::index_path(rc.child("rules"), i),
                    fmt::format("no rule named '{}'{} (docs/rules.md lists them)", criterion.rules[i], did_you_mean(criterion.rules[i], ids)));
        }
      }
      rc.optional("metric", criterion.metric);
      const MetricInfo* metric = nullptr;
      if (!criterion.metric.empty()) {
        metric = find_metric(criterion.metric);
        if (metric == nullptr) {
          std::vector<std::string> names;
          for (const auto& m : criterion_metrics()) names.emplace_back(m.name);
          ctx.error(*rc.node().find("metric"), rc.child("metric"),
                    fmt::format("unknown metric '{}'{}", criterion.metric, did_you_mean(criterion.metric, names)));
        } else {
          criterion.metric = std::string(metric->name);
        }
      }
      bool bounded = false;
      for (auto [key, out] : {std::pair{"max", &criterion.max}, std::pair{"min", &criterion.min}}) {
        const YamlNode* n = rc.take(key);
        if (n == nullptr) continue;
        bounded = true;
        std::string text;
        if (!decoding::decode_value(*n, rc.child(key), ctx, text)) continue;
        if (metric == nullptr) {
          ctx.error(*n, rc.child(key), fmt::format("'{}' bounds a metric; add `metric:`", key));
          continue;
        }
        std::string why;
        if (auto bound = parse_metric_bound(*metric, text, why)) *out = *bound;
        else ctx.error(*n, rc.child(key), fmt::format("{} for {}, found '{}'", why, metric->name, text));
      }
      if (rc.optional("added_by", criterion.added_by)) {
        // It is shown beside the title: one short line, like a name.
        const std::string problem =
            criterion.added_by.empty() ? "expected who added the criterion, e.g. reviewer" : name_problem(criterion.added_by);
        if (!problem.empty()) ctx.error(*rc.node().find("added_by"), rc.child("added_by"), problem);
      }
      if (rc.optional("exercised_by", criterion.exercised_by) && criterion.metric.empty()) {
        ctx.error(*rc.node().find("exercised_by"), rc.child("exercised_by"),
                  "'exercised_by' names the faults or deployments a measured criterion is judged on; add `metric:`");
      }
      if (metric != nullptr && !bounded) {
        ctx.error(rc.node(), path, fmt::format("metric {} needs a bound: `max:` or `min:`", metric->name));
      }
      if (criterion.rules.empty() && criterion.metric.empty()) {
        ctx.error(rc.node(), path, "a criterion needs 'rules' (static checks) or 'metric' (a measured bound), or both");
      }
      s.criteria.push_back(std::move(criterion));
    });
  }
  if (const YamlNode* alternatives = r.take_required("alternatives")) {
    decoding::for_each_named(*alternatives, "alternatives", ctx, [&](const std::string& id, const std::string& path, MapReader& ra) {
      AlternativeSpec alt{.id = id, .path = path};
      read_name(ra, "title", alt.title, true);
      ra.keyword("status", alt.status,
                 {{"chosen", DecisionStatus::Chosen},
                  {"rejected", DecisionStatus::Rejected},
                  {"deferred", DecisionStatus::Deferred},
                  {"considered", DecisionStatus::Considered}});
      ra.optional("rationale", alt.rationale);
      alt.pricing = alternative_purchase_options(ra);
      if (auto node = topology_node(ra, files, alt, s.file)) {
        const std::string topo_path = path + ".topology";
        detail::decode_topology(*node, topo_path, ctx, alt.topology);
        if (alt.topology.region.empty()) alt.topology.region = s.region;
        if (alt.topology.region != s.region) {
          ctx.diagnostics.error(ctx.sources.locate(topo_path + ".region"), topo_path + ".region",
                                fmt::format("topology region '{}' differs from the scenario region '{}'",
                                            alt.topology.region, s.region));
        }
        detail::check_references(alt.topology, ctx);
        detail::check_limits(alt.topology, facts, ctx);
        apply_health_check_defaults(alt.topology, facts, ctx);
        alt.topology.fargate_spot = (alt.pricing ? *alt.pricing : s.pricing.purchase).fargate_spot;
      }
      s.alternatives.push_back(std::move(alt));
    }, /*names_files=*/true);  // `run --out` writes timeline-<id>.csv
    const auto chosen = std::count_if(s.alternatives.begin(), s.alternatives.end(),
                                      [](const AlternativeSpec& a) { return a.status == DecisionStatus::Chosen; });
    if (chosen > 1) ctx.error(*alternatives, "alternatives", "at most one alternative can have status: chosen");
    if (s.alternatives.empty()) ctx.error(*alternatives, "alternatives", "a scenario needs at least one alternative");
    warn_spot_changing_nothing(s, ctx);
  }
  if (const YamlNode* claims = r.take("claims")) decode_claims(*claims, ctx, facts, s);
  r.finish();
}

LoadResult load_from(std::optional<YamlNode> root, Diagnostics diagnostics, const std::string& display_name,
                     const std::filesystem::path& base_dir, const AwsFacts& facts, const LoadOptions& options) {
  LoadResult result;
  result.diagnostics = std::move(diagnostics);
  if (root) {
    ScenarioSpec scenario;
    scenario.file = display_name;
    scenario.base_dir = base_dir.string();
    scenario.allow_outside_paths = options.allow_outside_paths;
    DecodeContext ctx{result.diagnostics, scenario.sources};
    decode_scenario(*root, ScenarioFiles{base_dir, options.allow_outside_paths}, ctx, facts, scenario);
    result.scenario = std::move(scenario);
  }
  if (options.strict) result.diagnostics.promote_warnings();
  return result;
}


/// What infrastructure code a file named where a scenario is expected is: a CloudFormation
/// template is a map with `Resources` (and no `archsim` key, nor Terraform's `format_version`).
bool is_cloudformation_template(const YamlNode& root) {
  const YamlNode* resources = root.is_map() ? root.find("Resources") : nullptr;
  return resources != nullptr && resources->is_map() && root.find("archsim") == nullptr && root.find("format_version") == nullptr;
}

/// Infrastructure code named where a scenario is expected (`archsim validate plan.json`, `archsim
/// validate template.yaml`): a scenario of one alternative, the code as imported, in its region.
LoadResult load_code_as_scenario(const std::filesystem::path& file, bool cloudformation, const AwsFacts& facts, const LoadOptions& options) {
  Diagnostics diagnostics;
  if (!cloudformation && !options.template_parameters.empty()) {
    diagnostics.error(SourceLoc{file.string(), 1, 1}, "", "--parameter is for CloudFormation templates; a Terraform plan has its variables' values");
    return LoadResult{std::nullopt, std::move(diagnostics)};
  }
  return load_imported_topology(cloudformation ? import_cloudformation_file(file, file.string(), options.template_parameters)
                                                : import_terraform_file(file, file.string()),
                                file, cloudformation, facts, options);
}

}  // namespace

LoadResult load_imported_topology(ImportedTopology&& imported, const std::filesystem::path& file, bool cloudformation, const AwsFacts& facts,
                                  const LoadOptions& options) {
  Diagnostics diagnostics;
  for (auto d : imported.diagnostics.all()) {
    if (d.severity == Severity::Warning) d.severity = Severity::Note;  // as in a scenario: the import's, not the user's
    diagnostics.add(std::move(d));
  }
  if (!imported.ok()) return LoadResult{std::nullopt, std::move(diagnostics)};
  YamlNode& topology = *imported.topology;
  const YamlNode* region = topology.find("region");
  if (region == nullptr) {
    diagnostics.error(topology.loc, "region",
                      cloudformation ? "the template names no region (no subnet zones); pass --parameter AWS::Region=<region>"
                                     : "the plan names no region (no constant region in the aws provider's configuration and no subnet zones); "
                                       "name the plan in a scenario's `topology: {terraform: ...}`, which states the region");
    return LoadResult{std::nullopt, std::move(diagnostics)};
  }
  using namespace import_detail;
  YamlNode root = map_node(topology.loc);
  put(root, "archsim", plain_node("1", topology.loc));
  put(root, "name", text_node(cloudformation ? "cloudformation-import" : "terraform-import", topology.loc));
  put(root, "region", *region);
  YamlNode alternative = map_node(topology.loc);
  put(alternative, "title", text_node(cloudformation ? "As the template has it" : "As the plan has it", topology.loc));
  put(alternative, "status", text_node("chosen", topology.loc));
  put(alternative, "topology", std::move(topology));
  YamlNode alternatives = map_node(root.loc);
  put(alternatives, cloudformation ? "template" : "plan", std::move(alternative));
  put(root, "alternatives", std::move(alternatives));
  LoadResult result = load_from(std::move(root), std::move(diagnostics), file.string(), file.parent_path(), facts, options);
  if (result.scenario && !result.scenario->alternatives.empty()) {
    result.scenario->alternatives.front().resource_addresses = std::move(imported.addresses);
    result.scenario->alternatives.front().topology_source = file.string();
  }
  return result;
}

LoadResult load_scenario(const std::filesystem::path& file, const AwsFacts& facts, const LoadOptions& options) {
  // A scenario is YAML; JSON named here is the output of `terraform show -json` or a
  // CloudFormation template (what `cdk synth` writes), and YAML with `Resources` a template.
  if (file.extension() == ".json") {
    bool cloudformation = false;
    import_detail::import_file(file, file.string(), [&](std::string_view text) {
      Diagnostics ignored;  // the importer reads the file again and reports what is wrong with it
      const auto root = import_detail::parse_json_tree(text, file.string(), ignored);
      cloudformation = root && is_cloudformation_template(*root);
      return ImportedTopology{};
    });
    return load_code_as_scenario(file, cloudformation, facts, options);
  }
  Diagnostics diagnostics;
  auto root = read_yaml_file(file, file.string(), diagnostics);
  if (root && is_cloudformation_template(*root)) return load_code_as_scenario(file, true, facts, options);
  if (!options.template_parameters.empty()) {
    diagnostics.error(root ? root->loc : SourceLoc{file.string(), 1, 1}, "",
                      "--parameter is for a CloudFormation template named directly; a scenario gives them in `topology: {cloudformation: FILE, "
                      "parameters: {...}}`");
  }
  return load_from(std::move(root), std::move(diagnostics), file.string(), file.parent_path(), facts, options);
}

LoadResult load_scenario_tree(YamlNode root, const std::string& display_name, const std::filesystem::path& base_dir,
                              const AwsFacts& facts, const LoadOptions& options) {
  return load_from(std::move(root), {}, display_name, base_dir, facts, options);
}

LoadResult load_scenario_text(std::string_view text, const std::string& display_name,
                              const std::filesystem::path& base_dir, const AwsFacts& facts,
                              const LoadOptions& options) {
  Diagnostics diagnostics;
  auto root = parse_yaml(text, display_name, diagnostics);
  return load_from(std::move(root), std::move(diagnostics), display_name, base_dir, facts, options);
}

}  // namespace archsim::model
