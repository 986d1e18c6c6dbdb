// libFuzzer target: a whole `run` of a spec (load, evaluate, differentiate, print), as the tool
// does it. run_spec_text never throws; a crash, hang or sanitizer report is the bug. Tight limits
// keep each input small and quick.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/spec_io.h"
#include "core/limits.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bool configured = [] {
    ag::limits::settings().max_memory = std::uint64_t{64} << 20;
    ag::limits::settings().timeout_seconds = 2;
    ag::limits::settings().max_order = 4;
    return true;
  }();
  (void)configured;
  std::string text(reinterpret_cast<const char*>(data), size);
  // load() is confined to the spec's directory; "-" makes that the working directory.
  ag::cli::run_spec_text(text, "-");
  return 0;
}
