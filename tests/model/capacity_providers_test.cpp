// The capacity provider rule against ECS's own worked example and the cases around it.
#include <doctest/doctest.h>

#include "archsim/model/capacity_providers.hpp"

using namespace archsim::model;

namespace {

CapacityProviderStrategyItem item(CapacityProvider provider, int base, int weight) {
  return CapacityProviderStrategyItem{.path = {}, .provider = provider, .base = base, .weight = weight};
}

constexpr auto kFargate = CapacityProvider::Fargate;
constexpr auto kSpot = CapacityProvider::FargateSpot;

}  // namespace

TEST_CASE("capacity providers: the base first, then the weights, as ECS's example splits six tasks") {
  // "if you specify a weight of 1 for capacityProviderA and a weight of 4 for
  // capacityProviderB, then for every one task that's run using capacityProviderA, four tasks
  // would use capacityProviderB"; with a base of 1 on A, six tasks are 1 + 1 on A and 4 on B.
  const std::vector strategy{item(kFargate, 1, 1), item(kSpot, 0, 4)};
  CHECK(spot_tasks(strategy, 0) == 0);
  CHECK(spot_tasks(strategy, 1) == 0);  // the base
  CHECK(spot_tasks(strategy, 2) == 1);
  CHECK(spot_tasks(strategy, 6) == 4);
  CHECK(spot_tasks(strategy, 11) == 8);  // 1 + 10 split 2 : 8
  // One by one, the next task goes where its provider is furthest below its share.
  CHECK(next_provider(strategy, 0, 0) == kFargate);
  CHECK(next_provider(strategy, 1, 2) == kSpot);
  CHECK(next_provider(strategy, 1, 3) == kFargate);  // a tie, A's next at 1/1 and B's at 4/4: the earlier item
  CHECK(next_provider(strategy, 2, 3) == kSpot);
  CHECK(next_provider(strategy, 0, 5) == kFargate);  // below its base, whatever the rest holds
}

TEST_CASE("capacity providers: equal weights alternate, a zero weight takes only its base, one item takes everything") {
  const std::vector even{item(kSpot, 0, 1), item(kFargate, 0, 1)};
  CHECK(spot_tasks(even, 4) == 2);
  CHECK(spot_tasks(even, 5) == 3);  // the earlier item wins the tie
  const std::vector base_only{item(kFargate, 2, 0), item(kSpot, 0, 1)};
  CHECK(spot_tasks(base_only, 2) == 0);
  CHECK(spot_tasks(base_only, 10) == 8);
  CHECK(places_on_spot(base_only));
  const std::vector spot_base{item(kSpot, 3, 0), item(kFargate, 0, 1)};
  CHECK(spot_tasks(spot_base, 10) == 3);
  const std::vector unweighted_spot{item(kFargate, 0, 1), item(kSpot, 0, 0)};
  CHECK_FALSE(places_on_spot(unweighted_spot));  // weight 0 beside a weighted one: never placed
  CHECK(spot_tasks(unweighted_spot, 10) == 0);
  const std::vector all_spot{item(kSpot, 0, 0)};
  CHECK(places_on_spot(all_spot));
  CHECK(spot_tasks(all_spot, 7) == 7);
}

TEST_CASE("capacity providers: a service's own strategy, else the alternative's pricing.fargate") {
  EcsServiceSpec service;
  CHECK(effective_strategy(service, false).front().provider == kFargate);
  CHECK(effective_strategy(service, true).front().provider == kSpot);
  CHECK(spot_tasks(effective_strategy(service, true), 3) == 3);
  service.capacity_provider_strategy = {item(kFargate, 0, 1)};
  // Its own strategy wins over the alternative's, as a service's does over its cluster's default.
  CHECK_FALSE(places_on_spot(effective_strategy(service, true)));
}
