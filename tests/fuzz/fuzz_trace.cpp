// libFuzzer target: the request-trace readers. The first byte picks the format (CSV or ALB
// access log); the rest is the file's content, written to a scratch file because the readers
// read files (they check the file's kind and size before reading it).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "archsim/sim/workload.hpp"
#include "fuzz_support.hpp"
#include "trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  archsim::sim::TraceSpec trace;
  trace.path = "workload.arrivals.trace";
  trace.format = (data[0] & 1) != 0 ? archsim::sim::TraceFormat::AlbLog : archsim::sim::TraceFormat::Csv;
  trace.file = archsim::fuzz::write_scratch_file(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  archsim::model::Diagnostics diagnostics;
  (void)archsim::sim::detail::load_trace(trace, archsim::fuzz::scratch_folder(), {}, 100000, diagnostics);
  return 0;
}
