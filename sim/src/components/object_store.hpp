// Private to the simulator: an S3 bucket.
//
// A regional service that takes its service time; it bills writes (PUT, COPY, POST, LIST)
// apart from reads (GET), so a request's arrival counts on the meter its route's method
// says.
#pragma once

#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct ObjectStore : ComponentKind {
  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    m.data_out = add(Meter::InternetOutBytes);
    // S3 bills writes at another rate than reads (`requests` are the GETs); the meter exists
    // only where a route writes, so a read-only bucket's bill is unchanged.
    bool written = false;
    for (const auto& plan : model.plans) {
      for (const auto& hop : plan.hops) written = written || (plan.write && hop.component == ci);
    }
    if (written) m.put_requests = add(Meter::PutRequests);
    // Infrequent-access classes charge per GB read back, whoever reads it (a CloudFront
    // origin fetch, a task): the meter exists only for them, so a Standard bucket's bill is
    // unchanged.
    if (model.components[ci].bills_retrieval) m.retrieved = add(Meter::RetrievedBytes);
  }

  static int arrival_meter(const ComponentMeters& ids, const RoutePlan& plan) { return plan.write ? ids.put_requests : ids.requests; }
};

}  // namespace archsim::sim::detail
