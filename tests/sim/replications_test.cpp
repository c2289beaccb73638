// `replications: {until: ..., min, max}`: replications added in fixed batches until each
// listed interval is narrow enough (docs/simulation.md, "Replications until a precision").
#include <doctest/doctest.h>

#include "archsim/sim/simulate.hpp"

#include "sim_fixture.hpp"

namespace archsim {

namespace {

std::string errors_of(const std::string& yaml) {
  model::Diagnostics d;
  sim::decode_workload_text(yaml, "w.yaml", ".", d);
  std::string all;
  for (const auto& diag : d.all()) all += model::format_diagnostic(diag) + "\n";
  return all;
}

}  // namespace

TEST_CASE("replications until a precision: the targets are read in their units, max is the count work is estimated at") {
  const auto w = test::workload(
      "arrivals: {rate: 1/s}\nreplications: {until: {availability: 0.005pp, latency.p99: 2%, cost.monthly: 0.5%, latency.p50: 3ms}, "
      "min: 6, max: 30}\n");
  REQUIRE(w.precision.has_value());
  CHECK(w.precision->min == 6);
  CHECK(w.replications == 30);
  REQUIRE(w.precision->until.size() == 4);
  const auto& goals = w.precision->until;
  CHECK(goals[0].metric == "availability");
  CHECK(goals[0].value == doctest::Approx(0.00005).epsilon(1e-12).scale(0));
  CHECK_FALSE(goals[0].relative);
  CHECK(goals[1].metric == "latency.p99");
  CHECK(goals[1].value == doctest::Approx(0.02).epsilon(1e-12).scale(0));
  CHECK(goals[1].relative);
  CHECK(goals[2].relative);
  CHECK(goals[3].value == doctest::Approx(3.0).epsilon(1e-12).scale(0));  // ms, the metric's unit
  CHECK_FALSE(goals[3].relative);
  // Defaults: min 4, max 50.
  const auto d = test::workload("arrivals: {rate: 1/s}\nreplications: {until: {availability: 0.01pp}}\n");
  CHECK(d.precision->min == 4);
  CHECK(d.replications == 50);
}

TEST_CASE("replications until a precision: bad targets are located errors saying what was expected") {
  const std::string head = "arrivals: {rate: 1/s}\nreplications:\n  until: ";
  CHECK(errors_of(head + "{latency.p99: 2pp}\n").find("w.yaml:3:24: workload.replications.until.latency.p99: error") !=
        std::string::npos);
  CHECK(errors_of(head + "{latency.p99: 2pp}\n").find("percentage points (pp) are for ratio metrics") != std::string::npos);
  CHECK(errors_of(head + "{availabilty: 1%}\n").find("expected a criterion metric (") != std::string::npos);
  CHECK(errors_of(head + "{availability: 0%}\n").find("expected a half-width above 0") != std::string::npos);
  CHECK(errors_of(head + "{availability: -1pp}\n").find("expected a half-width above 0") != std::string::npos);
  CHECK(errors_of(head + "{}\n").find("expected at least one metric") != std::string::npos);
  CHECK(errors_of(head + "{availability: 1pp}\n  min: 8\n  max: 4\n").find("expected at least `min` (8), found 4") != std::string::npos);
  CHECK(errors_of(head + "{availability: 1pp}\n  max: 5000\n").find("expected a whole number from 1 to 1000") != std::string::npos);
  CHECK(errors_of(head + "{availability: 1pp}\n  most: 4\n").find("most") != std::string::npos);
  CHECK(errors_of("arrivals: {rate: 1/s}\nreplications: {min: 4}\n").find("until") != std::string::npos);
}

TEST_CASE("replications until a precision: batches of min then 4, judged in order, the same count on any thread count") {
  const auto w = test::workload("horizon: 30m\nwarmup: 1m\nseed: 3\narrivals: {rate: 5/s}\n"
                                "replications: {until: {availability: 1pp}, min: 3, max: 12}\n");
  for (const int threads : {1, 2, 3}) {
    CAPTURE(threads);
    std::vector<int> asked;
    sim::SimOptions options;
    options.threads = threads;
    // Enough once 7 have run: the batches are 3, then 4 more.
    options.precision = [&asked](const sim::SimResult& so_far) {
      asked.push_back(so_far.replications);
      return sim::PrecisionCheck{so_far.replications >= 5, "checked"};
    };
    const auto run = test::simulate_good("", w, options);
    REQUIRE(!run.error);
    CHECK(asked == std::vector<int>{3, 7});
    CHECK(run.result->replications == 7);
    CHECK(run.result->per_replication.size() == 7);
    CHECK(run.result->replications_reason == "stopped after 7 replications, every interval narrow enough: checked");
  }
  // Never enough: every batch up to max, the last one short (3 + 4 + 4 + 1 = 12).
  std::vector<int> asked;
  sim::SimOptions options;
  options.precision = [&asked](const sim::SimResult& so_far) {
    asked.push_back(so_far.replications);
    return sim::PrecisionCheck{false, "too wide"};
  };
  const auto run = test::simulate_good("", w, options);
  REQUIRE(!run.error);
  CHECK(asked == std::vector<int>{3, 7, 11, 12});
  CHECK(run.result->replications == 12);
  CHECK(run.result->replications_reason == "reached the most replications, 12, with intervals still too wide: too wide");
  // Without a judge (a caller that makes no bills) every replication up to max runs.
  const auto all = test::simulate_good("", w);
  CHECK(all.result->replications == 12);
  CHECK(all.result->replications_reason.empty());
}

}  // namespace archsim

namespace archsim {

TEST_CASE("a slice of replications (first_replication) gives each replication the figures it has in the whole run") {
  const auto whole_workload = test::workload("horizon: 2h\nseed: 9\nreplications: 3\narrivals: {rate: 2/s}\n");
  const auto whole = test::simulate_good("", whole_workload);
  REQUIRE(whole.result);
  sim::WorkloadSpec two = whole_workload;
  two.replications = 2;
  sim::SimOptions from_one;
  from_one.first_replication = 1;
  const auto tail = test::simulate_good("", two, from_one);
  REQUIRE(tail.result);
  REQUIRE(tail.result->per_replication.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& a = whole.result->per_replication[k + 1];
    const auto& b = tail.result->per_replication[k];
    CHECK(a.outcomes == b.outcomes);
    CHECK(a.p99_ns == b.p99_ns);
    CHECK(a.availability == b.availability);
    REQUIRE(a.usage.size() == b.usage.size());
    for (std::size_t m = 0; m < a.usage.size(); ++m) CHECK(a.usage[m].hourly == b.usage[m].hourly);
  }
  // Not the first replication's figures: the slice really starts at 1.
  CHECK(whole.result->per_replication[0].outcomes != tail.result->per_replication[0].outcomes);

  SUBCASE("only with a fixed count") {
    auto until = test::workload("horizon: 2h\narrivals: {rate: 2/s}\nreplications: {until: {availability: 1pp}, min: 4, max: 8}\n");
    const auto refused = test::simulate_good("", until, from_one);
    REQUIRE(refused.error);
    CHECK(refused.error->diagnostic.message.find("needs a fixed count") != std::string::npos);
  }
}

}  // namespace archsim
