// The toy evaluation both sides of the MPI test run: a pure function of the task's text, slow
// enough (a few milliseconds) that the workers really overlap, and a task that throws.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace archsim::explore::toy {

/// "throw:MESSAGE" throws MESSAGE; any other task gives an FNV-1a hash of itself, iterated.
inline std::string evaluate(const std::string& task) {
  if (task.rfind("throw:", 0) == 0) throw std::runtime_error(task.substr(6));
  std::uint64_t hash = 14695981039346656037ULL;
  for (int round = 0; round < 20000; ++round)
    for (const char c : task) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return fmt::format("{}={:016x}", task, hash);
}

/// Several batches of one session: larger than the workers, a single task, none at all, and
/// one that fails in its middle, then one more to show the workers are still in step.
inline std::vector<std::vector<std::string>> batches() {
  std::vector<std::vector<std::string>> all(6);
  for (int i = 0; i < 40; ++i) all[0].push_back(fmt::format("variant-{}", i));
  all[1] = {"alone"};
  for (int i = 0; i < 9; ++i) all[3].push_back(i == 4 ? "throw:variant 4 has no egress path" : fmt::format("v{}", i * i));
  for (int i = 0; i < 5; ++i) all[4].push_back(fmt::format("after-{}", i));
  for (int i = 0; i < 3; ++i) all[5].push_back(fmt::format("last-{}", i));
  return all;
}

}  // namespace archsim::explore::toy
