// Private to the model library: small questions several rules ask of a topology.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "archsim/model/cidr.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::model::detail {

/// The parsed block, or nullopt when malformed (cidr-syntax reports those).
inline std::optional<Ipv4Cidr> parsed(const CidrText& text) { return parse_cidr(text.text).cidr; }

/// The route a table uses for 0.0.0.0/0, or nullptr.
inline const RouteSpec* default_route(const RouteTableSpec* table) {
  if (table == nullptr) return nullptr;
  for (const auto& r : table->routes) {
    const auto c = parsed(r.destination);
    if (c && c->prefix == 0) return &r;
  }
  return nullptr;
}

/// Whether the subnet's route table sends 0.0.0.0/0 to an internet gateway its VPC has.
inline bool routes_to_internet_gateway(const TopologySpec& t, const SubnetSpec& s) {
  const RouteSpec* r = default_route(t.route_table_of(s));
  const VpcSpec* vpc = t.vpc(s.vpc);
  return r != nullptr && r->target == RouteTarget::InternetGateway && vpc != nullptr && vpc->internet_gateway;
}

inline std::set<std::string> zones_of(const TopologySpec& t, const std::vector<std::string>& subnets) {
  std::set<std::string> zones;
  for (const auto& id : subnets) {
    if (const SubnetSpec* s = t.subnet(id)) zones.insert(s->zone);
  }
  return zones;
}

/// Every CIDR block of a VPC, primary first.
inline std::vector<const CidrText*> vpc_blocks(const VpcSpec& vpc) {
  std::vector<const CidrText*> blocks{&vpc.cidr};
  for (const auto& c : vpc.secondary_cidrs) blocks.push_back(&c);
  return blocks;
}

}  // namespace archsim::model::detail
