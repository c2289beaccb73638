// Private to the simulator: a CloudFront distribution.
//
// It answers a share of requests from its cache (the hit ratio) without going on to the
// origin, and bills the bytes it sends to the internet. The walk draws each request's hit;
// the flow model and the analytic model take the ratio as a share.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct EdgeCache : ComponentKind {
  static constexpr bool kAnswersFromCache = true;

  template <class Add>
  static void add_meters(const RuntimeModel&, ComponentId, ComponentMeters& m, Add&& add) {
    m.cache_hits = add(Meter::CacheHits);
    m.data_out = add(Meter::InternetOutBytes);
  }

  static double cache_hit_ratio(const ComponentModel& c) { return c.behaviour.cache_hit_ratio; }
};

}  // namespace archsim::sim::detail
