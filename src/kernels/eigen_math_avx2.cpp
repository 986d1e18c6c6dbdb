// The packet algorithms of eigen_math_packets.h on AVX2's batches of 8 floats. CMakeLists.txt
// compiles this file alone with -mavx2 and -ffp-contract=off (without -mfma there is no
// instruction to contract into anyway), and eigen_math.cpp calls it only on a CPU with AVX2;
// nothing here is shared with another file.
#if defined(__x86_64__)

#include <type_traits>

#include "kernels/eigen_math_packets.h"

#if !defined(__AVX2__)
#error "eigen_math_avx2.cpp must be compiled with -mavx2 (CMakeLists.txt)"
#endif

namespace ag::kernels::tf_float {

static_assert(std::is_same_v<xsimd::default_arch, xsimd::avx2> || std::is_same_v<xsimd::default_arch, xsimd::fma3<xsimd::avx2>>,
              "xsimd must pick AVX2 here");
static_assert(kLanes == kLanesAvx2 && 2 * kLanesDouble == kLanesAvx2, "AVX2 batches: 8 floats, 4 doubles");

void apply_packets_avx2(Function function, const float* x, float* y, std::int64_t n) { packet_loop(function, x, y, n); }

void apply_packets_avx2(Function function, const double* x, double* y, std::int64_t n) {
  packet_loop_double(function, x, y, n);
}

}  // namespace ag::kernels::tf_float

#endif
