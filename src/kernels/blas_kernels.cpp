// OpenBLAS built for every x86 core (Debian's 0.3.21, DYNAMIC_ARCH) picks its kernels from the CPU
// model number at start-up, and a model it does not know, such as family 6 model 207 (Emerald
// Rapids), falls back to its Prescott SSE3 kernels: 21 GFLOP/s of SGEMM on such a machine against
// 115 with its SkylakeX AVX-512 ones. Its choice is one global table pointer, `gotoblas`, and its
// own initialiser fills in a table for a named core. This file has OpenBLAS fill in the table of
// the widest core the CPU supports, once, at the first large product, and swaps the pointer for
// the duration of each large call. Small products keep the start-up kernels: the AVX-512 ones
// fuse multiply and add, which changes the last bits of results the golden specs print.
#include "kernels/blas_kernels.h"

#include <cblas.h>

#include <cstdlib>
#include <cstring>

extern "C" {
// OpenBLAS internals of a run-time-dispatching build; weak, so a build without them links and
// keeps its kernels.
extern void* gotoblas __attribute__((weak));
void gotoblas_dynamic_init(void) __attribute__((weak));
}

namespace ag::kernels {
namespace {

/// The widest OpenBLAS core family whose instructions this CPU and OS support, or nullptr.
const char* widest_supported_core() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
  return nullptr;
}

struct FastKernels {
  void* table = nullptr;  ///< OpenBLAS's gotoblas table for `core`, initialised
  const char* core = nullptr;
};

/// Has OpenBLAS initialise the table of the widest supported core, leaving its own choice in place.
FastKernels load_fast_kernels() {
  FastKernels fast;
  if (&gotoblas == nullptr || gotoblas == nullptr || gotoblas_dynamic_init == nullptr)
    return fast;
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return fast;  // the user's choice stands
  const char* core = widest_supported_core();
  const char* current = openblas_get_corename();
  if (core == nullptr || current == nullptr || std::strcmp(core, current) == 0) return fast;
  void* saved = gotoblas;
  gotoblas = nullptr;  // gotoblas_dynamic_init returns at once when a table is already chosen
  setenv("OPENBLAS_CORETYPE", core, 1);
  gotoblas_dynamic_init();
  unsetenv("OPENBLAS_CORETYPE");
  void* loaded = gotoblas;
  gotoblas = saved;
  if (loaded != nullptr && loaded != saved) {
    fast.table = loaded;
    fast.core = core;
  }
  return fast;
}

const FastKernels& fast_kernels() {
  static const FastKernels fast = load_fast_kernels();
  return fast;
}

/// OpenBLAS's worker threads spin (sched_yield in a loop) for 2^28 cycles, about 0.1 s, after
/// start-up and after every threaded call before they sleep: on a 2-core machine that takes a
/// core from the main thread, the kernels' worker pool and every other process for most of a
/// short run. OpenBLAS reads OPENBLAS_THREAD_TIMEOUT (log2 of the cycles) in its own library
/// constructor, which has no priority; this one runs first (priority 101) and shortens the spin
/// to 2^16 cycles, unless the user set it. Waking a sleeping worker costs tens of microseconds,
/// nothing next to a product large enough to be threaded.
__attribute__((constructor(101))) void shorten_openblas_spin() { setenv("OPENBLAS_THREAD_TIMEOUT", "16", 0); }

}  // namespace

FastKernelScope::FastKernelScope(std::int64_t macs, std::int64_t min_macs) {
  if (macs < min_macs) return;
  const FastKernels& fast = fast_kernels();
  if (fast.table == nullptr) return;
  saved_ = gotoblas;
  gotoblas = fast.table;
}

FastKernelScope::~FastKernelScope() {
  if (saved_ != nullptr) gotoblas = saved_;
}

const char* fast_gemm_core() { return fast_kernels().core; }

}  // namespace ag::kernels
