// Private to the simulator: from a component's Role to its kind, once.
//
// `visit_kind(role, f)` calls `f` with the kind's type (TaskService{}, LoadBalancer{}, ...):
// one switch the compiler turns into a jump, no virtual call per request. `kind(role)` gives
// the kind's constexpr facts as a table row, for the places that only ask a yes/no question.
// Adding a Role means adding its kind here and nowhere else in the traffic engines.
#pragma once

#include "components/database.hpp"
#include "components/edge_cache.hpp"
#include "components/function_pool.hpp"
#include "components/gateway.hpp"
#include "components/load_balancer.hpp"
#include "components/object_store.hpp"
#include "components/passive.hpp"
#include "components/task_service.hpp"
#include "components/token_bucket_table.hpp"

namespace archsim::sim::detail {

template <class F>
constexpr decltype(auto) visit_kind(Role role, F&& f) {
  switch (role) {
    case Role::Service: return f(TaskService{});
    case Role::Database: return f(Database{});
    case Role::Balancer: return f(LoadBalancer{});
    case Role::Gateway: return f(Gateway{});
    case Role::Function: return f(FunctionPool{});
    case Role::Table: return f(TokenBucketTable{});
    case Role::Edge: return f(EdgeCache{});
    case Role::Store: return f(ObjectStore{});
    case Role::Users: return f(Users{});
    case Role::Passive: break;
  }
  return f(Passive{});
}

/// A kind's constexpr facts (component_kind.hpp says what each means).
struct KindFacts {
  bool holds_task_slots = false;
  bool counts_requests = true;
  bool answers_from_cache = false;
  Outcome node_down = Outcome::Unreachable;
  Outcome task_gone = Outcome::Unreachable;
  bool feeds_service_load = false;
  bool logs_requests = false;
  bool nodes_in_dns = false;
  bool bills_crossings = false;
  bool checks_targets = false;
  bool relays_answers = false;
};

template <class K>
inline constexpr KindFacts kFactsOf{K::kHoldsTaskSlots, K::kCountsRequests, K::kAnswersFromCache, K::kNodeDown,
                                    K::kTaskGone,       K::kFeedsServiceLoad, K::kLogsRequests,  K::kNodesInDns,
                                    K::kBillsCrossings, K::kChecksTargets,    K::kRelaysAnswers};

inline const KindFacts& kind(Role role) {
  return visit_kind(role, [](auto k) -> const KindFacts& { return kFactsOf<decltype(k)>; });
}

/// The share of its requests a component answers itself (CloudFront's cache), 0 for most.
inline double cache_hit_ratio(const ComponentModel& c) {
  return visit_kind(c.role, [&](auto k) { return decltype(k)::cache_hit_ratio(c); });
}

}  // namespace archsim::sim::detail
