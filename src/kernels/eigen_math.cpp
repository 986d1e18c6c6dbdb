// TF's float32 element functions (see eigen_math.h): the dispatch between the packet variants,
// TF's split into packets and a scalar tail, the scalar functors and digamma. The packet
// algorithms themselves are in eigen_math_packets.h, built here for the baseline (SSE2) batches.
#include "kernels/eigen_math.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/eigen_math_packets.h"

namespace ag::kernels::tf_float {
namespace {

static_assert(kPacketSize % kLanes == 0, "TF's packets must be whole baseline batches");
constexpr std::int64_t kPacketSizeDouble = 4;
static_assert(kPacketSizeDouble % kLanesDouble == 0, "TF's double packets must be whole baseline batches");

/// The scalar functor TF's Eigen runs on the last n % 8 elements.
float scalar(Function function, float x) {
  switch (function) {
    case Function::kExp: return std::exp(x);
    case Function::kLog: return std::log(x);
    case Function::kExpm1: return std::expm1(x);
    case Function::kLog1p: return std::log1p(x);
    case Function::kSin: return std::sin(x);
    case Function::kCos: return std::cos(x);
    case Function::kSigmoid: {
      float e = std::exp(16.6355324f < x ? 16.6355324f : x);
      return e / (1.0f + e);
    }
    case Function::kTanh:
    case Function::kErf: {
      // The same rational as the packets: evaluate it on a broadcast lane.
      alignas(64) float lanes[F::size];
      (function == Function::kTanh ? ptanh(F(x)) : perf(F(x))).store_aligned(lanes);
      return lanes[0];
    }
    case Function::kSoftplus: {
      const float threshold = softplus_threshold();
      float features_exp = std::exp(x);
      return x > -threshold ? x : (x < threshold ? features_exp : std::log1p(features_exp));
    }
    case Function::kElu: return x < 0.0f ? std::exp(x) - 1.0f : x;
    case Function::kSelu: return x < 0.0f ? kSeluScaleAlpha * (std::exp(x) - 1.0f) : kSeluScale * x;
  }
  return x;
}

double scalar_double(Function function, double x) {
  switch (function) {
    case Function::kExp: return std::exp(x);
    case Function::kLog: return std::log(x);
    case Function::kExpm1: return std::expm1(x);
    case Function::kLog1p: return std::log1p(x);
    case Function::kSigmoid: {
      double e = std::exp(x);
      return std::isinf(e) ? 1.0 : e / (1.0 + e);
    }
    case Function::kSoftplus: {
      const double threshold = softplus_threshold_double();
      double features_exp = std::exp(x);
      return x > -threshold ? x : (x < threshold ? features_exp : std::log1p(features_exp));
    }
    case Function::kElu: return x < 0.0 ? std::exp(x) - 1.0 : x;
    case Function::kSelu:
      return x < 0.0 ? 1.7580993408473768599402175208123 * (std::exp(x) - 1.0) : 1.0507009873554804934193349852946 * x;
    default: return x;
  }
}

// ---- which variant runs --------------------------------------------------------------------------

bool cpu_has(Variant variant) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  switch (variant) {
    case Variant::kSse2: return true;
    case Variant::kAvx2: return __builtin_cpu_supports("avx2");
    case Variant::kAvx512:
      // What eigen_math_avx512.cpp is compiled for (-mavx512f -mavx512dq -mavx512bw -mavx512vl).
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vl");
  }
  return false;
#else
  return variant == Variant::kSse2;
#endif
}

/// The widest variant at most `variant` that the CPU has.
Variant usable(Variant variant) {
  static const bool has_avx2 = cpu_has(Variant::kAvx2);
  static const bool has_avx512 = cpu_has(Variant::kAvx512);
  if (variant == Variant::kAvx512 && has_avx512) return Variant::kAvx512;
  if (variant != Variant::kSse2 && has_avx2) return Variant::kAvx2;
  return Variant::kSse2;
}

Variant choose_variant() {
  Variant cap = Variant::kAvx512;
  if (const char* name = std::getenv("AUTOGRAD_SIMD")) variant_from_name(name, &cap);
  return usable(cap);
}

}  // namespace

const char* variant_name(Variant variant) {
  switch (variant) {
    case Variant::kSse2: return "sse2";
    case Variant::kAvx2: return "avx2";
    case Variant::kAvx512: return "avx512";
  }
  return "sse2";
}

bool variant_from_name(const char* name, Variant* variant) {
  for (Variant candidate : {Variant::kSse2, Variant::kAvx2, Variant::kAvx512}) {
    if (std::strcmp(name, variant_name(candidate)) == 0) {
      *variant = candidate;
      return true;
    }
  }
  return false;
}

std::vector<Variant> supported_variants() {
  std::vector<Variant> variants;
  for (Variant candidate : {Variant::kSse2, Variant::kAvx2, Variant::kAvx512})
    if (usable(candidate) == candidate) variants.push_back(candidate);
  return variants;
}

Variant active_variant() {
  static const Variant variant = choose_variant();
  return variant;
}

// ---- TF's split: whole packets, then the scalar functor on the last n % 8 ----------------------

namespace {

/// Runs the widest usable variant over the whole batches of its width among the first `packed`
/// elements (whole TF packets) and returns how many it did; the baseline finishes the packets.
template <class T>
std::int64_t apply_wide(Variant variant, Function function, const T* x, T* y, std::int64_t packed) {
#if defined(__x86_64__)
  constexpr std::int64_t kPerFloat = static_cast<std::int64_t>(sizeof(T) / sizeof(float));
  std::int64_t wide = 0;
  switch (usable(variant)) {
    case Variant::kAvx512:
      wide = packed - packed % (kLanesAvx512 / kPerFloat);
      apply_packets_avx512(function, x, y, wide);
      break;
    case Variant::kAvx2:
      wide = packed - packed % (kLanesAvx2 / kPerFloat);
      apply_packets_avx2(function, x, y, wide);
      break;
    case Variant::kSse2: break;
  }
  return wide;
#else
  (void)variant, (void)function, (void)x, (void)y, (void)packed;
  return 0;
#endif
}

}  // namespace

void apply_with(Variant variant, Function function, const float* x, float* y, std::int64_t n) {
  if (n < kPacketSize) {  // no whole packet (a scalar): the scalar path below, and nothing else
    for (std::int64_t i = 0; i < n; ++i) y[i] = scalar(function, x[i]);
    return;
  }
  const std::int64_t packed = n - n % kPacketSize;
  const std::int64_t wide = apply_wide(variant, function, x, y, packed);
  packet_loop(function, x + wide, y + wide, packed - wide);
  for (std::int64_t i = packed; i < n; ++i) y[i] = scalar(function, x[i]);
}

bool apply_with(Variant variant, Function function, const double* x, double* y, std::int64_t n) {
  if (!has_packet_double(function)) return false;
  const std::int64_t packed = n - n % kPacketSizeDouble;
  const std::int64_t wide = apply_wide(variant, function, x, y, packed);
  packet_loop_double(function, x + wide, y + wide, packed - wide);
  for (std::int64_t i = packed; i < n; ++i) y[i] = scalar_double(function, x[i]);
  return true;
}

void apply(Function function, const float* x, float* y, std::int64_t n) {
  apply_with(active_variant(), function, x, y, n);
}

bool apply(Function function, const double* x, double* y, std::int64_t n) {
  return apply_with(active_variant(), function, x, y, n);
}

namespace {

/// Eigen's digamma_impl for T: reflection for x <= 0, the recurrence psi(x + 1) = psi(x) + 1/x
/// up to 10, then log(s) - 1/(2s) - the asymptotic series in 1/s^2 (Horner in T).
template <class T>
T digamma_impl(T x) {
  const T pi = T(3.14159265358979323846);
  T nz = T(0);
  bool negative = false;
  if (x <= T(0)) {
    negative = true;
    T q = x;
    T p = std::floor(q);
    if (p == q) return std::numeric_limits<T>::infinity();
    // Remove the zeros of tan(pi x) by subtracting the nearest integer from x.
    nz = q - p;
    if (nz != T(0.5)) {
      if (nz > T(0.5)) {
        p += T(1);
        nz = q - p;
      }
      nz = pi / std::tan(pi * nz);
    } else {
      nz = T(0);
    }
    x = T(1) - x;
  }
  T s = x;
  T w = T(0);
  while (s < T(10)) {
    w += T(1) / s;
    s += T(1);
  }
  T y = T(0);
  if constexpr (std::is_same_v<T, float>) {
    if (s < 1.0e8f) {
      T z = T(1) / (s * s);
      T poly = -4.16666666666666666667E-3f;
      poly = poly * z + 3.96825396825396825397E-3f;
      poly = poly * z + -8.33333333333333333333E-3f;
      poly = poly * z + 8.33333333333333333333E-2f;
      y = z * poly;
    }
  } else {
    if (s < 1.0e17) {
      static const double kA[] = {8.33333333333333333333E-2,  -2.10927960927960927961E-2, 7.57575757575757575758E-3,
                                  -4.16666666666666666667E-3, 3.96825396825396825397E-3,  -8.33333333333333333333E-3,
                                  8.33333333333333333333E-2};
      T z = T(1) / (s * s);
      T poly = kA[0];
      for (int i = 1; i < 7; ++i) poly = poly * z + kA[i];
      y = z * poly;
    }
  }
  y = std::log(s) - (T(0.5) / s) - y - w;
  return negative ? y - nz : y;
}

}  // namespace

float digamma(float x) { return digamma_impl(x); }
double digamma(double x) { return digamma_impl(x); }

}  // namespace ag::kernels::tf_float
