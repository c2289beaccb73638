// Private to the simulator: the routing rules every traffic model applies the same way.
//
// Which network relation a hop crosses, which tasks a load balancer node may send to and how
// a node reaches a regional AWS service: the request walk applies them to one request at a
// time, the flow model to a share of the traffic. Keeping them here keeps the two models from
// drifting apart; what depends on a component's kind lives with the kind (components/).
#pragma once

#include <array>
#include <string>

#include "archsim/sim/result.hpp"
#include "platform/platform.hpp"
#include "runtime.hpp"

namespace archsim::sim::detail {

inline Relation relation(const Node& a, const Node& b) {
  if (a.zone == kInternet || b.zone == kInternet) {
    const Node& other = a.zone == kInternet ? b : a;
    return other.zone == kEdge ? Relation::InternetToEdge : Relation::InternetToRegion;
  }
  if (a.zone == kEdge || b.zone == kEdge) return Relation::EdgeToRegion;
  if (a.zone >= 0 && b.zone >= 0) return a.zone == b.zone ? Relation::SameZone : Relation::CrossZone;
  return Relation::ZoneToRegional;
}

/// The one-way delay of each network relation: the workload's `network` over the defaults,
/// 0 for a relation neither names.
class NetworkDelays {
 public:
  explicit NetworkDelays(const RuntimeModel& model) {
    static const Distribution zero = Distribution::constant(0);
    for (std::size_t rel = 0; rel < kRelationNames.size(); ++rel) {
      const auto it = model.network.find(std::string(kRelationNames[rel]));
      by_relation_[rel] = it == model.network.end() ? &zero : &it->second;
    }
  }
  const Distribution& between(const Node& from, const Node& to) const { return *by_relation_[static_cast<std::size_t>(relation(from, to))]; }

 private:
  std::array<const Distribution*, kRelationNames.size()> by_relation_{};
};

/// Whether a caller may send to `task`: registered, of the release the listener picked (-1:
/// any) and, for a load balancer node without cross-zone balancing, in the node's zone.
inline bool may_send_to(const RuntimeModel& model, const Task& task, bool balanced, bool cross_zone, int zone, int only_release) {
  return task.registered && (only_release < 0 || task.release == only_release) &&
         (!balanced || cross_zone || model.nodes[task.node].zone == zone);
}

/// How calls from `from` reach the AWS service `service`: through a NAT gateway or an
/// endpoint, kDirect, or kNoPath.
inline Egress egress_path(const Node& from, const std::string& service) {
  const auto via = from.egress_via.find(service);
  return via == from.egress_via.end() ? kDirect : via->second;
}

/// Whether calls along `path` get through now: there is one, and what carries it is up.
inline bool egress_open(const Egress& path, const Platform& platform) {
  return path.reachable && !(path.via && platform.component_down(*path.via));
}

}  // namespace archsim::sim::detail
