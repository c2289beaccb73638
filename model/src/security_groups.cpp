#include "archsim/model/security_groups.hpp"

#include <algorithm>

#include <fmt/format.h>

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

}  // namespace archsim::model
