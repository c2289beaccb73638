// CloudFormation templates (JSON or YAML, `cdk synth` output included) -> topology.
// Template anatomy and intrinsic functions:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
//
// Every intrinsic is resolved before the shared builders read a property: parameters (default or
// --parameter), conditions, Fn::If, Select, GetAZs, Join, Sub, Split, FindInMap. A reference to
// a resource (Ref, GetAtt, `${X}` in a Sub) becomes its name `{{cfn:<stack>/<LogicalId>}}`, which
// the builders find like a Terraform id; what needs the deployed stack (Fn::ImportValue, an
// unknown parameter) is a located error.
//
// Nested stacks (AWS::CloudFormation::Stack): CDK writes each nested template next to the parent
// (cdk.out) and names it in the resource's `aws:asset:path` metadata; that file is imported too,
// its parameters taken from the Stack's Parameters (in the parent's scope) and the parent's
// `Fn::GetAtt [Nested, Outputs.X]` from the nested template's Outputs. Without that metadata, the
// file its TemplateURL ends with is read when it lies next to the parent (a template before
// `aws cloudformation package`, or a synthesized assembly copied with its nested templates). A
// nested stack whose template is not there is listed as unsupported, with a warning.
#include <deque>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/input_file.hpp"
#include "archsim/model/input_limits.hpp"
#include "importer.hpp"

namespace archsim::model {

namespace {

using namespace import_detail;

constexpr int kMaxResolveDepth = 32;  // parameters and outputs refer to each other across stacks
constexpr int kMaxNestedStacks = 8;   // depth of nested stacks followed

struct Stack {
  std::string path;    ///< "" for the template given, else the parent's path + logical id
  std::string prefix;  ///< archsim id prefix of its resources ("Nested." for a nested stack)
  std::string file;
  const YamlNode* root = nullptr;
  Stack* parent = nullptr;
  const YamlNode* parameters_given = nullptr;  ///< the parent's AWS::CloudFormation::Stack Parameters
  std::map<std::string, std::string> overrides;  ///< --parameter, for the top stack
  std::map<std::string, bool> conditions;        ///< evaluated so far
  std::set<std::string> evaluating;              ///< conditions being evaluated (a cycle is an error)
  std::map<std::string, Stack*> nested;          ///< logical id -> the nested stack
};

std::string short_to_long(const std::string& tag) {
  static const std::map<std::string, std::string> names = {
      {"!Ref", "Ref"},         {"!Condition", "Condition"}, {"!GetAtt", "Fn::GetAtt"},     {"!Sub", "Fn::Sub"},
      {"!Join", "Fn::Join"},   {"!Select", "Fn::Select"},   {"!GetAZs", "Fn::GetAZs"},     {"!If", "Fn::If"},
      {"!Equals", "Fn::Equals"}, {"!Not", "Fn::Not"},       {"!And", "Fn::And"},           {"!Or", "Fn::Or"},
      {"!FindInMap", "Fn::FindInMap"}, {"!Split", "Fn::Split"}, {"!Base64", "Fn::Base64"}, {"!ImportValue", "Fn::ImportValue"},
      {"!Cidr", "Fn::Cidr"},   {"!Transform", "Fn::Transform"}};
  const auto it = names.find(tag);
  return it == names.end() ? std::string() : it->second;
}

/// JSON if it opens like JSON (strict, with its depth cap), else YAML with CloudFormation's tags.
std::optional<YamlNode> parse_template(std::string_view text, const std::string& display, Diagnostics& diagnostics) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return parse_json_tree(text, display, diagnostics);
  return parse_yaml(text, display, diagnostics, import_limits());
}

class CloudFormationImport : public Importer {
 public:
  CloudFormationImport(const YamlNode& root, const std::string& file, ImportedTopology& out, const std::map<std::string, std::string>& parameters,
                       std::filesystem::path dir)
      : Importer(root, file, out), dir_(std::move(dir)), facts_(builtin_aws_facts()) {
    top_.file = file;
    top_.root = &root;
    top_.overrides = parameters;
    if (const auto it = parameters.find("AWS::Region"); it != parameters.end()) region_ = it->second;
  }

  void run();

 private:
  bool check_template(const YamlNode& root, const std::string& file);
  /// An error for each property the mapping reads inside a block that the template writes as a list.
  void check_property_blocks(const Resource& r);
  void collect(Stack& stack, int depth);
  /// `n` with every intrinsic resolved; nullopt for AWS::NoValue (the key is dropped). Errors
  /// are reported at the intrinsic and leave a null value.
  std::optional<YamlNode> resolve(const YamlNode& n, Stack& s, int depth);
  std::optional<YamlNode> intrinsic(const std::string& fn, const YamlNode& arg, const YamlNode& at, Stack& s, int depth);
  std::optional<YamlNode> ref(const std::string& name, const YamlNode& at, Stack& s, int depth);
  std::optional<YamlNode> get_att(const std::string& logical, const std::string& attribute, const YamlNode& at, Stack& s, int depth);
  std::optional<std::string> text(const YamlNode& n, Stack& s, int depth);
  bool condition(const std::string& name, const YamlNode& at, Stack& s, int depth);
  bool condition_value(const YamlNode& n, Stack& s, int depth);
  /// The file name a nested stack's TemplateURL ends with (the last text of a Fn::Join or
  /// Fn::Sub too, unresolved: the name does not depend on the region or account), or nullopt.
  static std::optional<YamlNode> template_url_file(const YamlNode& stack_resource);
  std::string name_of(const Stack& s, const std::string& logical) const { return "{{cfn:" + s.path + "/" + logical + "}}"; }
  YamlNode fail(const YamlNode& at, const std::string& message) {
    b_.error(at.loc, "", message);
    YamlNode n;
    n.loc = at.loc;
    return n;
  }

  std::filesystem::path dir_;
  AwsFacts facts_;
  Stack top_;
  std::deque<Stack> stacks_;          ///< nested stacks (stable addresses)
  std::deque<YamlNode> owned_;        ///< nested templates and resolved properties
  std::vector<std::pair<Stack*, std::size_t>> pending_;  ///< resources whose properties are resolved after collection
};

std::optional<YamlNode> CloudFormationImport::template_url_file(const YamlNode& stack_resource) {
  const YamlNode* url = child(child(&stack_resource, "Properties"), "TemplateURL");
  const YamlNode* last = nullptr;
  std::function<void(const YamlNode&)> visit = [&](const YamlNode& n) {
    if (n.is_scalar() && !n.scalar.empty()) last = &n;
    for (const auto& i : n.items) visit(i);
    for (const auto& e : n.entries) visit(e.value);
  };
  if (url != nullptr) visit(*url);
  if (last == nullptr) return std::nullopt;
  const std::string name = last->scalar.substr(last->scalar.rfind('/') + 1);
  if (name.empty() || name == "." || name == ".." || name.find('$') != std::string::npos) return std::nullopt;
  return text_node(name, last->loc);
}

bool CloudFormationImport::check_template(const YamlNode& root, const std::string& file) {
  if (!root.is_map() || root.find("Resources") == nullptr || !root.find("Resources")->is_map()) {
    b_.error(root.loc.known() ? root.loc : SourceLoc{file, 1, 1}, "",
             "not a CloudFormation template: expected a map with `Resources` (a Terraform plan is `archsim import terraform`)");
    return false;
  }
  return true;
}

void CloudFormationImport::collect(Stack& stack, int depth) {
  const YamlNode& resources = *stack.root->find("Resources");
  for (const auto& e : resources.entries) {
    const YamlNode& node = e.value;
    const std::string type = text_of(child(&node, "Type"));
    if (!node.is_map() || type.empty()) {
      b_.error(node.loc, "", fmt::format("resource {}: expected a map with `Type`", e.key));
      continue;
    }
    const auto mapping = mappings_.cloudformation.find(type);
    // A resource's Condition is evaluated only when the import reads the resource: what it
    // leaves out anyway (CDK's metadata) must not need the region.
    if (const YamlNode* cond = node.find("Condition");
        cond != nullptr && cond->is_scalar() && (mapping != mappings_.cloudformation.end() || type == "AWS::CloudFormation::Stack") &&
        !condition(cond->scalar, *cond, stack, 0)) {
      continue;  // not created with these parameters
    }
    Resource r;
    r.address = e.key;
    r.module = stack.path;
    r.type = type;
    r.name = e.key;
    r.node = &node;
    r.loc = node.loc;
    r.id = entity_id(stack.prefix, e.key, "");
    r.names.push_back(name_of(stack, e.key));
    const YamlNode* metadata = node.find("Metadata");
    if (const YamlNode* cdk = child(metadata, "aws:cdk:path"); cdk != nullptr && cdk->is_scalar()) r.address += " [" + cdk->scalar + "]";
    if (type == "AWS::CloudFormation::Stack") {
      const YamlNode* asset = child(metadata, "aws:asset:path");
      // Without CDK's metadata: the file its TemplateURL names, when a file of that name lies next
      // to this template (`aws cloudformation package` uploads what lay beside it; archsim
      // fetches nothing).
      std::optional<YamlNode> url_file;
      if (asset == nullptr || !asset->is_scalar()) {
        url_file = template_url_file(node);
        asset = url_file ? &*url_file : nullptr;
      }
      std::string refused;
      auto file = asset != nullptr && asset->is_scalar() ? resolve_scenario_path(ScenarioFiles{dir_}, asset->scalar, refused) : std::nullopt;
      if (url_file && (!file || !std::filesystem::is_regular_file(*file))) {
        // A name guessed from a URL: no such file here is the usual case (the template is on S3).
        asset = nullptr;
        file.reset();
      }
      if (!file || depth >= kMaxNestedStacks) {
        b_.warning(node.loc, "", fmt::format("nested stack {}: {}; its resources are left out", e.key,
                                             depth >= kMaxNestedStacks ? fmt::format("nested more than {} deep", kMaxNestedStacks)
                                             : asset == nullptr ? std::string("neither aws:asset:path metadata nor its TemplateURL's file name names "
                                                                              "a template next to this one")
                                                                : "its template " + refused));
        auto& u = unsupported_[type + " (template not found locally)"];
        ++u.first;
        continue;
      }
      const std::string display = (std::filesystem::path(stack.file).parent_path() / asset->scalar).lexically_normal().string();
      FileProblem problem;
      const auto text = read_regular_file(*file, limits::kMaxImportFileBytes, problem);
      if (!text) {
        b_.error(asset->loc, "", fmt::format("nested stack {}: cannot read {}: {}", e.key, display, problem.message));
        continue;
      }
      auto tree = parse_template(*text, display, out_.diagnostics);
      if (!tree || !check_template(*tree, display)) continue;
      owned_.push_back(std::move(*tree));
      Stack& child_stack = stacks_.emplace_back();
      child_stack.path = stack.path.empty() ? e.key : stack.path + "/" + e.key;
      child_stack.prefix = stack.prefix + e.key + ".";
      child_stack.file = display;
      child_stack.root = &owned_.back();
      child_stack.parent = &stack;
      child_stack.parameters_given = child(child(&node, "Properties"), "Parameters");
      stack.nested[e.key] = &child_stack;
      auto& s = skipped_[type];
      ++s.first;
      s.second = "a nested stack: its template is imported with it (aws:asset:path, or its TemplateURL's file beside it)";
      collect(child_stack, depth + 1);
      continue;
    }
    if (mapping != mappings_.cloudformation.end()) r.mapping = &mapping->second;
    resources_.push_back(std::move(r));
    pending_.emplace_back(&stack, resources_.size() - 1);
  }
}

std::optional<std::string> CloudFormationImport::text(const YamlNode& n, Stack& s, int depth) {
  auto v = resolve(n, s, depth);
  if (!v || !v->is_scalar()) return std::nullopt;
  return v->scalar;
}

std::optional<YamlNode> CloudFormationImport::ref(const std::string& name, const YamlNode& at, Stack& s, int depth) {
  if (name == "AWS::NoValue") return std::nullopt;
  if (name == "AWS::Region") {
    if (region_.empty()) return fail(at, "Ref AWS::Region: the region is known only at deployment; pass --parameter AWS::Region=<region>");
    return text_node(region_, at.loc);
  }
  if (name == "AWS::Partition") return text_node("aws", at.loc);
  if (name == "AWS::URLSuffix") return text_node("amazonaws.com", at.loc);
  // Names that only label things (ARNs, resource names): kept as words, never read as values.
  if (name == "AWS::AccountId" || name == "AWS::StackName" || name == "AWS::StackId" || name == "AWS::NotificationARNs") {
    return text_node("{{" + name + "}}", at.loc);
  }
  const YamlNode* parameters = s.root->find("Parameters");
  if (const YamlNode* p = child(parameters, name)) {
    std::optional<YamlNode> value;
    if (const auto it = s.overrides.find(name); it != s.overrides.end()) {
      value = text_node(it->second, at.loc);
    } else if (const YamlNode* given = child(s.parameters_given, name); given != nullptr && s.parent != nullptr) {
      value = resolve(*given, *s.parent, depth + 1);
    } else if (const YamlNode* def = child(p, "Default")) {
      value = resolve(*def, s, depth + 1);
    } else {
      return fail(at, fmt::format("Ref {}: parameter {} has no Default; pass --parameter {}=<value>", name, name, name));
    }
    // List parameters (List<AWS::EC2::Subnet::Id>, CommaDelimitedList) are written comma-separated.
    const std::string type = text_of(child(p, "Type"));
    if (value && value->is_scalar() && (type.starts_with("List<") || type == "CommaDelimitedList")) {
      YamlNode list = list_node(value->loc);
      std::string rest = value->scalar;
      for (std::size_t at_comma = 0; !rest.empty(); rest = at_comma == std::string::npos ? "" : rest.substr(at_comma + 1)) {
        at_comma = rest.find(',');
        std::string item = rest.substr(0, at_comma);
        while (!item.empty() && item.front() == ' ') item.erase(0, 1);
        while (!item.empty() && item.back() == ' ') item.pop_back();
        list.items.push_back(text_node(item, value->loc));
      }
      return list;
    }
    return value;
  }
  if (const YamlNode* resources = s.root->find("Resources"); child(resources, name) != nullptr) return text_node(name_of(s, name), at.loc);
  return fail(at, fmt::format("Ref {}: no parameter or resource of that name in the template", name));
}

std::optional<YamlNode> CloudFormationImport::get_att(const std::string& logical, const std::string& attribute, const YamlNode& at, Stack& s,
                                                      int depth) {
  const YamlNode* resource = child(s.root->find("Resources"), logical);
  if (resource == nullptr) return fail(at, fmt::format("Fn::GetAtt {}.{}: no resource {} in the template", logical, attribute, logical));
  if (attribute.starts_with("Outputs.")) {
    const auto it = s.nested.find(logical);
    if (it == s.nested.end()) return fail(at, fmt::format("Fn::GetAtt {}.{}: the nested stack's template was not imported", logical, attribute));
    const YamlNode* value = child(child(it->second->root->find("Outputs"), attribute.substr(8)), "Value");
    if (value == nullptr) return fail(at, fmt::format("Fn::GetAtt {}.{}: the nested template has no such output", logical, attribute));
    return resolve(*value, *it->second, depth + 1);
  }
  // An attribute the template itself states (a VPC's CidrBlock) is that value; the rest (Arn,
  // Id, DNS names) only name the resource.
  if (const YamlNode* property = child(child(resource, "Properties"), attribute); property != nullptr && attribute.find("Cidr") != std::string::npos) {
    return resolve(*property, s, depth + 1);
  }
  return text_node(name_of(s, logical), at.loc);
}

bool CloudFormationImport::condition(const std::string& name, const YamlNode& at, Stack& s, int depth) {
  if (const auto it = s.conditions.find(name); it != s.conditions.end()) return it->second;
  const YamlNode* def = child(s.root->find("Conditions"), name);
  if (def == nullptr) {
    b_.error(at.loc, "", fmt::format("condition {} is not in the template's Conditions", name));
    return false;
  }
  if (!s.evaluating.insert(name).second || depth > kMaxResolveDepth) {
    b_.error(at.loc, "", fmt::format("condition {} refers to itself", name));
    return false;
  }
  const bool value = condition_value(*def, s, depth + 1);
  s.evaluating.erase(name);
  s.conditions[name] = value;
  return value;
}

bool CloudFormationImport::condition_value(const YamlNode& n, Stack& s, int depth) {
  std::string fn = short_to_long(n.tag);
  const YamlNode* arg = &n;
  if (fn.empty() && n.is_map() && n.entries.size() == 1) {
    fn = n.entries.front().key;
    arg = &n.entries.front().value;
  }
  if (fn == "Condition" && arg->is_scalar()) return condition(arg->scalar, *arg, s, depth + 1);
  if (fn == "Fn::Not" && arg->is_sequence() && arg->items.size() == 1) return !condition_value(arg->items[0], s, depth + 1);
  if ((fn == "Fn::And" || fn == "Fn::Or") && arg->is_sequence()) {
    bool all = true, any = false;
    for (const auto& item : arg->items) {
      const bool v = condition_value(item, s, depth + 1);
      all = all && v;
      any = any || v;
    }
    return fn == "Fn::And" ? all : any;
  }
  if (fn == "Fn::Equals" && arg->is_sequence() && arg->items.size() == 2) {
    const auto a = text(arg->items[0], s, depth + 1), b = text(arg->items[1], s, depth + 1);
    return a && b && *a == *b;
  }
  b_.error(n.loc, "", "expected a condition: Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition");
  return false;
}

std::optional<YamlNode> CloudFormationImport::intrinsic(const std::string& fn, const YamlNode& arg, const YamlNode& at, Stack& s, int depth) {
  auto items = [&](std::size_t n) { return arg.is_sequence() && arg.items.size() == n; };
  if (fn == "Ref") {
    if (!arg.is_scalar()) return fail(at, "Ref: expected the name of a parameter or resource");
    return ref(arg.scalar, at, s, depth);
  }
  if (fn == "Fn::GetAtt") {
    std::string logical, attribute;
    if (arg.is_scalar() && arg.scalar.find('.') != std::string::npos) {
      logical = arg.scalar.substr(0, arg.scalar.find('.'));
      attribute = arg.scalar.substr(arg.scalar.find('.') + 1);
    } else if (items(2) && arg.items[0].is_scalar()) {
      logical = arg.items[0].scalar;
      const auto a = text(arg.items[1], s, depth + 1);
      if (!a) return fail(at, "Fn::GetAtt: expected an attribute name");
      attribute = *a;
    } else {
      return fail(at, "Fn::GetAtt: expected [LogicalId, Attribute] or LogicalId.Attribute");
    }
    return get_att(logical, attribute, at, s, depth);
  }
  if (fn == "Fn::Sub") {
    const YamlNode* pattern = arg.is_sequence() && !arg.items.empty() ? &arg.items[0] : &arg;
    const YamlNode* vars = items(2) ? &arg.items[1] : nullptr;
    if (!pattern->is_scalar()) return fail(at, "Fn::Sub: expected a string, or [string, {variables}]");
    std::string out;
    const std::string& p = pattern->scalar;
    for (std::size_t i = 0; i < p.size();) {
      const std::size_t open = p.find("${", i);
      if (open == std::string::npos) {
        out += p.substr(i);
        break;
      }
      out += p.substr(i, open - i);
      const std::size_t close = p.find('}', open);
      if (close == std::string::npos) return fail(at, "Fn::Sub: a ${ without its }");
      const std::string name = p.substr(open + 2, close - open - 2);
      i = close + 1;
      if (name.starts_with("!")) {
        out += "${" + name.substr(1) + "}";  // ${!Literal} is written as ${Literal}
        continue;
      }
      std::optional<YamlNode> value;
      if (const YamlNode* v = child(vars, name)) value = resolve(*v, s, depth + 1);
      else if (name.find('.') != std::string::npos) value = get_att(name.substr(0, name.find('.')), name.substr(name.find('.') + 1), at, s, depth + 1);
      else value = ref(name, at, s, depth + 1);
      if (!value || !value->is_scalar()) return fail(at, fmt::format("Fn::Sub: ${{{}}} is not a single value", name));
      out += value->scalar;
    }
    return text_node(out, at.loc);
  }
  if (fn == "Fn::Join") {
    if (!items(2)) return fail(at, "Fn::Join: expected [delimiter, [values]]");
    const auto delimiter = text(arg.items[0], s, depth + 1);
    const auto list = resolve(arg.items[1], s, depth + 1);
    if (!delimiter || !list || !list->is_sequence()) return fail(at, "Fn::Join: expected [delimiter, [values]]");
    std::string out;
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      if (!list->items[i].is_scalar()) return fail(at, "Fn::Join: a value to join is not a string");
      out += (i ? *delimiter : "") + list->items[i].scalar;
    }
    return text_node(out, at.loc);
  }
  if (fn == "Fn::Select") {
    if (!items(2)) return fail(at, "Fn::Select: expected [index, [values]]");
    const auto index = text(arg.items[0], s, depth + 1);
    const auto list = resolve(arg.items[1], s, depth + 1);
    std::size_t i = 0;
    const bool digits = index && !index->empty() && index->size() < 6 && std::all_of(index->begin(), index->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) i = std::stoul(*index);
    if (!digits || !list || !list->is_sequence() || i >= list->items.size()) {
      return fail(at, fmt::format("Fn::Select: index {} is not within the list", index ? *index : "?"));
    }
    return list->items[i];
  }
  if (fn == "Fn::GetAZs") {
    const auto r = text(arg, s, depth + 1);
    const std::string region = r && !r->empty() ? *r : region_;
    const auto it = facts_.region_zones.find(region);
    if (region.empty()) return fail(at, "Fn::GetAZs: the region is known only at deployment; pass --parameter AWS::Region=<region>");
    if (it == facts_.region_zones.end()) return fail(at, fmt::format("Fn::GetAZs: archsim knows no zones of region '{}' (model/data/aws_network.yaml)", region));
    YamlNode list = list_node(at.loc);
    for (const auto& z : it->second) list.items.push_back(text_node(z, at.loc));
    return list;
  }
  if (fn == "Fn::If") {
    if (!items(3) || !arg.items[0].is_scalar()) return fail(at, "Fn::If: expected [condition, value if true, value if false]");
    return resolve(condition(arg.items[0].scalar, arg.items[0], s, depth + 1) ? arg.items[1] : arg.items[2], s, depth + 1);
  }
  if (fn == "Fn::FindInMap") {
    if (!items(3)) return fail(at, "Fn::FindInMap: expected [map, top key, second key]");
    const auto m = text(arg.items[0], s, depth + 1), k1 = text(arg.items[1], s, depth + 1), k2 = text(arg.items[2], s, depth + 1);
    const YamlNode* v = m && k1 && k2 ? child(child(child(s.root->find("Mappings"), *m), *k1), *k2) : nullptr;
    if (v == nullptr) return fail(at, "Fn::FindInMap: no such entry in the template's Mappings");
    return resolve(*v, s, depth + 1);
  }
  if (fn == "Fn::Split") {
    if (!items(2)) return fail(at, "Fn::Split: expected [delimiter, string]");
    const auto delimiter = text(arg.items[0], s, depth + 1), whole = text(arg.items[1], s, depth + 1);
    if (!delimiter || !whole || delimiter->empty()) return fail(at, "Fn::Split: expected [delimiter, string]");
    YamlNode list = list_node(at.loc);
    for (std::size_t i = 0;;) {
      const std::size_t cut = whole->find(*delimiter, i);
      list.items.push_back(text_node(whole->substr(i, cut == std::string::npos ? std::string::npos : cut - i), at.loc));
      if (cut == std::string::npos) break;
      i = cut + delimiter->size();
    }
    return list;
  }
  if (fn == "Fn::Base64") return resolve(arg, s, depth + 1);
  if (fn == "Fn::ImportValue") {
    // Only the deployed stacks know the export. As a reference (a cluster, a VPC of a shared
    // stack) it names something not in the file, as an id would; where a value is needed, the
    // builders' check of what they wrote refuses it (deployment_value).
    const auto name = text(arg, s, depth + 1);
    if (!name || name->empty()) return fail(at, "Fn::ImportValue: expected the name of another stack's export");
    return text_node("{{Fn::ImportValue:" + *name + "}}", at.loc);
  }
  if (fn == "Condition") return bool_node(arg.is_scalar() && condition(arg.scalar, arg, s, depth + 1), at.loc);
  return fail(at, fmt::format("{} is not resolved by archsim's import", fn));
}

std::optional<YamlNode> CloudFormationImport::resolve(const YamlNode& n, Stack& s, int depth) {
  if (depth > kMaxResolveDepth) return fail(n, "intrinsic functions nested or referring to each other too deep");
  if (const std::string fn = short_to_long(n.tag); !fn.empty()) {
    YamlNode arg = n;
    arg.tag.clear();
    return intrinsic(fn, arg, n, s, depth + 1);
  }
  if (n.is_map() && n.entries.size() == 1 && (n.entries[0].key == "Ref" || n.entries[0].key.starts_with("Fn::") || n.entries[0].key == "Condition")) {
    return intrinsic(n.entries[0].key, n.entries[0].value, n, s, depth + 1);
  }
  // CloudFormation refuses the whole template ("'null' values are not allowed in templates"), so
  // a null is never "not set": taking it for unset would import a template no stack can run.
  if (n.is_null()) return fail(n, "a null value; CloudFormation refuses a template with one (\"'null' values are not allowed in templates\"): write the value");
  YamlNode out = n;
  if (n.is_map()) {
    out.entries.clear();
    for (const auto& e : n.entries) {
      if (e.value.is_null() && e.value.tag.empty()) {
        YamlNode at = e.value;
        at.loc = e.key_loc;  // an empty value's own mark is where the next token starts
        out.entries.push_back(YamlNode::Entry{e.key, e.key_loc, fail(at, fmt::format("{} is null; CloudFormation refuses a template with a null value "
                                                                                        "(\"'null' values are not allowed in templates\"): write its value, or leave {} out",
                                                                                        e.key, e.key))});
      } else if (auto v = resolve(e.value, s, depth + 1)) {
        out.entries.push_back(YamlNode::Entry{e.key, e.key_loc, std::move(*v)});
      }
    }
  } else if (n.is_sequence()) {
    out.items.clear();
    for (const auto& i : n.items) {
      if (auto v = resolve(i, s, depth + 1)) out.items.push_back(std::move(*v));
    }
  }
  return out;
}

void CloudFormationImport::check_property_blocks(const Resource& r) {
  // Terraform writes a nested block as a list of one, so Attr::get steps through lists; in a
  // template a property type is one map, and a list there (`ProvisionedThroughput: [{...}]`) is
  // a template CloudFormation refuses, not a block to read the first of.
  std::set<std::string> said;  // ProvisionedThroughput's two units are one list to report
  for (const auto& attribute : r.mapping->attributes) {
    const std::string& path = attribute.second;
    const YamlNode* at = r.values;
    for (std::size_t from = 0, dot = path.find('.'); dot != std::string::npos && at != nullptr; from = dot + 1, dot = path.find('.', from)) {
      const std::string segment = path.substr(from, dot - from);
      if (segment.ends_with("[]")) break;  // a list property: read at its first item
      at = at->find(segment);
      if (at != nullptr && at->is_sequence()) {
        if (!said.insert(path.substr(0, dot)).second) break;
        b_.error(at->loc, "", fmt::format("{}: {} is a list; CloudFormation's {} is one block of properties (a map, with {} in it)", r.address,
                                          path.substr(0, dot), segment, path.substr(dot + 1, path.find('.', dot + 1) - dot - 1)));
        break;
      }
    }
  }
}

void CloudFormationImport::run() {
  if (!check_template(root_, file_)) return;
  collect(top_, 0);
  // Properties are resolved once every stack is known: a nested stack's parameters refer to the
  // parent's resources and the parent to its outputs.
  for (const auto& [stack, index] : pending_) {
    Resource& r = resources_[index];
    if (r.mapping == nullptr) continue;  // unsupported or skipped: its properties are never read
    if (const YamlNode* properties = r.node->find("Properties")) {
      auto resolved = resolve(*properties, *stack, 0);
      if (resolved) {
        owned_.push_back(std::move(*resolved));
        r.values = &owned_.back();
        check_property_blocks(r);
      }
    }
  }
  claim_ids();
  build_all(mappings_.cloudformation_left_out);
}

}  // namespace

ImportedTopology import_cloudformation(std::string_view text, const std::string& display_name, const std::map<std::string, std::string>& parameters,
                                       const std::filesystem::path& dir) {
  ImportedTopology out;
  const auto root = parse_template(text, display_name, out.diagnostics);
  if (!root) return out;
  CloudFormationImport(*root, display_name, out, parameters, dir).run();
  return out;
}

ImportedTopology import_cloudformation_file(const std::filesystem::path& file, const std::string& display_name,
                                            const std::map<std::string, std::string>& parameters) {
  return import_detail::import_file(file, display_name, [&](std::string_view text) {
    return import_cloudformation(text, display_name, parameters, file.parent_path());
  });
}

}  // namespace archsim::model
