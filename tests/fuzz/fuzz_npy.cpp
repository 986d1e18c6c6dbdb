// libFuzzer target: the .npy reader on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "diag/error.h"
#include "format/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    ag::format::read_npy(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
  } catch (const ag::UserError&) {
  }
  return 0;
}
