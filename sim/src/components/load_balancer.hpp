// Private to the simulator: an Elastic Load Balancing load balancer (Application, Network,
// Classic).
//
// It is the kind that stands between clients and targets: clients find its nodes by DNS
// (with the TTL's lag after a change), it sends only to registered targets and healthy ones
// first, zone crossings with it at one end are billed on it, and it bills by processed
// bytes, connections and rule evaluations (LCUs).
#pragma once

#include <algorithm>
#include <cmath>
#include <utility>

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct LoadBalancer : ComponentKind {
  static constexpr Outcome kNodeDown = Outcome::LoadBalancerDown;
  static constexpr bool kNodesInDns = true;
  static constexpr bool kBillsCrossings = true;
  static constexpr bool kChecksTargets = true;
  static constexpr bool kRelaysAnswers = true;

  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    const ComponentModel& c = model.components[ci];
    m.bytes = add(Meter::ProcessedBytes);
    m.new_connections = add(Meter::NewConnections);
    m.connection_seconds = add(Meter::ConnectionSeconds);
    if (c.kind == "load_balancer.application") m.rule_evaluations = add(Meter::RuleEvaluations);
    m.data_out = add(Meter::InternetOutBytes);
  }

  /// Request walk: the LCU dimensions of one request. Clients reuse a connection for
  /// `requests_per_connection` requests, so whole new connections are billed as the
  /// fractions (`carry`) add up.
  template <class MeterFn>
  static void meter_request(const ComponentModel& c, const ComponentMeters& ids, const ConnectionSpec& connections, double bytes,
                            double& carry, MeterFn&& meter) {
    meter(ids.bytes, bytes);
    carry += 1.0 / connections.requests_per_connection;
    if (carry >= 1.0) {
      const double whole = std::floor(carry);
      carry -= whole;
      meter(ids.new_connections, whole);
      meter(ids.connection_seconds, whole * connections.duration.to_seconds());
    }
    meter(ids.rule_evaluations, c.rules_evaluated);
  }
  /// Flow model: the same dimensions for `share` of the requests, connections as a fraction.
  template <class MeterFn>
  static void meter_flow(const ComponentModel& c, const ComponentMeters& ids, const ConnectionSpec& connections, double bytes,
                         double share, MeterFn&& meter) {
    meter(ids.bytes, share * bytes);
    meter(ids.new_connections, share / connections.requests_per_connection);
    meter(ids.connection_seconds, share / connections.requests_per_connection * connections.duration.to_seconds());
    meter(ids.rule_evaluations, share * c.rules_evaluated);
  }

  /// Request walk: DNS answers with the address of every listed node and clients spread over
  /// them evenly. After a change, clients still use the previous answer until their cached
  /// copy expires: caches expire uniformly over the TTL, so the share on the old answer falls
  /// linearly.
  static NodeId pick_node_request(const ComponentModel& c, const ComponentControl& dns, const Platform&, std::int64_t now_ns,
                                  RandomStream& rng) {
    const std::vector<char>* answer = &dns.dns_listed;
    if (dns.dns_changed_ns >= 0 && c.behaviour.dns_ttl.ns > 0) {
      const double age = static_cast<double>(now_ns - dns.dns_changed_ns) / static_cast<double>(c.behaviour.dns_ttl.ns);
      if (age < 1 && rng.uniform() >= age) answer = &dns.dns_previous;
    }
    int listed = 0;
    for (char l : *answer) listed += l;
    if (listed == 0) return c.nodes[rng.below(c.nodes.size())];
    auto k = static_cast<int>(rng.below(static_cast<std::size_t>(listed)));
    for (std::size_t i = 0; i < answer->size(); ++i) {
      if ((*answer)[i] && k-- == 0) return c.nodes[i];
    }
    return c.nodes.front();
  }
  /// Flow model: the same DNS answers as shares.
  template <class Share>
  static void node_shares_flow(const ComponentModel& c, const ComponentControl& dns, const Platform&, std::int64_t now_ns, Share&& share) {
    double previous_share = 0;
    if (dns.dns_changed_ns >= 0 && c.behaviour.dns_ttl.ns > 0) {
      const double age = static_cast<double>(now_ns - dns.dns_changed_ns) / static_cast<double>(c.behaviour.dns_ttl.ns);
      previous_share = std::clamp(1 - age, 0.0, 1.0);
    }
    for (const auto& [answer, weight] : {std::pair{&dns.dns_listed, 1 - previous_share}, std::pair{&dns.dns_previous, previous_share}}) {
      if (weight <= 0) continue;
      const std::vector<char>& listed = *answer;
      int count = 0;
      for (char l : listed) count += l;
      for (std::size_t i = 0; i < c.nodes.size(); ++i) {
        if (count == 0) share(c.nodes[i], weight / static_cast<double>(c.nodes.size()));
        else if (listed[i]) share(c.nodes[i], weight / count);
      }
    }
  }
};

}  // namespace archsim::sim::detail
