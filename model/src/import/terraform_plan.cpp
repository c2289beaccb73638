// `terraform show -json` (plan or state) -> topology. Terraform's JSON output format:
// https://developer.hashicorp.com/terraform/internals/json-format
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/model/input_file.hpp"
#include "archsim/model/input_limits.hpp"
#include "import_internal.hpp"

namespace archsim::model {

namespace {

using namespace import_detail;

/// One resource instance of planned_values (or of state's values).
struct Resource {
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
  SourceLoc loc;

  std::string local_address() const { return type + "." + name; }
  /// `aws_lb.public (module.network)`: the source comment.
  std::string comment() const {
    const std::string text = module.empty() || !address.starts_with(module + ".") ? address : address.substr(module.size() + 1);
    return module.empty() ? text : text + " (" + module + ")";
  }
};

const YamlNode* child(const YamlNode* n, std::string_view key) { return n != nullptr && n->is_map() ? n->find(key) : nullptr; }
const YamlNode* item(const YamlNode* n, std::size_t i) {
  return n != nullptr && n->is_sequence() && i < n->items.size() ? &n->items[i] : nullptr;
}
bool is_value(const YamlNode* n) { return n != nullptr && !n->is_null() && !(n->is_scalar() && !n->quoted && n->scalar == "null"); }
std::string text_of(const YamlNode* n) { return n != nullptr && n->is_scalar() ? n->scalar : std::string(); }

/// An attribute of a resource followed into nested blocks: its value, whether Terraform knows
/// it yet (after_unknown) and its configuration expression (references).
struct Attr {
  const YamlNode* value = nullptr;
  const YamlNode* unknown = nullptr;
  const YamlNode* expr = nullptr;
  SourceLoc loc;
  std::string name;

  Attr get(std::string_view key) const {
    Attr a{child(value, key), child(unknown, key), child(expr, key), loc, name + "." + std::string(key)};
    if (a.value != nullptr && a.value->loc.known()) a.loc = a.value->loc;
    return a;
  }
  /// Nested blocks are lists of one object in plan JSON (`default_action[0]`).
  Attr at(std::size_t i) const {
    Attr a{item(value, i), item(unknown, i), item(expr, i), loc, fmt::format("{}[{}]", name, i)};
    if (a.value != nullptr && a.value->loc.known()) a.loc = a.value->loc;
    return a;
  }
  std::size_t size() const {
    std::size_t n = value != nullptr && value->is_sequence() ? value->items.size() : 0;
    if (expr != nullptr && expr->is_sequence()) n = std::max(n, expr->items.size());
    return n;
  }
  bool known() const { return is_value(value); }
  std::string text() const { return text_of(value); }
  bool is_unknown() const { return unknown != nullptr && unknown->is_scalar() && unknown->scalar == "true"; }
  /// The literal the configuration gives when the plan's value is unknown.
  const YamlNode* constant() const { return child(expr, "constant_value"); }
};

class TerraformImport {
 public:
  TerraformImport(const YamlNode& root, const std::string& file, ImportedTopology& out)
      : root_(root), file_(file), out_(out), b_(out), mappings_(builtin_import_mappings()) {}

  void run();

 private:
  // Reading the file.
  bool check_format();
  void collect_modules(const YamlNode& module, const std::string& address, int depth);
  void collect_config(const YamlNode& module, const std::string& path, int depth);
  void assign_ids();
  Attr attr(const Resource& r, std::string_view archsim_key) const;
  Attr attr_path(const Resource& r, std::initializer_list<std::string_view> keys) const;

  // References.
  std::vector<const Resource*> targets(const Resource& from, const Attr& a, std::string_view wanted_type_prefix);
  const Resource* target(const Resource& from, const Attr& a, std::string_view wanted_type_prefix, const std::string& path);
  void resolve_references(const std::string& scope, const YamlNode& refs, int depth, std::vector<const Resource*>& out,
                          const Resource& from, const SourceLoc& loc);
  std::vector<std::string> ids_of(const std::vector<const Resource*>& rs) const;

  // Builders.
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
  void sg_rules(const Resource& r, const Attr& list, YamlNode& out, const std::string& path);
  void security_group_rule(const Resource& r, std::string_view direction_fixed);
  void nat_gateway(const Resource& r);
  void vpc_endpoint(const Resource& r);
  void load_balancer(const Resource& r);
  void target_group(const Resource& r);
  void listener(const Resource& r);
  void listener_rule(const Resource& r);
  void target_group_attachment(const Resource& r);
  void ecs_service(const Resource& r);
  void ecr_repository(const Resource& r);
  void log_group(const Resource& r);
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

  const YamlNode& root_;
  std::string file_;
  ImportedTopology& out_;
  TopologyBuilder b_;
  const ImportMappings& mappings_;
  bool plan_ = false;
  std::string region_;
  SourceLoc region_loc_;

  std::vector<Resource> resources_;
  std::map<std::string, std::vector<std::size_t>> by_local_;  ///< "module|type.name" -> instances
  std::map<std::string, std::size_t> by_id_;                  ///< id / arn value -> instance
  std::map<std::string, const YamlNode*> config_modules_;     ///< module path (no keys) -> module config
  std::map<std::string, const YamlNode*> changes_;            ///< address -> after_unknown
  std::map<std::string, std::pair<std::size_t, std::string>> unsupported_, skipped_;
  std::map<std::string, std::string> tg_lb_;  ///< target group resource address -> lb id
  std::map<std::string, std::string> tg_targets_;
};

/// `module.a[0].module.b` -> `module.a.module.b`: configuration has one entry per module call.
std::string strip_keys(std::string_view address) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  for (const char c : address) {
    if (in_string) {
      if (c == '"') in_string = false;
      continue;
    }
    if (c == '[') ++depth;
    else if (c == ']') --depth;
    else if (depth > 0 && c == '"') in_string = true;
    else if (depth == 0) out += c;
  }
  return out;
}

std::string local_key(const std::string& module, std::string_view local) { return strip_keys(module) + "|" + std::string(local); }

}  // namespace

namespace {

bool TerraformImport::check_format() {
  if (!root_.is_map()) {
    b_.error(root_.loc, "", "expected the JSON object that `terraform show -json` prints, found " + std::string(kind_name(root_.kind)));
    return false;
  }
  const YamlNode* version = root_.find("format_version");
  const bool plan = root_.find("planned_values") != nullptr;
  const bool state = root_.find("values") != nullptr;
  if (version == nullptr || !(plan || state)) {
    b_.error(root_.loc, "",
             "not a Terraform plan or state: expected the output of `terraform show -json` (format_version with planned_values "
             "or values); a CloudFormation template is `archsim import cloudformation`");
    return false;
  }
  const std::string v = text_of(version);
  const std::string major = v.substr(0, v.find('.'));
  const auto& majors = mappings_.terraform_format_majors;
  if (!version->is_scalar() || std::find(majors.begin(), majors.end(), major) == majors.end()) {
    std::vector<std::string> names;
    for (const auto& m : majors) names.push_back(m + ".x");
    b_.error(version->loc, "format_version",
             fmt::format("unsupported format_version '{}'; archsim reads {} (Terraform's JSON output format)", v, fmt::join(names, ", ")));
    return false;
  }
  plan_ = plan;
  return true;
}

void TerraformImport::collect_modules(const YamlNode& module, const std::string& address, int depth) {
  if (depth > 32) return;  // the JSON depth cap already bounds this
  if (const YamlNode* rs = module.find("resources"); rs != nullptr && rs->is_sequence()) {
    for (const auto& node : rs->items) {
      if (!node.is_map()) continue;
      Resource r;
      r.node = &node;
      r.loc = node.loc;
      r.address = text_of(node.find("address"));
      r.type = text_of(node.find("type"));
      r.name = text_of(node.find("name"));
      r.module = address;
      if (const YamlNode* index = node.find("index"); is_value(index)) r.key = index->scalar;
      r.values = node.find("values");
      if (r.type.empty() || r.name.empty()) {
        b_.error(node.loc, "", "a resource without its type and name; expected the resources of `terraform show -json`");
        continue;
      }
      const std::string mode = text_of(node.find("mode"));
      if (mode == "data") {
        auto& s = skipped_["data." + r.type];
        ++s.first;
        s.second = "a data source: reads what exists, creates nothing";
        // Known ids of a data source still resolve references (to say what they name).
      }
      resources_.push_back(std::move(r));
    }
  }
  if (const YamlNode* children = module.find("child_modules"); children != nullptr && children->is_sequence()) {
    for (const auto& c : children->items) {
      if (c.is_map()) collect_modules(c, text_of(c.find("address")), depth + 1);
    }
  }
}

void TerraformImport::collect_config(const YamlNode& module, const std::string& path, int depth) {
  if (depth > 32) return;
  config_modules_[path] = &module;
  if (const YamlNode* calls = module.find("module_calls"); calls != nullptr && calls->is_map()) {
    for (const auto& e : calls->entries) {
      if (const YamlNode* m = e.value.find("module"); m != nullptr && m->is_map()) {
        collect_config(*m, path.empty() ? "module." + e.key : path + ".module." + e.key, depth + 1);
      }
    }
  }
}

const YamlNode* config_resource(const YamlNode* module, std::string_view local) {
  const YamlNode* rs = child(module, "resources");
  if (rs == nullptr || !rs->is_sequence()) return nullptr;
  for (const auto& r : rs->items) {
    if (text_of(child(&r, "address")) == local) return &r;
  }
  return nullptr;
}

void TerraformImport::assign_ids() {
  std::map<std::string, std::string> section_of_entity = {
      {"vpc", "vpcs"}, {"subnet", "subnets"}, {"route_table", "route_tables"}, {"security_group", "security_groups"}};
  std::map<std::string, std::set<std::string>> taken;
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    Resource& r = resources_[i];
    by_local_[local_key(r.module, r.local_address())].push_back(i);
    for (const char* key : {"id", "arn"}) {
      if (const YamlNode* v = child(r.values, key); is_value(v) && v->is_scalar()) by_id_.emplace(v->scalar, i);
    }
    if (const auto it = changes_.find(r.address); it != changes_.end()) r.unknown = it->second;
    if (const auto it = config_modules_.find(strip_keys(r.module)); it != config_modules_.end()) {
      r.config = config_resource(it->second, r.local_address());
    }
    if (text_of(child(r.node, "mode")) == "data") continue;
    if (const auto it = mappings_.terraform.find(r.type); it != mappings_.terraform.end()) r.mapping = &it->second;
    // Ids read like the code: the resource name, its module's names before it, its key after.
    std::string prefix;
    for (std::size_t at = 0; (at = r.module.find("module.", at)) != std::string::npos; at += 7) {
      const std::size_t end = r.module.find_first_of(".[", at + 7);
      prefix += r.module.substr(at + 7, end == std::string::npos ? std::string::npos : end - at - 7) + ".";
    }
    std::string key = r.key;
    if (key.size() >= 2 && key.front() == '"') key = key.substr(1, key.size() - 2);
    r.id = entity_id(prefix, r.name, key);
    if (r.mapping == nullptr) continue;
    const auto sec = section_of_entity.find(r.mapping->entity);
    // Only what becomes an entity claims an id; a target group's is its load balancer's own.
    static const std::set<std::string> components = {"nat_gateway", "vpc_endpoint", "load_balancer", "ecs_service", "ecr_repository", "log_group"};
    if (sec == section_of_entity.end() && !components.contains(r.mapping->entity)) continue;
    const std::string section = sec != section_of_entity.end() ? sec->second : "components";
    if (!taken[section].insert(r.id).second) {
      r.id = entity_id(prefix, r.name + "-" + r.type, key);
      taken[section].insert(r.id);
    }
  }
}

Attr TerraformImport::attr(const Resource& r, std::string_view archsim_key) const {
  const std::string name = r.mapping != nullptr ? r.mapping->attribute(archsim_key) : std::string(archsim_key);
  Attr base{r.values, r.unknown, child(r.config, "expressions"), r.loc, r.address};
  return base.get(name);
}

void TerraformImport::resolve_references(const std::string& scope, const YamlNode& refs, int depth,
                                         std::vector<const Resource*>& out, const Resource& from, const SourceLoc& loc) {
  if (depth > 16 || !refs.is_sequence()) return;
  std::set<std::string> seen;
  for (const auto& ref : refs.items) {
    const std::string raw = text_of(&ref);
    const std::string text = strip_keys(raw);
    // `aws_route_table.private[0]`: a literal index picks that instance.
    std::string literal_key;
    if (const auto open = raw.find('['); open != std::string::npos) {
      const auto close = raw.find(']', open);
      std::string k = raw.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
      if (k.size() >= 2 && k.front() == '"' && k.back() == '"') literal_key = k.substr(1, k.size() - 2);
      else if (!k.empty() && std::all_of(k.begin(), k.end(), [](char c) { return c >= '0' && c <= '9'; })) literal_key = k;
    }
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
      const std::size_t dot = text.find('.', at);
      parts.push_back(text.substr(at, dot == std::string::npos ? std::string::npos : dot - at));
      if (dot == std::string::npos) break;
      at = dot + 1;
    }
    if (parts.size() < 2) continue;
    const std::string head = parts[0];
    if (head == "count" || head == "each" || head == "path" || head == "terraform" || head == "self") continue;
    const SourceLoc at = ref.loc.known() ? ref.loc : loc;
    if (head == "local") {
      if (seen.insert(text).second) {
        b_.warning(at, "", fmt::format("{}: {} is a local value, which the plan's configuration does not expand; the reference is not followed",
                                       from.address, text));
      }
      continue;
    }
    if (head == "var") {
      // A module's input: the expression its caller passes, in the caller's scope.
      const std::size_t cut = scope.rfind(".module.");
      const std::string parent = scope.starts_with("module.") ? (cut == std::string::npos ? "" : scope.substr(0, cut)) : "";
      if (scope.empty()) continue;  // a root variable: a literal, no resource behind it
      const std::string call = scope.substr(scope.rfind("module.") + 7);
      const auto pm = config_modules_.find(strip_keys(parent));
      const YamlNode* refs2 = child(child(child(child(child(pm == config_modules_.end() ? nullptr : pm->second, "module_calls"), call), "expressions"), parts[1]), "references");
      if (refs2 != nullptr && seen.insert(text).second) resolve_references(parent, *refs2, depth + 1, out, from, at);
      continue;
    }
    if (head == "module" && parts.size() < 3) continue;  // the module as a whole, beside its output
    if (head == "module") {
      // A module's output: its expression, in the module's scope.
      const std::string inner = (scope.empty() ? "" : scope + ".") + "module." + parts[1];
      const auto cm = config_modules_.find(strip_keys(inner));
      const YamlNode* refs2 = parts.size() >= 3
                                  ? child(child(child(child(cm == config_modules_.end() ? nullptr : cm->second, "outputs"), parts[2]), "expression"), "references")
                                  : nullptr;
      if (refs2 == nullptr) {
        b_.error(at, "", fmt::format("{}: refers to {}, which is not in the file", from.address, text));
      } else if (seen.insert(text).second) {
        resolve_references(inner, *refs2, depth + 1, out, from, at);
      }
      continue;
    }
    const bool data = head == "data";
    if (data && parts.size() < 3) continue;
    const std::string local = data ? "data." + parts[1] + "." + parts[2] : head + "." + parts[1];
    if (!seen.insert(local).second) continue;
    // Resources live in module instances: every instance of the scope's module.
    std::vector<std::size_t> found;
    for (const auto& [k, list] : by_local_) {
      if (k == strip_keys(scope) + "|" + (data ? parts[1] + "." + parts[2] : local)) found.insert(found.end(), list.begin(), list.end());
    }
    std::vector<std::size_t> chosen;
    for (const std::size_t i : found) {
      const Resource& t = resources_[i];
      if (data != (text_of(child(t.node, "mode")) == "data")) continue;
      // The instance of the same module instance and, with count/for_each on both, the same key.
      if (t.module != from.module && !from.module.empty() && strip_keys(t.module) == strip_keys(from.module)) continue;
      chosen.push_back(i);
    }
    if (chosen.size() > 1 && !literal_key.empty()) {
      for (const std::size_t i : chosen) {
        if (resources_[i].key == literal_key) chosen = {i};
      }
    }
    if (chosen.size() > 1 && !from.key.empty()) {
      for (const std::size_t i : chosen) {
        if (resources_[i].key == from.key) chosen = {i};
      }
    }
    if (chosen.empty()) {
      const auto cm = config_modules_.find(strip_keys(scope));
      if (!data && config_resource(cm == config_modules_.end() ? nullptr : cm->second, local) != nullptr) {
        continue;  // in the configuration with no instance (count = 0): refers to nothing
      }
      b_.error(at, "", fmt::format("{}: refers to {}{}, which is not in the file", from.address, scope.empty() ? "" : scope + ".", local));
      continue;
    }
    for (const std::size_t i : chosen) out.push_back(&resources_[i]);
  }
}

std::vector<const Resource*> TerraformImport::targets(const Resource& from, const Attr& a, std::string_view wanted) {
  std::vector<const Resource*> out;
  std::vector<std::pair<std::string, SourceLoc>> literals;
  if (a.known()) {
    if (a.value->is_scalar()) literals.emplace_back(a.value->scalar, a.value->loc);
    for (const auto& v : a.value->items) {
      if (v.is_scalar()) literals.emplace_back(v.scalar, v.loc);
    }
  }
  bool all_found = true;
  for (const auto& [value, loc] : literals) {
    std::string id = value;
    if (const auto it = by_id_.find(id); it != by_id_.end()) {
      out.push_back(&resources_[it->second]);
    } else {
      all_found = false;
    }
  }
  if ((literals.empty() || !all_found) && a.expr != nullptr) {
    out.clear();
    if (const YamlNode* refs = child(a.expr, "references")) resolve_references(from.module, *refs, 0, out, from, a.loc);
  }
  if (!all_found && out.empty()) {
    for (const auto& [value, loc] : literals) {
      if (!by_id_.contains(value)) {
        b_.error(loc, "", fmt::format("{}: {} '{}' names a resource that is not in the file", from.address, a.name.substr(a.name.rfind('.') + 1), value));
      }
    }
  }
  // Keep the kind asked for (a reference list also names what an expression merely mentions).
  std::vector<const Resource*> kept;
  std::set<const Resource*> seen;
  for (const Resource* t : out) {
    if (!wanted.empty() && !t->type.starts_with(wanted)) continue;
    if (seen.insert(t).second) kept.push_back(t);
  }
  return kept;
}

const Resource* TerraformImport::target(const Resource& from, const Attr& a, std::string_view wanted, const std::string& path) {
  const auto all = targets(from, a, wanted);
  if (all.size() > 1) {
    b_.assume(path, a.loc, fmt::format("{} of {} refers to {} resources; the first, {}, is used", a.name.substr(a.name.rfind('.') + 1),
                                       from.address, all.size(), all.front()->address));
  }
  return all.empty() ? nullptr : all.front();
}

std::vector<std::string> TerraformImport::ids_of(const std::vector<const Resource*>& rs) const {
  std::vector<std::string> ids;
  for (const Resource* r : rs) {
    if (text_of(child(r->node, "mode")) == "data") continue;
    ids.push_back(r->id);
  }
  return ids;
}

YamlNode ids_node(const std::vector<std::string>& ids, const SourceLoc& loc) {
  YamlNode list = list_node(loc);
  for (const auto& id : ids) list.items.push_back(text_node(id, loc));
  return list;
}

YamlNode& TerraformImport::start(std::string_view section, const Resource& r) {
  YamlNode& e = b_.entity(section, r.id, r.loc);
  b_.source(entity_path(section, r), r.comment(), r.address);
  return e;
}

/// A duration in whole seconds as archsim writes it.
std::string seconds(const std::string& s) { return s + "s"; }

void TerraformImport::vpc(const Resource& r) {
  YamlNode& e = start("vpcs", r);
  const Attr cidr = attr(r, "cidr");
  if (cidr.known()) put(e, "cidr", plain_node(cidr.text(), cidr.loc));
  else b_.error(r.loc, entity_path("vpcs", r), fmt::format("{}: cidr_block is not known; archsim needs the VPC's IPv4 block (IPAM pools are not read)", r.address));
}

void TerraformImport::vpc_secondary_cidr(const Resource& r) {
  const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", "vpcs");
  const Attr cidr = attr(r, "cidr");
  if (v == nullptr || !cidr.known()) {
    b_.error(r.loc, "vpcs", fmt::format("{}: needs a known vpc_id and cidr_block", r.address));
    return;
  }
  YamlNode& e = b_.entity("vpcs", v->id, v->loc);
  YamlNode* list = e.find("secondary_cidrs");
  if (list == nullptr) list = &put(e, "secondary_cidrs", list_node(cidr.loc));
  list->items.push_back(plain_node(cidr.text(), cidr.loc));
  b_.comment("vpcs." + v->id + ".secondary_cidrs", "secondary CIDR " + cidr.text() + ": " + r.comment());
}

void TerraformImport::internet_gateway(const Resource& r) {
  const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", "vpcs");
  if (v == nullptr) {
    b_.warning(r.loc, "vpcs", fmt::format("{}: attached to no VPC in the file; left out", r.address));
    return;
  }
  put(b_.entity("vpcs", v->id, v->loc), "internet_gateway", bool_node(true, r.loc));
  b_.comment("vpcs." + v->id + ".internet_gateway", "internet gateway: " + r.comment());
}

void TerraformImport::subnet(const Resource& r) {
  YamlNode& e = start("subnets", r);
  const std::string path = entity_path("subnets", r);
  if (const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  else b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file", r.address));
  const Attr zone = attr(r, "zone");
  if (zone.known()) {
    put(e, "zone", text_node(zone.text(), zone.loc));
  } else {
    b_.error(r.loc, path + ".zone", fmt::format("{}: availability_zone is not known before apply; archsim needs each subnet's zone (set it in the code)", r.address));
  }
  const Attr cidr = attr(r, "cidr");
  if (cidr.known()) put(e, "cidr", plain_node(cidr.text(), cidr.loc));
  else b_.error(r.loc, path + ".cidr", fmt::format("{}: cidr_block is not known before apply", r.address));
  const Attr pub = attr(r, "public");
  put(e, "public", bool_node(pub.text() == "true", pub.known() ? pub.loc : r.loc));
}

void TerraformImport::route_table(const Resource& r) {
  YamlNode& e = start("route_tables", r);
  const std::string path = entity_path("route_tables", r);
  const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", path);
  if (v == nullptr) {
    b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file", r.address));
    return;
  }
  put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  YamlNode& routes = put(e, "routes", list_node(r.loc));
  // AWS adds the local route for each of the VPC's blocks; Terraform lists none of them.
  const YamlNode* vpc_node = b_.find_entity("vpcs", v->id);
  if (const YamlNode* cidr = child(vpc_node, "cidr")) {
    YamlNode local = map_node(r.loc);
    put(local, "destination", plain_node(cidr->scalar, r.loc));
    put(local, "local", bool_node(true, r.loc));
    routes.items.push_back(std::move(local));
    b_.comment(path + ".routes[0]", "ASSUMPTION: " + r.mapping->assumption("local"));
  }
  const Attr inline_routes = attr(r, "routes");
  for (std::size_t i = 0; i < inline_routes.size(); ++i) {
    YamlNode n = route_node(r, inline_routes.at(i), path);
    if (n.is_map()) routes.items.push_back(std::move(n));
  }
}

YamlNode TerraformImport::route_node(const Resource& r, const Attr& a, const std::string& path) {
  const Attr dest = a.get(r.mapping->attribute("destination"));
  YamlNode n = map_node(a.loc);
  if (!dest.known() || dest.text().empty()) {
    b_.warning(a.loc, path, fmt::format("{}: a route with no IPv4 destination (IPv6 or a prefix list); left out", r.address));
    return YamlNode{};
  }
  put(n, "destination", plain_node(dest.text(), dest.loc));
  const Attr igw = a.get(r.mapping->attribute("internet_gateway"));
  const Attr nat = a.get(r.mapping->attribute("nat_gateway"));
  const Attr vpce = a.get(r.mapping->attribute("vpc_endpoint"));
  if (!targets(r, igw, "aws_internet_gateway").empty() || (igw.known() && igw.text().starts_with("igw-"))) {
    put(n, "internet_gateway", bool_node(true, igw.loc));
  } else if (const auto ns = targets(r, nat, "aws_nat_gateway"); !ns.empty()) {
    put(n, "nat_gateway", text_node(ns.front()->id, nat.loc));
  } else if (const auto es = targets(r, vpce, "aws_vpc_endpoint"); !es.empty()) {
    put(n, "vpc_endpoint", text_node(es.front()->id, vpce.loc));
  } else {
    b_.warning(a.loc, path, fmt::format("{}: the route to {} has a target archsim does not model (peering, transit gateway, ...); left out",
                                        r.address, dest.text()));
    return YamlNode{};
  }
  return n;
}

void TerraformImport::route(const Resource& r) {
  const Attr table = attr(r, "route_table");
  const Resource* t = target(r, table, "aws_route_table", "route_tables");
  if (t == nullptr) {
    b_.error(r.loc, "route_tables", fmt::format("{}: route_table_id names no aws_route_table in the file", r.address));
    return;
  }
  Attr base{r.values, r.unknown, child(r.config, "expressions"), r.loc, r.address};
  YamlNode n = route_node(r, base, "route_tables." + t->id);
  YamlNode& e = b_.entity("route_tables", t->id, t->loc);
  YamlNode* routes = e.find("routes");
  if (!n.is_map() || routes == nullptr) return;
  b_.comment(fmt::format("route_tables.{}.routes[{}]", t->id, routes->items.size()), r.comment());
  routes->items.push_back(std::move(n));
}

void TerraformImport::route_table_association(const Resource& r) {
  const Resource* s = target(r, attr(r, "subnet"), "aws_subnet", "subnets");
  const Resource* t = target(r, attr(r, "route_table"), "aws_route_table", s != nullptr ? "subnets." + s->id + ".route_table" : "subnets");
  if (s == nullptr || t == nullptr) {
    // A gateway association (gateway_id) routes traffic entering the VPC: archsim has no such edge.
    b_.warning(r.loc, "subnets", fmt::format("{}: associates no subnet of the file with a route table; left out", r.address));
    return;
  }
  put(b_.entity("subnets", s->id, s->loc), "route_table", text_node(t->id, attr(r, "route_table").loc));
}

void TerraformImport::main_route_table_association(const Resource& r) {
  const Resource* t = target(r, attr(r, "route_table"), "aws_route_table", "route_tables");
  if (t == nullptr) return;
  put(b_.entity("route_tables", t->id, t->loc), "main", bool_node(true, r.loc));
  b_.comment("route_tables." + t->id + ".main", "main table: " + r.comment());
}

std::string protocol_word(std::string p) {
  if (p == "-1" || p == "all") return "all";
  if (p == "6") return "tcp";
  if (p == "17") return "udp";
  if (p == "1") return "icmp";
  return p;
}

/// `ports` from from_port/to_port: one port, or a range as a string.
void put_ports(YamlNode& rule, const Attr& from, const Attr& to, const std::string& protocol) {
  if (protocol == "all" || protocol == "icmp" || !from.known()) return;
  const std::string f = from.text(), t = to.known() ? to.text() : f;
  if (f == t) put(rule, "ports", plain_node(f, from.loc));
  else if (f == "0" && t == "65535") return;
  else put(rule, "ports", text_node(f + "-" + t, from.loc));
}

void TerraformImport::sg_rules(const Resource& r, const Attr& list, YamlNode& out, const std::string& path) {
  const TypeMapping& m = *r.mapping;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Attr rule = list.at(i);
    const std::string protocol = protocol_word(rule.get(m.attribute("protocol")).text());
    auto base = [&]() {
      YamlNode n = map_node(rule.loc);
      put(n, "protocol", text_node(protocol, rule.get(m.attribute("protocol")).loc));
      put_ports(n, rule.get(m.attribute("from_port")), rule.get(m.attribute("to_port")), protocol);
      if (const Attr d = rule.get(m.attribute("description")); d.known() && !d.text().empty()) put(n, "description", text_node(d.text(), d.loc));
      return n;
    };
    const Attr cidrs = rule.get(m.attribute("cidrs"));
    if (cidrs.known() && cidrs.value->is_sequence()) {
      for (const auto& c : cidrs.value->items) {
        YamlNode n = base();
        put(n, "cidr", plain_node(c.scalar, c.loc));
        out.items.push_back(std::move(n));
      }
    }
    for (const Resource* g : targets(r, rule.get(m.attribute("groups")), "aws_security_group")) {
      YamlNode n = base();
      put(n, "group", text_node(g->id, rule.loc));
      out.items.push_back(std::move(n));
    }
    if (rule.get(m.attribute("self")).text() == "true") {
      YamlNode n = base();
      put(n, "group", text_node(r.id, rule.loc));
      out.items.push_back(std::move(n));
    }
  }
  (void)path;
}

void TerraformImport::security_group(const Resource& r) {
  YamlNode& e = start("security_groups", r);
  const std::string path = entity_path("security_groups", r);
  if (const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  else b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file (a group in the default VPC is not imported)", r.address));
  YamlNode ingress = list_node(r.loc), egress = list_node(r.loc);
  sg_rules(r, attr(r, "ingress"), ingress, path);
  sg_rules(r, attr(r, "egress"), egress, path);
  put(e, "ingress", std::move(ingress));
  put(e, "egress", std::move(egress));
}

void TerraformImport::security_group_rule(const Resource& r, std::string_view fixed) {
  const TypeMapping& m = *r.mapping;
  const Resource* g = target(r, attr(r, "group"), "aws_security_group", "security_groups");
  if (g == nullptr) {
    b_.error(r.loc, "security_groups", fmt::format("{}: security_group_id names no aws_security_group in the file", r.address));
    return;
  }
  const std::string direction = fixed.empty() ? attr(r, "direction").text() : std::string(fixed);
  YamlNode& sg = b_.entity("security_groups", g->id, g->loc);
  YamlNode* list = sg.find(direction == "egress" ? "egress" : "ingress");
  if (list == nullptr) list = &put(sg, direction == "egress" ? "egress" : "ingress", list_node(r.loc));
  const std::string protocol = protocol_word(attr(r, "protocol").text());
  YamlNode n = map_node(r.loc);
  put(n, "protocol", text_node(protocol, attr(r, "protocol").loc));
  put_ports(n, attr(r, "from_port"), attr(r, "to_port"), protocol);
  const Attr description = attr(r, "description");
  const std::size_t before = list->items.size();
  const std::string rule_path = fmt::format("security_groups.{}.{}[{}]", g->id, direction == "egress" ? "egress" : "ingress", before);
  if (const Resource* peer = target(r, attr(r, "peer_group"), "aws_security_group", rule_path)) {
    put(n, "group", text_node(peer->id, attr(r, "peer_group").loc));
    list->items.push_back(n);
  } else if (attr(r, "self").text() == "true") {
    put(n, "group", text_node(g->id, r.loc));
    list->items.push_back(n);
  } else {
    const Attr cidrs = attr(r, m.entity == "security_group_rule" ? "cidrs" : "cidr");
    std::vector<const YamlNode*> blocks;
    if (cidrs.known() && cidrs.value->is_sequence()) {
      for (const auto& c : cidrs.value->items) blocks.push_back(&c);
    } else if (cidrs.known()) {
      blocks.push_back(cidrs.value);
    }
    for (const YamlNode* c : blocks) {
      YamlNode copy = n;
      put(copy, "cidr", plain_node(c->scalar, c->loc));
      list->items.push_back(std::move(copy));
    }
  }
  for (std::size_t i = before; i < list->items.size(); ++i) {
    if (description.known() && !description.text().empty()) put(list->items[i], "description", text_node(description.text(), description.loc));
  }
  if (list->items.size() == before) {
    b_.warning(r.loc, rule_path, fmt::format("{}: a rule with no IPv4 peer archsim models (IPv6, prefix list); left out", r.address));
  }
  for (std::size_t i = before; i < list->items.size(); ++i) {
    b_.comment(fmt::format("security_groups.{}.{}[{}]", g->id, direction == "egress" ? "egress" : "ingress", i), r.comment());
  }
}

void TerraformImport::nat_gateway(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("nat_gateway", r.loc));
  const std::string path = entity_path("components", r);
  if (const Resource* s = target(r, attr(r, "subnet"), "aws_subnet", path)) put(e, "subnet", text_node(s->id, attr(r, "subnet").loc));
  else b_.error(r.loc, path, fmt::format("{}: subnet_id names no aws_subnet in the file", r.address));
  if (const Attr c = attr(r, "connectivity"); c.known()) put(e, "connectivity", text_node(c.text(), c.loc));
}

void TerraformImport::vpc_endpoint(const Resource& r) {
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  put(e, "type", text_node("vpc_endpoint", r.loc));
  const Attr type = attr(r, "endpoint_type");
  put(e, "endpoint_type", text_node(type.text() == "Gateway" ? "gateway" : "interface", type.known() ? type.loc : r.loc));
  // com.amazonaws.us-east-1.ecr.api -> ecr.api: archsim names services without the prefix.
  const Attr service = attr(r, "service");
  std::string name = service.text();
  if (name.starts_with("com.amazonaws.")) {
    name = name.substr(14);
    if (const auto dot = name.find('.'); dot != std::string::npos) name = name.substr(dot + 1);
  }
  put(e, "service", text_node(name, service.loc));
  if (const Resource* v = target(r, attr(r, "vpc"), "aws_vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  else b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file", r.address));
  if (type.text() == "Gateway") {
    put(e, "route_tables", ids_node(ids_of(targets(r, attr(r, "route_tables"), "aws_route_table")), attr(r, "route_tables").loc));
  } else {
    put(e, "subnets", ids_node(ids_of(targets(r, attr(r, "subnets"), "aws_subnet")), attr(r, "subnets").loc));
    put(e, "security_groups", ids_node(ids_of(targets(r, attr(r, "security_groups"), "aws_security_group")), attr(r, "security_groups").loc));
    if (const Attr dns = attr(r, "private_dns"); dns.known()) put(e, "private_dns", bool_node(dns.text() == "true", dns.loc));
  }
}

void TerraformImport::load_balancer(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("load_balancer", r.loc));
  const Attr type = attr(r, "lb_type");
  const std::string lb_type = type.known() ? type.text() : "application";
  if (lb_type != "application" && lb_type != "network") {
    b_.error(type.loc, entity_path("components", r), fmt::format("{}: a {} load balancer; archsim models application and network ones", r.address, lb_type));
  }
  put(e, "lb_type", text_node(lb_type, type.known() ? type.loc : r.loc));
  const Attr internal = attr(r, "internal");
  put(e, "scheme", text_node(internal.text() == "true" ? "internal" : "internet-facing", internal.known() ? internal.loc : r.loc));
  put(e, "subnets", ids_node(ids_of(targets(r, attr(r, "subnets"), "aws_subnet")), attr(r, "subnets").loc));
  put(e, "security_groups", ids_node(ids_of(targets(r, attr(r, "security_groups"), "aws_security_group")), attr(r, "security_groups").loc));
  if (const Attr idle = attr(r, "idle_timeout"); idle.known() && lb_type == "application") put(e, "idle_timeout", plain_node(seconds(idle.text()), idle.loc));
  put(e, "listeners", list_node(r.loc));
}

TerraformImport::TargetGroupHome TerraformImport::target_group_home(const Resource& tg) {
  const auto it = tg_lb_.find(tg.address);
  if (it == tg_lb_.end()) return {};
  YamlNode* lb = b_.find_entity("components", it->second);
  if (lb == nullptr) return {};
  YamlNode* groups = lb->find("target_groups");
  if (groups == nullptr) groups = &put(*lb, "target_groups", map_node(tg.loc));
  YamlNode* node = groups->find(tg.id);
  if (node == nullptr) node = &put(*groups, tg.id, map_node(tg.loc));
  return {it->second, node};
}

void TerraformImport::listener(const Resource& r) {
  const Resource* lb = target(r, attr(r, "load_balancer"), "aws_lb", "components");
  if (lb == nullptr || b_.find_entity("components", lb->id) == nullptr) {
    b_.error(r.loc, "components", fmt::format("{}: load_balancer_arn names no aws_lb in the file", r.address));
    return;
  }
  YamlNode& lbn = *b_.find_entity("components", lb->id);
  YamlNode& listeners = *lbn.find("listeners");
  const std::string path = fmt::format("components.{}.listeners[{}]", lb->id, listeners.items.size());
  YamlNode n = map_node(r.loc);
  const Attr port = attr(r, "port");
  if (port.known()) put(n, "port", plain_node(port.text(), port.loc));
  const Attr protocol = attr(r, "protocol");
  put(n, "protocol", text_node(protocol.known() ? protocol.text() : "HTTP", protocol.known() ? protocol.loc : r.loc));
  if (const auto certs = targets(r, attr(r, "certificate"), "aws_acm_certificate"); !certs.empty()) {
    put(n, "certificate", text_node(certs.front()->id, attr(r, "certificate").loc));
  } else if (const Attr cert = attr(r, "certificate"); cert.known()) {
    put(n, "certificate", text_node(cert.text().substr(cert.text().rfind('/') + 1), cert.loc));
  }
  const Attr action = attr(r, "default_action").at(0);
  const std::string type = action.get(r.mapping->attribute("action_type")).text();
  if (type == "redirect") {
    const Attr to = action.get(r.mapping->attribute("redirect")).at(0).get(r.mapping->attribute("redirect_protocol"));
    if (to.text() != "HTTPS") {
      b_.assume(path, action.loc, fmt::format("{}: a redirect to {} is modelled as archsim's redirect to HTTPS", r.address, to.known() ? to.text() : "the same protocol"));
    }
    put(n, "default_action", text_node("redirect_https", action.loc));
  } else if (type == "fixed-response") {
    put(n, "default_action", text_node("fixed_response", action.loc));
  } else {
    put(n, "default_action", text_node("forward", action.loc));
    if (const Resource* tg = target(r, action.get(r.mapping->attribute("target_group")), "aws_lb_target_group", path)) {
      put(n, "target_group", text_node(tg->id, action.loc));
      tg_lb_.emplace(tg->address, lb->id);
    } else {
      b_.error(action.loc, path, fmt::format("{}: the default forward action names no aws_lb_target_group in the file", r.address));
    }
  }
  b_.comment(path, r.comment());
  listeners.items.push_back(std::move(n));
}

void TerraformImport::listener_rule(const Resource& r) {
  const Resource* l = target(r, attr(r, "listener"), "aws_lb_listener", "components");
  if (l == nullptr) {
    b_.error(r.loc, "components", fmt::format("{}: listener_arn names no aws_lb_listener in the file", r.address));
    return;
  }
  // The listener's position: listeners are built in file order, each remembered by address.
  for (auto& lb : b_.section("components").entries) {
    YamlNode* listeners = lb.value.find("listeners");
    if (listeners == nullptr) continue;
    for (std::size_t i = 0; i < listeners->items.size(); ++i) {
      const auto c = out_.comments.find(fmt::format("components.{}.listeners[{}]", lb.key, i));
      if (c == out_.comments.end() || c->second.empty() || c->second.front() != l->comment()) continue;
      YamlNode n = map_node(r.loc);
      if (const Attr p = attr(r, "priority"); p.known()) put(n, "priority", plain_node(p.text(), p.loc));
      const Attr conditions = attr(r, "condition");
      for (std::size_t k = 0; k < conditions.size(); ++k) {
        const Attr cond = conditions.at(k);
        for (auto [archsim_key, key] : {std::pair{"path_pattern", "path_pattern"}, std::pair{"host", "host"}}) {
          const Attr values = cond.get(r.mapping->attribute(key)).at(0).get(r.mapping->attribute("values"));
          if (values.known() && values.value->is_sequence() && !values.value->items.empty()) {
            put(n, archsim_key, text_node(values.value->items.front().scalar, values.loc));
          }
        }
      }
      const Attr action = attr(r, "action").at(0);
      const std::string path = fmt::format("components.{}.listeners[{}].rules", lb.key, i);
      if (const Resource* tg = target(r, action.get(r.mapping->attribute("target_group")), "aws_lb_target_group", path)) {
        put(n, "target_group", text_node(tg->id, action.loc));
        tg_lb_.emplace(tg->address, lb.key);
      } else {
        b_.warning(r.loc, path, fmt::format("{}: a rule that forwards to no target group archsim models (redirect, fixed response); left out", r.address));
        return;
      }
      YamlNode* found = listeners->items[i].find("rules");
      YamlNode& rules = found != nullptr ? *found : put(listeners->items[i], "rules", list_node(r.loc));
      b_.comment(fmt::format("{}[{}]", path, rules.items.size()), r.comment());
      rules.items.push_back(std::move(n));
      return;
    }
  }
}

void TerraformImport::target_group(const Resource& r) {
  TargetGroupHome home = target_group_home(r);
  if (home.node == nullptr) {
    b_.warning(r.loc, "components", fmt::format("{}: no listener forwards to this target group; left out", r.address));
    return;
  }
  const std::string path = fmt::format("components.{}.target_groups.{}", home.lb_id, r.id);
  b_.source(path, r.comment(), r.address);
  YamlNode& e = *home.node;
  if (const Attr p = attr(r, "protocol"); p.known()) put(e, "protocol", text_node(p.text(), p.loc));
  if (const Attr p = attr(r, "port"); p.known()) put(e, "port", plain_node(p.text(), p.loc));
  if (const Attr t = attr(r, "target_type"); t.known()) put(e, "target_type", text_node(t.text(), t.loc));
  if (const auto t = tg_targets_.find(r.address); t != tg_targets_.end()) put(e, "targets", text_node(t->second, r.loc));
  const Attr hc = attr(r, "health_check").at(0);
  const TypeMapping& m = *r.mapping;
  if (!hc.known()) {
    b_.assume(path, r.loc, m.assumption("health_check"));
  } else {
    YamlNode h = map_node(hc.loc);
    if (const Attr a = hc.get(m.attribute("hc_protocol")); a.known()) put(h, "protocol", text_node(a.text(), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_path")); a.known() && !a.text().empty()) put(h, "path", text_node(a.text(), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_interval")); a.known()) put(h, "interval", plain_node(seconds(a.text()), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_timeout")); a.known()) put(h, "timeout", plain_node(seconds(a.text()), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_healthy")); a.known()) put(h, "healthy_threshold", plain_node(a.text(), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_unhealthy")); a.known()) put(h, "unhealthy_threshold", plain_node(a.text(), a.loc));
    if (const Attr a = hc.get(m.attribute("hc_matcher")); a.known() && !a.text().empty()) put(h, "matcher", text_node(a.text(), a.loc));
    put(e, "health_check", std::move(h));
  }
  if (const Attr d = attr(r, "deregistration_delay"); d.known()) put(e, "deregistration_delay", plain_node(seconds(d.text()), d.loc));
  if (const Attr a = attr(r, "algorithm"); a.known() && a.text() != "round_robin") put(e, "algorithm", text_node(a.text(), a.loc));
}

void TerraformImport::target_group_attachment(const Resource& r) {
  const Resource* tg = target(r, attr(r, "target_group"), "aws_lb_target_group", "components");
  const auto fns = targets(r, attr(r, "target"), "aws_lambda_function");
  if (tg == nullptr || fns.empty()) {
    b_.warning(r.loc, "components", fmt::format("{}: registers a target archsim does not model (an instance or IP address); left out", r.address));
    return;
  }
  tg_targets_.emplace(tg->address, fns.front()->id);
}

/// The task definition of a service, and what its container definitions say.
struct TaskFacts {
  const Resource* task = nullptr;
  std::optional<std::string> image, log_group_id, repository_id;
  std::optional<int> port;
};

void TerraformImport::ecs_service(const Resource& r) {
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  const TypeMapping& m = *r.mapping;
  put(e, "type", text_node("ecs_service", r.loc));
  const Resource* task = target(r, attr(r, "task_definition"), "aws_ecs_task_definition", path);
  if (task == nullptr) {
    b_.error(r.loc, path, fmt::format("{}: task_definition names no aws_ecs_task_definition in the file", r.address));
  } else {
    Attr base{task->values, task->unknown, child(task->config, "expressions"), task->loc, task->address};
    const Attr cpu = base.get(m.attribute("cpu"));
    if (cpu.known()) {
      const double units = std::strtod(cpu.text().c_str(), nullptr);
      put(e, "vcpu", plain_node(fmt::format("{:g}", units / 1024), cpu.loc));
    } else {
      b_.assume(path + ".vcpu", task->loc, task->address + " sets no task cpu; archsim's default (0.25 vCPU)");
    }
    const Attr mem = base.get(m.attribute("memory"));
    if (mem.known()) put(e, "memory", plain_node(mem.text() + "MiB", mem.loc));
    else b_.assume(path + ".memory", task->loc, task->address + " sets no task memory; archsim's default (512MiB)");
    const Attr arch = base.get(m.attribute("runtime_platform")).at(0).get(m.attribute("architecture"));
    put(e, "architecture", text_node(arch.text() == "ARM64" ? "arm64" : "x86_64", arch.known() ? arch.loc : task->loc));
  }
  const Attr desired = attr(r, "desired_count");
  if (desired.known()) put(e, "desired_count", plain_node(desired.text(), desired.loc));
  const Attr net = attr(r, "network").at(0);
  put(e, "subnets", ids_node(ids_of(targets(r, net.get(m.attribute("subnets")), "aws_subnet")), net.loc));
  const Attr pub = net.get(m.attribute("assign_public_ip"));
  put(e, "assign_public_ip", bool_node(pub.text() == "true", pub.known() ? pub.loc : net.loc));
  put(e, "security_groups", ids_node(ids_of(targets(r, net.get(m.attribute("security_groups")), "aws_security_group")), net.loc));
  // Port, image and log group: the load_balancer block, then the container definitions (a JSON
  // string when known; the references of its expression when not, as before apply).
  std::optional<std::string> port;
  const Attr lbs = attr(r, "load_balancer");
  for (std::size_t i = 0; i < lbs.size(); ++i) {
    const Attr lb = lbs.at(i);
    if (const Attr p = lb.get(m.attribute("container_port")); p.known() && !port) port = p.text();
    for (const Resource* tg : targets(r, lb.get(m.attribute("target_group")), "aws_lb_target_group")) tg_targets_.emplace(tg->address, r.id);
  }
  if (task != nullptr) {
    Attr base{task->values, task->unknown, child(task->config, "expressions"), task->loc, task->address};
    const Attr defs = base.get(m.attribute("containers"));
    if (defs.known()) {
      const auto json = nlohmann::json::parse(defs.text(), nullptr, /*allow_exceptions=*/false);
      if (json.is_array() && !json.empty() && json[0].is_object()) {
        const auto& c = json[0];
        if (!port && c.contains("portMappings") && c["portMappings"].is_array() && !c["portMappings"].empty() &&
            c["portMappings"][0].contains("containerPort") && c["portMappings"][0]["containerPort"].is_number_integer()) {
          port = std::to_string(c["portMappings"][0]["containerPort"].get<long long>());
        }
        if (c.contains("image") && c["image"].is_string()) {
          const std::string image = c["image"].get<std::string>();
          for (const auto& other : resources_) {
            const std::string url = text_of(child(other.values, "repository_url"));
            if (other.type == "aws_ecr_repository" && !url.empty() && image.starts_with(url)) {
              YamlNode img = map_node(defs.loc);
              put(img, "repository", text_node(other.id, defs.loc));
              put(e, "image", std::move(img));
            }
          }
          if (e.find("image") == nullptr) {
            YamlNode img = map_node(defs.loc);
            put(img, "repository", text_node(image.substr(0, image.rfind(':')), defs.loc));
            put(e, "image", std::move(img));
          }
        }
        const auto& log = c.contains("logConfiguration") ? c["logConfiguration"] : nlohmann::json();
        if (log.is_object() && log.contains("options") && log["options"].is_object() && log["options"].contains("awslogs-group") &&
            log["options"]["awslogs-group"].is_string()) {
          const std::string group = log["options"]["awslogs-group"].get<std::string>();
          for (const auto& other : resources_) {
            if (other.type == "aws_cloudwatch_log_group" && text_of(child(other.values, "name")) == group) {
              put(e, "log_group", text_node(other.id, defs.loc));
            }
          }
        }
      } else {
        b_.warning(defs.loc, path, fmt::format("{}: container_definitions is not a JSON list of containers; not read", task->address));
      }
    } else {
      for (const Resource* repo : targets(*task, defs, "aws_ecr_repository")) {
        YamlNode img = map_node(defs.loc);
        put(img, "repository", text_node(repo->id, defs.loc));
        put(e, "image", std::move(img));
        break;
      }
      for (const Resource* group : targets(*task, defs, "aws_cloudwatch_log_group")) {
        put(e, "log_group", text_node(group->id, defs.loc));
        break;
      }
    }
  }
  if (port) put(e, "container_port", plain_node(*port, r.loc));
  else b_.assume(path + ".container_port", r.loc, r.address + ": no container port in the code; archsim's default (80)");
  if (YamlNode* img = e.find("image")) {
    b_.assume(path + ".image", img->loc, m.assumption("image.size"));
  }
  b_.assume(path, r.loc, m.assumption("service_time"));
  YamlNode deployment = map_node(r.loc);
  const Attr controller = attr(r, "deployment_controller").at(0).get(m.attribute("controller_type"));
  put(deployment, "strategy", text_node(controller.text() == "CODE_DEPLOY" ? "blue_green" : "rolling", controller.known() ? controller.loc : r.loc));
  if (const Attr a = attr(r, "minimum_healthy_percent"); a.known()) put(deployment, "minimum_healthy_percent", plain_node(a.text(), a.loc));
  if (const Attr a = attr(r, "maximum_percent"); a.known()) put(deployment, "maximum_percent", plain_node(a.text(), a.loc));
  put(e, "deployment", std::move(deployment));
  if (const Attr g = attr(r, "health_check_grace"); g.known() && g.text() != "0") put(e, "health_check_grace", plain_node(seconds(g.text()), g.loc));
}

void TerraformImport::ecr_repository(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("ecr_repository", r.loc));
  const Attr scan = attr(r, "scan").at(0).get(r.mapping->attribute("scan_on_push"));
  if (scan.known()) put(e, "scan_on_push", bool_node(scan.text() == "true", scan.loc));
}

void TerraformImport::log_group(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("log_group", r.loc));
  if (const Attr days = attr(r, "retention"); days.known() && days.text() != "0") put(e, "retention", plain_node(days.text() + "d", days.loc));
}

/// The ecs_service component an autoscaling resource scales: through its scalable target, or
/// the service itself (resource_id `service/<cluster>/<service>`).
YamlNode* TerraformImport::scaled_service(const Resource& r, const Attr& a, std::string& path) {
  std::vector<const Resource*> services = targets(r, a, "aws_ecs_service");
  if (services.empty()) {
    for (const Resource* t : targets(r, a, "aws_appautoscaling_target")) {
      const auto s = targets(*t, attr(*t, "service"), "aws_ecs_service");
      services.insert(services.end(), s.begin(), s.end());
    }
  }
  if (services.empty()) {
    b_.warning(r.loc, "components", fmt::format("{}: scales nothing archsim models (not an ECS service of the file); left out", r.address));
    return nullptr;
  }
  path = "components." + services.front()->id;
  return b_.find_entity("components", services.front()->id);
}

void TerraformImport::autoscaling_target(const Resource& r) {
  std::string path;
  YamlNode* service = scaled_service(r, attr(r, "service"), path);
  if (service == nullptr) return;
  for (const char* key : {"min_count", "max_count"}) {
    if (const Attr a = attr(r, key); a.known()) put(*service, key, plain_node(a.text(), a.loc));
  }
  b_.comment(path + ".min_count", "scaling range: " + r.comment());
}

YamlNode& autoscaling_list(YamlNode& service, std::string_view key, const SourceLoc& loc, bool map) {
  YamlNode* a = service.find("autoscaling");
  if (a == nullptr) a = &put(service, "autoscaling", map_node(loc));
  YamlNode* list = a->find(key);
  if (list == nullptr) list = &put(*a, key, map ? map_node(loc) : list_node(loc));
  return *list;
}

void TerraformImport::autoscaling_policy(const Resource& r) {
  std::string path;
  YamlNode* service = scaled_service(r, attr(r, "scalable_target"), path);
  if (service == nullptr) return;
  const TypeMapping& m = *r.mapping;
  if (attr(r, "policy_type").text() != "TargetTrackingScaling") {
    b_.warning(r.loc, path, fmt::format("{}: a {} policy is not imported (archsim reads target tracking policies); write it as autoscaling.step_scaling", r.address,
                                        attr(r, "policy_type").known() ? attr(r, "policy_type").text() : "step scaling"));
    return;
  }
  const Attr config = attr(r, "target_tracking").at(0);
  const Attr metric = config.get(m.attribute("predefined")).at(0).get(m.attribute("metric_type"));
  std::string word;
  if (metric.text() == "ECSServiceAverageCPUUtilization") word = "cpu";
  else if (metric.text() == "ALBRequestCountPerTarget") word = "alb_requests_per_target";
  if (word.empty()) {
    b_.warning(config.loc, path, fmt::format("{}: target tracking on {} is not simulated (archsim scales on CPU and ALB requests per target); left out",
                                             r.address, metric.known() ? metric.text() : "a custom metric"));
    return;
  }
  YamlNode n = map_node(config.loc);
  put(n, "metric", text_node(word, metric.loc));
  const Attr target = config.get(m.attribute("target"));
  if (!target.known()) {
    b_.error(config.loc, path, fmt::format("{}: target_value is not known", r.address));
    return;
  }
  put(n, "target", plain_node(target.text(), target.loc));
  for (const char* key : {"scale_out_cooldown", "scale_in_cooldown"}) {
    if (const Attr a = config.get(m.attribute(key)); a.known()) put(n, key, plain_node(seconds(a.text()), a.loc));
  }
  if (const Attr a = config.get(m.attribute("disable_scale_in")); a.known()) put(n, "disable_scale_in", bool_node(a.text() == "true", a.loc));
  YamlNode& list = autoscaling_list(*service, "target_tracking", r.loc, false);
  b_.comment(fmt::format("{}.autoscaling.target_tracking[{}]", path, list.items.size()), r.comment());
  list.items.push_back(std::move(n));
}

void TerraformImport::autoscaling_scheduled_action(const Resource& r) {
  std::string path;
  YamlNode* service = scaled_service(r, attr(r, "scalable_target"), path);
  if (service == nullptr) return;
  YamlNode n = map_node(r.loc);
  const Attr schedule = attr(r, "schedule");
  put(n, "schedule", text_node(schedule.text(), schedule.loc));
  if (const Attr tz = attr(r, "timezone"); tz.known()) put(n, "timezone", text_node(tz.text(), tz.loc));
  const Attr action = attr(r, "action").at(0);
  for (const char* key : {"min_capacity", "max_capacity"}) {
    if (const Attr a = action.get(r.mapping->attribute(key)); a.known()) put(n, key, plain_node(a.text(), a.loc));
  }
  YamlNode& map = autoscaling_list(*service, "scheduled", r.loc, true);
  b_.comment(fmt::format("{}.autoscaling.scheduled.{}", path, r.id), r.comment());
  put(map, r.id, std::move(n));
}

void TerraformImport::build(Resource& r) {
  const std::string& entity = r.mapping->entity;
  if (entity == "vpc") vpc(r);
  else if (entity == "vpc_secondary_cidr") vpc_secondary_cidr(r);
  else if (entity == "internet_gateway") internet_gateway(r);
  else if (entity == "subnet") subnet(r);
  else if (entity == "route_table") route_table(r);
  else if (entity == "route") route(r);
  else if (entity == "route_table_association") route_table_association(r);
  else if (entity == "main_route_table_association") main_route_table_association(r);
  else if (entity == "security_group") security_group(r);
  else if (entity == "security_group_rule") security_group_rule(r, "");
  else if (entity == "security_group_ingress") security_group_rule(r, "ingress");
  else if (entity == "security_group_egress") security_group_rule(r, "egress");
  else if (entity == "nat_gateway") nat_gateway(r);
  else if (entity == "vpc_endpoint") vpc_endpoint(r);
  else if (entity == "load_balancer") load_balancer(r);
  else if (entity == "listener") listener(r);
  else if (entity == "listener_rule") listener_rule(r);
  else if (entity == "target_group") target_group(r);
  else if (entity == "target_group_attachment") target_group_attachment(r);
  else if (entity == "ecs_service") ecs_service(r);
  else if (entity == "ecr_repository") ecr_repository(r);
  else if (entity == "log_group") log_group(r);
  else if (entity == "autoscaling_target") autoscaling_target(r);
  else if (entity == "autoscaling_policy") autoscaling_policy(r);
  else if (entity == "autoscaling_scheduled_action") autoscaling_scheduled_action(r);
  else if (entity == "absorbed") return;
  else throw std::logic_error("import_mappings.yaml names entity '" + entity + "', which no builder makes");
}

/// Request routes: the code has none, so one per way in from the internet, followed through
/// what forwards to what (listener -> target group -> service).
void TerraformImport::infer_routes() {
  YamlNode* components = b_.find_entity("components", "") ;
  (void)components;
  std::vector<std::pair<std::string, std::vector<std::string>>> routes;
  for (const auto& c : b_.section("components").entries) {
    const YamlNode& lb = c.value;
    if (text_of(lb.find("type")) != "load_balancer" || text_of(lb.find("scheme")) != "internet-facing") continue;
    std::set<std::string> services;
    const YamlNode* groups = lb.find("target_groups");
    const YamlNode* listeners = lb.find("listeners");
    for (const auto& l : listeners != nullptr ? listeners->items : std::vector<YamlNode>{}) {
      std::vector<std::string> tgs;
      if (const YamlNode* t = l.find("target_group")) tgs.push_back(t->scalar);
      if (const YamlNode* rules = l.find("rules")) {
        for (const auto& rule : rules->items) tgs.push_back(text_of(rule.find("target_group")));
      }
      for (const auto& tg : tgs) {
        if (const YamlNode* target = child(child(groups, tg), "targets")) services.insert(target->scalar);
      }
    }
    for (const auto& s : services) routes.push_back({s, {"users", c.key, s}});
  }
  if (routes.empty()) return;
  YamlNode& users = b_.entity("components", "users", root_.loc);
  put(users, "type", text_node("internet_users", root_.loc));
  b_.assume("components.users", root_.loc, "clients on the internet, the first hop of every route (the code has no such resource)");
  const double share = 1.0 / static_cast<double>(routes.size());
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const auto& [id, hops] = routes[i];
    YamlNode& route = b_.entity("routes", id, root_.loc);
    put(route, "share", plain_node(fmt::format("{:.6g}", i + 1 == routes.size() ? 1.0 - share * static_cast<double>(routes.size() - 1) : share), root_.loc));
    put(route, "hops", ids_node(hops, root_.loc));
    b_.assume("routes." + id, root_.loc,
              fmt::format("a request route from the internet through {} to {}, an equal share of the traffic; the code says nothing of "
                          "request paths or mix: give them in the scenario's overrides", hops[1], id));
  }
}

void TerraformImport::run() {
  if (!check_format()) return;
  const YamlNode* module = nullptr;
  if (plan_) {
    module = child(child(&root_, "planned_values"), "root_module");
    if (const YamlNode* changes = root_.find("resource_changes"); changes != nullptr && changes->is_sequence()) {
      for (const auto& c : changes->items) {
        if (const YamlNode* unknown = child(child(&c, "change"), "after_unknown")) changes_.emplace(text_of(c.find("address")), unknown);
      }
    }
    if (const YamlNode* config = child(child(&root_, "configuration"), "root_module")) collect_config(*config, "", 0);
  } else {
    module = child(child(&root_, "values"), "root_module");
  }
  if (module == nullptr || !module->is_map()) {
    b_.error(root_.loc, plan_ ? "planned_values" : "values", "expected a root_module with the resources");
    return;
  }
  collect_modules(*module, "", 0);
  assign_ids();
  // Region: the provider's, else what the subnets' zones say.
  const YamlNode* region = child(child(child(child(child(child(&root_, "configuration"), "provider_config"), "aws"), "expressions"), "region"), "constant_value");
  if (region != nullptr && region->is_scalar()) {
    region_ = region->scalar;
    region_loc_ = region->loc;
  }
  std::set<std::string> zones;
  for (const auto& r : resources_) {
    if (r.type != "aws_subnet" || r.mapping == nullptr) continue;
    if (const YamlNode* z = child(r.values, r.mapping->attribute("zone")); z != nullptr && z->is_scalar()) zones.insert(z->scalar);
  }
  if (region_.empty() && !zones.empty()) {
    region_ = zones.begin()->substr(0, zones.begin()->size() - 1);
    region_loc_ = root_.loc;
  }
  std::map<std::string, std::pair<std::size_t, std::string>> unsupported;
  // Builders run in dependency order: what others refer to is built first.
  const std::vector<std::string> order = {"vpc", "vpc_secondary_cidr", "internet_gateway", "subnet", "security_group", "security_group_rule",
                                          "security_group_ingress", "security_group_egress", "nat_gateway", "vpc_endpoint", "route_table",
                                          "route", "route_table_association", "main_route_table_association", "ecr_repository", "log_group",
                                          "load_balancer", "listener", "listener_rule", "target_group_attachment", "ecs_service",
                                          "target_group", "autoscaling_target", "autoscaling_policy", "autoscaling_scheduled_action"};
  for (const auto& entity : order) {
    for (auto& r : resources_) {
      if (r.mapping != nullptr && r.mapping->entity == entity) build(r);
    }
  }
  for (const auto& r : resources_) {
    if (text_of(child(r.node, "mode")) == "data") continue;
    if (r.mapping != nullptr) {
      if (r.mapping->entity == "absorbed") {
        auto& s = skipped_[r.type];
        ++s.first;
        s.second = r.mapping->note;
      }
      continue;
    }
    const auto rule = std::find_if(mappings_.terraform_skipped.begin(), mappings_.terraform_skipped.end(),
                                   [&](const SkipRule& s) { return r.type.starts_with(s.prefix); });
    auto& entry = rule != mappings_.terraform_skipped.end() ? skipped_[r.type] : unsupported_[r.type];
    ++entry.first;
    if (rule != mappings_.terraform_skipped.end()) entry.second = rule->reason;
  }
  infer_routes();
  for (const auto& [type, e] : unsupported_) {
    out_.unsupported.push_back({type, e.first, "no archsim entity models it"});
    b_.warning(SourceLoc{file_, 0, 0}, "", fmt::format("unsupported resource type {} ({} left out)", type, e.first));
  }
  for (const auto& [type, e] : skipped_) out_.skipped.push_back({type, e.first, e.second});

  YamlNode root = map_node(root_.loc);
  if (!region_.empty()) put(root, "region", text_node(region_, region_loc_));
  YamlNode zone_list = list_node(root_.loc);
  for (const auto& z : zones) zone_list.items.push_back(text_node(z, root_.loc));
  put(root, "zones", std::move(zone_list));
  put(root, "description", text_node(fmt::format("Imported from {}", file_), root_.loc));
  b_.finish(std::move(root));
}

}  // namespace

ImportedTopology import_terraform(std::string_view json_text, const std::string& display_name) {
  ImportedTopology out;
  const auto root = import_detail::parse_json_tree(json_text, display_name, out.diagnostics);
  if (!root) return out;
  TerraformImport(*root, display_name, out).run();
  return out;
}

ImportedTopology import_terraform_file(const std::filesystem::path& file, const std::string& display_name) {
  FileProblem problem;
  const auto text = read_regular_file(file, limits::kMaxImportFileBytes, problem);
  if (!text) {
    ImportedTopology out;
    out.diagnostics.error(SourceLoc{display_name, 0, 0}, "", "cannot read it: " + problem.message);
    return out;
  }
  return import_terraform(*text, display_name);
}

}  // namespace archsim::model
