// `terraform show -json` (plan or state) -> topology. Terraform's JSON output format:
// https://developer.hashicorp.com/terraform/internals/json-format
#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "archsim/model/input_file.hpp"
#include "archsim/model/input_limits.hpp"
#include "importer.hpp"

namespace archsim::model {

namespace {

using namespace import_detail;

using namespace import_detail;

class TerraformImport : public Importer {
 public:
  using Importer::Importer;
  void run();

 protected:
  void follow(const Resource& from, const Attr& a, std::vector<const Resource*>& out) override {
    if (const YamlNode* refs = child(a.expr, "references")) resolve_references(from.module, *refs, 0, out, from, a.loc);
  }

 private:
  bool check_format();
  void collect_modules(const YamlNode& module, const std::string& address, int depth);
  void collect_config(const YamlNode& module, const std::string& path, int depth);
  void assign_ids();
  void resolve_references(const std::string& scope, const YamlNode& refs, int depth, std::vector<const Resource*>& out,
                          const Resource& from, const SourceLoc& loc);

  bool plan_ = false;
  std::map<std::string, std::vector<std::size_t>> by_local_;  ///< "module|type.name" -> instances
  std::map<std::string, const YamlNode*> config_modules_;     ///< module path (no keys) -> module config
  std::map<std::string, const YamlNode*> changes_;            ///< address -> after_unknown
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
      r.data = text_of(node.find("mode")) == "data";
      if (r.data) {
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
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    Resource& r = resources_[i];
    by_local_[local_key(r.module, r.local_address())].push_back(i);
    for (const char* key : {"id", "arn"}) {
      if (const YamlNode* v = child(r.values, key); is_value(v) && v->is_scalar()) r.names.push_back(v->scalar);
    }
    if (const auto it = changes_.find(r.address); it != changes_.end()) r.unknown = it->second;
    if (const auto it = config_modules_.find(strip_keys(r.module)); it != config_modules_.end()) {
      r.config = config_resource(it->second, r.local_address());
    }
    if (r.data) continue;
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
  }
  claim_ids();
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
      const std::string call = strip_keys(scope.substr(scope.rfind("module.") + 7));
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
      if (data != t.data) continue;
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
  build_all(mappings_.terraform_left_out);
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
  return import_detail::import_file(file, display_name, [&](std::string_view text) { return import_terraform(text, display_name); });
}

}  // namespace archsim::model
