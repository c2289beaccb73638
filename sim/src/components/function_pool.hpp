// Private to the simulator: a Lambda function, a pool of execution environments.
//
// A request needs a free environment within the function's concurrency (reserved, or the
// account's unreserved pool); a new environment pays a cold start, provisioned ones are
// used first; the bill is per invocation run and per GB-second from the start of INIT. The
// request walk counts environments one by one; the flow model gets the same figures from
// Erlang B (throttles) and the M/G/inf count of busy environments (provisioned, warm).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "archsim/sim/queueing.hpp"
#include "components/component_kind.hpp"

namespace archsim::sim::detail {

struct FunctionPool : ComponentKind {
  static constexpr bool kLogsRequests = true;

  template <class Add>
  static void add_meters(const RuntimeModel& model, ComponentId ci, ComponentMeters& m, Add&& add) {
    m.gb_seconds = add(Meter::GbSeconds);
    m.cold_starts = add(Meter::ColdStarts);
    m.init_seconds = add(Meter::InitSeconds);
    if (model.components[ci].provisioned_concurrency > 0) {
      // Provisioned concurrency is billed for the environments kept ready (GB-s of memory
      // configured, whether used or not) and, at its own rate, for the invocations they serve.
      m.provisioned_seconds = add(Meter::ProvisionedGbSeconds);
      m.provisioned_duration = add(Meter::ProvisionedDurationGbSeconds);
    }
  }

  /// Lambda bills the invocations it runs (a function error included), not those it
  /// throttles: nothing is billed on arrival, `requests` once it runs.
  static int arrival_meter(const ComponentMeters&, const RoutePlan&) { return -1; }
  static int ran_meter(const ComponentMeters& ids) { return ids.requests; }

  /// One run of the handler, both engines: a draw of its service time, cut at the timeout.
  struct Run {
    std::int64_t ns = 0;
    bool timed_out = false;
  };
  static Run draw_run(const ComponentModel& c, RandomStream& rng) {
    Run run{draw_ns(c.service_time, rng), false};
    if (c.behaviour.timeout.ns > 0 && run.ns > c.behaviour.timeout.ns) run = {c.behaviour.timeout.ns, true};
    return run;
  }

  // ------------------------------------------------------------ request walk

  /// The function's environments as the walk counts them.
  struct Environments {
    int in_use = 0;            ///< busy environments, provisioned ones included
    int provisioned_busy = 0;  ///< busy provisioned environments
    std::vector<std::int64_t> idle_since;  ///< idle environments, most recently used last
  };
  struct Admission {
    bool throttled = false;
    bool provisioned = false;  ///< a provisioned environment serves it
    std::int64_t init_ns = 0;  ///< a cold start's INIT, 0 when warm
  };
  /// Takes an environment for a request arriving at `now_ns`, or throttles it.
  /// `account_in_use` counts busy environments on the account's unreserved pool.
  template <class MeterFn>
  static Admission admit_request(const ComponentModel& c, const ComponentMeters& ids, Environments& env, int& account_in_use,
                                 int account_limit, std::int64_t now_ns, RandomStream& rng, MeterFn&& meter) {
    // Environments idle longer than the reclaim period are gone; the rest are reused most
    // recently used first.
    const std::int64_t reclaim = c.behaviour.idle_reclaim.ns;
    while (!env.idle_since.empty() && reclaim > 0 && now_ns - env.idle_since.front() > reclaim) env.idle_since.erase(env.idle_since.begin());
    Admission a;
    // Provisioned environments are initialised ahead and kept: they take requests first, and
    // only the concurrency beyond them starts on-demand environments (lambda-concurrency.html).
    a.provisioned = env.provisioned_busy < c.provisioned_concurrency;
    // A free provisioned environment always serves. Beyond them, reserved concurrency is the
    // function's own (provisioned environments included); the others share the account's rest.
    const bool from_pool = c.account_pool && !a.provisioned;
    if (!a.provisioned && (from_pool ? account_in_use >= account_limit : env.in_use >= c.concurrency)) {
      a.throttled = true;
      return a;
    }
    meter(ids.requests, 1);
    ++env.in_use;
    if (from_pool) ++account_in_use;
    if (a.provisioned) {
      ++env.provisioned_busy;
    } else if (env.idle_since.empty()) {
      a.init_ns = draw_ns(c.behaviour.cold_start, rng);
      meter(ids.cold_starts, 1);
      meter(ids.init_seconds, static_cast<double>(a.init_ns) / 1e9);
    } else {
      env.idle_since.pop_back();
    }
    return a;
  }
  /// Gives the environment back at `now_ns` and bills its run from `began_ns` (the start of
  /// INIT: since 1 August 2025 Lambda bills the INIT phase of on-demand invocations for every
  /// runtime and package type, AWS Compute Blog, "AWS Lambda standardizes billing for INIT
  /// Phase", 2025-04-29), rounded up to the millisecond.
  template <class MeterFn>
  static void release_request(const ComponentModel& c, const ComponentMeters& ids, Environments& env, int& account_in_use,
                              bool provisioned, std::int64_t began_ns, std::int64_t now_ns, MeterFn&& meter) {
    --env.in_use;
    if (c.account_pool && !provisioned) --account_in_use;
    const double ms = std::ceil(static_cast<double>(now_ns - began_ns) / 1e6);
    if (provisioned) {
      --env.provisioned_busy;
      meter(ids.provisioned_duration, ms / 1000.0 * c.memory_gb);
    } else {
      env.idle_since.push_back(now_ns);
      meter(ids.gb_seconds, ms / 1000.0 * c.memory_gb);
    }
  }

  // ------------------------------------------------------------ flow model

  /// Shares of a stationary stretch's requests, at `rate_per_ns` requests a nanosecond.
  struct FlowAdmission {
    double throttled = 0;
    double provisioned = 0;  ///< served by a provisioned environment
    double cold_start = 0;   ///< of all requests (the provisioned share never starts cold)
    double timed_out = 0;    ///< of those that run
  };
  static FlowAdmission admit_flow(const ComponentModel& c, double rate_per_ns, int account_limit) {
    FlowAdmission a;
    const double busy = rate_per_ns * c.service_time.mean();
    const int environments = c.account_pool ? account_limit : c.concurrency;
    a.throttled = erlang_b(std::max(0, environments), busy);
    // Provisioned environments serve while fewer than them are busy (the M/G/inf count).
    if (c.provisioned_concurrency > 0) {
      double term = std::exp(-busy), below = 0;
      for (int k = 0; k < c.provisioned_concurrency; ++k) {
        below += term;
        term *= busy / (k + 1);
      }
      a.provisioned = std::min(1.0, below);
    }
    // An on-demand environment is warm if a request came within the reclaim period.
    const double reclaim = static_cast<double>(c.behaviour.idle_reclaim.ns);
    a.cold_start = (1 - a.provisioned) * (reclaim > 0 ? std::exp(-rate_per_ns * reclaim / std::max(1.0, busy)) : 1.0);
    if (c.behaviour.timeout.ns > 0) a.timed_out = c.service_time.share_above(static_cast<double>(c.behaviour.timeout.ns));
    return a;
  }
  /// The meters of `ran` of the requests (those not throttled), per request of the route.
  template <class MeterFn>
  static void meter_flow(const ComponentModel& c, const ComponentMeters& ids, double ran, double cold_start, double provisioned,
                         MeterFn&& meter) {
    meter(ids.requests, ran);
    const double cold = ran * cold_start;
    meter(ids.cold_starts, cold);
    meter(ids.init_seconds, cold * c.behaviour.cold_start.mean() / 1e9);
    // Billed from the start of INIT, rounded up to the millisecond (half a one on average).
    double run_ms = c.service_time.mean() / 1e6;
    if (c.behaviour.timeout.ns > 0) run_ms = std::min(run_ms, static_cast<double>(c.behaviour.timeout.ns) / 1e6);
    const double on_demand = ran * (1 - provisioned);
    meter(ids.gb_seconds, (on_demand * (run_ms + 0.5) + cold * c.behaviour.cold_start.mean() / 1e6) / 1000 * c.memory_gb);
    meter(ids.provisioned_duration, ran * provisioned * (run_ms + 0.5) / 1000 * c.memory_gb);
  }
  /// One request-level sample of its time: a cold start by the shares, then a run.
  static std::int64_t sample_flow_ns(const ComponentModel& c, double provisioned, double cold_start, RandomStream& rng) {
    std::int64_t t = 0;
    if (rng.uniform() >= provisioned && rng.uniform() < cold_start / std::max(1e-300, 1 - provisioned)) {
      t += draw_ns(c.behaviour.cold_start, rng);
    }
    return t + draw_run(c, rng).ns;
  }
};

}  // namespace archsim::sim::detail
