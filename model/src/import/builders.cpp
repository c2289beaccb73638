#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "importer.hpp"

namespace archsim::model::import_detail {

namespace {

/// A located tree as JSON (CloudFormation's container definitions are YAML or JSON structure,
/// Terraform's a JSON string): scalars that look like numbers become numbers.
nlohmann::json to_json(const YamlNode& n) {
  if (n.is_map()) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& e : n.entries) o[e.key] = to_json(e.value);
    return o;
  }
  if (n.is_sequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& i : n.items) a.push_back(to_json(i));
    return a;
  }
  if (n.is_scalar() && !n.quoted && !n.scalar.empty() && std::all_of(n.scalar.begin(), n.scalar.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
      n.scalar.size() < 10) {
    return std::stoll(n.scalar);
  }
  return n.is_scalar() ? nlohmann::json(n.scalar) : nlohmann::json();
}

/// Digits only, at most nine: a count the import writes as it is.
bool is_count(const std::string& s) {
  return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// The repository of an image reference outside the file, as Docker reads it: the digest
/// (`@sha256:...`) and tag (`:1.25`, not a registry's port) cut off, and a Docker Hub short name
/// (`nginx`) written in full (`docker.io/library/nginx`), which archsim reads as outside the file.
std::string image_repository(std::string reference) {
  if (const auto digest = reference.find('@'); digest != std::string::npos) reference.erase(digest);
  const auto slash = reference.rfind('/');
  if (const auto colon = reference.rfind(':'); colon != std::string::npos && (slash == std::string::npos || colon > slash)) reference.erase(colon);
  return reference.find('/') == std::string::npos ? "docker.io/library/" + reference : reference;
}

/// A member of a JSON object, its name compared without case (`image` and `Image`).
const nlohmann::json* field(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  for (const auto& [k, v] : object.items()) {
    if (k.size() == key.size() && std::equal(k.begin(), k.end(), key.begin(), [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace

std::string deployment_value(std::string_view text) {
  const auto open = text.find("{{");
  const auto close = open == std::string_view::npos ? open : text.find("}}", open);
  if (close == std::string_view::npos) return {};
  const std::string_view inside = text.substr(open + 2, close - open - 2);
  if (inside.starts_with("Fn::ImportValue:")) return fmt::format("another stack's export '{}' (Fn::ImportValue)", inside.substr(16));
  if (inside.starts_with("resolve:")) return fmt::format("a dynamic reference ({{{{{}}}}})", inside);
  if (inside.starts_with("AWS::")) return std::string(inside);
  if (inside.starts_with("cfn:")) return fmt::format("a name or attribute of {}", inside.substr(inside.rfind('/') + 1));
  return {};
}

std::vector<const Resource*> Importer::targets(const Resource& from, const Attr& a, std::string_view entity) {
  std::vector<const Resource*> out;
  std::vector<const YamlNode*> literals;
  if (a.known()) {
    if (a.value->is_scalar()) literals.push_back(a.value);
    for (const auto& v : a.value->items) {
      if (v.is_scalar()) literals.push_back(&v);
    }
  }
  std::vector<const YamlNode*> missing;
  for (const YamlNode* literal : literals) {
    if (literal->scalar.empty()) continue;  // Terraform writes "" for an unset reference
    if (const Resource* t = named(literal->scalar, "")) {
      out.push_back(t);
      continue;
    }
    // Names embedded in a composed value (`{{cfn:Repo}}:latest`, `service/{{cfn:Cluster}}/...`).
    bool embedded = false;
    for (std::size_t at = 0; (at = literal->scalar.find("{{", at)) != std::string::npos;) {
      const std::size_t close = literal->scalar.find("}}", at);
      if (close == std::string::npos) break;
      if (const auto it = by_id_.find(literal->scalar.substr(at, close + 2 - at)); it != by_id_.end()) {
        out.push_back(&resources_[it->second]);
        embedded = true;
      }
      at = close + 2;
    }
    if (!embedded) missing.push_back(literal);
  }
  if (literals.empty() || !missing.empty()) {
    std::vector<const Resource*> followed;
    follow(from, a, followed);
    if (!followed.empty()) {
      out = std::move(followed);
      missing.clear();
    }
  }
  for (const YamlNode* literal : missing) {
    // An id of something created elsewhere (a certificate, a VPC of another stack) is not an
    // error by itself: an entity that needs it in the file says so.
    if (const std::string what = deployment_value(literal->scalar); !what.empty()) {
      b_.warning(literal->loc, "", fmt::format("{}: {} is {}, which names nothing in the file", from.address, a.key(), what));
    } else {
      b_.warning(literal->loc, "", fmt::format("{}: {} '{}' names nothing in the file", from.address, a.key(), literal->scalar));
    }
  }
  // Keep the kind asked for (a reference list also names what an expression merely mentions).
  std::vector<const Resource*> kept;
  std::set<const Resource*> seen;
  for (const Resource* t : out) {
    if (!entity.empty() && (t->mapping == nullptr || t->mapping->entity != entity)) continue;
    if (seen.insert(t).second) kept.push_back(t);
  }
  // Nothing of the kind, but something that has one (`vpc_id =
  // aws_vpc_ipv4_cidr_block_association.x.vpc_id`, the usual way to make a secondary-CIDR subnet
  // wait for its association): its own attribute of that kind names it. Bounded: state's literal
  // ids can make a cycle no plan can.
  if (kept.empty() && !entity.empty() && pass_through_depth_ < 4) {
    ++pass_through_depth_;
    for (const Resource* t : out) {
      if (t->mapping == nullptr || t->mapping->entity == entity || !t->mapping->has(entity)) continue;
      for (const Resource* v : targets(*t, attr(*t, entity), entity)) {
        if (seen.insert(v).second) kept.push_back(v);
      }
    }
    --pass_through_depth_;
  }
  return kept;
}

const Resource* Importer::named(std::string_view value, std::string_view entity) const {
  const auto it = by_id_.find(std::string(value));
  if (it == by_id_.end()) return nullptr;
  const Resource& r = resources_[it->second];
  if (!entity.empty() && (r.mapping == nullptr || r.mapping->entity != entity)) return nullptr;
  return &r;
}

const Resource* Importer::target(const Resource& from, const Attr& a, std::string_view wanted, const std::string& path) {
  const auto all = targets(from, a, wanted);
  if (all.size() > 1) {
    b_.assume(path, a.loc, fmt::format("{} of {} refers to {} resources; the first, {}, is used", a.key(),
                                       from.address, all.size(), all.front()->address));
  }
  return all.empty() ? nullptr : all.front();
}

std::vector<std::string> Importer::ids_of(const std::vector<const Resource*>& rs) const {
  std::vector<std::string> ids;
  for (const Resource* r : rs) {
    if (r->data) continue;
    ids.push_back(r->id);
  }
  return ids;
}

static YamlNode ids_node(const std::vector<std::string>& ids, const SourceLoc& loc) {
  YamlNode list = list_node(loc);
  for (const auto& id : ids) list.items.push_back(text_node(id, loc));
  return list;
}

YamlNode& Importer::start(std::string_view section, const Resource& r) {
  YamlNode& e = b_.entity(section, r.id, r.loc);
  b_.source(entity_path(section, r), r.comment(), r.address);
  return e;
}

/// A duration in whole seconds as archsim writes it.
static std::string seconds(const std::string& s) { return s + "s"; }

void Importer::vpc(const Resource& r) {
  YamlNode& e = start("vpcs", r);
  const Attr cidr = attr(r, "cidr");
  if (cidr.known()) put(e, "cidr", plain_node(cidr.text(), cidr.loc));
  else b_.error(r.loc, entity_path("vpcs", r), fmt::format("{}: cidr_block is not known; archsim needs the VPC's IPv4 block (IPAM pools are not read)", r.address));
}

void Importer::vpc_secondary_cidr(const Resource& r) {
  const Resource* v = target(r, attr(r, "vpc"), "vpc", "vpcs");
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

void Importer::internet_gateway(const Resource& r) {
  if (!r.mapping->has("vpc")) return;  // attached by another resource (AWS::EC2::VPCGatewayAttachment)
  const Resource* v = target(r, attr(r, "vpc"), "vpc", "vpcs");
  if (v == nullptr) {
    b_.warning(r.loc, "vpcs", fmt::format("{}: attached to no VPC in the file; left out", r.address));
    return;
  }
  put(b_.entity("vpcs", v->id, v->loc), "internet_gateway", bool_node(true, r.loc));
  b_.comment("vpcs." + v->id + ".internet_gateway", "internet gateway: " + r.comment());
}

void Importer::subnet(const Resource& r) {
  YamlNode& e = start("subnets", r);
  const std::string path = entity_path("subnets", r);
  if (const Resource* v = target(r, attr(r, "vpc"), "vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
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

void Importer::route_table(const Resource& r) {
  YamlNode& e = start("route_tables", r);
  const std::string path = entity_path("route_tables", r);
  const Resource* v = target(r, attr(r, "vpc"), "vpc", path);
  if (v == nullptr) {
    b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file", r.address));
    return;
  }
  put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  YamlNode& routes = put(e, "routes", list_node(r.loc));
  // AWS adds the local route for each of the VPC's blocks, secondary ones too; Terraform lists
  // none of them.
  const YamlNode* vpc_node = b_.find_entity("vpcs", v->id);
  std::vector<const YamlNode*> blocks;
  if (const YamlNode* cidr = child(vpc_node, "cidr")) blocks.push_back(cidr);
  if (const YamlNode* secondary = child(vpc_node, "secondary_cidrs")) {
    for (const auto& c : secondary->items) blocks.push_back(&c);
  }
  for (const YamlNode* cidr : blocks) {
    YamlNode local = map_node(r.loc);
    put(local, "destination", plain_node(cidr->scalar, r.loc));
    put(local, "local", bool_node(true, r.loc));
    b_.comment(fmt::format("{}.routes[{}]", path, routes.items.size()), "ASSUMPTION: " + r.mapping->assumption("local"));
    routes.items.push_back(std::move(local));
  }
  const Attr inline_routes = attr(r, "routes");
  for (std::size_t i = 0; i < inline_routes.size(); ++i) {
    YamlNode n = route_node(r, inline_routes.at(i), path);
    if (n.is_map()) routes.items.push_back(std::move(n));
  }
}

YamlNode Importer::route_node(const Resource& r, const Attr& a, const std::string& path) {
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
  if (!targets(r, igw, "internet_gateway").empty() || (igw.known() && igw.text().starts_with("igw-"))) {
    put(n, "internet_gateway", bool_node(true, igw.loc));
  } else if (const auto ns = targets(r, nat, "nat_gateway"); !ns.empty()) {
    put(n, "nat_gateway", text_node(ns.front()->id, nat.loc));
  } else if (const auto es = targets(r, vpce, "vpc_endpoint"); !es.empty()) {
    put(n, "vpc_endpoint", text_node(es.front()->id, vpce.loc));
  } else {
    b_.warning(a.loc, path, fmt::format("{}: the route to {} has a target archsim does not model (peering, transit gateway, ...); left out",
                                        r.address, dest.text()));
    return YamlNode{};
  }
  return n;
}

void Importer::route(const Resource& r) {
  const Attr table = attr(r, "route_table");
  const Resource* t = target(r, table, "route_table", "route_tables");
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

void Importer::route_table_association(const Resource& r) {
  const Resource* s = target(r, attr(r, "subnet"), "subnet", "subnets");
  const Resource* t = target(r, attr(r, "route_table"), "route_table", s != nullptr ? "subnets." + s->id + ".route_table" : "subnets");
  if (s == nullptr || t == nullptr) {
    // A gateway association (gateway_id) routes traffic entering the VPC: archsim has no such edge.
    b_.warning(r.loc, "subnets", fmt::format("{}: associates no subnet of the file with a route table; left out", r.address));
    return;
  }
  put(b_.entity("subnets", s->id, s->loc), "route_table", text_node(t->id, attr(r, "route_table").loc));
}

void Importer::main_route_table_association(const Resource& r) {
  const Resource* t = target(r, attr(r, "route_table"), "route_table", "route_tables");
  if (t == nullptr) return;
  put(b_.entity("route_tables", t->id, t->loc), "main", bool_node(true, r.loc));
  b_.comment("route_tables." + t->id + ".main", "main table: " + r.comment());
}

static std::string protocol_word(std::string p) {
  if (p == "-1" || p == "all") return "all";
  if (p == "6") return "tcp";
  if (p == "17") return "udp";
  if (p == "1") return "icmp";
  return p;
}

/// `ports` from from_port/to_port: one port, or a range as a string.
static void put_ports(YamlNode& rule, const Attr& from, const Attr& to, const std::string& protocol) {
  if (protocol == "all" || protocol == "icmp" || !from.known()) return;
  const std::string f = from.text(), t = to.known() ? to.text() : f;
  if (f == t) put(rule, "ports", plain_node(f, from.loc));
  else if (f == "0" && t == "65535") return;
  else put(rule, "ports", text_node(f + "-" + t, from.loc));
}

void Importer::sg_rules(const Resource& r, const Attr& list, bool egress, YamlNode& out) {
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
    // A list of blocks (Terraform's cidr_blocks) or one (CloudFormation's CidrIp).
    const Attr cidrs = rule.get(m.attribute("cidrs"));
    std::vector<const YamlNode*> blocks;
    if (cidrs.known() && cidrs.value->is_sequence()) {
      for (const auto& c : cidrs.value->items) blocks.push_back(&c);
    } else if (cidrs.known() && cidrs.value->is_scalar()) {
      blocks.push_back(cidrs.value);
    }
    for (const YamlNode* c : blocks) {
      YamlNode n = base();
      put(n, "cidr", plain_node(c->scalar, c->loc));
      out.items.push_back(std::move(n));
    }
    for (const Resource* g : targets(r, rule.get(m.attribute(egress ? "egress_groups" : "groups")), "security_group")) {
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
}

void Importer::security_group(const Resource& r) {
  YamlNode& e = start("security_groups", r);
  const std::string path = entity_path("security_groups", r);
  if (const Resource* v = target(r, attr(r, "vpc"), "vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  else b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file (a group in the default VPC is not imported)", r.address));
  YamlNode ingress = list_node(r.loc), egress = list_node(r.loc);
  sg_rules(r, attr(r, "ingress"), false, ingress);
  sg_rules(r, attr(r, "egress"), true, egress);
  put(e, "ingress", std::move(ingress));
  // A template that lists no egress keeps AWS's allow-all rule (archsim's default when the key
  // is left out); Terraform removes it, so its empty list is written as such.
  if (const std::string note = r.mapping->assumption("egress_left_out"); !attr(r, "egress").known() && !note.empty()) {
    b_.assume(path, r.loc, note);
    default_egress_.insert(r.id);
  } else {
    put(e, "egress", std::move(egress));
  }
}

void Importer::security_group_rule(const Resource& r, std::string_view fixed) {
  const TypeMapping& m = *r.mapping;
  const Resource* g = target(r, attr(r, "group"), "security_group", "security_groups");
  if (g == nullptr) {
    b_.error(r.loc, "security_groups", fmt::format("{}: security_group_id names no aws_security_group in the file", r.address));
    return;
  }
  const std::string direction = fixed.empty() ? attr(r, "direction").text() : std::string(fixed);
  YamlNode& sg = b_.entity("security_groups", g->id, g->loc);
  YamlNode* list = sg.find(direction == "egress" ? "egress" : "ingress");
  if (list == nullptr) {
    list = &put(sg, direction == "egress" ? "egress" : "ingress", list_node(r.loc));
    if (direction == "egress" && default_egress_.contains(g->id)) {
      // Written out, the list replaces archsim's default: the rule AWS keeps goes first.
      YamlNode all = map_node(g->loc);
      put(all, "protocol", text_node("all", g->loc));
      put(all, "cidr", plain_node("0.0.0.0/0", g->loc));
      b_.comment(fmt::format("security_groups.{}.egress[0]", g->id), "AWS's default allow-all egress rule, which the group keeps");
      list->items.push_back(std::move(all));
    }
  }
  const std::string protocol = protocol_word(attr(r, "protocol").text());
  YamlNode n = map_node(r.loc);
  put(n, "protocol", text_node(protocol, attr(r, "protocol").loc));
  put_ports(n, attr(r, "from_port"), attr(r, "to_port"), protocol);
  const Attr description = attr(r, "description");
  const std::size_t before = list->items.size();
  const std::string rule_path = fmt::format("security_groups.{}.{}[{}]", g->id, direction == "egress" ? "egress" : "ingress", before);
  if (const Resource* peer = target(r, attr(r, "peer_group"), "security_group", rule_path)) {
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

void Importer::nat_gateway(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("nat_gateway", r.loc));
  const std::string path = entity_path("components", r);
  if (const Resource* s = target(r, attr(r, "subnet"), "subnet", path)) put(e, "subnet", text_node(s->id, attr(r, "subnet").loc));
  else b_.error(r.loc, path, fmt::format("{}: subnet_id names no aws_subnet in the file", r.address));
  if (const Attr c = attr(r, "connectivity"); c.known()) put(e, "connectivity", text_node(c.text(), c.loc));
}

void Importer::vpc_endpoint(const Resource& r) {
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
  if (const Resource* v = target(r, attr(r, "vpc"), "vpc", path)) put(e, "vpc", text_node(v->id, attr(r, "vpc").loc));
  else b_.error(r.loc, path, fmt::format("{}: vpc_id names no aws_vpc in the file", r.address));
  if (type.text() == "Gateway") {
    put(e, "route_tables", ids_node(ids_of(targets(r, attr(r, "route_tables"), "route_table")), attr(r, "route_tables").loc));
  } else {
    put(e, "subnets", ids_node(ids_of(targets(r, attr(r, "subnets"), "subnet")), attr(r, "subnets").loc));
    put(e, "security_groups", ids_node(ids_of(targets(r, attr(r, "security_groups"), "security_group")), attr(r, "security_groups").loc));
    if (const Attr dns = attr(r, "private_dns"); dns.known()) put(e, "private_dns", bool_node(dns.text() == "true", dns.loc));
  }
}

void Importer::load_balancer(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("load_balancer", r.loc));
  const Attr type = attr(r, "lb_type");
  const std::string lb_type = type.known() ? type.text() : "application";
  if (lb_type != "application" && lb_type != "network") {
    b_.error(type.loc, entity_path("components", r), fmt::format("{}: a {} load balancer; archsim models application and network ones", r.address, lb_type));
  }
  put(e, "lb_type", text_node(lb_type, type.known() ? type.loc : r.loc));
  // Terraform says `internal`, CloudFormation `Scheme`.
  const Attr internal = attr(r, r.mapping->has("scheme") ? "scheme" : "internal");
  const bool is_internal = internal.text() == "true" || internal.text() == "internal";
  put(e, "scheme", text_node(is_internal ? "internal" : "internet-facing", internal.known() ? internal.loc : r.loc));
  put(e, "subnets", ids_node(ids_of(targets(r, attr(r, "subnets"), "subnet")), attr(r, "subnets").loc));
  put(e, "security_groups", ids_node(ids_of(targets(r, attr(r, "security_groups"), "security_group")), attr(r, "security_groups").loc));
  if (const Attr idle = attr(r, "idle_timeout"); idle.known() && lb_type == "application") put(e, "idle_timeout", plain_node(seconds(idle.text()), idle.loc));
  put(e, "listeners", list_node(r.loc));
}

Importer::TargetGroupHome Importer::target_group_home(const Resource& tg) {
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

void Importer::listener(const Resource& r) {
  const Resource* lb = target(r, attr(r, "load_balancer"), "load_balancer", "components");
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
  if (const auto certs = targets(r, attr(r, "certificate"), "certificate"); !certs.empty()) {
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
    if (const Resource* tg = target(r, action.get(r.mapping->attribute("target_group")), "target_group", path)) {
      put(n, "target_group", text_node(tg->id, action.loc));
      tg_lb_.emplace(tg->address, lb->id);
    } else {
      b_.error(action.loc, path, fmt::format("{}: the default forward action names no aws_lb_target_group in the file", r.address));
    }
  }
  b_.comment(path, r.comment());
  listeners.items.push_back(std::move(n));
}

void Importer::listener_rule(const Resource& r) {
  const Resource* l = target(r, attr(r, "listener"), "listener", "components");
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
      if (const Resource* tg = target(r, action.get(r.mapping->attribute("target_group")), "target_group", path)) {
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

void Importer::target_group(const Resource& r) {
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
  const TypeMapping& m = *r.mapping;
  // Terraform nests the settings in a health_check block; CloudFormation has them on the group.
  const Attr hc = m.has("health_check") ? attr(r, "health_check").at(0) : Attr{r.values, r.unknown, nullptr, r.loc, r.address};
  bool any = false;
  for (const char* key : {"hc_protocol", "hc_path", "hc_interval", "hc_timeout", "hc_healthy", "hc_unhealthy", "hc_matcher"}) {
    any = any || hc.get(m.attribute(key)).known();
  }
  if (!any) {
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

void Importer::target_group_attachment(const Resource& r) {
  const Resource* tg = target(r, attr(r, "target_group"), "target_group", "components");
  const auto fns = components_of_type(r, attr(r, "target"), "lambda");
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

void Importer::ecs_service(const Resource& r) {
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  const TypeMapping& m = *r.mapping;
  put(e, "type", text_node("ecs_service", r.loc));
  const Resource* task = target(r, attr(r, "task_definition"), "task_definition", path);
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
  put(e, "subnets", ids_node(ids_of(targets(r, net.get(m.attribute("subnets")), "subnet")), net.loc));
  const Attr pub = net.get(m.attribute("assign_public_ip"));
  put(e, "assign_public_ip", bool_node(pub.text() == "true" || pub.text() == "ENABLED", pub.known() ? pub.loc : net.loc));
  put(e, "security_groups", ids_node(ids_of(targets(r, net.get(m.attribute("security_groups")), "security_group")), net.loc));
  // Port, image and log group: the load_balancer block, then the container definitions (a JSON
  // string when known; the references of its expression when not, as before apply).
  std::optional<std::string> port;
  const Attr lbs = attr(r, "load_balancer");
  for (std::size_t i = 0; i < lbs.size(); ++i) {
    const Attr lb = lbs.at(i);
    if (const Attr p = lb.get(m.attribute("container_port")); p.known() && !port) port = p.text();
    for (const Resource* tg : targets(r, lb.get(m.attribute("target_group")), "target_group")) tg_targets_.emplace(tg->address, r.id);
  }
  if (task != nullptr) {
    Attr base{task->values, task->unknown, child(task->config, "expressions"), task->loc, task->address};
    const Attr defs = base.get(m.attribute("containers"));
    if (defs.known()) {
      // Terraform holds them as a JSON string (camelCase keys), CloudFormation as a list
      // (PascalCase keys): both read as JSON, keys compared without case.
      const auto json = defs.value->is_scalar() ? nlohmann::json::parse(defs.text(), nullptr, /*allow_exceptions=*/false) : to_json(*defs.value);
      if (json.is_array() && !json.empty() && json[0].is_object()) {
        const auto& c = json[0];
        const auto* mappings = field(c, "portMappings");
        const auto* first = mappings != nullptr && mappings->is_array() && !mappings->empty() ? field((*mappings)[0], "containerPort") : nullptr;
        if (!port && first != nullptr && first->is_number_integer()) port = std::to_string(first->get<long long>());
        if (!port && first != nullptr && first->is_string()) port = first->get<std::string>();
        if (const auto* image = field(c, "image"); image != nullptr && image->is_string()) {
          const std::string text = image->get<std::string>();
          YamlNode img = map_node(defs.loc);
          const Resource* repo = nullptr;
          for (const auto& other : resources_) {
            if (other.mapping == nullptr || other.mapping->entity != "ecr_repository") continue;
            for (const auto& n : other.names) {
              if (!n.empty() && text.starts_with(n)) repo = &other;
            }
          }
          if (repo != nullptr || !text.empty()) {
            put(img, "repository", text_node(repo != nullptr ? repo->id : image_repository(text), defs.loc));
            put(e, "image", std::move(img));
          }
        }
        const auto* options = field(c, "logConfiguration") != nullptr ? field(*field(c, "logConfiguration"), "options") : nullptr;
        if (const auto* group = options != nullptr ? field(*options, "awslogs-group") : nullptr; group != nullptr && group->is_string()) {
          if (const Resource* g = named(group->get<std::string>(), "log_group")) put(e, "log_group", text_node(g->id, defs.loc));
        }
        // Secrets read at task start: valueFrom is a secret's ARN (a JSON key after it, for
        // Secrets Manager) or a parameter's.
        std::vector<std::string> secrets;
        const auto* list = field(c, "secrets");
        for (const auto& s : list != nullptr && list->is_array() ? *list : nlohmann::json::array()) {
          const auto* from = field(s, "valueFrom");
          if (from == nullptr || !from->is_string()) continue;
          for (const auto& other : resources_) {
            if (other.mapping == nullptr || other.mapping->component_type != "secrets_manager") continue;
            const bool names = std::any_of(other.names.begin(), other.names.end(), [&](const std::string& n) { return !n.empty() && from->get<std::string>().starts_with(n); });
            if (names && std::find(secrets.begin(), secrets.end(), other.id) == secrets.end()) secrets.push_back(other.id);
          }
        }
        if (!secrets.empty()) put(e, "secrets", ids_node(secrets, defs.loc));
      } else {
        b_.warning(defs.loc, path, fmt::format("{}: container_definitions is not a JSON list of containers; not read", task->address));
      }
    } else {
      for (const Resource* repo : targets(*task, defs, "ecr_repository")) {
        YamlNode img = map_node(defs.loc);
        put(img, "repository", text_node(repo->id, defs.loc));
        put(e, "image", std::move(img));
        break;
      }
      for (const Resource* group : targets(*task, defs, "log_group")) {
        put(e, "log_group", text_node(group->id, defs.loc));
        break;
      }
      if (const auto secrets = components_of_type(*task, defs, "secrets_manager"); !secrets.empty()) put(e, "secrets", ids_node(ids_of(secrets), defs.loc));
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
  capacity_providers(r, path, e);
}

/// Where ECS places the service's tasks: its capacity provider strategy, FARGATE and
/// FARGATE_SPOT only (an Auto Scaling group's provider, or the EC2 launch type, is EC2
/// capacity, which archsim does not model: refused, never priced as Fargate).
void Importer::capacity_providers(const Resource& r, const std::string& path, YamlNode& e) {
  const Attr launch = attr(r, "launch_type");
  if (launch.known() && !launch.value->is_scalar()) {
    b_.error(launch.loc, path, fmt::format("{}: {} is {}; expected one launch type (FARGATE)", r.address, launch.key(), kind_name(launch.value->kind)));
    return;
  }
  // Unknown until apply, and not written in the code, is unset: the provider computes
  // launch_type when the code leaves it out. Written but unknown decides where tasks run.
  if (launch.is_unknown() && launch.expr != nullptr && launch.constant() == nullptr) {
    b_.error(launch.loc, path, fmt::format("{}: its launch type is known only after apply; archsim needs FARGATE (or a FARGATE capacity provider "
                                           "strategy) to place the tasks",
                                           r.address));
    return;
  }
  const bool launch_type = launch.known() && !launch.text().empty();
  if (launch_type && launch.text() != "FARGATE") {
    const bool ec2 = launch.text() == "EC2" || launch.text() == "EXTERNAL";
    b_.error(launch.loc, path, ec2 ? fmt::format("{}: launch type {} runs on EC2 capacity; archsim models ECS services on Fargate only", r.address,
                                                 launch.text())
                                   : fmt::format("{}: launch type '{}' is not one ECS has (EC2, FARGATE, EXTERNAL); archsim models FARGATE", r.address,
                                                 launch.text()));
    return;
  }
  const Resource* from = &r;
  Attr strategy = attr(r, "capacity_providers");
  if (!strategy_is_list(r, strategy, path)) return;
  if (!strategy.known() && strategy.is_unknown() && strategy.expr != nullptr) {
    b_.error(strategy.loc, path, fmt::format("{}: its capacity provider strategy is known only after apply; archsim needs it to place the tasks",
                                             r.address));
    return;
  }
  if (launch_type && strategy.size() > 0) {
    b_.error(launch.loc, path, fmt::format("{}: sets both launch type {} and a capacity provider strategy; ECS refuses a service with both "
                                           "(CreateService: with a capacityProviderStrategy, launchType must be omitted)",
                                           r.address, launch.text()));
    return;
  }
  if (strategy.size() == 0 && !launch_type) {
    // "If no capacityProviderStrategy or launchType is specified, the
    // defaultCapacityProviderStrategy for the cluster is used" (CreateService); a cluster with
    // none runs the service on the EC2 launch type.
    const ClusterDefault cluster = cluster_default_strategy(r, path);
    if (cluster.failed) return;
    if (cluster.strategy_from != nullptr) {
      from = cluster.strategy_from;
      strategy = attr(*from, "default_strategy");
      if (!strategy_is_list(*from, strategy, path)) return;
      b_.comment(path + ".capacity_provider_strategy", "the default strategy of " + from->address);
    } else if (cluster.cluster != nullptr) {
      b_.error(r.loc, path, fmt::format("{}: sets neither a launch type nor a capacity provider strategy, and its cluster {} has no default "
                                        "strategy in the file, so ECS runs it on the EC2 launch type; archsim models ECS services on "
                                        "Fargate only (set the launch type FARGATE, or a FARGATE capacity provider strategy)",
                                        r.address, cluster.cluster->address));
      return;
    } else {
      b_.assume(path + ".capacity_provider_strategy", r.loc,
                r.address + " sets neither a launch type nor a capacity provider strategy, and its cluster is not in the file: ECS places "
                            "it by that cluster's default strategy (the EC2 launch type without one); imported as Fargate on demand");
    }
  }
  const TypeMapping& m = *from->mapping;
  YamlNode items = list_node(strategy.loc);
  for (std::size_t i = 0; i < strategy.size(); ++i) {
    const Attr item = strategy.at(i);
    const Attr provider = item.get(m.attribute("capacity_provider"));
    if (item.known() && !item.value->is_map()) {
      b_.error(item.loc, path, fmt::format("{}: item {} of its capacity provider strategy is not a {{capacity_provider, base, weight}} block",
                                           from->address, i));
      return;
    }
    if (!provider.known()) {
      b_.error(item.loc, path, fmt::format("{}: capacity provider {} of its strategy is {}; archsim needs FARGATE or "
                                           "FARGATE_SPOT to place the tasks",
                                           from->address, i, provider.is_unknown() ? "not known until apply" : "not set"));
      return;
    }
    if (!provider.value->is_scalar()) {
      b_.error(provider.loc, path, fmt::format("{}: capacity provider {} of its strategy is {}; expected FARGATE or FARGATE_SPOT", from->address, i,
                                               kind_name(provider.value->kind)));
      return;
    }
    if (provider.text() != "FARGATE" && provider.text() != "FARGATE_SPOT") {
      b_.error(provider.loc, path, fmt::format("{}: capacity provider {} is EC2 capacity (an Auto Scaling group's); archsim models "
                                               "FARGATE and FARGATE_SPOT only",
                                               from->address, provider.text()));
      return;
    }
    YamlNode out = map_node(item.loc);
    put(out, "capacity_provider", text_node(provider.text(), provider.loc));
    // Left out, both are 0 (CapacityProviderStrategyItem); one Terraform knows only after apply
    // would split the tasks some other way, so it is refused rather than taken as 0.
    for (const char* key : {"base", "weight"}) {
      const Attr a = item.get(m.attribute(key));
      if (a.is_unknown()) {
        b_.error(item.loc, path, fmt::format("{}: the {} of capacity provider {} is not known until apply; archsim needs it to split the "
                                             "tasks between capacity providers",
                                             from->address, key, provider.text()));
        return;
      }
      if (a.known() && !a.value->is_scalar()) {
        b_.error(a.loc, path, fmt::format("{}: the {} of capacity provider {} is {}; expected a whole number", from->address, key, provider.text(),
                                          kind_name(a.value->kind)));
        return;
      }
      if (a.known() && a.text() != "0") put(out, key, plain_node(a.text(), a.loc));
    }
    items.items.push_back(std::move(out));
  }
  if (!items.items.empty()) put(e, "capacity_provider_strategy", std::move(items));
}

bool Importer::strategy_is_list(const Resource& r, const Attr& strategy, const std::string& path) {
  if (!strategy.known() || strategy.value->is_sequence()) return true;
  b_.error(strategy.loc, path, fmt::format("{}: {} is {}; expected a list of capacity provider strategy blocks "
                                           "({{capacity_provider, base, weight}})",
                                           r.address, strategy.key(),
                                           strategy.value->is_scalar() ? "'" + strategy.text() + "'" : std::string("a single block, not a list")));
  return false;
}

std::vector<const Resource*> Importer::clusters_named(std::string_view name) const {
  std::vector<const Resource*> out;
  for (const auto& other : resources_) {
    if (other.mapping == nullptr || other.mapping->entity != "ecs_cluster") continue;
    if (const Attr own = attr(other, "name"); own.known() && own.value->is_scalar() && !name.empty() && own.text() == name) out.push_back(&other);
  }
  return out;
}

std::vector<const Resource*> Importer::clusters_of(const Resource& from, const Attr& a) {
  // A literal cluster name, or an ARN `arn:<partition>:ecs:<region>:<account>:cluster/<name>` of
  // this Region, names the cluster whose own name it is; anything else is a reference (an id,
  // an ARN, a logical id) followed as usual.
  if (a.known() && a.value->is_scalar()) {
    std::string name = a.text();
    if (name.starts_with("arn:")) {
      std::vector<std::string> parts;
      for (std::size_t at = 0, next = 0; next != std::string::npos; at = next + 1) {
        next = name.find(':', at);
        parts.push_back(name.substr(at, next == std::string::npos ? std::string::npos : next - at));
      }
      const bool here = parts.size() == 6 && parts[2] == "ecs" && (region_.empty() || parts[3] == region_) && parts[5].starts_with("cluster/");
      name = here ? parts[5].substr(8) : std::string();
    }
    if (auto out = clusters_named(name); !out.empty()) return out;
  }
  return targets(from, a, "ecs_cluster");
}

Importer::ClusterDefault Importer::cluster_default_strategy(const Resource& service, const std::string& path) {
  ClusterDefault result;
  // A default written in any shape counts (a string is refused where it is read, not taken for
  // "no default"), as does one Terraform knows only after apply.
  std::vector<const Resource*> defaults;
  for (const auto& other : resources_) {
    if (other.mapping == nullptr || !other.mapping->has("default_strategy")) continue;
    const Attr d = attr(other, "default_strategy");
    if ((d.known() && (!d.value->is_sequence() || d.size() > 0)) || (d.is_unknown() && d.expr != nullptr)) defaults.push_back(&other);
  }
  const Attr named = attr(service, "cluster");
  if (named.known() && !named.value->is_scalar()) {
    b_.error(named.loc, path, fmt::format("{}: {} is {}; expected one cluster's name or ARN", service.address, named.key(), kind_name(named.value->kind)));
    result.failed = true;
    return result;
  }
  // No cluster: ECS runs the service in the cluster named `default` (CreateService: "If you do
  // not specify a cluster, the default cluster is assumed").
  const bool unnamed = !named.known() && named.expr == nullptr;
  const auto clusters = unnamed ? clusters_named("default") : clusters_of(service, named);
  if (clusters.empty()) return result;
  if (clusters.size() > 1) {
    b_.error(named.loc, path, fmt::format("{}: its cluster names {} clusters of the file ({}, {}); in ECS a name is one cluster", service.address,
                                          clusters.size(), clusters[0]->address, clusters[1]->address));
    result.failed = true;
    return result;
  }
  result.cluster = clusters.front();
  const Resource* undecided = nullptr;  // a default for a cluster named only after apply
  for (const Resource* d : defaults) {
    std::vector<const Resource*> its{d};
    if (d->mapping->entity != "ecs_cluster") its = clusters_of(*d, attr(*d, "cluster"));
    if (its.empty() && d->mapping->entity != "ecs_cluster" && !attr(*d, "cluster").known()) undecided = d;
    if (std::find(its.begin(), its.end(), result.cluster) == its.end()) continue;
    if (its.size() > 1) {
      b_.error(attr(*d, "cluster").loc, path, fmt::format("{}: the cluster of {} names {} clusters of the file ({}, {}); in ECS a name is one cluster",
                                                          service.address, d->address, its.size(), its[0]->address, its[1]->address));
      result.failed = true;
      return result;
    }
    if (const Attr written = attr(*d, "default_strategy"); !written.known()) {
      b_.error(written.loc, path, fmt::format("{}: the default capacity provider strategy of its cluster ({}) is known only after apply; archsim "
                                        "needs it to place the tasks",
                                        service.address, d->address));
      result.failed = true;
      return result;
    }
    if (result.strategy_from != nullptr) {
      // One cluster has one default strategy: which one ECS keeps depends on the order of apply.
      b_.error(d->loc, path, fmt::format("{}: cluster {} gets a default capacity provider strategy from both {} and {}; a cluster has one, "
                                         "and which ECS keeps depends on the order they are applied in",
                                         service.address, result.cluster->address, result.strategy_from->address, d->address));
      result.failed = true;
      return result;
    }
    result.strategy_from = d;
  }
  if (result.strategy_from == nullptr && undecided != nullptr) {
    // It may be this cluster's default: ECS would place the tasks by it, not on EC2.
    b_.error(attr(*undecided, "cluster").loc, path,
             fmt::format("{}: {} gives a default capacity provider strategy to a cluster known only after apply; archsim cannot tell whether it "
                         "is the default of {}, which places the tasks",
                         service.address, undecided->address, result.cluster->address));
    result.failed = true;
  }
  return result;
}

void Importer::ecr_repository(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("ecr_repository", r.loc));
  const Attr scan = attr(r, "scan").at(0).get(r.mapping->attribute("scan_on_push"));
  if (scan.known()) put(e, "scan_on_push", bool_node(scan.text() == "true", scan.loc));
}

void Importer::log_group(const Resource& r) {
  YamlNode& e = start("components", r);
  put(e, "type", text_node("log_group", r.loc));
  if (const Attr days = attr(r, "retention"); days.known() && days.text() != "0") put(e, "retention", plain_node(days.text() + "d", days.loc));
}

/// The ecs_service component an autoscaling resource scales: through its scalable target, or
/// the service itself (resource_id `service/<cluster>/<service>`).
YamlNode* Importer::scaled_service(const Resource& r, const Attr& a, std::string& path) {
  std::vector<const Resource*> services = targets(r, a, "ecs_service");
  if (services.empty()) {
    for (const Resource* t : targets(r, a, "autoscaling_target")) {
      const auto s = targets(*t, attr(*t, "service"), "ecs_service");
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

void Importer::autoscaling_target(const Resource& r) {
  std::string path;
  YamlNode* service = scaled_service(r, attr(r, "service"), path);
  if (service == nullptr) return;
  for (const char* key : {"min_count", "max_count"}) {
    if (const Attr a = attr(r, key); a.known()) put(*service, key, plain_node(a.text(), a.loc));
  }
  b_.comment(path + ".min_count", "scaling range: " + r.comment());
  // A desired count outside the range is where Application Auto Scaling moves it at once (the
  // topology refuses one outside it): the service starts at the nearest bound.
  YamlNode* desired = service->find("desired_count");
  const YamlNode* low = service->find("min_count");
  const YamlNode* high = service->find("max_count");
  const auto number = [](const YamlNode* n) -> std::optional<long long> {
    if (n == nullptr || !n->is_scalar() || !is_count(n->scalar)) return std::nullopt;
    return std::stoll(n->scalar);
  };
  const auto d = number(desired), lo = number(low), hi = number(high);
  if (!d || !lo || !hi || *lo > *hi || (*d >= *lo && *d <= *hi)) return;
  const long long moved = std::clamp(*d, *lo, *hi);
  b_.assume(path + ".desired_count", desired->loc,
            fmt::format("{}: desired count {} is outside its scaling range ({} to {}); Application Auto Scaling moves it to {}", r.address, *d, *lo,
                        *hi, moved));
  desired->scalar = std::to_string(moved);
}

static YamlNode& autoscaling_list(YamlNode& service, std::string_view key, const SourceLoc& loc, bool map) {
  YamlNode* a = service.find("autoscaling");
  if (a == nullptr) a = &put(service, "autoscaling", map_node(loc));
  YamlNode* list = a->find(key);
  if (list == nullptr) list = &put(*a, key, map ? map_node(loc) : list_node(loc));
  return *list;
}

void Importer::autoscaling_policy(const Resource& r) {
  std::string path;
  YamlNode* service = scaled_service(r, attr(r, "scalable_target"), path);
  if (service == nullptr) return;
  const TypeMapping& m = *r.mapping;
  // Terraform's policy_type defaults to StepScaling; CloudFormation requires it.
  const Attr policy_type = attr(r, "policy_type");
  const std::string type = policy_type.known() ? policy_type.text() : "StepScaling";
  if (type == "StepScaling") {
    step_scaling(r, *service, path);
    return;
  }
  if (type != "TargetTrackingScaling") {
    b_.warning(r.loc, path, fmt::format("{}: a {} policy is not simulated (archsim reads target tracking and step scaling policies); left out", r.address, type));
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

void Importer::step_scaling(const Resource& r, YamlNode& service, const std::string& path) {
  const TypeMapping& m = *r.mapping;
  const Attr config = attr(r, "step_scaling").at(0);
  if (const Attr adjustment = config.get(m.attribute("adjustment_type")); adjustment.known() && adjustment.text() != "ChangeInCapacity") {
    b_.warning(adjustment.loc, path, fmt::format("{}: a {} step policy is not simulated (archsim changes the task count by a number of tasks, "
                                                 "ChangeInCapacity); left out", r.address, adjustment.text()));
    return;
  }
  // The alarm is a resource of its own whose actions name the policy: each alarm is read once.
  if (!alarms_read_) {
    alarms_read_ = true;
    for (const auto& other : resources_) {
      if (other.mapping == nullptr || other.mapping->entity != "scaling_alarm") continue;
      for (const Resource* policy : targets(other, attr(other, "actions"), "autoscaling_policy")) alarm_of_.emplace(policy, &other);
    }
  }
  const auto found = alarm_of_.find(&r);
  if (found == alarm_of_.end()) {
    b_.warning(r.loc, path, fmt::format("{}: no CloudWatch alarm of the file triggers this step policy; left out", r.address));
    return;
  }
  const Resource& alarm = *found->second;
  const Attr metric = attr(alarm, "metric"), ns = attr(alarm, "namespace");
  std::string word;
  if (ns.text() == "AWS/ECS" && metric.text() == "CPUUtilization") word = "cpu";
  else if (ns.text() == "AWS/ApplicationELB" && metric.text() == "RequestCountPerTarget") word = "alb_requests_per_target";
  if (word.empty()) {
    b_.warning(metric.loc, path, fmt::format("{}: its alarm {} watches {} {}; archsim's step scaling reads ECS CPU and ALB requests per target; left out",
                                             r.address, alarm.address, ns.text(), metric.known() ? metric.text() : "a metric math expression"));
    return;
  }
  const Attr comparison = attr(alarm, "comparison");
  const std::string side = comparison.text().starts_with("GreaterThan") ? "above" : comparison.text().starts_with("LessThan") ? "below" : "";
  const Attr threshold = attr(alarm, "threshold");
  if (side.empty() || !threshold.known()) {
    b_.warning(comparison.loc, path, fmt::format("{}: its alarm {} has no fixed threshold archsim reads (anomaly detection bands are not simulated); left out",
                                                 r.address, alarm.address));
    return;
  }
  YamlNode n = map_node(config.loc);
  put(n, "metric", text_node(word, metric.loc));
  put(n, "comparison", text_node(side, comparison.loc));
  put(n, "threshold", plain_node(threshold.text(), threshold.loc));
  // DatapointsToAlarm defaults to EvaluationPeriods (an "N out of N" alarm).
  const Attr datapoints = attr(alarm, "datapoints").known() ? attr(alarm, "datapoints") : attr(alarm, "periods");
  if (datapoints.known()) put(n, "datapoints", plain_node(datapoints.text(), datapoints.loc));
  if (const Attr cooldown = config.get(m.attribute("cooldown")); cooldown.known()) put(n, "cooldown", plain_node(seconds(cooldown.text()), cooldown.loc));
  YamlNode steps = list_node(config.loc);
  const Attr list = config.get(m.attribute("steps"));
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Attr step = list.at(i);
    const Attr change = step.get(m.attribute("change"));
    if (!change.known()) continue;
    YamlNode s = map_node(step.loc);
    for (const char* key : {"lower", "upper"}) {
      if (const Attr bound = step.get(m.attribute(key)); bound.known() && !bound.text().empty()) put(s, key, plain_node(bound.text(), bound.loc));
    }
    put(s, "change", plain_node(change.text(), change.loc));
    steps.items.push_back(std::move(s));
  }
  put(n, "steps", std::move(steps));
  YamlNode& policies = autoscaling_list(service, "step_scaling", r.loc, false);
  const std::string at = fmt::format("{}.autoscaling.step_scaling[{}]", path, policies.items.size());
  b_.comment(at, r.comment() + ", triggered by " + alarm.comment());
  if (const Attr period = attr(alarm, "period"); period.known() && period.text() != "60") {
    b_.assume(at, period.loc, fmt::format("{}: the alarm's period is {} s; archsim's alarms read one-minute datapoints", alarm.address, period.text()));
  }
  policies.items.push_back(std::move(n));
}

void Importer::autoscaling_scheduled_action(const Resource& r) {
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

/// A component read attribute by attribute as import_mappings.yaml says (`type`, `convert`):
/// the types whose every key is one attribute, converted.
void Importer::simple_component(const Resource& r, bool assume) {
  const TypeMapping& m = *r.mapping;
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  put(e, "type", text_node(m.component_type, r.loc));
  for (const auto& [key, attribute] : m.attributes) component_attribute(r, attr(r, key), key, attribute, e);
  for (const auto& [key, note] : m.assumptions) {
    if (assume && e.find(key) == nullptr) b_.assume(path, r.loc, note);
  }
}

void Importer::component_attribute(const Resource& r, Attr a, const std::string& key, const std::string& attribute, YamlNode& e) {
  const TypeMapping& m = *r.mapping;
  const std::string path = entity_path("components", r);
  const auto c = m.convert.find(key);
  const Conversion none;
  const Conversion& conv = c == m.convert.end() ? none : c->second;
  if (!conv.refs.empty()) {
    std::vector<const Resource*> found;
    if (conv.through.empty()) {
      found = targets(r, a, conv.refs);
    } else {
      for (const Resource* via : targets(r, a, "")) {
        const auto more = targets(*via, attr(*via, conv.through), conv.refs);
        found.insert(found.end(), more.begin(), more.end());
      }
    }
    if (!found.empty() || a.known()) put(e, key, ids_node(ids_of(found), a.loc));
    return;
  }
  if (!conv.each.empty()) {
    each_field(r, a, conv.each, path + "." + key, e, key);
    return;
  }
  if (conv.present) {
    if (a.known() && (a.value->is_map() || (a.value->is_sequence() && !a.value->items.empty()))) put(e, key, bool_node(true, a.loc));
    return;
  }
  if (conv.first && a.known()) {
    // A list of one (Lambda's architectures): AWS takes exactly one.
    if (!a.value->is_sequence() || a.value->items.size() != 1) {
      b_.error(a.loc, path + "." + key,
               fmt::format("{}: {} is {}; expected a list of one value", r.address, attribute,
                           a.value->is_sequence() ? fmt::format("a list of {}", a.value->items.size()) : "'" + a.text() + "'"));
      return;
    }
    a = a.at(0);
  }
  if (!one_value(r, a, path + "." + key, attribute)) return;
  std::string value = a.text();
  if (std::find(conv.skip.begin(), conv.skip.end(), value) != conv.skip.end()) return;
  if (const auto w = conv.words.find(value); w != conv.words.end()) value = w->second;
  else if (!conv.words.empty()) {
    b_.warning(a.loc, path + "." + key, fmt::format("{}: {} '{}' has no archsim equivalent; left out", r.address, attribute, value));
    return;
  }
  if (!conv.unit.empty()) {
    // A unit goes after a number only: `ten` would be written `tens`.
    char* end = nullptr;
    const double number = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(number)) {
      b_.error(a.loc, path + "." + key, fmt::format("{}: {} is '{}'; expected a number", r.address, attribute, value));
      return;
    }
  }
  const bool plain = !a.value->quoted || !conv.unit.empty() || value == "true" || value == "false";
  put(e, key, plain ? plain_node(value + conv.unit, a.loc) : text_node(value, a.loc));
}

/// A CloudFormation global table (`AWS::DynamoDB::GlobalTable`): one dynamodb component, the
/// table in the stack's Region; its other `Replicas` are its replicas. The table's class, PITR
/// and read capacity are set per replica, so they come from the stack's own replica.
void Importer::global_table(const Resource& r) {
  const TypeMapping& m = *r.mapping;
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  put(e, "type", text_node(m.component_type, r.loc));
  const Attr replicas = attr(r, "replicas");
  if (region_.empty()) {
    b_.error(r.loc, path, fmt::format("{}: which of its Replicas is the stack's own is unknown without the Region; pass --parameter "
                                      "AWS::Region=<region>",
                                      r.address));
    return;
  }
  std::optional<Attr> own;
  std::vector<std::string> others;
  for (std::size_t i = 0; i < replicas.size(); ++i) {
    const Attr item = replicas.at(i);
    const Attr region = item.get(m.attribute("region"));
    if (!item.known() || !item.value->is_map() || !region.known() || !region.value->is_scalar()) {
      b_.error(item.loc, path, fmt::format("{}: Replicas[{}] is not a replica with a Region", r.address, i));
      return;
    }
    if (region.text() == region_) own = item;
    else others.push_back(region.text());
  }
  if (!own) {
    // "The list must contain at least one element, the region where the stack defining the
    // global table is deployed" (AWS::DynamoDB::GlobalTable Replicas).
    b_.error(replicas.loc, path, fmt::format("{}: its Replicas name no replica in the stack's Region {}; CloudFormation requires one", r.address,
                                             region_));
    return;
  }
  static const std::set<std::string, std::less<>> kPerReplica{"table_class", "point_in_time_recovery", "read_capacity"};
  for (const auto& [key, attribute] : m.attributes) {
    if (key == "replicas" || key == "region") continue;
    component_attribute(r, kPerReplica.contains(key) ? own->get(attribute) : attr(r, key), key, attribute, e);
  }
  if (!others.empty()) put(e, "replicas", ids_node(others, replicas.loc));
  if (e.find("write_capacity") != nullptr) b_.assume(path + ".write_capacity", r.loc, m.assumption("write_capacity"));
}

bool Importer::one_value(const Resource& r, const Attr& a, const std::string& path, const std::string& attribute) {
  if (!a.known()) {
    // Written in the code but known only after apply (a reference to what apply creates): the
    // default stands in for it, and says so. Left out of the code, it is the provider's default.
    if (a.is_unknown() && a.expr != nullptr) b_.assume(path, a.loc, fmt::format("{}: {} is known only after apply; archsim's default", r.address, attribute));
    return false;
  }
  if (!a.value->is_scalar()) {
    b_.error(a.loc, path, fmt::format("{}: {} is {}; expected a single value", r.address, attribute, kind_name(a.value->kind)));
    return false;
  }
  // CloudFormation values only a deployment knows (an attribute of a custom resource, an SSM
  // parameter's `{{resolve:...}}`) hold the import's placeholder: never a value to write.
  if (a.text().find("{{") != std::string::npos) {
    b_.assume(path, a.loc, fmt::format("{}: {} is known only at deployment; archsim's default", r.address, attribute));
    return false;
  }
  return true;
}

void Importer::each_field(const Resource& r, const Attr& blocks, const std::string& field, const std::string& path, YamlNode& e,
                          const std::string& key) {
  const std::string written = blocks.key();
  if (!blocks.known() && blocks.is_unknown() && blocks.expr != nullptr) {
    b_.assume(path, blocks.loc, fmt::format("{}: {} is known only after apply; none imported", r.address, written));
    return;
  }
  if (blocks.known() && blocks.value->is_scalar()) {
    b_.error(blocks.loc, path, fmt::format("{}: {} is '{}'; expected a list of blocks with {}", r.address, written, blocks.text(), field));
    return;
  }
  std::vector<std::string> values;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const Attr v = blocks.at(i).get(field);
    if (v.known() && v.value->is_scalar() && !v.text().empty()) {
      values.push_back(v.text());
      continue;
    }
    // Each value changes the bill (a replica bills every write again): never left out in silence.
    const std::string what = v.is_unknown()                              ? "known only after apply"
                             : !blocks.at(i).known() || !blocks.at(i).value->is_map() ? "missing: the item is not a block"
                             : v.known() && !v.value->is_scalar()        ? std::string(kind_name(v.value->kind)) + ", not one value"
                                                                         : "not set";
    b_.error(v.loc, path, fmt::format("{}: {} of {}[{}] is {}; archsim needs it", r.address, field, written, i, what));
    return;
  }
  if (!values.empty()) put(e, key, ids_node(values, blocks.loc));
}

std::vector<const Resource*> Importer::components_of_type(const Resource& from, const Attr& a, std::string_view type) {
  std::vector<const Resource*> out;
  for (const Resource* t : targets(from, a, "")) {
    if (t->mapping != nullptr && t->mapping->component_type == type) out.push_back(t);
  }
  return out;
}

void Importer::rds_instance(const Resource& r) {
  // An instance of an Aurora cluster is read into its cluster (aurora_cluster).
  if (const Attr cluster = attr(r, "cluster"); cluster.known()) {
    if (targets(r, cluster, "aurora_cluster").empty()) {
      b_.warning(cluster.loc, "components", fmt::format("{}: an instance of a cluster that is not in the file; left out", r.address));
    }
    return;
  }
  simple_component(r);
  // `iops` bills io1 and io2 storage, and gp3's above its baseline, as `storage_throughput`
  // does gp3's. Terraform state reports both for every type (gp2's IOPS come with its size,
  // its throughput reads 0): kept only where the storage type takes them.
  YamlNode& e = *component_of(r);
  const YamlNode* type = e.find("storage_type");
  const std::string storage_type = type != nullptr ? type->scalar : "gp3";  // the topology's default
  const bool provisioned = storage_type == "io1" || storage_type == "io2";
  for (const char* key : {"iops", "storage_throughput"}) {
    const bool taken = storage_type == "gp3" || (provisioned && std::string_view(key) == "iops");
    const auto at = std::find_if(e.entries.begin(), e.entries.end(), [&](const YamlNode::Entry& x) { return x.key == key; });
    if (at == e.entries.end() || taken) continue;
    b_.assume(entity_path("components", r) + ".storage_type", at->value.loc,
              fmt::format("{}: `{}: {}` left out: storage_type {} takes no {} to bill", r.address, key, at->value.scalar, storage_type, key));
    e.entries.erase(at);
  }
}

void Importer::aurora_cluster(const Resource& r) {
  simple_component(r, false);
  YamlNode& e = *component_of(r);
  const std::string path = entity_path("components", r);
  std::vector<const Resource*> members;
  for (const auto& other : resources_) {
    if (other.mapping == nullptr || (other.mapping->entity != "aurora_instance" && other.mapping->entity != "rds_instance")) continue;
    const Attr cluster = attr(other, "cluster");
    if (!cluster.known() && cluster.expr == nullptr) continue;
    for (const Resource* c : targets(other, cluster, "aurora_cluster")) {
      if (c == &r) members.push_back(&other);
    }
  }
  if (members.empty()) {
    b_.assume(path, r.loc, r.mapping->assumption("instance_class"));
    return;
  }
  const Resource& first = *members.front();
  if (const Attr cls = attr(first, "instance_class"); one_value(first, cls, path + ".instance_class", first.mapping->attribute("instance_class"))) {
    put(e, "instance_class", text_node(cls.text(), cls.loc));
  }
  put(e, "multi_az", bool_node(members.size() > 1, first.loc));
  std::vector<std::string> names;
  for (const Resource* m : members) names.push_back(m->comment());
  b_.comment(path + ".instance_class", fmt::format("instances: {}", fmt::join(names, ", ")));
  b_.assume(path + ".multi_az", first.loc, r.mapping->assumption("multi_az"));
}

void Importer::lambda_concurrency(const Resource& r) {
  const Attr count = attr(r, "count");
  if (!count.known()) return;  // an alias or version without provisioned concurrency
  const auto functions = components_of_type(r, attr(r, "function"), "lambda");
  YamlNode* fn = functions.empty() ? nullptr : component_of(*functions.front());
  if (fn == nullptr) {
    b_.warning(r.loc, "components", fmt::format("{}: provisioned concurrency of a function that is not in the file; left out", r.address));
    return;
  }
  const std::string path = fmt::format("components.{}.provisioned_concurrency", functions.front()->id);
  if (!is_count(count.text())) {
    b_.error(count.loc, path, fmt::format("{}: provisioned concurrency '{}' is not a whole number", r.address, count.text()));
    return;
  }
  long long total = std::stoll(count.text());
  if (const YamlNode* before = fn->find("provisioned_concurrency")) {
    total += std::stoll(before->scalar);
    b_.assume(path, count.loc, fmt::format("{}: more than one alias or version of the function keeps provisioned concurrency; archsim models one pool "
                                           "per function, their sum", r.address));
  }
  put(*fn, "provisioned_concurrency", plain_node(std::to_string(total), count.loc));
  b_.comment(path, "provisioned concurrency: " + r.comment());
}

void Importer::api_gateway(const Resource& r) {
  // HTTP APIs (API Gateway v2) name their protocol; REST APIs have none.
  const bool http = r.mapping->has("protocol");
  const Attr protocol = attr(r, "protocol");
  const bool websocket = http && protocol.known() && protocol.text() == "WEBSOCKET";
  if (http && protocol.known() && protocol.text() != "HTTP" && !websocket) {
    b_.warning(protocol.loc, "components", fmt::format("{}: a {} API is not modelled (archsim models HTTP and REST APIs); left out", r.address, protocol.text()));
    auto& u = unsupported_[r.type + " (" + protocol.text() + ")"];
    ++u.first;
    u.second = "archsim models HTTP and REST APIs";
    return;
  }
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  put(e, "type", text_node("api_gateway", r.loc));
  put(e, "api_type", text_node(websocket ? "websocket" : http ? "http" : "rest", protocol.known() ? protocol.loc : r.loc));
  if (websocket) {
    // No request route goes through a WebSocket API (infer_routes leaves it out): the bill
    // takes its messages and connection time from the scenario's usage block.
    b_.assume(path, protocol.loc, fmt::format("{}: a WebSocket API is billed from `usage` (`requests`: its messages, `connection_seconds`), "
                                              "which the code does not say; no request route goes through it", r.address));
  }
  if (http) {
    put(e, "endpoint", text_node("regional", r.loc));  // an HTTP API has regional endpoints only
    return;
  }
  const Attr type = attr(r, "endpoint").at(0);
  static const std::map<std::string, std::string> words = {{"REGIONAL", "regional"}, {"EDGE", "edge"}, {"PRIVATE", "private"}};
  const auto w = words.find(type.text());
  if (w == words.end()) b_.assume(path + ".endpoint", r.loc, r.mapping->assumption("endpoint"));
  put(e, "endpoint", text_node(w == words.end() ? "edge" : w->second, type.known() ? type.loc : r.loc));
}

std::pair<const Resource*, YamlNode*> Importer::api_of(const Resource& r, std::string_view does) {
  const Resource* api = target(r, attr(r, "api"), "api_gateway", "components");
  YamlNode* e = api != nullptr ? component_of(*api) : nullptr;
  if (e == nullptr) b_.warning(r.loc, "components", fmt::format("{}: {} no API of the file; left out", r.address, does));
  return {api, e};
}

void Importer::api_integration(const Resource& r) {
  const auto [api, e] = api_of(r, "integrates");
  if (e == nullptr) return;
  const std::string path = "components." + api->id;
  if (attr(r, "integration_type").text() == "MOCK") return;  // answered by API Gateway itself: no backend
  // The backend: a private integration names a listener (HTTP API) or the load balancer (REST
  // API's URI), a Lambda integration the function.
  const Attr uri = attr(r, "uri");
  const Resource* backend = nullptr;
  for (const Resource* t : targets(r, uri, "")) {
    if (t->mapping != nullptr && t->mapping->entity == "listener") t = target(*t, attr(*t, "load_balancer"), "load_balancer", path);
    if (t != nullptr && t->mapping != nullptr && t->mapping->entity == "lambda_concurrency") {  // a function's alias or version
      const auto functions = components_of_type(*t, attr(*t, "function"), "lambda");
      t = functions.empty() ? nullptr : functions.front();
    }
    if (t != nullptr && component_of(*t) != nullptr) {
      backend = t;
      break;
    }
  }
  if (backend == nullptr) {
    b_.warning(uri.loc, path, fmt::format("{}: integrates with nothing archsim models in the file (an endpoint elsewhere, an AWS service); left out", r.address));
    return;
  }
  if (const YamlNode* before = e->find("integration")) {
    if (before->scalar != backend->id) {
      b_.assume(path + ".integration", uri.loc, fmt::format("{} integrates with {} too; archsim models one integration per API, the first", r.address, backend->id));
    }
    return;
  }
  put(*e, "integration", text_node(backend->id, uri.loc));
  b_.comment(path + ".integration", "integration: " + r.comment());
  if (const Attr t = attr(r, "timeout"); t.known() && is_count(t.text()) && t.text() != "0") put(*e, "integration_timeout", plain_node(t.text() + "ms", t.loc));
  if (attr(r, "connection_type").text() != "VPC_LINK") return;
  const Resource* link = target(r, attr(r, "connection"), "vpc_link", path + ".vpc_link");
  if (link == nullptr) {
    b_.warning(r.loc, path, fmt::format("{}: connects through a VPC link that is not in the file; vpc_link left out", r.address));
    return;
  }
  YamlNode node = map_node(link->loc);
  if (link->mapping->has("targets")) {
    // A REST API's link reaches a network load balancer: it is in that balancer's subnets.
    for (const Resource* lb : targets(*link, attr(*link, "targets"), "load_balancer")) {
      const YamlNode* lbn = component_of(*lb);
      if (const YamlNode* subnets = lbn != nullptr ? lbn->find("subnets") : nullptr) {
        put(node, "subnets", *subnets);
        break;
      }
    }
  } else {
    const Attr subnets = attr(*link, "subnets"), groups = attr(*link, "security_groups");
    put(node, "subnets", ids_node(ids_of(targets(*link, subnets, "subnet")), subnets.loc));
    put(node, "security_groups", ids_node(ids_of(targets(*link, groups, "security_group")), groups.loc));
  }
  if (node.find("subnets") == nullptr) {
    b_.warning(link->loc, path, fmt::format("{}: the VPC link's subnets are not in the file; vpc_link left out", link->address));
    return;
  }
  put(*e, "vpc_link", std::move(node));
  b_.source(path + ".vpc_link", link->comment(), link->address);
}

void Importer::api_authorizer(const Resource& r) {
  const auto [api, e] = api_of(r, "authorizes");
  if (e == nullptr) return;
  const std::string path = fmt::format("components.{}.authorizer", api->id);
  const Attr type = attr(r, "authorizer_type");
  std::string word, pool_key;
  if (type.text() == "JWT") word = "jwt", pool_key = "issuer";
  else if (type.text() == "COGNITO_USER_POOLS") word = "cognito", pool_key = "providers";
  else if (type.text() == "REQUEST" || type.text() == "TOKEN") word = "lambda";
  if (word.empty()) {
    b_.warning(type.loc, path, fmt::format("{}: an authorizer of type '{}' is not modelled; left out", r.address, type.text()));
    return;
  }
  if (e->find("authorizer") != nullptr) {
    b_.assume(path, r.loc, fmt::format("{} is another authorizer of the API; archsim models one per API, the first", r.address));
    return;
  }
  YamlNode n = map_node(r.loc);
  put(n, "type", text_node(word, type.loc));
  if (!pool_key.empty()) {
    const Attr pool = attr(r, pool_key);
    if (const auto pools = components_of_type(r, pool, "cognito_user_pool"); !pools.empty()) {
      put(n, "user_pool", text_node(pools.front()->id, pool.loc));
    } else if (word == "cognito") {
      b_.warning(pool.loc, path, fmt::format("{}: names no Cognito user pool of the file; user_pool left out", r.address));
    }
  }
  put(*e, "authorizer", std::move(n));
  b_.comment(path, r.comment());
  b_.assume(path, r.loc, r.mapping->assumption("routes"));
}

void Importer::cloudfront(const Resource& r) {
  const TypeMapping& m = *r.mapping;
  YamlNode& e = start("components", r);
  const std::string path = entity_path("components", r);
  put(e, "type", text_node("cloudfront", r.loc));
  YamlNode origins = map_node(r.loc);
  std::map<std::string, std::string> key_of;  // the code's origin id -> archsim's key
  const Attr list = attr(r, "origins");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Attr o = list.at(i);
    const Attr id = o.get(m.attribute("origin_id"));
    // Terraform orders a set of blocks by hash in the plan, as written in the configuration:
    // the expressions are those of the configuration block with the same origin_id.
    if (o.expr != nullptr && list.expr != nullptr && list.expr->is_sequence()) {
      for (const auto& block : list.expr->items) {
        if (text_of(child(child(&block, m.attribute("origin_id")), "constant_value")) == id.text()) o.expr = &block;
      }
    }
    const Attr domain = o.get(m.attribute("domain"));
    const Resource* origin = nullptr;
    for (const Resource* t : targets(r, domain, "")) {
      if (component_of(*t) != nullptr) {
        origin = t;
        break;
      }
    }
    if (!id.known() || origin == nullptr) {
      b_.warning(o.loc, path + ".origins", fmt::format("{}: origin {} is not a resource of the file; left out, with its behaviours", r.address,
                                                       id.known() ? id.text() : std::to_string(i)));
      continue;
    }
    YamlNode n = map_node(o.loc);
    put(n, "component", text_node(origin->id, domain.loc));
    if (const Attr policy = o.get(m.attribute("custom")).at(0).get(m.attribute("origin_protocol")); policy.known()) {
      put(n, "protocol", text_node(policy.text(), policy.loc));
    }
    if (text_of(component_of(*origin)->find("type")) == "s3_bucket") {
      // Set, or known only after apply (an id Terraform does not know yet), names an access control.
      auto set = [](const Attr& a) { return (a.known() && !a.text().empty()) || a.is_unknown(); };
      const Attr oac = o.get(m.attribute("oac"));
      const Attr oai = o.get(m.attribute("s3_config")).at(0).get(m.attribute("oai"));
      const std::string access = set(oac) ? "oac" : set(oai) ? "oai" : "none";
      put(n, "access_control", text_node(access, access == "oac" ? oac.loc : access == "oai" ? oai.loc : o.loc));
    }
    const std::string key = entity_id("", id.text(), "");
    key_of[id.text()] = key;
    put(origins, key, std::move(n));
  }
  YamlNode behaviors = list_node(r.loc);
  auto behavior = [&](const Attr& b, const std::string& pattern, const SourceLoc& at) {
    const Attr to = b.get(m.attribute("target_origin"));
    const auto k = key_of.find(to.text());
    if (k == key_of.end()) {
      b_.warning(b.loc, path + ".behaviors", fmt::format("{}: the behaviour for {} goes to origin {}, which is left out", r.address, pattern, to.text()));
      return;
    }
    YamlNode n = map_node(b.loc);
    put(n, "path_pattern", text_node(pattern, at));
    put(n, "origin", text_node(k->second, to.loc));
    if (const Attr viewer = b.get(m.attribute("viewer_protocol")); viewer.known()) put(n, "viewer_protocol", text_node(viewer.text(), viewer.loc));
    behaviors.items.push_back(std::move(n));
  };
  const Attr ordered = attr(r, "behaviors");
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    const Attr b = ordered.at(i);
    const Attr pattern = b.get(m.attribute("path_pattern"));
    behavior(b, pattern.text(), pattern.loc);
  }
  const Attr fallback = attr(r, "default_behavior").at(0);
  behavior(fallback, "*", fallback.loc);
  if (origins.entries.empty()) {
    b_.error(r.loc, path, fmt::format("{}: no origin of the distribution is a resource of the file; archsim needs its origins", r.address));
  }
  put(e, "origins", std::move(origins));
  put(e, "behaviors", std::move(behaviors));
  if (const Attr price = attr(r, "price_class"); price.known()) put(e, "price_class", text_node(price.text(), price.loc));
}

void Importer::codedeploy_group(const Resource& r) {
  const TypeMapping& m = *r.mapping;
  std::vector<const Resource*> services;
  const Attr ecs = attr(r, "ecs_service");
  for (std::size_t i = 0; i < ecs.size(); ++i) {
    const auto found = targets(r, ecs.at(i).get(m.attribute("service_name")), "ecs_service");
    services.insert(services.end(), found.begin(), found.end());
  }
  YamlNode* service = services.empty() ? nullptr : component_of(*services.front());
  if (service == nullptr) {
    b_.warning(r.loc, "components", fmt::format("{}: deploys no ECS service of the file (EC2 and Lambda deployments are not modelled); left out", r.address));
    return;
  }
  const std::string path = fmt::format("components.{}.deployment", services.front()->id);
  const Attr pair = attr(r, "pair").at(0);
  const Attr listeners = pair.get(m.attribute("prod_route")).at(0).get(m.attribute("listeners"));
  const Resource* lb = nullptr;
  for (const Resource* l : targets(r, listeners, "listener")) {
    if ((lb = target(*l, attr(*l, "load_balancer"), "load_balancer", path)) != nullptr) break;
  }
  std::vector<std::string> groups;
  std::vector<const Resource*> group_resources;
  const Attr tgs = pair.get(m.attribute("target_groups"));
  for (std::size_t i = 0; i < tgs.size(); ++i) {
    for (const Resource* tg : targets(r, tgs.at(i).get(m.attribute("target_group_name")), "target_group")) {
      groups.push_back(tg->id);
      group_resources.push_back(tg);
    }
  }
  if (lb == nullptr || groups.size() != 2) {
    b_.warning(pair.loc, path, fmt::format("{}: blue/green needs a production listener and two target groups of the file; left out", r.address));
    return;
  }
  YamlNode* deployment = service->find("deployment");
  if (deployment == nullptr) deployment = &put(*service, "deployment", map_node(r.loc));
  put(*deployment, "strategy", text_node("blue_green", r.loc));
  YamlNode cd = map_node(r.loc);
  if (const Attr config = attr(r, "config"); config.known()) put(cd, "config", text_node(config.text(), config.loc));
  put(cd, "load_balancer", text_node(lb->id, listeners.loc));
  put(cd, "target_groups", ids_node(groups, tgs.loc));
  if (const Attr wait = attr(r, "termination").at(0).get(m.attribute("termination_wait")); wait.known() && is_count(wait.text())) {
    put(cd, "termination_wait", plain_node(wait.text() + "m", wait.loc));
  }
  if (const Attr rollback = attr(r, "auto_rollback"); rollback.known()) put(cd, "auto_rollback", bool_node(rollback.text() == "true", rollback.loc));
  put(*deployment, "codedeploy", std::move(cd));
  b_.comment(path + ".codedeploy", r.comment());
  rollback_alarm(r, *deployment, path);
  if (pair.get(m.attribute("test_route")).size() > 0) b_.assume(path + ".codedeploy", r.loc, m.assumption("test_traffic_wait"));
  // Both groups belong to the production listener's load balancer and serve the service (the
  // green one has no listener until a deployment shifts traffic to it).
  for (const Resource* tg : group_resources) {
    tg_lb_.emplace(tg->address, lb->id);
    tg_targets_.emplace(tg->address, services.front()->id);
  }
}

void Importer::rollback_alarm(const Resource& r, YamlNode& deployment, const std::string& path) {
  const TypeMapping& m = *r.mapping;
  const Attr config = attr(r, "alarm_config").at(0);
  const Attr enabled = config.get(m.attribute("alarms_enabled"));
  const Attr names = config.get(m.attribute("alarms"));
  if (enabled.text() != "true" || names.size() == 0 || deployment.find("alarm") != nullptr) return;
  // Terraform lists the alarms' names, CloudFormation blocks that hold one each.
  std::vector<const Resource*> alarms;
  if (!m.has("alarm_name")) alarms = targets(r, names, "scaling_alarm");
  for (std::size_t i = 0; m.has("alarm_name") && i < names.size(); ++i) {
    const auto found = targets(r, names.at(i).get(m.attribute("alarm_name")), "scaling_alarm");
    alarms.insert(alarms.end(), found.begin(), found.end());
  }
  const std::string at = path + ".alarm";
  YamlNode alarm = map_node(config.loc);
  Attr datapoints;  // the first alarm's that says; DatapointsToAlarm defaults to EvaluationPeriods
  std::vector<std::string> unread;
  for (const Resource* a : alarms) {
    const Attr metric = attr(*a, "metric"), ns = attr(*a, "namespace"), threshold = attr(*a, "threshold");
    const Attr dp = attr(*a, "datapoints").known() ? attr(*a, "datapoints") : attr(*a, "periods");
    if (!datapoints.known() && dp.known()) datapoints = dp;
    // The ALB's TargetResponseTime is an average in seconds: archsim's response_time alarm.
    if (ns.text() == "AWS/ApplicationELB" && metric.text() == "TargetResponseTime" && attr(*a, "comparison").text().starts_with("GreaterThan") &&
        threshold.known() && alarm.find("response_time") == nullptr) {
      // The text outlives the parse: strtod's end pointer points into it.
      const std::string seconds = threshold.text();
      char* end = nullptr;
      const double s = std::strtod(seconds.c_str(), &end);
      if (end != nullptr && *end == '\0' && s > 0) {
        put(alarm, "response_time", plain_node(fmt::format("{}ms", static_cast<long long>(s * 1000 + 0.5)), threshold.loc));
        b_.comment(at, "rollback alarm: " + a->comment());
        continue;
      }
    }
    unread.push_back(a->address);
  }
  // An alarm named but not in the file (another stack's) is assumed, as one archsim cannot read.
  if (alarm.find("response_time") == nullptr || !unread.empty() || alarms.size() < names.size()) {
    put(alarm, "error_rate", plain_node(m.default_value("alarm_error_rate"), config.loc));
    b_.assume(at, config.loc, fmt::format("{} ({}): {}", r.address, unread.empty() ? "an alarm not in the file" : fmt::format("{}", fmt::join(unread, ", ")),
                                          m.assumption("alarm")));
  }
  if (datapoints.known()) put(alarm, "datapoints", plain_node(datapoints.text(), datapoints.loc));
  else put(alarm, "datapoints", plain_node(m.default_value("alarm_datapoints"), config.loc));
  put(deployment, "alarm", std::move(alarm));
}

void Importer::build(Resource& r) {
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
  else if (entity == "internet_gateway_attachment") internet_gateway(r);
  else if (entity == "component") simple_component(r);
  else if (entity == "global_table") global_table(r);
  else if (entity == "rds_instance") rds_instance(r);
  else if (entity == "aurora_cluster") aurora_cluster(r);
  else if (entity == "lambda_concurrency") lambda_concurrency(r);
  else if (entity == "api_gateway") api_gateway(r);
  else if (entity == "api_integration") api_integration(r);
  else if (entity == "api_authorizer") api_authorizer(r);
  else if (entity == "cloudfront") cloudfront(r);
  else if (entity == "codedeploy_group") codedeploy_group(r);
  else if (!r.mapping->note.empty()) return;  // read into another entity (the note says which)
  else throw std::logic_error("import_mappings.yaml names entity '" + entity + "', which no builder makes");
}

/// Where a request goes on from a component: a load balancer to the services of its listeners'
/// target groups, a distribution to its origins, an API to its integration.
static std::vector<std::string> next_hops(const YamlNode& c) {
  std::vector<std::string> out;
  const std::string type = text_of(c.find("type"));
  if (type == "load_balancer") {
    std::set<std::string> services;
    const YamlNode* groups = c.find("target_groups");
    const YamlNode* listeners = c.find("listeners");
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
    out.assign(services.begin(), services.end());
  } else if (type == "cloudfront") {
    for (const auto& o : c.find("origins") != nullptr ? c.find("origins")->entries : std::vector<YamlNode::Entry>{}) {
      const std::string id = text_of(o.value.find("component"));
      if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  } else if (type == "api_gateway") {
    if (const YamlNode* integration = c.find("integration")) out.push_back(integration->scalar);
  }
  return out;
}

/// Request routes: the code has none, so one per way in from the internet (an internet-facing
/// load balancer, a distribution, a public API other than a WebSocket one, unless another way in reaches it), followed
/// through what forwards to what to each end.
void Importer::infer_routes() {
  const YamlNode& components = b_.section("components");
  auto component = [&](const std::string& id) -> const YamlNode* {
    for (const auto& c : components.entries) {
      if (c.key == id) return &c.value;
    }
    return nullptr;
  };
  std::vector<std::string> entries;
  std::set<std::string> reached;
  for (const auto& c : components.entries) {
    const std::string type = text_of(c.value.find("type"));
    if ((type == "load_balancer" && text_of(c.value.find("scheme")) == "internet-facing") || type == "cloudfront" ||
        (type == "api_gateway" && text_of(c.value.find("endpoint")) != "private" && text_of(c.value.find("api_type")) != "websocket")) {
      entries.push_back(c.key);
    }
    for (const auto& n : next_hops(c.value)) reached.insert(n);
  }
  constexpr std::size_t kMaxHops = 8;  // a forwarding loop in the code ends here
  std::vector<std::pair<std::string, std::vector<std::string>>> routes;
  std::set<std::string> ids;
  std::function<void(std::vector<std::string>&)> walk = [&](std::vector<std::string>& hops) {
    const YamlNode* c = component(hops.back());
    bool extended = false;
    for (const auto& n : c != nullptr ? next_hops(*c) : std::vector<std::string>{}) {
      if (std::find(hops.begin(), hops.end(), n) != hops.end() || hops.size() >= kMaxHops) continue;
      hops.push_back(n);
      walk(hops);
      hops.pop_back();
      extended = true;
    }
    if (extended || hops.size() < 3) return;
    std::string id = hops.back();
    if (!ids.insert(id).second) ids.insert(id = hops[1] + "-" + hops.back());
    routes.push_back({id, hops});
  };
  for (const auto& entry : entries) {
    if (reached.contains(entry)) continue;
    std::vector<std::string> hops = {"users", entry};
    walk(hops);
  }
  if (routes.empty()) return;
  // The clients' id is `users` unless a resource of the code has it (a Cognito pool named users).
  std::string users_id = "users";
  while (b_.has_entity("components", users_id)) users_id = "internet-" + users_id;
  for (auto& route : routes) route.second.front() = users_id;
  YamlNode& users = b_.entity("components", users_id, root_.loc);
  put(users, "type", text_node("internet_users", root_.loc));
  b_.assume("components." + users_id, root_.loc, "clients on the internet, the first hop of every route (the code has no such resource)");
  const double share = 1.0 / static_cast<double>(routes.size());
  for (std::size_t i = 0; i < routes.size(); ++i) {
    const auto& [id, hops] = routes[i];
    YamlNode& route = b_.entity("routes", id, root_.loc);
    put(route, "share", plain_node(fmt::format("{:.6g}", i + 1 == routes.size() ? 1.0 - share * static_cast<double>(routes.size() - 1) : share), root_.loc));
    put(route, "hops", ids_node(hops, root_.loc));
    b_.assume("routes." + id, root_.loc,
              fmt::format("a request route from the internet through {} to {}, an equal share of the traffic; the code says nothing of "
                          "request paths or mix: give them in the scenario's overrides", hops[1], hops.back()));
  }
}

void Importer::claim_ids() {
  static const std::map<std::string, std::string, std::less<>> section_of_entity = {
      {"vpc", "vpcs"}, {"subnet", "subnets"}, {"route_table", "route_tables"}, {"security_group", "security_groups"}};
  // Only what becomes an entity claims an id; a target group's is its load balancer's own.
  static const std::set<std::string, std::less<>> components = {"nat_gateway",  "vpc_endpoint", "load_balancer",  "ecs_service",
                                                                "ecr_repository", "log_group", "component",      "rds_instance",
                                                                "aurora_cluster", "api_gateway", "cloudfront"};
  std::map<std::string, std::set<std::string>> taken;
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    Resource& r = resources_[i];
    if (r.mapping != nullptr) {
      // A log group is named by its name, a repository by its URL (image references).
      for (const char* key : {"name", "url"}) {
        if (!r.mapping->has(key)) continue;
        if (const Attr a = attr(r, key); a.known() && a.value->is_scalar() && !a.text().empty()) r.names.push_back(a.text());
      }
    }
    for (const auto& n : r.names) by_id_.emplace(n, i);
    if (r.mapping == nullptr) continue;
    const auto sec = section_of_entity.find(r.mapping->entity);
    if (sec == section_of_entity.end() && !components.contains(r.mapping->entity)) continue;
    const std::string section = sec != section_of_entity.end() ? sec->second : "components";
    if (!taken[section].insert(r.id).second) {
      r.id = entity_id("", r.id + "-" + r.type, "");
      taken[section].insert(r.id);
    }
  }
}

Attr Importer::attr(const Resource& r, std::string_view archsim_key) const {
  const std::string name = r.mapping != nullptr ? r.mapping->attribute(archsim_key) : std::string(archsim_key);
  Attr base{r.values, r.unknown, child(r.config, "expressions"), r.loc, r.address};
  return base.get(name);
}

void Importer::build_all(const LeftOutRules& left_out) {
  std::set<std::string> zones;
  for (const auto& r : resources_) {
    if (r.mapping == nullptr || r.mapping->entity != "subnet") continue;
    if (const Attr z = attr(r, "zone"); z.known() && z.value->is_scalar()) zones.insert(z.text());
  }
  if (region_.empty() && !zones.empty()) {
    region_ = zones.begin()->substr(0, zones.begin()->size() - 1);
    region_loc_ = root_.loc;
  }
  // Builders run in dependency order: what others refer to is built first.
  static const std::vector<std::string> order = {
      "vpc", "vpc_secondary_cidr", "internet_gateway", "internet_gateway_attachment", "subnet", "security_group", "security_group_rule",
      "security_group_ingress", "security_group_egress", "nat_gateway", "vpc_endpoint", "route_table", "route", "route_table_association",
      "main_route_table_association", "ecr_repository", "log_group", "load_balancer", "listener", "listener_rule", "target_group_attachment",
      "component", "rds_instance", "aurora_cluster", "lambda_concurrency", "api_gateway", "api_integration", "api_authorizer", "cloudfront",
      "ecs_service", "codedeploy_group", "target_group", "autoscaling_target", "autoscaling_policy", "autoscaling_scheduled_action"};
  for (const auto& entity : order) {
    for (auto& r : resources_) {
      if (r.mapping != nullptr && r.mapping->entity == entity) build(r);
    }
  }
  for (auto& r : resources_) {
    if (r.mapping != nullptr && std::find(order.begin(), order.end(), r.mapping->entity) == order.end()) build(r);
  }
  for (const auto& r : resources_) {
    if (r.mapping != nullptr) {
      if (!r.mapping->note.empty()) {
        auto& s = skipped_[r.type];
        ++s.first;
        s.second = r.mapping->note;
      }
      continue;
    }
    if (r.data) continue;  // listed as data sources by the front end
    auto rule_for = [&](const std::vector<SkipRule>& rules) {
      return std::find_if(rules.begin(), rules.end(), [&](const SkipRule& s) { return r.type.starts_with(s.prefix); });
    };
    const auto skip = rule_for(left_out.skipped);
    const auto unsupported = rule_for(left_out.unsupported);
    auto& entry = skip != left_out.skipped.end() ? skipped_[r.type] : unsupported_[r.type];
    ++entry.first;
    if (skip != left_out.skipped.end()) entry.second = skip->reason;
    else if (unsupported != left_out.unsupported.end()) entry.second = unsupported->reason;
  }
  infer_routes();
  for (const auto& [type, e] : unsupported_) {
    const std::string reason = e.second.empty() ? "no archsim entity models it" : e.second;
    out_.unsupported.push_back({type, e.first, reason});
    b_.warning(SourceLoc{file_, 0, 0}, "", fmt::format("unsupported resource type {} ({} left out): {}", type, e.first, reason));
  }
  for (const auto& [type, e] : skipped_) out_.skipped.push_back({type, e.first, e.second});

  // A value only a deployment knows, written where archsim needs one (a task count, a port):
  // one_value made the optional ones assumptions; these cannot be imported.
  b_.visit_values([&](const std::string& path, const YamlNode& v) {
    if (const std::string what = deployment_value(v.scalar); !what.empty()) {
      b_.error(v.loc, path, fmt::format("{} is {}, which only a deployment knows; archsim needs the value itself here: write it in the template",
                                        path.substr(path.rfind('.') + 1), what));
    }
  });
  YamlNode root = map_node(root_.loc);
  if (!region_.empty()) put(root, "region", text_node(region_, region_loc_));
  YamlNode zone_list = list_node(root_.loc);
  for (const auto& z : zones) zone_list.items.push_back(text_node(z, root_.loc));
  put(root, "zones", std::move(zone_list));
  put(root, "description", text_node(fmt::format("Imported from {}", file_), root_.loc));
  b_.finish(std::move(root));
}

}  // namespace archsim::model::import_detail
