// The flow model's accuracy contract, as checks a person can read.
//
// The same alternative simulated at request level and as flows, with the same seed and
// workload, is held to the contract docs/simulation.md ("Flow fidelity") states: the bill,
// availability, the latency percentiles of successful requests, errors by cause, scaling
// actions and rollbacks. `archsim run --fidelity compare` prints these checks, and the CTest
// `flow_contract` asserts them on every seed, so the contract has one definition.
#pragma once

#include <string>
#include <vector>

#include "archsim/pricing/bill.hpp"
#include "archsim/sim/result.hpp"

namespace archsim::reports {

struct ContractCheck {
  std::string what;      ///< `bill`, `availability`, `p99`, `errors: target_down`, `scale_out times`, ...
  std::string request;   ///< the request-level figure
  std::string flow;      ///< the flow figure
  std::string bound;     ///< what the contract allows
  bool holds = false;
};

/// Every check of the contract for one alternative (latency checks only where both runs have
/// 10,000 successes or more; error causes only where either run has some).
std::vector<ContractCheck> check_flow_contract(const sim::SimResult& request, const sim::SimResult& flow,
                                               const pricing::Bill& request_bill, const pricing::Bill& flow_bill);

/// The checks as a text table, one line each, with `ok` or `BREAKS`.
std::string render_contract_text(const std::string& alternative, const std::vector<ContractCheck>& checks);

}  // namespace archsim::reports
