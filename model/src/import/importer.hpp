// The importers' common core (model/src/import/): resources read from infrastructure code, their
// attributes followed into nested blocks, and the builders that turn each mapped resource type
// into archsim's entity. A front end (terraform_plan.cpp, cloudformation.cpp) reads its format
// into `resources_` and says how a reference is followed; everything after is shared.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "import_internal.hpp"

namespace archsim::model::import_detail {

/// What a CloudFormation placeholder in `text` stands for: a value only a deployment knows
/// ("another stack's export 'shared-cluster' (Fn::ImportValue)"), or "" when `text` holds none.
/// The CloudFormation front end writes them (`{{cfn:<stack>/<LogicalId>}}`,
/// `{{Fn::ImportValue:<name>}}`, `{{AWS::AccountId}}`); dynamic references (`{{resolve:...}}`)
/// are the template's own.
std::string deployment_value(std::string_view text);

/// One resource instance of planned_values (or of state's values).
struct Resource {
  std::vector<std::string> names;  ///< values by which other resources refer to it (ids, ARNs, logical ids)
  std::string address;  ///< module.network.aws_subnet.public["a"]
  std::string module;   ///< module.network, "" at the root
  std::string type, name;
  std::string key;  ///< count index or for_each key, "" when neither
  const YamlNode* node = nullptr;     ///< the resource object
  const YamlNode* values = nullptr;   ///< its attributes
  const YamlNode* unknown = nullptr;  ///< resource_changes' after_unknown
  const YamlNode* config = nullptr;   ///< configuration's resource (expressions)
  const TypeMapping* mapping = nullptr;
  std::string id;  ///< the archsim id
  bool data = false;  ///< a Terraform data source: reads what exists, makes no entity
  SourceLoc loc;

  std::string local_address() const { return type + "." + name; }
  /// `aws_lb.public (module.network)`: the source comment.
  std::string comment() const {
    const std::string text = module.empty() || !address.starts_with(module + ".") ? address : address.substr(module.size() + 1);
    return module.empty() ? text : text + " (" + module + ")";
  }
};

inline const YamlNode* child(const YamlNode* n, std::string_view key) { return n != nullptr && n->is_map() ? n->find(key) : nullptr; }
inline const YamlNode* item(const YamlNode* n, std::size_t i) {
  return n != nullptr && n->is_sequence() && i < n->items.size() ? &n->items[i] : nullptr;
}
inline bool is_value(const YamlNode* n) { return n != nullptr && !n->is_null() && !(n->is_scalar() && !n->quoted && n->scalar == "null"); }
inline std::string text_of(const YamlNode* n) { return n != nullptr && n->is_scalar() ? n->scalar : std::string(); }

/// An attribute of a resource followed into nested blocks: its value, whether Terraform knows
/// it yet (after_unknown) and its configuration expression (references).
struct Attr {
  const YamlNode* value = nullptr;
  const YamlNode* unknown = nullptr;
  const YamlNode* expr = nullptr;
  SourceLoc loc;
  std::string name;

  /// `key`, or a dotted path (`NetworkConfiguration.AwsvpcConfiguration`) whose lists of one
  /// block are stepped through, as Terraform writes nested blocks. A segment marked `[]`
  /// (`Certificates[].CertificateArn`) is a list in CloudFormation too, read at its first item.
  Attr get(std::string_view key) const {
    const auto dot = key.find('.');
    if (dot != std::string_view::npos) return get(key.substr(0, dot)).at(0).get(key.substr(dot + 1));
    if (key.ends_with("[]")) key.remove_suffix(2);
    Attr a{child(value, key), child(unknown, key), child(expr, key), loc, name + "." + std::string(key)};
    if (a.value != nullptr && a.value->loc.known()) a.loc = a.value->loc;
    return a;
  }
  /// Item `i` of a list; a map is its own only item (Terraform wraps a nested block in a list
  /// of one, CloudFormation does not).
  Attr at(std::size_t i) const {
    if (value != nullptr && value->is_map()) return i == 0 ? *this : Attr{nullptr, nullptr, nullptr, loc, name};
    Attr a{item(value, i), item(unknown, i), item(expr, i), loc, fmt::format("{}[{}]", name, i)};
    if (a.value != nullptr && a.value->loc.known()) a.loc = a.value->loc;
    return a;
  }
  std::size_t size() const {
    if (value != nullptr && value->is_map()) return 1;
    std::size_t n = value != nullptr && value->is_sequence() ? value->items.size() : 0;
    if (expr != nullptr && expr->is_sequence()) n = std::max(n, expr->items.size());
    return n;
  }
  /// Its own name, the last segment of `name` (`launch_type`, `replica[0]`), as messages say it.
  std::string key() const { return name.substr(name.rfind('.') + 1); }
  bool known() const { return is_value(value); }
  std::string text() const { return text_of(value); }
  bool is_unknown() const { return unknown != nullptr && unknown->is_scalar() && unknown->scalar == "true"; }
  /// The literal the configuration gives when the plan's value is unknown.
  const YamlNode* constant() const { return child(expr, "constant_value"); }
};

class Importer {
 public:
  Importer(const YamlNode& root, const std::string& file, ImportedTopology& out)
      : root_(root), file_(file), out_(out), b_(out), mappings_(builtin_import_mappings()) {}
  virtual ~Importer() = default;
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

 protected:
  /// Follows what the format adds beyond literal names (Terraform's configuration references).
  virtual void follow(const Resource& from, const Attr& a, std::vector<const Resource*>& out) {
    (void)from, (void)a, (void)out;
  }

  /// Gives each resource with a mapping its archsim id, unique within its section, and indexes
  /// every resource by its names.
  void claim_ids();
  /// Runs the builders in dependency order, lists what was left out, infers the request routes
  /// and stores the topology (`zones`: the subnets' zones).
  void build_all(const LeftOutRules& left_out);

  Attr attr(const Resource& r, std::string_view archsim_key) const;
  std::vector<const Resource*> targets(const Resource& from, const Attr& a, std::string_view entity);
  const Resource* target(const Resource& from, const Attr& a, std::string_view entity, const std::string& path);
  std::vector<std::string> ids_of(const std::vector<const Resource*>& rs) const;
  /// The resource one of `names` belongs to (a name, ARN, URL prefix or logical id), or nullptr.
  const Resource* named(std::string_view value, std::string_view entity) const;

  const YamlNode& root_;
  std::string file_;
  ImportedTopology& out_;
  TopologyBuilder b_;
  const ImportMappings& mappings_;
  std::string region_;
  SourceLoc region_loc_;
  std::vector<Resource> resources_;
  std::map<std::string, std::size_t> by_id_;  ///< a resource's names -> its index
  std::map<std::string, std::pair<std::size_t, std::string>> unsupported_, skipped_;

 private:
  std::string entity_path(std::string_view section, const Resource& r) const { return std::string(section) + "." + r.id; }
  YamlNode& start(std::string_view section, const Resource& r);
  void build(Resource& r);
  void vpc(const Resource& r);
  void vpc_secondary_cidr(const Resource& r);
  void internet_gateway(const Resource& r);
  void subnet(const Resource& r);
  void route_table(const Resource& r);
  void route(const Resource& r);
  YamlNode route_node(const Resource& r, const Attr& a, const std::string& path);
  void route_table_association(const Resource& r);
  void main_route_table_association(const Resource& r);
  void security_group(const Resource& r);
  void sg_rules(const Resource& r, const Attr& list, bool egress, YamlNode& out);
  void security_group_rule(const Resource& r, std::string_view direction_fixed);
  void nat_gateway(const Resource& r);
  void vpc_endpoint(const Resource& r);
  void load_balancer(const Resource& r);
  void target_group(const Resource& r);
  void listener(const Resource& r);
  void listener_rule(const Resource& r);
  void target_group_attachment(const Resource& r);
  void ecs_service(const Resource& r);
  void capacity_providers(const Resource& r, const std::string& path, YamlNode& e);
  /// False, with an error, when a strategy is written but is not a list of blocks.
  bool strategy_is_list(const Resource& r, const Attr& strategy, const std::string& path);
  /// The clusters `a` names: by a cluster's own name (or ARN), else by reference.
  std::vector<const Resource*> clusters_of(const Resource& from, const Attr& a);
  /// The clusters of the file whose own name is `name`.
  std::vector<const Resource*> clusters_named(std::string_view name) const;
  /// The cluster a service runs in (nullptr when it is not in the file) and the resource whose
  /// default strategy applies to it (the cluster's own, or its capacity provider
  /// association's; nullptr when none). `failed`: two of them apply, an error.
  struct ClusterDefault {
    const Resource* cluster = nullptr;
    const Resource* strategy_from = nullptr;
    bool failed = false;
  };
  ClusterDefault cluster_default_strategy(const Resource& service, const std::string& path);
  void ecr_repository(const Resource& r);
  void log_group(const Resource& r);
  /// `assume`: write the mapping's assumptions for the keys left unset (a builder that fills
  /// more keys itself says its own).
  void simple_component(const Resource& r, bool assume = true);
  /// One attribute of a component, converted as the mapping says, into `e` under `key`.
  void component_attribute(const Resource& r, Attr a, const std::string& key, const std::string& attribute, YamlNode& e);
  void global_table(const Resource& r);
  /// True when `a` holds one value to write: false, with an error, for a list or map, and with
  /// an assumption for a value known only after apply or at deployment (the default stands).
  bool one_value(const Resource& r, const Attr& a, const std::string& path, const std::string& attribute);
  /// `key`: the `field` of every block of `blocks` (a conversion's `each`), an error when one
  /// lacks it.
  void each_field(const Resource& r, const Attr& blocks, const std::string& field, const std::string& path, YamlNode& e, const std::string& key);
  void rds_instance(const Resource& r);
  void aurora_cluster(const Resource& r);
  void lambda_concurrency(const Resource& r);
  void api_gateway(const Resource& r);
  /// The API an integration or authorizer (`does`: "integrates") belongs to, and its component;
  /// {.., nullptr} with a warning when it is not an API the import made.
  std::pair<const Resource*, YamlNode*> api_of(const Resource& r, std::string_view does);
  void api_integration(const Resource& r);
  void api_authorizer(const Resource& r);
  void cloudfront(const Resource& r);
  void codedeploy_group(const Resource& r);
  /// The alarms a deployment group stops on, as the service's rollback alarm (`deployment.alarm`).
  void rollback_alarm(const Resource& r, YamlNode& deployment, const std::string& path);
  /// A step-scaling policy (`autoscaling.step_scaling`), its alarm read from the CloudWatch alarm
  /// whose actions name it.
  void step_scaling(const Resource& r, YamlNode& service, const std::string& path);
  /// Components of archsim type `type` among what `a` names (lambda, cognito_user_pool, ...).
  std::vector<const Resource*> components_of_type(const Resource& from, const Attr& a, std::string_view type);
  /// The built component a resource became, or nullptr (not a component, or left out).
  YamlNode* component_of(const Resource& r) { return b_.find_entity("components", r.id); }
  YamlNode* scaled_service(const Resource& r, const Attr& a, std::string& path);
  void autoscaling_target(const Resource& r);
  void autoscaling_policy(const Resource& r);
  void autoscaling_scheduled_action(const Resource& r);
  void infer_routes();

  /// The target group a resource refers to, placed under its load balancer by the listeners.
  struct TargetGroupHome {
    std::string lb_id;
    YamlNode* node = nullptr;
  };
  TargetGroupHome target_group_home(const Resource& tg);

  std::map<std::string, std::string> tg_lb_;  ///< target group resource address -> lb id
  std::map<std::string, std::string> tg_targets_;
  std::set<std::string> default_egress_;  ///< groups that keep AWS's allow-all egress rule
  int pass_through_depth_ = 0;  ///< targets() followed through resources that have the kind asked for
  bool alarms_read_ = false;
  std::map<const Resource*, const Resource*> alarm_of_;  ///< step-scaling policy -> the alarm whose actions name it
};

}  // namespace archsim::model::import_detail
