#include "archsim/model/capacity_providers.hpp"

#include <algorithm>

namespace archsim::model {

std::vector<CapacityProviderStrategyItem> effective_strategy(const EcsServiceSpec& service, bool alternative_on_spot) {
  if (!service.capacity_provider_strategy.empty()) return service.capacity_provider_strategy;
  return {CapacityProviderStrategyItem{.path = {},
                                       .provider = alternative_on_spot ? CapacityProvider::FargateSpot : CapacityProvider::Fargate,
                                       .base = 0,
                                       .weight = 1}};
}

bool places_on_spot(const std::vector<CapacityProviderStrategyItem>& strategy) {
  return std::any_of(strategy.begin(), strategy.end(), [&](const CapacityProviderStrategyItem& item) {
    // A zero-weight item beside a weighted one takes tasks only up to its base.
    const bool takes_tasks = item.base > 0 || item.weight > 0 || strategy.size() == 1;
    return item.provider == CapacityProvider::FargateSpot && takes_tasks;
  });
}

bool places_on_spot(const EcsServiceSpec& service, bool alternative_on_spot) {
  return places_on_spot(effective_strategy(service, alternative_on_spot));
}

CapacityProvider next_provider(const std::vector<CapacityProviderStrategyItem>& strategy, int on_fargate, int on_spot) {
  if (strategy.empty()) return CapacityProvider::Fargate;
  if (strategy.size() == 1) return strategy.front().provider;
  const auto count = [&](const CapacityProviderStrategyItem& item) { return item.provider == CapacityProvider::Fargate ? on_fargate : on_spot; };
  for (const auto& item : strategy) {
    if (item.base > 0 && count(item) < item.base) return item.provider;
  }
  // Beyond the bases, the task goes where (tasks beyond its base + 1) / weight is least,
  // compared as integers so that no rounding decides a tie.
  const CapacityProviderStrategyItem* best = nullptr;
  long long best_next = 0, best_weight = 1;
  for (const auto& item : strategy) {
    if (item.weight <= 0) continue;
    const long long next = static_cast<long long>(std::max(0, count(item) - item.base)) + 1;
    if (best == nullptr || next * best_weight < best_next * item.weight) best = &item, best_next = next, best_weight = item.weight;
  }
  // No weight anywhere (the loader refuses it when there are several items): the bases' provider.
  return best != nullptr ? best->provider : strategy.front().provider;
}

int spot_tasks(const std::vector<CapacityProviderStrategyItem>& strategy, int tasks) {
  int on_fargate = 0, on_spot = 0;
  for (int k = 0; k < tasks; ++k) {
    if (next_provider(strategy, on_fargate, on_spot) == CapacityProvider::FargateSpot) ++on_spot;
    else ++on_fargate;
  }
  return on_spot;
}

}  // namespace archsim::model
