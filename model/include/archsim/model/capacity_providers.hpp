// Where ECS places a Fargate service's tasks: on FARGATE or on FARGATE_SPOT.
//
// A service's capacity provider strategy runs its first `base` tasks on one provider and
// shares the tasks beyond it by weight ("for every one task that's run using
// capacityProviderA, four tasks would use capacityProviderB"). A service without one runs on
// the alternative's `pricing.fargate`, as on a cluster whose default strategy is that
// provider. The simulator places each task it launches by this rule; the price of a month
// nobody simulated and the bill's always-on figure split a task count by it, so the rule
// lives here once. docs/faults.md ("Fargate Spot interruptions") states it with its sources.
#pragma once

#include <vector>

#include "archsim/model/spec.hpp"

namespace archsim::model {

/// The strategy a service's tasks are placed by: its own, else all on the alternative's
/// provider (FARGATE_SPOT when `alternative_on_spot`).
std::vector<CapacityProviderStrategyItem> effective_strategy(const EcsServiceSpec& service, bool alternative_on_spot);

/// Whether any task placed by `strategy` can run on Fargate Spot.
bool places_on_spot(const std::vector<CapacityProviderStrategyItem>& strategy);
/// Whether any task of `service` can run on Fargate Spot, by its effective strategy.
bool places_on_spot(const EcsServiceSpec& service, bool alternative_on_spot);

/// The provider of the next task, given how many tasks of the set being launched run on each:
/// the base provider until its base is met, then the provider furthest below its weighted
/// share of the tasks beyond the bases (the earlier item of the strategy on a tie). An empty
/// strategy is FARGATE.
CapacityProvider next_provider(const std::vector<CapacityProviderStrategyItem>& strategy, int on_fargate, int on_spot);

/// Of `tasks` tasks placed one by one from none, how many run on Fargate Spot.
int spot_tasks(const std::vector<CapacityProviderStrategyItem>& strategy, int tasks);

}  // namespace archsim::model
