// The packet algorithms of eigen_math_packets.h on AVX-512's batches of 16 floats. CMakeLists.txt
// compiles this file alone with -mavx512f -mavx512dq -mavx512bw -mavx512vl -mavx2 and
// -ffp-contract=off (AVX-512F brings FMA instructions: the pragma in eigen_math_packets.h and that
// flag keep every multiply and add separate), and eigen_math.cpp calls it only on a CPU with all
// of those; nothing here is shared with another file.
#if defined(__x86_64__)

// GCC 12's AVX-512 shift intrinsics pass _mm512_undefined_epi32(), a self-initialised variable,
// as the unused source, and -Wmaybe-uninitialized reports it wherever they are inlined.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <type_traits>

#include "kernels/eigen_math_packets.h"

#if !defined(__AVX512F__) || !defined(__AVX512DQ__) || !defined(__AVX512BW__) || !defined(__AVX512VL__)
#error "eigen_math_avx512.cpp must be compiled with -mavx512f -mavx512dq -mavx512bw -mavx512vl (CMakeLists.txt)"
#endif

namespace ag::kernels::tf_float {

static_assert(std::is_same_v<xsimd::default_arch, xsimd::avx512bw>, "xsimd must pick AVX-512BW here");
static_assert(kLanes == kLanesAvx512 && 2 * kLanesDouble == kLanesAvx512, "AVX-512 batches: 16 floats, 8 doubles");

void apply_packets_avx512(Function function, const float* x, float* y, std::int64_t n) {
  packet_loop(function, x, y, n);
}

void apply_packets_avx512(Function function, const double* x, double* y, std::int64_t n) {
  packet_loop_double(function, x, y, n);
}

}  // namespace ag::kernels::tf_float

#endif
