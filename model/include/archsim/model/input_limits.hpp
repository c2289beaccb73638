// Every cap archsim puts on what it reads and writes, in one place (docs/limits.md, "Input
// and output limits", lists each with its message).
//
// archsim runs scenarios from pull requests in CI, so a file is hostile until read: each cap is
// far above anything written by hand (the largest shipped YAML file is 20 KB and has about two
// thousand nodes) and far below what would exhaust a CI runner's memory or time.
#pragma once

#include <cstddef>

namespace archsim::model::limits {

/// A YAML file (scenario, topology, price book): 50 times the largest one shipped. yaml-cpp
/// holds a few hundred bytes per node, so the file cap also bounds its memory.
inline constexpr std::size_t kMaxYamlFileBytes = std::size_t{1} << 20;  // 1 MiB

/// Nodes of one YAML file after aliases are expanded (each alias counts every node it copies),
/// the budget YAML libraries hardened under OSS-Fuzz enforce against "billion laughs".
inline constexpr std::size_t kMaxYamlNodes = 100'000;

/// Nesting of maps and lists in one YAML file.
inline constexpr int kMaxYamlDepth = 64;

/// A map key: keys are identifiers (component, subnet, criterion ids) or schema words.
inline constexpr std::size_t kMaxKeyBytes = 128;

/// Any scalar value (descriptions and rationales included): 64 KiB is pages of prose.
inline constexpr std::size_t kMaxScalarBytes = std::size_t{64} << 10;

/// A name or title (scenario name, alternative and criterion titles): one line of a report.
inline constexpr std::size_t kMaxNameBytes = 200;

/// An alternative id names the files `run --out` writes (`timeline-<id>.csv`), so it must be a
/// portable file name: letters, digits, '-', '_', '.', not starting with '.', this long at most.
inline constexpr std::size_t kMaxFileNameIdBytes = 64;

/// A file `archsim import` reads (a Terraform plan or state, a CloudFormation template): plans
/// carry the configuration and every attribute, about ten times the YAML it becomes, so 16
/// times the YAML cap; still read whole into memory.
inline constexpr std::size_t kMaxImportFileBytes = std::size_t{16} << 20;  // 16 MiB

/// Values of one imported file: JSON has a node every 20 to 30 bytes, so a full 16 MiB plan has
/// about 600 thousand; the located tree costs about 200 bytes a node (160 MB at the cap).
inline constexpr std::size_t kMaxImportNodes = 800'000;

/// did-you-mean compares words with an edit-distance matrix (len x len): longer words or more
/// candidates get no suggestion.
inline constexpr std::size_t kMaxSuggestWordBytes = 64;
inline constexpr std::size_t kMaxSuggestCandidates = 2'000;

/// A request trace (CSV or ALB access log), read line by line: about a million ALB log lines.
inline constexpr std::size_t kMaxTraceFileBytes = std::size_t{256} << 20;  // 256 MiB

/// Requests of one trace held in memory: a record costs about 350 bytes with the vector's
/// growth, so a million is about 350 MB (two million took 700 MB before this cap).
inline constexpr std::size_t kMaxTraceRecords = 1'000'000;

/// A results.json `archsim diff` reads (an hour of ADR-0005's seven alternatives is 170 KB).
inline constexpr std::size_t kMaxResultsJsonBytes = std::size_t{64} << 20;  // 64 MiB

/// Nesting of a results.json `archsim diff` reads: archsim writes about ten levels, and the
/// JSON parser keeps a stack entry per level.
inline constexpr std::size_t kMaxJsonDepth = 64;

/// Diagnostics one command prints to stderr; the rest are counted in one last line. A file
/// with 40,000 duplicate entries made 40,000 lines that buried the first error of a CI log;
/// `validate --format json|sarif` still lists every one of a scenario's.
inline constexpr std::size_t kMaxPrintedDiagnostics = 200;

}  // namespace archsim::model::limits
