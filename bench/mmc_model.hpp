// An M/M/c (or M/D/c) queue written directly against the engine's API: Poisson arrivals, c
// servers, an unbounded FIFO queue. The engine benchmark times it and the queueing tests
// compare its mean wait with Erlang C and Pollaczek-Khinchine, so the two measure the same code.
#pragma once

#include <cstdint>
#include <deque>

#include "archsim/sim/engine.hpp"
#include "archsim/sim/random.hpp"

namespace archsim::bench {

class MmcQueue final : public sim::EventHandler {
 public:
  /// `deterministic`: every service takes exactly the mean (M/D/c).
  MmcQueue(sim::Engine& engine, int servers, double arrival_rate, double service_rate, std::uint64_t customers,
           std::uint64_t seed, bool deterministic = false)
      : engine_(engine),
        servers_(servers),
        mean_gap_ns_(1e9 / arrival_rate),
        mean_service_ns_(1e9 / service_rate),
        customers_(customers),
        deterministic_(deterministic),
        arrivals_(sim::derive_seed(seed, "arrivals")),
        services_(sim::derive_seed(seed, "services")) {
    self_ = engine_.add_handler(*this);
    engine_.schedule_in(sim::Duration{gap()}, self_, kArrival);
  }

  void on_event(sim::Engine&, const sim::Event& e) override {
    if (e.kind == kArrival) {
      if (++arrived_ < customers_) engine_.schedule_in(sim::Duration{gap()}, self_, kArrival);
      if (busy_ < servers_) {
        start(e.time_ns);
      } else {
        waiting_.push_back(e.time_ns);
      }
    } else {  // a departure frees a server for the head of the queue
      --busy_;
      if (!waiting_.empty()) {
        const std::int64_t arrived_at = waiting_.front();
        waiting_.pop_front();
        start(arrived_at);
      }
    }
  }

  std::uint64_t served() const { return started_; }
  /// Mean time in queue, in seconds, over every customer that started service.
  double mean_wait_seconds() const { return started_ ? total_wait_ns_ / static_cast<double>(started_) / 1e9 : 0.0; }

 private:
  enum : std::uint32_t { kArrival, kDeparture };

  std::int64_t gap() { return static_cast<std::int64_t>(arrivals_.exponential(mean_gap_ns_)); }

  void start(std::int64_t arrived_at) {
    ++busy_;
    ++started_;
    total_wait_ns_ += static_cast<double>(engine_.now().ns - arrived_at);
    const double service = deterministic_ ? mean_service_ns_ : services_.exponential(mean_service_ns_);
    engine_.schedule_in(sim::Duration{static_cast<std::int64_t>(service)}, self_, kDeparture);
  }

  sim::Engine& engine_;
  sim::HandlerId self_ = 0;
  int servers_;
  double mean_gap_ns_, mean_service_ns_;
  std::uint64_t customers_;
  bool deterministic_;
  sim::RandomStream arrivals_, services_;
  std::uint64_t arrived_ = 0, started_ = 0;
  int busy_ = 0;
  double total_wait_ns_ = 0;
  std::deque<std::int64_t> waiting_;
};

}  // namespace archsim::bench
