// libFuzzer target: the YAML loader (yaml-cpp, then spec_loader's checks) on arbitrary bytes.
// Any UserError is a clean rejection; anything else escaping, or a sanitizer report, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "diag/error.h"
#include "spec/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    ag::load_spec(text, "fuzz.yaml");
  } catch (const ag::UserError&) {
  }
  return 0;
}
