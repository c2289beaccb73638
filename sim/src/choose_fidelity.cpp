// `fidelity: auto`: which traffic engine runs an alternative, and why, from the expected load
// at the peak rate (docs/simulation.md, "Choosing the fidelity").
#include "archsim/sim/fidelity.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "archsim/sim/expected_load.hpp"
#include "archsim/sim/queueing.hpp"

#include "from_runtime.hpp"
#include "components/kinds.hpp"
#include "runtime.hpp"

namespace archsim::sim {

namespace {

/// The highest arrival rate (per second) of the run: the profile's and bursts' maximum, or a
/// trace's busiest minute.
double peak_rate(const WorkloadSpec& w) {
  if (!w.arrivals.trace) return w.arrivals.max_rate();
  std::map<std::int64_t, double> per_minute;
  double most = 0;
  for (const auto& r : w.arrivals.trace->records) {
    if (r.time_ns > w.horizon.ns) break;
    most = std::max(most, per_minute[r.time_ns / 60'000'000'000] += 1);
  }
  return most / 60;
}

/// What breaks the flow model's contract in one alternative, or empty; `busiest` says the
/// busiest queue when nothing does.
struct ContractCheck {
  std::string breaks;
  std::string busiest;
};

ContractCheck check_contract(const detail::RuntimeModel& m, const ExpectedLoad& load, double peak_per_second,
                             const FidelityAutoRules& rules) {
  // The share of all arrivals that reaches each component (route shares, cache hits, fan-out),
  // and the mean time its calls downstream add to its own (a synchronous caller holds its slot
  // or environment until the answer comes back).
  std::map<std::string, double> reach, downstream;
  for (const auto& route : load.routes) {
    for (const auto& v : route.visits) {
      const double w = route.share * v.reach;
      reach[v.component] += w;
      downstream[v.component] += w * (v.downstream_seconds - load.component(v.component)->service_seconds);
    }
  }
  ContractCheck out;
  double busiest = -1, worst_cv2 = 0;
  std::string worst_cv2_at;
  const std::string peak = fmt::format("{:.4g}/s", peak_per_second);
  for (const auto& c : m.components) {
    const auto r = reach.find(c.id);
    if (r == reach.end() || r->second <= 0) continue;
    const double rate = peak_per_second * r->second;
    const double own = c.service_time.mean() / 1e9, held = own + downstream[c.id] / r->second;
    if (c.role == detail::Role::Function && held > own * (1 + rules.max_hold_extra) && out.breaks.empty()) {
      out.breaks = fmt::format("{} holds its environment through its calls downstream ({:.3g} s against its own {:.3g} s), and Lambda "
                               "bills and counts it busy all that time; flows bill and throttle on its own time",
                               c.id, held, own);
    }
    if (c.role == detail::Role::Table) {
      const auto [reads, writes] = table_units_per_request(c.behaviour);
      for (const auto& [units, capacity, what] : {std::tuple{reads, c.read_units_per_second, "read"},
                                                  std::tuple{writes, c.write_units_per_second, "write"}}) {
        if (units <= 0 || capacity <= 0) continue;
        const double used = rate * units / capacity;
        if (used > rules.max_utilisation && out.breaks.empty()) {
          out.breaks = fmt::format("{} uses {:.2f} of its {} capacity at the {} peak (above {:.2f} DynamoDB's burst allowance, "
                                   "which flows do not model, decides what is throttled)",
                                   c.id, used, what, peak, rules.max_utilisation);
        }
      }
      continue;
    }
    if (!detail::kind(c.role).holds_task_slots) continue;
    const int tasks = c.role == detail::Role::Service ? std::max({c.desired_count, c.max_count, 1}) : 1;
    const double slots = static_cast<double>(tasks) * std::max(1, c.concurrency);
    const double mean_ns = c.service_time.mean();
    // Busy for as long as a slot is held: its own time and its calls downstream.
    const double busy = rate * held / slots;
    const double cv2 = mean_ns > 0 ? second_moment(c.service_time) / (mean_ns * mean_ns) - 1 : 0;
    if (busy > busiest) {
      busiest = busy;
      out.busiest = fmt::format("the busiest queue, {}, is {:.2f} busy at the {} peak", c.id, busy, peak);
    }
    if (busy >= rules.busy_utilisation && cv2 > worst_cv2) {
      worst_cv2 = cv2;
      worst_cv2_at = c.id;
    }
    if (!out.breaks.empty()) continue;
    const int per_task = std::max(1, c.concurrency);
    const double task_rate = rate / tasks;
    const double full = full_queue_share(per_task, per_task + c.behaviour.queue_length, task_rate * held);
    // Flows queue on the own time; the slot is held for `held`. What that misses is the extra
    // wait (M/M/c), as a share of the response (negligible on a quiet or wide queue).
    const auto wait = [&](double s) {
      const double a = task_rate * s;
      return a < per_task ? erlang_c(per_task, a) * s / (per_task - a) : 0.0;
    };
    const double missed_wait = held > own ? (wait(held) - wait(own)) / (held + wait(held)) : 0.0;
    if (busy > rules.max_utilisation) {
      out.breaks = fmt::format("{} is near saturation: {:.2f} of its {:g} slots busy at the {} peak, with its most tasks (flows "
                               "are held to their contract up to {:.2f})",
                               c.id, busy, slots, peak, rules.max_utilisation);
    } else if (missed_wait > rules.max_hold_extra) {
      out.breaks = fmt::format("{} holds its slots through its calls downstream ({:.3g} s against its own {:.3g} s), {:.2f} busy at "
                               "the {} peak: flows queue on its own time and would miss {:.0f} % of its response time",
                               c.id, held, own, busy, peak, 100 * missed_wait);
    } else if (full > rules.max_queue_full_share) {
      out.breaks = fmt::format("{}'s queue of {} refuses {:.2g} % of a task's requests at the {} peak (M/M/c/K); flows refuse only "
                               "at saturation",
                               c.id, c.behaviour.queue_length, 100 * full, peak);
    } else if (busy >= rules.busy_utilisation && cv2 > rules.max_service_cv2) {
      out.breaks = fmt::format("{}'s service times are heavy-tailed (squared coefficient of variation {:.2g}, above {:g}) at a "
                               "queue {:.2f} busy at the {} peak",
                               c.id, cv2, rules.max_service_cv2, busy, peak);
    }
  }
  if (out.busiest.empty()) out.busiest = "no queue on the routes";
  if (!worst_cv2_at.empty()) out.busiest += fmt::format("; its busy queues' service times are light-tailed (largest squared "
                                                        "coefficient of variation {:.2g}, at {})", worst_cv2, worst_cv2_at);
  return out;
}

}  // namespace

std::optional<FidelityChoice> choose_fidelity(const model::TopologySpec& topology, const WorkloadSpec& workload,
                                              const SimDefaults& defaults, std::optional<Fidelity> asked,
                                              int replications, std::string& error) {
  model::Diagnostic diagnostic;
  const auto runtime = detail::build_runtime(topology, workload, defaults, diagnostic);
  if (!runtime) {
    error = diagnostic.message;
    return std::nullopt;
  }
  return detail::choose_fidelity(*runtime, workload, defaults, asked, replications);
}

}  // namespace archsim::sim

namespace archsim::sim::detail {

FidelityChoice choose_fidelity(const RuntimeModel& runtime, const WorkloadSpec& workload, const SimDefaults& defaults,
                               std::optional<Fidelity> asked, int replications) {
  const ExpectedLoad load = expected_load(runtime, workload);
  const WorkEstimate work = estimate_work(load, workload);
  const double n = std::max(1, replications);
  const double walked = work.request_hops() * n, flows = work.flow_request_hops(workload.horizon) * n;
  const Fidelity wanted = asked.value_or(workload.fidelity);
  if (wanted == Fidelity::Request) return FidelityChoice{Fidelity::Request, "", walked, false, work};
  if (wanted == Fidelity::Flow) return FidelityChoice{Fidelity::Flow, "", flows, false, work};
  const FidelityAutoRules& rules = defaults.fidelity_auto;
  if (walked <= rules.exact_request_hops) {
    return FidelityChoice{Fidelity::Request,
                          fmt::format("chosen by fidelity auto: the run is small ({:.3g} request-hops; up to {:.3g} are walked "
                                      "exactly)",
                                      walked, rules.exact_request_hops),
                          walked, false, work};
  }
  if (walked <= flows) {
    return FidelityChoice{Fidelity::Request,
                          fmt::format("chosen by fidelity auto: walking every request ({:.3g} request-hops) costs no more than "
                                      "flows (about {:.3g})",
                                      walked, flows),
                          walked, false, work};
  }
  const ContractCheck check = check_contract(runtime, load, peak_rate(workload), rules);
  if (!check.breaks.empty()) {
    return FidelityChoice{Fidelity::Request,
                          fmt::format("chosen by fidelity auto: {}, so every request is walked ({:.3g} request-hops)", check.breaks,
                                      walked),
                          walked, true, work};
  }
  return FidelityChoice{Fidelity::Flow,
                        fmt::format("chosen by fidelity auto: walking every request would take {:.3g} request-hops, flows about "
                                    "{:.3g}, and the accuracy contract's conditions hold: {}",
                                    walked, flows, check.busiest),
                        flows, false, work};
}

}  // namespace archsim::sim::detail
