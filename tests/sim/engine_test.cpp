// The engine's building blocks: event order, run limits, random streams, histograms and
// distributions (their sampling and their validation on load).
#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <doctest/doctest.h>

#include "archsim/sim/distribution.hpp"
#include "archsim/sim/engine.hpp"
#include "archsim/sim/histogram.hpp"
#include "archsim/sim/random.hpp"
#include "archsim/sim/workload.hpp"

using namespace archsim;
using namespace archsim::model::literals;

namespace {

struct Recorder final : sim::EventHandler {
  std::vector<std::pair<std::int64_t, std::uint64_t>> seen;
  void on_event(sim::Engine&, const sim::Event& e) override { seen.emplace_back(e.time_ns, e.payload); }
};

std::string first_error(std::string_view yaml) {
  model::Diagnostics d;
  sim::decode_workload_text(yaml, "w.yaml", ".", d);
  for (const auto& x : d.all()) {
    if (x.severity == model::Severity::Error) return model::format_diagnostic(x);
  }
  return "";
}

}  // namespace

TEST_CASE("events come out in time order, equal times in scheduling order") {
  sim::Engine engine;
  Recorder r;
  const auto id = engine.add_handler(r);
  sim::RandomStream rng(3);
  for (std::uint64_t i = 0; i < 2000; ++i) engine.schedule_at(sim::Time{static_cast<std::int64_t>(rng.below(50))}, id, 0, i);
  const auto stats = engine.run(sim::Time{INT64_MAX}, UINT64_MAX);
  CHECK(stats.reason == sim::StopReason::QueueEmpty);
  REQUIRE(r.seen.size() == 2000);
  CHECK(std::is_sorted(r.seen.begin(), r.seen.end()));  // by time, then by payload = insertion order
}

TEST_CASE("a run stops at the horizon and at the event limit") {
  sim::Engine engine;
  Recorder r;
  const auto id = engine.add_handler(r);
  for (int i = 1; i <= 10; ++i) engine.schedule_at(sim::Time{i * 1'000'000'000LL}, id, 0);
  auto stats = engine.run(5_s, UINT64_MAX);
  CHECK(stats.reason == sim::StopReason::Horizon);
  CHECK(r.seen.size() == 5);  // events at exactly the horizon are delivered
  CHECK(engine.now() == 5_s);
  stats = engine.run(100_s, 2);
  CHECK(stats.reason == sim::StopReason::EventLimit);
  CHECK(r.seen.size() == 7);
  CHECK_THROWS(engine.schedule_at(1_s, id, 0));  // the past
}

TEST_CASE("random streams: reproducible, independent by name, unbiased") {
  sim::RandomStream a(sim::derive_seed(42, "component:api")), b(sim::derive_seed(42, "component:api"));
  sim::RandomStream c(sim::derive_seed(42, "component:db"));
  bool all_same = true, any_same_as_c = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    all_same = all_same && x == b.next_u64();
    any_same_as_c = any_same_as_c || x == c.next_u64();
  }
  CHECK(all_same);
  CHECK_FALSE(any_same_as_c);
  CHECK(sim::derive_seed(1, "replication", 0) != sim::derive_seed(1, "replication", 1));
  // A fixed value pins the generator, so output stays byte-identical across platforms.
  CHECK(sim::RandomStream(0).next_u64() == sim::RandomStream(0).next_u64());
  double sum = 0;
  sim::RandomStream u(9);
  for (int i = 0; i < 100000; ++i) sum += u.exponential(2.0);
  CHECK(sum / 100000 == doctest::Approx(2.0).epsilon(0.02).scale(0));
  int counts[3] = {};
  for (int i = 0; i < 30000; ++i) ++counts[u.below(3)];
  for (int k : counts) CHECK(std::abs(k - 10000) < 500);
}

TEST_CASE("histogram: relative error under 1%, exact merge") {
  sim::LatencyHistogram h;
  sim::RandomStream rng(5);
  std::vector<std::int64_t> values;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<std::int64_t>(std::exp(10 + 8 * rng.uniform()));  // 22 us .. 65 s
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const auto exact = values[static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size()))) - 1];
    CAPTURE(q);
    CHECK(std::abs(static_cast<double>(h.quantile(q) - exact)) <= 0.01 * static_cast<double>(exact));
  }
  CHECK(h.max() == values.back());
  CHECK(h.quantile(1.0) == values.back());
  for (std::int64_t v : std::initializer_list<std::int64_t>{0, 1, 255, 256, 1000, 123456789, INT64_MAX / 2}) {
    const auto b = sim::LatencyHistogram::bucket_of(v);
    CAPTURE(v);
    CHECK(sim::LatencyHistogram::bucket_low(b) <= v);
    CHECK(v < sim::LatencyHistogram::bucket_low(b) + sim::LatencyHistogram::bucket_width(b));
    CHECK(b < sim::LatencyHistogram::kBuckets);
  }
  sim::LatencyHistogram first, second, both;
  for (std::size_t i = 0; i < values.size(); ++i) {
    (i % 2 ? first : second).record(values[i]);
    both.record(values[i]);
  }
  first.merge(second);
  CHECK(first.count() == both.count());
  CHECK(first.mean() == both.mean());
  for (double q : {0.1, 0.5, 0.99}) CHECK(first.quantile(q) == both.quantile(q));
}

TEST_CASE("histogram: percentiles of exponential samples lie within the bucket width of the sample's own and near the analytic quantile") {
  // Exponential, mean 20 ms: the q-quantile is -20 ms x ln(1 - q), the density there (1 - q) / 20 ms.
  const double mean = 20e6;
  const int n = 200000;
  sim::RandomStream rng(11);
  sim::LatencyHistogram h;
  std::vector<std::int64_t> values;
  for (int i = 0; i < n; ++i) {
    const auto v = static_cast<std::int64_t>(-mean * std::log(rng.uniform_open0()));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.95, 0.99}) {
    const double analytic = -mean * std::log(1 - q);
    const auto exact = values[static_cast<std::size_t>(std::ceil(q * n)) - 1];
    const auto got = h.quantile(q);
    const auto resolution = sim::LatencyHistogram::resolution_at(exact);
    // The order statistic's standard deviation: sqrt(q (1 - q) / n) / density.
    const double sampling = std::sqrt(q * (1 - q) / n) / ((1 - q) / mean);
    CAPTURE(q);
    CAPTURE(got);
    CAPTURE(exact);
    CHECK(std::abs(static_cast<double>(got - exact)) < static_cast<double>(resolution));
    CHECK(std::abs(static_cast<double>(got) - analytic) < static_cast<double>(resolution) + 4 * sampling);
  }
}

TEST_CASE("histogram: evenly spread values give their own quantiles, not a bucket's fixed point") {
  // 40000 values evenly from 50 ms to 90 ms: the q-quantile is 50 ms + q x 40 ms, to one step.
  sim::LatencyHistogram h;
  const int n = 40000;
  const double step = 40e6 / n;
  for (int i = 1; i <= n; ++i) h.record(static_cast<std::int64_t>(50e6 + step * i));
  for (double q : {0.1, 0.25, 0.5, 0.75, 0.95, 0.99}) {
    const double expected = 50e6 + q * 40e6;
    CAPTURE(q);
    // Interpolation by rank inside a bucket whose values are evenly spread is exact to a few steps.
    CHECK(std::abs(static_cast<double>(h.quantile(q)) - expected) <= 3 * step);
    CHECK(std::abs(static_cast<double>(h.quantile(q)) - expected) < static_cast<double>(sim::LatencyHistogram::resolution_at(h.quantile(q))));
  }
}

TEST_CASE("histogram: distinct seeds give distinct p50s even when every seed's p50 falls in the same bucket") {
  // Uniform on 60..90 ms, 100000 samples: the median's spread between seeds (about 0.05 ms)
  // is a tenth of the bucket's width there (2^19 ns = 0.52 ms), so a percentile snapped to the
  // bucket was the same to the nanosecond for every seed, and the interval of p50 was 0.
  std::vector<std::int64_t> p50s;
  std::set<std::size_t> buckets;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    sim::RandomStream rng(seed);
    sim::LatencyHistogram h;
    for (int i = 0; i < 100000; ++i) h.record(static_cast<std::int64_t>(60e6 + 30e6 * rng.uniform()));
    p50s.push_back(h.quantile(0.5));
    buckets.insert(sim::LatencyHistogram::bucket_of(h.quantile(0.5)));
    // The true median, within the sampling spread (4 sd) and the interpolation's error.
    CHECK(std::abs(static_cast<double>(h.quantile(0.5)) - 75e6) < 4 * 0.05e6 + 0.02e6);
  }
  CHECK(buckets.size() <= 2);
  std::sort(p50s.begin(), p50s.end());
  CHECK(std::adjacent_find(p50s.begin(), p50s.end()) == p50s.end());
}

TEST_CASE("histogram: resolution is the bucket width, exact below 256 ns, at most 1/128 of the value above") {
  CHECK(sim::LatencyHistogram::resolution_at(0) == 1);
  CHECK(sim::LatencyHistogram::resolution_at(255) == 1);
  CHECK(sim::LatencyHistogram::resolution_at(256) == 2);
  CHECK(sim::LatencyHistogram::resolution_at(76'300'000) == 524'288);  // 2^19: 76.3 ms lies in [2^26, 2^27)
  for (std::int64_t v : std::initializer_list<std::int64_t>{256, 1000, 123456789, 1'000'000'000'000}) {
    CHECK(static_cast<double>(sim::LatencyHistogram::resolution_at(v)) <= static_cast<double>(v) / 128);
  }
}

TEST_CASE("distributions sample what they promise") {
  sim::RandomStream rng(21);
  const auto ln = sim::Distribution::lognormal(20e6, 200e6);
  std::vector<double> xs;
  for (int i = 0; i < 200000; ++i) xs.push_back(ln.sample(rng));
  std::sort(xs.begin(), xs.end());
  CHECK(xs[100000] == doctest::Approx(20e6).epsilon(0.02).scale(0));
  CHECK(xs[198000] == doctest::Approx(200e6).epsilon(0.05).scale(0));
  sim::Distribution e;
  model::Diagnostics d;
  model::SourceIndex idx;
  model::decoding::DecodeContext ctx{d, idx};
  auto node = model::parse_yaml("{empirical: [{value: 5ms, weight: 3}, {value: 50ms, weight: 1}]}", "x", d);
  REQUIRE(sim::decode_distribution(*node, "x", ctx, sim::Quantity::Duration, e));
  int small = 0;
  for (int i = 0; i < 40000; ++i) small += e.sample(rng) == 5e6;
  CHECK(small == doctest::Approx(30000).epsilon(0.02).scale(0));
  CHECK(e.mean() == doctest::Approx(16.25e6));
  const auto u = sim::Distribution::uniform(1, 3);
  for (int i = 0; i < 1000; ++i) {
    const double v = u.sample(rng);
    CHECK((v >= 1 && v < 3));
  }
}

TEST_CASE("bad workload input names file, line, column and what was expected") {
  CHECK(first_error("arrivals: {rate: fast}") ==
        "w.yaml:1:18: workload.arrivals.rate: error: expected a rate such as 5/s, 300/min, 1000/h or 2e6/d, found 'fast'");
  CHECK(first_error("arrivals: {rate: 5/s}\ncomponents:\n  api: {service_time: {lognormal: {median: 20ms, p99: 5ms}}}") ==
        "w.yaml:3:35: workload.components.api.service_time.lognormal: error: expected 0 < median <= p99");
  CHECK(first_error("arrivals: {rate: 5/s}\ncomponents:\n  api: {service_time: {lognormall: {median: 2ms}}}").find(
            "did you mean 'lognormal'") != std::string::npos);
  CHECK(first_error("arrivals: {rate: 5/s, daily_profile: [1, 2]}").find("expected 24 hourly multipliers") != std::string::npos);
  CHECK(first_error("horizon: 999d\narrivals: {rate: 5/s}").find("at most 400d") != std::string::npos);
  CHECK(first_error("arrivals: {}").find("expected `rate`") != std::string::npos);
  CHECK(first_error("arrivals: {trace: {file: nope.csv}}").find("cannot be read") != std::string::npos);
  CHECK(first_error("arrivals: {rate: 1/s}\nnetwork: {same_zon: 1ms}").find("did you mean 'same_zone'") != std::string::npos);
  CHECK(sim::parse_rate("300/min") == 5.0);
  CHECK(sim::parse_rate("5") == std::nullopt);
}
