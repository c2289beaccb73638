#include "archsim/sim/engine.hpp"

#include <stdexcept>

namespace archsim::sim {

namespace {

inline bool earlier(const Event& a, const Event& b) {
  return a.time_ns < b.time_ns || (a.time_ns == b.time_ns && a.sequence < b.sequence);
}

}  // namespace

void EventQueue::push(const Event& event) {
  heap_.push_back(event);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    const std::size_t parent = (i - 1) / 4;
    if (!earlier(event, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = event;
}

Event EventQueue::pop() {
  const Event top = heap_.front();
  const Event last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    const std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c) {
      if (earlier(heap_[c], heap_[best])) best = c;
    }
    if (!earlier(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
  return top;
}

HandlerId Engine::add_handler(EventHandler& handler) {
  handlers_.push_back(&handler);
  return static_cast<HandlerId>(handlers_.size() - 1);
}

void Engine::schedule_at(Time at, HandlerId handler, std::uint32_t kind, std::uint64_t payload) {
  // An event in the past would break causality silently; it is a bug in a handler.
  if (at.ns < now_ns_) throw std::logic_error("event scheduled in the past");
  queue_.push(Event{at.ns, next_sequence_++, handler, kind, payload});
}

RunStats Engine::run(Time horizon, std::uint64_t max_events) {
  RunStats stats;
  stop_requested_ = false;
  for (;;) {
    if (queue_.empty()) {
      stats.reason = StopReason::QueueEmpty;
      break;
    }
    if (queue_.top().time_ns > horizon.ns) {
      stats.reason = StopReason::Horizon;
      now_ns_ = horizon.ns;
      break;
    }
    if (stats.events >= max_events) {
      stats.reason = StopReason::EventLimit;
      break;
    }
    if (queue_.size() > stats.peak_pending) stats.peak_pending = queue_.size();
    const Event event = queue_.pop();
    now_ns_ = event.time_ns;
    ++stats.events;
    handlers_[event.handler]->on_event(*this, event);
    if (stop_requested_) {
      stats.reason = StopReason::Stopped;
      break;
    }
  }
  stats.end = now();
  return stats;
}

}  // namespace archsim::sim
