// The discrete-event engine: simulated time, the pending-event set and the run loop.
//
// Every process in a simulation (a traffic source, an ECS task, a health checker, a fault
// injector) is an EventHandler registered with the engine; it schedules events for itself or
// for others and the engine delivers them in time order. Events are 32-byte values kept in a
// 4-ary min-heap stored in one vector, so scheduling allocates nothing once the vector has
// grown to the largest pending set; equal timestamps are delivered in scheduling order, which
// makes every run reproducible. The payload is a plain integer (a request slot, a task index):
// handlers own their state, the engine owns only time.
#pragma once

#include <cstdint>
#include <vector>

#include "archsim/model/units.hpp"

namespace archsim::sim {

using model::Duration;

/// Simulated time since the start of a run. Same representation as a Duration (integer
/// nanoseconds), so `now + 250ms` reads as it should.
using Time = Duration;

using HandlerId = std::uint32_t;

struct Event {
  std::int64_t time_ns = 0;
  std::uint64_t sequence = 0;  ///< scheduling order: the tie-breaker for equal times
  HandlerId handler = 0;
  std::uint32_t kind = 0;      ///< the handler's own event type
  std::uint64_t payload = 0;   ///< the handler's own data (an index, an id)

  Time time() const { return Time{time_ns}; }
};

class Engine;

class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void on_event(Engine& engine, const Event& event) = 0;
};

/// A min-heap of events ordered by (time, sequence) with four children per node: shallower
/// than a binary heap and its children share a cache line, which is what makes it faster.
class EventQueue {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }
  const Event& top() const { return heap_.front(); }
  void push(const Event& event);
  Event pop();

 private:
  std::vector<Event> heap_;
};

enum class StopReason { QueueEmpty, Horizon, EventLimit, Stopped };

struct RunStats {
  StopReason reason = StopReason::QueueEmpty;
  std::uint64_t events = 0;
  Time end{};  ///< simulated time when the run stopped
  std::size_t peak_pending = 0;
};

class Engine {
 public:
  /// Registers a handler; the engine does not own it and it must outlive the run.
  HandlerId add_handler(EventHandler& handler);

  Time now() const { return Time{now_ns_}; }

  /// Schedules an event at an absolute time, which must not lie in the past.
  void schedule_at(Time at, HandlerId handler, std::uint32_t kind, std::uint64_t payload = 0);
  void schedule_in(Duration delay, HandlerId handler, std::uint32_t kind, std::uint64_t payload = 0) {
    schedule_at(Time{now_ns_ + delay.ns}, handler, kind, payload);
  }

  /// Delivers events in order until none is left, the next one lies beyond `horizon`, or
  /// `max_events` have been delivered. Events at exactly `horizon` are delivered.
  RunStats run(Time horizon, std::uint64_t max_events);

  /// Makes `run` return after the current event.
  void stop() { stop_requested_ = true; }

  std::size_t pending() const { return queue_.size(); }
  void reserve(std::size_t events) { queue_.reserve(events); }

 private:
  EventQueue queue_;
  std::vector<EventHandler*> handlers_;
  std::int64_t now_ns_ = 0;
  std::uint64_t next_sequence_ = 0;
  bool stop_requested_ = false;
};

}  // namespace archsim::sim
