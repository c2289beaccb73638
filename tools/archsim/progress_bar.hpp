// The progress bar `archsim run` draws on stderr while it simulates, only when stderr is a
// terminal (cli.cpp): logs and CI get the results alone.
//
// The run's work is spread over its alternatives by their estimated request-hops (the figure
// `--max-work` limits), and within an alternative over its replications by simulated time, so
// the bar and its ETA move with the work done rather than with the number of alternatives.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "archsim/sim/simulate.hpp"

namespace archsim::cli {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;

  /// `work`: each alternative's estimated work, in run order (0 when it has no estimate; all 0:
  /// equal shares). `now` is the clock, replaceable in tests.
  ProgressBar(std::vector<double> work, int replications, std::ostream& err, std::function<Clock::time_point()> now = Clock::now);

  /// The next alternative starts; `id` is shown beside the bar.
  void start(const std::string& id);
  /// A replication of the current alternative reached `p.reached`: redraws the line.
  void update(const sim::Progress& p);
  /// The current alternative ended: its whole share counts as done, and the line is cleared.
  void finish();

  /// The share of the run's work done, 0 to 1.
  double done() const;
  /// Seconds left at the pace so far; empty until there is a pace to go by.
  std::optional<double> eta_seconds() const;
  /// The line as drawn, without the carriage return: `[#####     ]  50% api (replication 2/4) ETA 1m05s`.
  std::string line() const;

 private:
  std::vector<double> share_;  ///< per alternative, summing to 1
  int replications_;
  std::ostream& err_;
  std::function<Clock::time_point()> now_;
  Clock::time_point started_;
  std::size_t current_ = 0;  ///< alternatives finished so far
  std::string id_;
  std::map<int, double> reached_;  ///< per replication of the current alternative, 0 to 1
  int replication_ = 0;
  std::size_t drawn_ = 0;  ///< width of the last line, to clear it
};

/// `1h02m`, `3m05s`, `42s`: an ETA to read at a glance, not a duration to parse.
std::string eta_text(double seconds);

}  // namespace archsim::cli
