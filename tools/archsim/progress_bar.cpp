#include "progress_bar.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace archsim::cli {

namespace {

constexpr int kBarWidth = 24;

}  // namespace

ProgressBar::ProgressBar(std::vector<double> work, int replications, std::ostream& err, std::function<Clock::time_point()> now)
    : share_(std::move(work)), replications_(std::max(1, replications)), err_(err), now_(std::move(now)), started_(now_()) {
  const double total = std::accumulate(share_.begin(), share_.end(), 0.0);
  for (auto& s : share_) s = total > 0 ? s / total : 1.0 / static_cast<double>(share_.size());
}

void ProgressBar::start(const std::string& id) {
  id_ = id;
  reached_.clear();
  replication_ = 0;
}

void ProgressBar::update(const sim::Progress& p) {
  const double horizon = static_cast<double>(p.horizon.ns);
  reached_[p.replication] = horizon > 0 ? std::clamp(static_cast<double>(p.reached.ns) / horizon, 0.0, 1.0) : 1.0;
  replication_ = p.replication;
  const std::string text = line();
  // Pads over the rest of a longer previous line; the cursor stays at its start.
  err_ << '\r' << text << std::string(drawn_ > text.size() ? drawn_ - text.size() : 0, ' ') << std::flush;
  drawn_ = std::max(drawn_, text.size());
}

void ProgressBar::finish() {
  if (current_ < share_.size()) ++current_;
  reached_.clear();
  if (drawn_ > 0) err_ << '\r' << std::string(drawn_, ' ') << '\r' << std::flush;
  drawn_ = 0;
}

double ProgressBar::done() const {
  double done = 0;
  for (std::size_t i = 0; i < current_ && i < share_.size(); ++i) done += share_[i];
  if (current_ < share_.size()) {
    double replications_done = 0;
    for (const auto& [replication, reached] : reached_) replications_done += reached;
    done += share_[current_] * replications_done / replications_;
  }
  return std::clamp(done, 0.0, 1.0);
}

std::optional<double> ProgressBar::eta_seconds() const {
  const double elapsed = std::chrono::duration<double>(now_() - started_).count();
  const double fraction = done();
  // Below 1 % or a second, the pace says little.
  if (fraction < 0.01 || elapsed < 1.0) return std::nullopt;
  return elapsed * (1 - fraction) / fraction;
}

std::string ProgressBar::line() const {
  const double fraction = done();
  const int filled = static_cast<int>(std::floor(fraction * kBarWidth));
  const auto eta = eta_seconds();
  return fmt::format("[{}{}] {:3.0f}% {} (replication {}/{}) ETA {}", std::string(filled, '#'), std::string(kBarWidth - filled, ' '),
                     100 * fraction, id_, replication_ + 1, replications_, eta ? eta_text(*eta) : std::string("..."));
}

std::string eta_text(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

}  // namespace archsim::cli
