// Private to the simulator: an API Gateway API.
//
// A regional service that adds its own latency (and an authorizer's, when it has one) and
// bills per request, HTTP APIs per started size increment.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct Gateway : ComponentKind {
  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    // HTTP APIs count a request once per started size increment (behaviour.yaml).
    if (model.components[ci].behaviour.metering_increment.count > 0) m.metered_requests = add(Meter::MeteredRequests);
    m.data_out = add(Meter::InternetOutBytes);
  }

  /// Its own latency, then the authorizer's (a Lambda or Cognito check before the integration).
  static std::int64_t draw_work_ns(const ComponentModel& c, RandomStream& rng) {
    std::int64_t t = draw_ns(c.service_time, rng);
    if (c.authorizer) t += draw_ns(c.behaviour.authorizer_time, rng);
    return t;
  }
};

}  // namespace archsim::sim::detail
