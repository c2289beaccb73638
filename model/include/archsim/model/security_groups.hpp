// Security-group evaluation: does this group set admit that traffic?
//
// Stateful, allow-only semantics as in AWS: traffic passes when any ingress rule of any group
// on the target admits the source and port (and an egress rule of the source's groups admits
// the destination). A rule names a CIDR or another group; a group rule admits traffic from
// ENIs carrying that group. Prefix lists are not modelled.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "archsim/model/aws_facts.hpp"
#include "archsim/model/cidr.hpp"
#include "archsim/model/graph.hpp"
#include "archsim/model/spec.hpp"

namespace archsim::model {

/// Who sends the traffic: ENIs with these groups at this address range, or the internet.
struct TrafficPeer {
  std::vector<std::string> security_groups;
  std::optional<Ipv4Cidr> address_range;  ///< the sender's subnet
  bool internet = false;                  ///< an arbitrary public address
};

bool ingress_admits(const TopologySpec& topology, const std::vector<std::string>& groups, const TrafficPeer& source,
                    int port);

bool egress_admits(const TopologySpec& topology, const std::vector<std::string>& groups, const TrafficPeer& destination,
                   int port);

/// Ingress rules among `groups` that admit the whole IPv4 internet (a /0 block).
std::vector<const SecurityGroupRuleSpec*> world_open_ingress(const TopologySpec& topology,
                                                             const std::vector<std::string>& groups);

/// A request flow of the topology (a Request link of the graph) that the security groups of
/// its ends drop: the receiver admits nothing from the sender on its ports, or the sender's
/// egress rules let nothing out to it. The review reports it (sg-blocks-request-flow); the
/// simulator times out the requests and health checks that would cross it.
struct BlockedFlow {
  std::string from, to;  ///< component ids
  std::string path;      ///< the receiver's `security_groups`, for locating the finding
  std::string reason;    ///< `alb -> api: the security groups of api (task-sg) admit no traffic from ...`
};

/// Every blocked request flow, once per pair of components (every placement pair fails for
/// the same reason). A receiver with no groups listed gets the VPC's default group, which
/// archsim cannot see, and is not judged.
std::vector<BlockedFlow> blocked_request_flows(const ArchGraph& g, const TopologySpec& topology, const AwsFacts& facts);

/// "tcp 443", "tcp 8000-8100", "all traffic".
std::string describe_ports(const SecurityGroupRuleSpec& rule);

}  // namespace archsim::model
