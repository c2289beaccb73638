// Lambda against arithmetic: the share of cold starts under Poisson arrivals with idle
// reclaim, and throttling at the reserved concurrency as an Erlang loss system.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include <doctest/doctest.h>

#include "archsim/sim/simulate.hpp"
#include "sim_fixture.hpp"

using namespace archsim;

namespace {

/// The reference topology with API Gateway -> Lambda as its only route.
std::string lambda_route(const std::string& function_extra = "") {
  return "components:\n"
         "  fn: {type: lambda, memory: 512MiB, runtime: python3.12" + function_extra + "}\n"
         "  apigw: {type: api_gateway, api_type: http, endpoint: regional, integration: fn}\n"
         "routes:\n  main: {hops: [users, apigw, fn]}\n";
}

double erlang_b(int c, double a) {
  double sum = 0, term = 1;
  for (int k = 0; k <= c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  return term / sum;
}

}  // namespace

TEST_CASE("Lambda cold starts: a request finds no warm environment when the gap since the last one exceeds the idle reclaim") {
  // Poisson arrivals at rate l, idle environments reclaimed after R: with requests far
  // shorter than the gaps, a request starts cold when no request came in the R before it,
  // probability exp(-l R).
  const double rate = 1.0 / 60, reclaim = 60;
  const auto w = test::workload(fmt::format("horizon: 20d\nseed: 6\narrivals: {{rate: {}/min}}\n"
                                            "components:\n  fn: {{service_time: 20ms, idle_reclaim: 1m}}\n",
                                            rate * 60));
  auto outcome = test::simulate_good(lambda_route(), w);
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  const auto& r = *outcome.result;
  const double requests = test::meter_total(r, "fn", "requests");
  const double share = test::meter_total(r, "fn", "cold_starts") / requests;
  const double expected = std::exp(-rate * reclaim);
  CAPTURE(requests);
  CHECK(std::abs(share - expected) <= 4 * std::sqrt(expected * (1 - expected) / requests));
}

TEST_CASE("Lambda throttling at reserved concurrency is Erlang B, whatever the duration distribution") {
  // A loss system with c environments and offered load a = l x E[S]: the share refused (429)
  // is B(c, a) = (a^c / c!) / sum_{k<=c} a^k / k!. Warm environments are kept for the whole
  // run, so only the first c requests start cold.
  const int c = 2;
  const double rate = 3, mean_s = 0.5, a = rate * mean_s;
  const auto w = test::workload(fmt::format("horizon: 1d\nseed: 9\narrivals: {{rate: {}/s}}\n"
                                            "components:\n  fn: {{service_time: {{exponential: {{mean: 500ms}}}}, idle_reclaim: 2d, "
                                            "timeout: 1h, cold_start: 0s}}\n", rate));
  auto outcome = test::simulate_good(lambda_route(fmt::format(", reserved_concurrency: {}", c)), w);
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  const auto& r = *outcome.result;
  const auto throttled = static_cast<double>(r.overall.outcomes[static_cast<std::size_t>(sim::Outcome::Throttled)]);
  const auto total = static_cast<double>(r.overall.total());
  CHECK(throttled / total == doctest::Approx(erlang_b(c, a)).epsilon(0.03).scale(0));
  CHECK(test::meter_total(r, "fn", "cold_starts") == c);
  // A throttled request never runs, so Lambda does not bill it.
  CHECK(test::meter_total(r, "fn", "requests") == total - throttled);
}

namespace {

/// Two functions, each behind its own API, half the traffic each.
std::string two_functions(const std::string& first_extra) {
  return "components:\n"
         "  fn: {type: lambda, memory: 512MiB, runtime: python3.12" + first_extra + "}\n"
         "  fn2: {type: lambda, memory: 512MiB, runtime: python3.12}\n"
         "  apigw: {type: api_gateway, api_type: http, endpoint: regional, integration: fn}\n"
         "  apigw2: {type: api_gateway, api_type: http, endpoint: regional, integration: fn2}\n"
         "routes:\n  main: {hops: [users, apigw, fn], share: 0.5}\n  second: {hops: [users, apigw2, fn2], share: 0.5}\n";
}

/// An account small enough to compare with Erlang B: without AWS's floor of 100 unreserved,
/// which a reservation out of 3 could never leave (the floor itself is checked below).
sim::SimDefaults small_account() {
  sim::SimDefaults d = sim::builtin_sim_defaults();
  d.lambda_unreserved_minimum = 0;
  return d;
}

double throttled_share(const sim::RouteStats& route) {
  return static_cast<double>(route.outcomes[static_cast<std::size_t>(sim::Outcome::Throttled)]) / static_cast<double>(route.total());
}

}  // namespace

TEST_CASE("Lambda account concurrency: functions without reserved concurrency share what the reserved ones leave") {
  // An account limit of 3. Both functions unreserved: one loss system of 3 environments under
  // the whole load, B(3, a). With 1 reserved for fn: fn alone is B(1, a/2), and fn2 has the
  // remaining 2, B(2, a/2).
  const double rate = 4, a = rate * 0.5;
  const std::string workload = fmt::format(
      "horizon: 1d\nseed: 12\narrivals: {{rate: {}/s}}\nlambda_account_concurrency: 3\ncomponents:\n"
      "  fn: {{service_time: {{exponential: {{mean: 500ms}}}}, idle_reclaim: 2d, timeout: 1h, cold_start: 0s}}\n"
      "  fn2: {{service_time: {{exponential: {{mean: 500ms}}}}, idle_reclaim: 2d, timeout: 1h, cold_start: 0s}}\n",
      rate);
  SUBCASE("shared") {
    auto outcome = test::simulate_good(two_functions(""), test::workload(workload));
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    const auto& r = *outcome.result;
    const auto throttled = static_cast<double>(r.overall.outcomes[static_cast<std::size_t>(sim::Outcome::Throttled)]);
    CHECK(throttled / static_cast<double>(r.overall.total()) == doctest::Approx(erlang_b(3, a)).epsilon(0.03).scale(0));
  }
  SUBCASE("one reserved") {
    auto outcome = test::simulate_good(two_functions(", reserved_concurrency: 1"), test::workload(workload), {}, small_account());
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    const auto& r = *outcome.result;
    CHECK(throttled_share(r.routes[0]) == doctest::Approx(erlang_b(1, a / 2)).epsilon(0.03).scale(0));
    CHECK(throttled_share(r.routes[1]) == doctest::Approx(erlang_b(2, a / 2)).epsilon(0.03).scale(0));
  }
}

namespace {

/// Stationary distribution of a small continuous-time Markov chain given by its transition
/// rates, by uniformisation (power iteration on I + Q / max exit rate).
std::vector<double> stationary(const std::vector<std::vector<double>>& rate) {
  const std::size_t n = rate.size();
  double top = 0;
  for (const auto& row : rate) {
    double out = 0;
    for (double q : row) out += q;
    top = std::max(top, out);
  }
  std::vector<double> pi(n, 1.0 / static_cast<double>(n)), next(n);
  for (int it = 0; it < 200000; ++it) {
    for (std::size_t j = 0; j < n; ++j) next[j] = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double out = 0;
      for (std::size_t j = 0; j < n; ++j) {
        next[j] += pi[i] * rate[i][j] / top;
        out += rate[i][j];
      }
      next[i] += pi[i] * (1 - out / top);
    }
    pi.swap(next);
  }
  return pi;
}

}  // namespace

TEST_CASE("Lambda provisioned concurrency is the function's own: the account's other functions cannot take it, and it never throttles") {
  // An account limit of 3; fn (unreserved) keeps 1 provisioned environment, which leaves 2 in
  // the shared pool for fn's overflow and for fn2. Exponential durations make this a Markov
  // chain on (p: fn's provisioned environment busy, k1: fn's on-demand, k2: fn2's), k1 + k2 <= 2.
  // Arrivals see time averages (PASTA): fn is throttled in the states p = 1, k1 + k2 = 2; fn2 in
  // every state with k1 + k2 = 2.
  const double lambda = 2, mu = 2;  // 4/s in all, half to each function; 500 ms mean
  std::vector<std::array<int, 3>> states;
  for (int p = 0; p <= 1; ++p) {
    for (int k1 = 0; k1 <= 2; ++k1) {
      for (int k2 = 0; k1 + k2 <= 2; ++k2) states.push_back({p, k1, k2});
    }
  }
  const auto index = [&](int p, int k1, int k2) {
    return static_cast<std::size_t>(std::find(states.begin(), states.end(), std::array<int, 3>{p, k1, k2}) - states.begin());
  };
  std::vector<std::vector<double>> q(states.size(), std::vector<double>(states.size(), 0));
  for (std::size_t i = 0; i < states.size(); ++i) {
    const auto [p, k1, k2] = states[i];
    const bool pool_full = k1 + k2 == 2;
    if (p == 0) q[i][index(1, k1, k2)] += lambda;
    else if (!pool_full) q[i][index(p, k1 + 1, k2)] += lambda;
    if (!pool_full) q[i][index(p, k1, k2 + 1)] += lambda;
    if (p == 1) q[i][index(0, k1, k2)] += mu;
    if (k1 > 0) q[i][index(p, k1 - 1, k2)] += k1 * mu;
    if (k2 > 0) q[i][index(p, k1, k2 - 1)] += k2 * mu;
  }
  const auto pi = stationary(q);
  double fn_throttled = 0, fn2_throttled = 0;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i][1] + states[i][2] != 2) continue;
    fn2_throttled += pi[i];
    if (states[i][0] == 1) fn_throttled += pi[i];
  }
  const std::string workload =
      "horizon: 1d\nseed: 12\narrivals: {rate: 4/s}\nlambda_account_concurrency: 3\ncomponents:\n"
      "  fn: {service_time: {exponential: {mean: 500ms}}, idle_reclaim: 2d, timeout: 1h, cold_start: 0s}\n"
      "  fn2: {service_time: {exponential: {mean: 500ms}}, idle_reclaim: 2d, timeout: 1h, cold_start: 0s}\n";
  auto outcome = test::simulate_good(two_functions(", provisioned_concurrency: 1"), test::workload(workload), {}, small_account());
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  const auto& r = *outcome.result;
  CAPTURE(fn_throttled);
  CAPTURE(fn2_throttled);
  CHECK(throttled_share(r.routes[0]) == doctest::Approx(fn_throttled).epsilon(0.04).scale(0));
  CHECK(throttled_share(r.routes[1]) == doctest::Approx(fn2_throttled).epsilon(0.04).scale(0));
}

TEST_CASE("Lambda cold starts follow the runtime's distribution, scaled by the function's share of a vCPU") {
  // behaviour.yaml: java at 512 MiB, lognormal median 3 s, p99 6 s, whose mean is
  // 3 s x exp(sigma^2 / 2) with sigma = ln(6/3) / z(0.99). At 1 GiB the function has twice
  // the CPU: half the init time. Every request comes after the environment was reclaimed.
  const double sigma = std::log(2.0) / 2.3263478740;
  const double mean_512 = 3.0 * std::exp(sigma * sigma / 2);
  const auto w = test::workload("horizon: 2d\nseed: 8\narrivals: {rate: 1/min}\ncomponents:\n  fn: {service_time: 20ms, idle_reclaim: 1s}\n");
  for (const auto& [memory, expected] : {std::pair{std::string("512MiB"), mean_512}, std::pair{std::string("1GiB"), mean_512 / 2}}) {
    auto outcome = test::simulate_good("components:\n  fn: {type: lambda, memory: " + memory + ", runtime: java21}\n"
                                       "  apigw: {type: api_gateway, api_type: http, endpoint: regional, integration: fn}\n"
                                       "routes:\n  main: {hops: [users, apigw, fn]}\n",
                                       w);
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    const auto& r = *outcome.result;
    const double cold = test::meter_total(r, "fn", "cold_starts");
    CAPTURE(memory);
    CHECK(cold >= 0.95 * test::meter_total(r, "fn", "requests"));  // a few come within a second of the last
    CHECK(test::meter_total(r, "fn", "init_seconds") / cold == doctest::Approx(expected).epsilon(0.03).scale(0));
  }
}

TEST_CASE("Lambda bills GB-seconds from the start of INIT: (init + duration) rounded up to the ms, times memory") {
  // Constant times make the bill exact: every request runs 20 ms, every cold start adds a
  // 500 ms INIT (billed for on-demand functions since 1 August 2025), 512 MiB is 0.5 GB-s a second.
  const auto w = test::workload("horizon: 1d\nseed: 4\narrivals: {rate: 1/min}\n"
                                "components:\n  fn: {service_time: 20ms, cold_start: {constant: 500ms}, idle_reclaim: 90s}\n");
  auto outcome = test::simulate_good(lambda_route(), w);
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  const auto& r = *outcome.result;
  const double requests = test::meter_total(r, "fn", "requests");
  const double cold = test::meter_total(r, "fn", "cold_starts");
  REQUIRE(cold > 0);
  REQUIRE(cold < requests);
  CHECK(test::meter_total(r, "fn", "init_seconds") == doctest::Approx(cold * 0.5));
  CHECK(test::meter_total(r, "fn", "gb_seconds") == doctest::Approx(0.5 * (requests * 0.020 + cold * 0.500)).epsilon(1e-9).scale(0));
}

TEST_CASE("Lambda provisioned concurrency: requests within it never start cold; its environments are billed by the second, used or not") {
  // One request a minute, 20 ms each, environments reclaimed 1 s after use: on demand, every
  // request starts cold. Two provisioned environments take them all warm (three at once never
  // come), their invocations bill at the provisioned duration rate, and the environments bill
  // 2 x 0.5 GB for every measured second (24 h minus the 10-minute warm-up).
  const std::string w = "horizon: 1d\nwarmup: 10m\nseed: 5\narrivals: {rate: 1/min}\n"
                        "components:\n  fn: {service_time: 20ms, cold_start: {constant: 500ms}, idle_reclaim: 1s}\n";
  auto on_demand = test::simulate_good(lambda_route(), test::workload(w));
  REQUIRE_MESSAGE(!on_demand.error, on_demand.error->diagnostic.message);
  const double requests = test::meter_total(*on_demand.result, "fn", "requests");
  // (a request within 1.52 s of the last, about 2.5 % of them, finds its environment warm)
  CHECK(test::meter_total(*on_demand.result, "fn", "cold_starts") >= 0.95 * requests);

  auto provisioned = test::simulate_good(lambda_route(", provisioned_concurrency: 2"), test::workload(w));
  REQUIRE_MESSAGE(!provisioned.error, provisioned.error->diagnostic.message);
  const auto& r = *provisioned.result;
  CHECK(test::meter_total(r, "fn", "requests") == requests);  // same seed, same arrivals
  CHECK(test::meter_total(r, "fn", "cold_starts") == 0);
  CHECK(test::meter_total(r, "fn", "gb_seconds") == 0);
  CHECK(test::meter_total(r, "fn", "provisioned_duration_gb_seconds") == doctest::Approx(0.5 * 0.020 * requests).epsilon(1e-9).scale(0));
  CHECK(test::meter_total(r, "fn", "provisioned_gb_seconds") == doctest::Approx(2 * 0.5 * (86400 - 600)).epsilon(1e-9).scale(0));
}

TEST_CASE("Lambda keeps 100 of the account's concurrency unreserved: a reservation that would leave less is refused, located") {
  const auto w = test::workload("horizon: 1h\narrivals: {rate: 1/s}\nlambda_account_concurrency: 1000\n");
  CHECK_FALSE(test::simulate_good(lambda_route(", reserved_concurrency: 900"), w).error);  // leaves exactly 100
  const auto refused = test::simulate_good(lambda_route(", reserved_concurrency: 901"), w);
  REQUIRE(refused.error);
  CHECK(refused.error->diagnostic.path.ends_with("fn.reserved_concurrency"));
  CHECK(refused.error->diagnostic.message.find("would leave 99 of the account's 1000 unreserved; Lambda keeps at least 100") !=
        std::string::npos);
}

TEST_CASE("API Gateway HTTP APIs meter a request once per started 512 KiB of it; REST APIs once") {
  // "HTTP APIs are metered in 512 KB increments" (aws.amazon.com/api-gateway/pricing): 1 KiB
  // and 512 KiB count once, 1 MiB (2 x 524,288 bytes) twice, 1.1 MB (2.1 increments) three times.
  for (const auto& [size, per_request] : std::vector<std::pair<std::string, double>>{{"1KiB", 1}, {"512KiB", 1}, {"1MiB", 2}, {"1.1MB", 3}}) {
    CAPTURE(size);
    const auto w = test::workload("horizon: 10m\nwarmup: 0s\nseed: 3\narrivals: {rate: 5/s}\nroutes: {main: {request_size: {constant: " + size +
                                  "}}}\n");
    auto outcome = test::simulate_good(lambda_route(), w);
    REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
    const double requests = test::meter_total(*outcome.result, "apigw", "requests");
    CHECK(requests > 0);
    CHECK(test::meter_total(*outcome.result, "apigw", "metered_requests") == per_request * requests);
  }
  std::string rest = lambda_route();
  rest.replace(rest.find("api_type: http"), 14, "api_type: rest");
  auto outcome = test::simulate_good(rest, test::workload("horizon: 10m\nwarmup: 0s\nseed: 3\narrivals: {rate: 5/s}\n"
                                                          "routes: {main: {request_size: {constant: 1MiB}}}\n"));
  REQUIRE_MESSAGE(!outcome.error, outcome.error->diagnostic.message);
  CHECK(test::meter_total(*outcome.result, "apigw", "requests") > 0);
  CHECK(test::meter_total(*outcome.result, "apigw", "metered_requests") == 0);  // no such meter
}
