// Every id a topology mentions must name something of the right kind. These are load errors
// (exit 2), not review findings: a dangling reference means the file cannot be understood.
#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "decode_topology.hpp"

namespace archsim::model::detail {

using namespace decoding;

namespace {

class ReferenceChecker {
 public:
  ReferenceChecker(const TopologySpec& t, DecodeContext& ctx) : t_(t), ctx_(ctx) {}

  template <class T>
  static std::vector<std::string> ids(const std::vector<T>& items) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(item.id);
    return out;
  }

  void name(const std::string& path, const std::string& id, std::string_view what,
            const std::vector<std::string>& candidates) {
    if (id.empty() || std::find(candidates.begin(), candidates.end(), id) != candidates.end()) return;
    ctx_.diagnostics.error(ctx_.sources.locate(path), path,
                           fmt::format("no {} named '{}'{}", what, id, did_you_mean(id, candidates)));
  }

  void names(const std::string& path, const std::vector<std::string>& list, std::string_view what,
             const std::vector<std::string>& candidates) {
    for (std::size_t i = 0; i < list.size(); ++i) name(index_path(path, i), list[i], what, candidates);
  }

  /// A component reference whose type must be one of `types`.
  void component(const std::string& path, const std::string& id, std::initializer_list<ComponentType> types) {
    if (id.empty()) return;
    const auto ref = t_.component(id);
    if (!ref) {
      ctx_.diagnostics.error(ctx_.sources.locate(path), path,
                             fmt::format("no component named '{}'{}", id, did_you_mean(id, t_.component_order)));
      return;
    }
    if (types.size() == 0 || std::find(types.begin(), types.end(), ref->type) != types.end()) return;
    std::vector<std::string> words;
    for (auto type : types) words.emplace_back(type_keyword(type));
    ctx_.diagnostics.error(ctx_.sources.locate(path), path,
                           fmt::format("'{}' is a {}, expected {}", id, type_keyword(ref->type), fmt::join(words, " or ")));
  }

  void subnets(const std::string& path, const std::vector<std::string>& list) { names(path, list, "subnet", ids(t_.subnets)); }
  void groups(const std::string& path, const std::vector<std::string>& list) {
    names(path, list, "security group", ids(t_.security_groups));
  }

  void run() {
    const auto vpc_ids = ids(t_.vpcs);
    const auto table_ids = ids(t_.route_tables);
    const auto group_ids = ids(t_.security_groups);
    for (const auto& s : t_.subnets) {
      name(s.path + ".vpc", s.vpc, "VPC", vpc_ids);
      name(s.path + ".route_table", s.route_table, "route table", table_ids);
      name(s.path + ".zone", s.zone, "zone of this topology (see `zones`)", t_.zones);
    }
    for (const auto& rt : t_.route_tables) {
      name(rt.path + ".vpc", rt.vpc, "VPC", vpc_ids);
      for (const auto& route : rt.routes) {
        if (route.target == RouteTarget::NatGateway) component(route.path + ".nat_gateway", route.target_id, {ComponentType::NatGateway});
        if (route.target == RouteTarget::VpcEndpoint) component(route.path + ".vpc_endpoint", route.target_id, {ComponentType::VpcEndpoint});
      }
    }
    for (const auto& sg : t_.security_groups) {
      name(sg.path + ".vpc", sg.vpc, "VPC", vpc_ids);
      for (const auto* rules : {&sg.ingress, &sg.egress}) {
        for (const auto& rule : *rules) name(rule.path + ".group", rule.group, "security group", group_ids);
      }
    }
    for (const auto& cf : t_.cloudfronts) {
      std::vector<std::string> origin_ids;
      for (const auto& o : cf.origins) {
        origin_ids.push_back(o.id);
        component(o.path + ".component", o.component,
                  {ComponentType::S3Bucket, ComponentType::LoadBalancer, ComponentType::ApiGateway});
      }
      for (const auto& b : cf.behaviors) name(b.path + ".origin", b.origin, "origin of this distribution", origin_ids);
    }
    for (const auto& a : t_.api_gateways) {
      component(a.authorizer.path + ".user_pool", a.authorizer.user_pool, {ComponentType::CognitoUserPool});
      if (a.vpc_link) {
        subnets(a.vpc_link->path + ".subnets", a.vpc_link->subnets);
        groups(a.vpc_link->path + ".security_groups", a.vpc_link->security_groups);
      }
      component(a.path + ".integration", a.integration,
                {ComponentType::LoadBalancer, ComponentType::Lambda, ComponentType::EcsService});
    }
    for (const auto& lb : t_.load_balancers) {
      subnets(lb.path + ".subnets", lb.subnets);
      groups(lb.path + ".security_groups", lb.security_groups);
      std::vector<std::string> tg_ids;
      for (const auto& tg : lb.target_groups) {
        tg_ids.push_back(tg.id);
        component(tg.path + ".targets", tg.targets, {ComponentType::EcsService, ComponentType::Lambda});
      }
      for (const auto& l : lb.listeners) {
        name(l.path + ".target_group", l.target_group, "target group of this load balancer", tg_ids);
        for (const auto& rule : l.rules) name(rule.path + ".target_group", rule.target_group, "target group of this load balancer", tg_ids);
      }
    }
    for (const auto& s : t_.ecs_services) {
      subnets(s.path + ".subnets", s.subnets);
      groups(s.path + ".security_groups", s.security_groups);
      component(s.path + ".log_group", s.log_group, {ComponentType::LogGroup});
      for (std::size_t i = 0; i < s.secrets.size(); ++i) {
        component(index_path(s.path + ".secrets", i), s.secrets[i],
                  {ComponentType::SecretsManager, ComponentType::ParameterStore});
      }
      // A repository written as a registry reference (`docker.io/library/nginx`) is external.
      if (s.image.repository.find_first_of("/.:") == std::string::npos) {
        component(s.image.path + ".repository", s.image.repository, {ComponentType::EcrRepository});
      }
      if (const auto& cd = s.deployment.codedeploy) {
        component(cd->path + ".load_balancer", cd->load_balancer, {ComponentType::LoadBalancer});
        if (const auto* lb = t_.load_balancer(cd->load_balancer)) {
          std::vector<std::string> tg_ids;
          for (const auto& tg : lb->target_groups) tg_ids.push_back(tg.id);
          names(cd->path + ".target_groups", cd->target_groups, "target group of " + lb->id, tg_ids);
        }
      }
      for (const auto& e : s.gateway_endpoints) {
        for (std::size_t i = 0; i < e.backends.size(); ++i) component(index_path(e.path + ".backends", i), e.backends[i], {});
      }
    }
    for (const auto& l : t_.lambdas) {
      subnets(l.path + ".subnets", l.subnets);
      groups(l.path + ".security_groups", l.security_groups);
    }
    for (const auto& d : t_.databases) {
      subnets(d.path + ".subnets", d.subnets);
      groups(d.path + ".security_groups", d.security_groups);
      // The primary runs in a zone of its subnet group (else the topology's zones): another
      // value would silently leave it in the first subnet's zone.
      std::vector<std::string> zones;
      for (const auto& id : d.subnets) {
        for (const auto& s : t_.subnets) {
          if (s.id == id && std::find(zones.begin(), zones.end(), s.zone) == zones.end()) zones.push_back(s.zone);
        }
      }
      name(d.path + ".primary_zone", d.primary_zone, d.subnets.empty() ? "zone of this topology (see `zones`)" : "zone of the database's subnets",
           d.subnets.empty() ? t_.zones : zones);
    }
    for (const auto& n : t_.nat_gateways) name(n.path + ".subnet", n.subnet, "subnet", ids(t_.subnets));
    for (const auto& e : t_.vpc_endpoints) {
      name(e.path + ".vpc", e.vpc, "VPC", vpc_ids);
      subnets(e.path + ".subnets", e.subnets);
      groups(e.path + ".security_groups", e.security_groups);
      names(e.path + ".route_tables", e.route_tables, "route table", table_ids);
    }
    for (const auto& route : t_.routes) {
      for (std::size_t i = 0; i < route.hops.size(); ++i) {
        if (i == 0) component(route.hops[i].path, route.hops[i].component, {ComponentType::InternetUsers});
        else component(route.hops[i].path, route.hops[i].component, {});
      }
    }
  }

 private:
  const TopologySpec& t_;
  DecodeContext& ctx_;
};

}  // namespace

void check_references(const TopologySpec& topology, DecodeContext& ctx) { ReferenceChecker(topology, ctx).run(); }

}  // namespace archsim::model::detail
