#include "archsim/model/security_groups.hpp"

#include <algorithm>
#include <set>

#include <boost/graph/adjacency_list.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rule_helpers.hpp"

namespace archsim::model {

namespace {

bool port_matches(const SecurityGroupRuleSpec& rule, int port) {
  // Request flows here are TCP; ICMP rules admit none of them.
  if (rule.protocol == IpProtocol::All) return true;
  if (rule.protocol != IpProtocol::Tcp) return false;
  return port >= rule.from_port && port <= rule.to_port;
}

bool peer_matches(const SecurityGroupRuleSpec& rule, const TrafficPeer& peer) {
  if (!rule.group.empty()) {
    return std::find(peer.security_groups.begin(), peer.security_groups.end(), rule.group) != peer.security_groups.end();
  }
  if (!rule.cidr) return false;
  const auto block = parse_cidr(rule.cidr->text);
  if (!block.cidr) return false;
  if (peer.internet) return block.cidr->prefix == 0;
  return peer.address_range && block.cidr->contains(*peer.address_range);
}

bool any_rule_admits(const TopologySpec& t, const std::vector<std::string>& groups, const TrafficPeer& peer, int port,
                     bool ingress) {
  for (const auto& id : groups) {
    const SecurityGroupSpec* sg = t.security_group(id);
    if (sg == nullptr) continue;
    for (const auto& rule : ingress ? sg->ingress : sg->egress) {
      if (port_matches(rule, port) && peer_matches(rule, peer)) return true;
    }
  }
  return false;
}

}  // namespace

bool ingress_admits(const TopologySpec& t, const std::vector<std::string>& groups, const TrafficPeer& source, int port) {
  return any_rule_admits(t, groups, source, port, true);
}

bool egress_admits(const TopologySpec& t, const std::vector<std::string>& groups, const TrafficPeer& destination,
                   int port) {
  // A sender with no security groups (a managed service outside the VPC) is not filtered here.
  return groups.empty() || any_rule_admits(t, groups, destination, port, false);
}

std::vector<const SecurityGroupRuleSpec*> world_open_ingress(const TopologySpec& t,
                                                             const std::vector<std::string>& groups) {
  std::vector<const SecurityGroupRuleSpec*> open;
  for (const auto& id : groups) {
    const SecurityGroupSpec* sg = t.security_group(id);
    if (sg == nullptr) continue;
    for (const auto& rule : sg->ingress) {
      if (!rule.cidr) continue;
      const auto block = parse_cidr(rule.cidr->text);
      if (block.cidr && block.cidr->prefix == 0) open.push_back(&rule);
    }
  }
  return open;
}

std::string describe_ports(const SecurityGroupRuleSpec& rule) {
  switch (rule.protocol) {
    case IpProtocol::All: return "all traffic";
    case IpProtocol::Icmp: return "icmp";
    case IpProtocol::Tcp:
    case IpProtocol::Udp: {
      const char* proto = rule.protocol == IpProtocol::Tcp ? "tcp" : "udp";
      if (rule.from_port == rule.to_port) return fmt::format("{} {}", proto, rule.from_port);
      return fmt::format("{} {}-{}", proto, rule.from_port, rule.to_port);
    }
  }
  return "traffic";
}

namespace {

/// The engine's default port (model/data/review_policy.yaml); 0 (matches no rule) if unknown.
int database_port(const AwsFacts& facts, const RdsSpec& db) {
  const auto it = facts.database_ports.find(db.engine);
  return it == facts.database_ports.end() ? 0 : it->second;
}

/// The sender of a request flow, for security-group purposes.
std::optional<TrafficPeer> sender(const TopologySpec& t, const Placement& p) {
  auto range_of = [&](const std::string& subnet) -> std::optional<Ipv4Cidr> {
    const SubnetSpec* s = t.subnet(subnet);
    return s ? detail::parsed(s->cidr) : std::nullopt;
  };
  switch (p.type) {
    case ComponentType::InternetUsers:
    case ComponentType::CloudFront:
      return TrafficPeer{{}, std::nullopt, true};
    case ComponentType::ApiGateway: {
      for (const auto& api : t.api_gateways) {
        if (api.id != p.component) continue;
        if (!api.vpc_link) return TrafficPeer{{}, std::nullopt, true};
        return TrafficPeer{api.vpc_link->security_groups,
                           api.vpc_link->subnets.empty() ? std::nullopt : range_of(api.vpc_link->subnets.front()), false};
      }
      return std::nullopt;
    }
    case ComponentType::LoadBalancer:
      if (const auto* lb = t.load_balancer(p.component)) return TrafficPeer{lb->security_groups, range_of(p.subnet), false};
      return std::nullopt;
    case ComponentType::EcsService:
      if (const auto* s = t.ecs_service(p.component)) return TrafficPeer{s->security_groups, range_of(p.subnet), false};
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

struct Receiver {
  std::vector<std::string> groups;
  std::vector<int> ports;  // any one admitted is enough
  std::string path;
};

std::optional<Receiver> receiver(const TopologySpec& t, const AwsFacts& facts, const Placement& p) {
  if (const auto* lb = t.load_balancer(p.component)) {
    Receiver r{lb->security_groups, {}, lb->path + ".security_groups"};
    for (const auto& l : lb->listeners) r.ports.push_back(l.port);
    return r;
  }
  if (const auto* s = t.ecs_service(p.component)) {
    return Receiver{s->security_groups, {s->container_port}, s->path + ".security_groups"};
  }
  if (const auto* d = t.database(p.component)) {
    return Receiver{d->security_groups, {database_port(facts, *d)}, d->path + ".security_groups"};
  }
  return std::nullopt;
}

}  // namespace

std::vector<BlockedFlow> blocked_request_flows(const ArchGraph& g, const TopologySpec& topology, const AwsFacts& facts) {
  std::vector<BlockedFlow> out;
  std::set<std::pair<std::string, std::string>> checked;
  for (auto [e, end] = boost::edges(g.graph); e != end; ++e) {
    if (g.graph[*e].kind != LinkKind::Request) continue;
    const Placement& from = g.graph[boost::source(*e, g.graph)];
    const Placement& to = g.graph[boost::target(*e, g.graph)];
    const auto src = sender(topology, from);
    const auto dst = receiver(topology, facts, to);
    // A target with no groups listed gets the VPC's default group, which archsim cannot see.
    if (!src || !dst || dst->groups.empty()) continue;
    // One finding per pair of components: every placement pair fails for the same reason.
    if (!checked.insert({from.component, to.component}).second) continue;
    const TrafficPeer destination{dst->groups, [&]() -> std::optional<Ipv4Cidr> {
                                    const SubnetSpec* s = topology.subnet(to.subnet);
                                    return s ? detail::parsed(s->cidr) : std::nullopt;
                                  }(),
                                  false};
    const bool admitted = std::any_of(dst->ports.begin(), dst->ports.end(), [&](int port) {
      return ingress_admits(topology, dst->groups, *src, port) &&
             egress_admits(topology, src->security_groups, destination, port);
    });
    if (admitted) continue;
    std::vector<std::string> ports;
    for (int p : dst->ports) ports.push_back(std::to_string(p));
    const std::string who = src->internet ? std::string("the internet")
                                          : (src->security_groups.empty() ? from.component
                                                                          : fmt::format("{} (groups {})", from.component,
                                                                                        fmt::join(src->security_groups, ", ")));
    out.push_back({from.component, to.component, dst->path, fmt::format("{} -> {}: the security groups of {} ({}) admit no traffic from {} on port {} "
                                       "(or the sender's egress rules drop it)",
                                       from.component, to.component, to.component, fmt::join(dst->groups, ", "), who,
                                       fmt::join(ports, "/"))});
  }
  return out;
}


}  // namespace archsim::model
