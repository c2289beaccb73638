// The progress bar of `archsim run` (tools/archsim/progress_bar.hpp): its share of work done
// follows the alternatives' estimated work and the replications' simulated time, and its ETA
// the pace so far, on a clock the test moves.
#include <sstream>

#include <doctest/doctest.h>

#include "archsim/progress_bar.hpp"

namespace {

using archsim::cli::ProgressBar;

archsim::sim::Progress at(double hours, double of_hours, int replication) {
  archsim::sim::Progress p;
  p.reached.ns = static_cast<std::int64_t>(hours * 3600e9);
  p.horizon.ns = static_cast<std::int64_t>(of_hours * 3600e9);
  p.replication = replication;
  return p;
}

}  // namespace

TEST_CASE("progress bar: work done is weighted by each alternative's estimate and each replication's simulated time") {
  ProgressBar::Clock::time_point now{};
  std::ostringstream err;
  // The second alternative has three times the work of the first.
  ProgressBar bar({1e6, 3e6}, 2, err, [&] { return now; });
  bar.start("small");
  CHECK(bar.done() == doctest::Approx(0));
  bar.update(at(12, 24, 0));  // half of one of two replications: 1/4 of a 1/4 share
  CHECK(bar.done() == doctest::Approx(0.0625));
  bar.update(at(24, 24, 0));
  bar.update(at(24, 24, 1));
  CHECK(bar.done() == doctest::Approx(0.25));
  bar.finish();
  CHECK(bar.done() == doctest::Approx(0.25));
  bar.start("large");
  bar.update(at(12, 24, 1));
  CHECK(bar.done() == doctest::Approx(0.25 + 0.75 / 4));
  CHECK(err.str().find("large (replication 2/2)") != std::string::npos);
}

TEST_CASE("progress bar: the ETA is the time so far scaled by the work left, and waits for a pace") {
  ProgressBar::Clock::time_point now{};
  std::ostringstream err;
  ProgressBar bar({0, 0}, 1, err, [&] { return now; });  // no estimates: equal shares
  bar.start("a");
  bar.update(at(1, 10, 0));
  CHECK_FALSE(bar.eta_seconds());  // no time has passed
  CHECK(bar.line().find("ETA ...") != std::string::npos);
  now += std::chrono::seconds(30);
  bar.update(at(6, 10, 0));  // 30 % done in 30 s: 70 s to go
  REQUIRE(bar.eta_seconds());
  CHECK(*bar.eta_seconds() == doctest::Approx(70));
  CHECK(bar.line() == "[#######                 ]  30% a (replication 1/1) ETA 1m10s");
  bar.finish();
  // Finishing clears the line: what follows on stderr starts at column 0 of a blank line.
  CHECK(err.str().ends_with("\r"));
  CHECK(archsim::cli::eta_text(42) == "42s");
  CHECK(archsim::cli::eta_text(3725) == "1h02m");
}
