// TF's float32 element functions, step for step as its CPU kernels compute them. TF evaluates a
// cwise op with Eigen on AVX packets of 8 floats: the first n - n % 8 elements go through Eigen's
// packet algorithm (pexp_float, plog_float, psincos_float, generic_fast_tanh_float, the float
// logistic, generic_fast_erf_float, ...; mul and add stay separate, as TF's wheels are built
// without FMA), and the last n % 8 through the scalar functor, which for exp, log, expm1, log1p,
// sin and cos is the C library's function. The Eigen algorithms are those of the Eigen revision
// TF 2.13-2.15 pinned (2023 master). Private to src/kernels.
//
// The packet algorithms are built three times (eigen_math_packets.h): for the baseline x86-64
// build (SSE2, 4 floats a batch), for AVX2 (8) and for AVX-512 (16). apply() runs the widest the
// CPU has, chosen once: a wide variant takes the whole batches of the packet part and hands the
// rest to the baseline, and lanes never interact, so every variant gives the same bits. The
// environment variable AUTOGRAD_SIMD=sse2|avx2|avx512 caps the choice, for tests and
// measurements (a variant the CPU lacks gives the widest below it; another value is ignored).
#pragma once

#include <cstdint>
#include <vector>

namespace ag::kernels::tf_float {

/// Elements per packet in TF's float kernels (AVX: 8 floats).
inline constexpr std::int64_t kPacketSize = 8;

/// Element functions of TF's float kernels; each writes y[i] = f(x[i]) for i < n (x may be y).
enum class Function {
  kExp, kLog, kExpm1, kLog1p, kSin, kCos, kTanh, kSigmoid, kErf,
  kSoftplus,  ///< TF's Softplus kernel: x above -log(eps)-2, exp(x) below log(eps)+2, else log1p(exp(x))
  kElu,       ///< TF's Elu kernel: x < 0 ? exp(x) - 1 : x
  kSelu,      ///< TF's Selu kernel: x < 0 ? scale_alpha * (exp(x) - 1) : scale * x
};

void apply(Function function, const float* x, float* y, std::int64_t n);
/// The float64 form, on TF's packets of 4 doubles (Eigen's pexp_double and plog_double, and the
/// functions built on them); returns false, touching nothing, for a function TF computes with
/// the C library everywhere in float64 (sin, cos, tanh, erf).
bool apply(Function function, const double* x, double* y, std::int64_t n);

/// The instruction sets the packet algorithms are built for, narrowest first.
enum class Variant { kSse2, kAvx2, kAvx512 };

/// "sse2", "avx2", "avx512": AUTOGRAD_SIMD's spelling.
const char* variant_name(Variant variant);
/// The variant AUTOGRAD_SIMD names, or false.
bool variant_from_name(const char* name, Variant* variant);
/// The variants this CPU runs, kSse2 (the baseline build, always there) first.
std::vector<Variant> supported_variants();
/// The variant apply() runs: the widest the CPU has, capped by AUTOGRAD_SIMD.
Variant active_variant();
/// apply() on the given variant, or on the widest below it the CPU has.
void apply_with(Variant variant, Function function, const float* x, float* y, std::int64_t n);
bool apply_with(Variant variant, Function function, const double* x, double* y, std::int64_t n);

/// Eigen's digamma (Cephes psi) in float and in double: TF's Digamma has no packet form, and
/// the poles (0, -1, -2, ...) give +inf.
float digamma(float x);
double digamma(double x);

}  // namespace ag::kernels::tf_float
