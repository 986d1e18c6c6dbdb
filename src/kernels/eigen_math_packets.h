// The packet algorithms of TF's element functions (eigen_math.h), for the batch width the
// including file compiles xsimd to. Included only by eigen_math.cpp (the baseline build: SSE2,
// 4 floats), eigen_math_avx2.cpp (8) and eigen_math_avx512.cpp (16), each compiled with its own
// -m flags (CMakeLists.txt). Each algorithm follows the Eigen algorithm of the same name
// operation for operation: lanes never interact, so the batch width does not change a single bit,
// and pmadd is a multiply then an add (TF's AVX wheels have no FMA; AVX-512F has FMA
// instructions, so contraction is switched off below and by the wide files' flags). Eigen's pmin(a, b) is minps(b, a)
// and pmax(a, b) is maxps(b, a), which decides which operand a NaN comes from; the helpers keep
// that.
//
// Everything below the entry points sits in an anonymous namespace: each including file gets its
// own copy, built for its own instruction set. An inline function or template with external
// linkage would be emitted by each of them under one name, and the linker would keep any one copy
// for all callers, so AVX-512 code could run on a CPU without it. The xsimd functions are
// templates on the instruction set, so the baseline's and the wide files' are different
// functions; the AVX-512 file also instantiates some on AVX2, which is why the loops are flattened
// and leave no out-of-line xsimd function behind.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <xsimd/xsimd.hpp>

#include "kernels/eigen_math.h"

// A fused multiply-add would change the last bit of every polynomial: never contract.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace ag::kernels::tf_float {

// ---- the entry points, one per instruction set --------------------------------------------------
// y[i] = f(x[i]) for i < n by the packet algorithm alone; n must be a whole number of that file's
// batches (kLanesAvx2 / kLanesAvx512 floats, half as many doubles). eigen_math.cpp calls the wide
// ones only on a CPU that has the instructions, and keeps TF's split into packets and a scalar
// tail. The float64 forms do nothing for a function without float64 packets.

inline constexpr std::int64_t kLanesAvx2 = 8;
inline constexpr std::int64_t kLanesAvx512 = 16;

void apply_packets_avx2(Function function, const float* x, float* y, std::int64_t n);
void apply_packets_avx512(Function function, const float* x, float* y, std::int64_t n);
void apply_packets_avx2(Function function, const double* x, double* y, std::int64_t n);
void apply_packets_avx512(Function function, const double* x, double* y, std::int64_t n);

namespace {

using F = xsimd::batch<float>;
using I = xsimd::batch<std::int32_t>;
using M = xsimd::batch_bool<float>;
constexpr std::int64_t kLanes = static_cast<std::int64_t>(F::size);

// ---- Eigen's packet primitives ---------------------------------------------------------------

F pmadd(F a, F b, F c) { return a * b + c; }
F pmin(F a, F b) { return xsimd::select(b < a, b, a); }
F pmax(F a, F b) { return xsimd::select(b > a, b, a); }
F as_float(I i) { return xsimd::bitwise_cast<F>(i); }
I as_int(F f) { return xsimd::bitwise_cast<I>(f); }
I to_int(F f) { return xsimd::batch_cast<std::int32_t>(f); }  // cvttps: NaN gives INT_MIN
F to_float(I i) { return xsimd::batch_cast<float>(i); }
F bits(std::uint32_t pattern) {
  float value;
  std::memcpy(&value, &pattern, sizeof value);
  return F(value);
}

/// Exact floor (AVX's roundps): truncate, step down where that rounded up; |x| >= 2^23, NaN and
/// infinities are already integral, and -0.0 stays -0.0.
F pfloor(F x) {
  F truncated = to_float(to_int(x));
  F floored = xsimd::select(truncated > x, truncated - F(1.0f), truncated);
  floored = xsimd::select(x == F(0.0f), x, floored);
  return xsimd::select(xsimd::abs(x) < F(8388608.0f), floored, x);
}

/// Eigen's pldexp_generic: a * 2^exponent in four factors, so no intermediate over/underflows.
F pldexp(F a, F exponent) {
  const F max_exponent(278.0f);
  I e = to_int(pmin(pmax(exponent, -max_exponent), max_exponent));
  I b = e >> 2;
  F c = as_float((b + I(127)) << 23);
  F out = ((a * c) * c) * c;
  b = ((e - b) - b) - b;
  c = as_float((b + I(127)) << 23);
  return out * c;
}

/// Eigen's pldexp_fast_impl: one factor, the biased exponent clamped to [0, 255].
F pldexp_fast(F a, F exponent) {
  I e = to_int(pmin(pmax(exponent + F(127.0f), F(0.0f)), F(255.0f)));
  return a * as_float(e << 23);
}

/// Eigen's pfrexp_generic: a = m * 2^exponent with m in [0.5, 1), denormals normalised first.
F pfrexp(F a, F& exponent) {
  const F sign_mantissa_mask = bits(0x807fffffu);
  const F zero(0.0f);
  M is_denormal = xsimd::abs(a) < F(std::numeric_limits<float>::min());
  F normalized = xsimd::select(is_denormal, a * F(16777216.0f), a);
  F offset = xsimd::select(is_denormal, F(-150.0f), F(-126.0f));
  exponent = to_float(as_int(xsimd::abs(normalized)) >> 23);  // sign bit clear: logical = arithmetic
  M zero_or_not_finite = (a == zero) || (exponent == F(255.0f));
  F m = as_float((as_int(normalized) & as_int(sign_mantissa_mask)) | as_int(F(0.5f)));
  m = xsimd::select(zero_or_not_finite, a, m);
  exponent = xsimd::select(zero_or_not_finite, zero, exponent + offset);
  return m;
}

// ---- the functions ------------------------------------------------------------------------------

// pexp_float: exp(x) = 2^m exp(r), m = floor(x log2 e + 1/2), r by a two-part ln 2 (Cody-Waite),
// exp(r) by a degree-6 minimax polynomial in even and odd halves.
F pexp(F x_in) {
  const F zero(0.0f);
  M zero_mask = x_in < F(-104.0f);
  F x = pmin(x_in, F(88.723f));
  F m = pfloor(pmadd(x, F(1.44269504088896341f), F(0.5f)));
  F r = pmadd(m, F(-0.693359375f), x);
  r = pmadd(m, F(2.12194440e-4f), r);
  F r2 = r * r;
  F p_even = pmadd(r2, F(1.37449637986719608306884765625e-3f), F(4.166965186595916748046875e-2f));
  F p_odd = pmadd(r2, F(8.36894474923610687255859375e-3f), F(0.16666518151760101318359375f));
  p_even = pmadd(r2, p_even, F(0.49999988079071044921875f));
  F p_low = r + F(1.0f);
  F y = pmadd(r, p_odd, p_even);
  y = pmadd(r2, y, p_low);
  return xsimd::select(zero_mask, zero, pmax(pldexp(y, m), x_in));
}

// plog_float: log(x) = e ln 2 + log(m), m moved into [sqrt(1/2), sqrt(2)) and log(1 + f) by a
// (3,3) rational approximation; 0 gives -inf, negatives and NaN give NaN, +inf stays +inf.
F plog(F x_in) {
  F e;
  F x = pfrexp(x_in, e);
  M mask = x < F(0.707106781186547524f);
  F tmp = xsimd::select(mask, x, F(0.0f));
  x = x - F(1.0f);
  e = e - xsimd::select(mask, F(1.0f), F(0.0f));
  x = x + tmp;
  F p = pmadd(x, F(0.18256296349849254f), F(1.0000000190281063f));
  p = pmadd(x, p, F(1.0000000190281136f));
  p = x * p;
  F q = pmadd(x, F(0.049616247954120038f), F(0.59923249590823520f));
  q = pmadd(x, q, F(1.4999999999999927f));
  q = pmadd(x, q, F(1.0f));
  x = p / q;
  x = pmadd(e, F(0.693147180559945309417232121458176568f), x);
  const F infinity(std::numeric_limits<float>::infinity());
  M invalid = !(x_in >= F(0.0f));
  F result = xsimd::select(x_in == infinity, infinity, x);
  result = xsimd::select(invalid, bits(0xffffffffu), result);
  return xsimd::select(x_in == F(0.0f), -infinity, result);
}

// generic_plog1p: Kahan's log1p(x) = x * log(1 + x) / ((1 + x) - 1).
F plog1p(F x) {
  const F one(1.0f);
  F xp1 = x + one;
  M small_mask = xp1 == one;
  F log1 = plog(xp1);
  M inf_mask = xp1 == log1;
  F ratio = log1 / (xp1 - one);
  // For a NaN x, ratio is plog's all-ones NaN, and a product of two NaNs has the payload of
  // whichever operand the compiler puts first (the product commutes, so that is its choice). GCC's
  // baseline build gives ratio's; pinned, so every compiler and batch width agrees. x == x, not
  // x != x: xsimd 8.1's != is unordered on SSE2 and ordered on AVX.
  F log_large = xsimd::select(x == x, x * ratio, ratio);
  return xsimd::select(small_mask || inf_mask, x, log_large);
}

// generic_expm1: Kahan's expm1(x) = (u - 1) * x / log(u), u = exp(x).
F pexpm1(F x) {
  const F one(1.0f);
  const F neg_one(-1.0f);
  F u = pexp(x);
  M one_mask = u == one;
  F u_minus_one = u - one;
  M neg_one_mask = u_minus_one == neg_one;
  F logu = plog(u);
  M pos_inf_mask = logu == u;
  F expm1 = u_minus_one * (x / logu);
  expm1 = xsimd::select(pos_inf_mask, u, expm1);
  return xsimd::select(one_mask, x, xsimd::select(neg_one_mask, neg_one, expm1));
}

/// Eigen's trig_reduce_huge: Payne-Hanek reduction of a huge finite |x| by pi/2 with 96 bits of
/// 2/pi; returns the remainder and sets the quadrant.
float trig_reduce_huge(float xf, std::int32_t* quadrant) {
  const double pio2_62 = 3.4061215800865545e-19;  // pi/2 * 2^-62
  const std::uint64_t zero_dot_five = std::uint64_t(1) << 61;
  static const std::uint32_t two_over_pi[] = {
      0x00000028, 0x000028be, 0x0028be60, 0x28be60db, 0xbe60db93, 0x60db9391, 0xdb939105,
      0x9391054a, 0x91054a7f, 0x054a7f09, 0x4a7f09d5, 0x7f09d5f4, 0x09d5f47d, 0xd5f47d4d,
      0xf47d4d37, 0x7d4d3770, 0x4d377036, 0x377036d8, 0x7036d8a5, 0x36d8a566, 0xd8a5664f,
      0xa5664f10, 0x664f10e4, 0x4f10e410, 0x10e41000, 0xe4100000};
  std::uint32_t xi;
  std::memcpy(&xi, &xf, sizeof xi);
  // -118 = -126 + 8: the exponent, plus 8 to align 2/pi's bits on bytes.
  std::uint32_t e = (xi >> 23) - 118;
  xi = ((xi & 0x007fffffu) | 0x00800000u) << (e & 0x7);
  std::uint32_t i = e >> 3;
  std::uint32_t twoopi_1 = two_over_pi[i - 1];
  std::uint32_t twoopi_2 = two_over_pi[i + 3];
  std::uint32_t twoopi_3 = two_over_pi[i + 7];
  // x * 2/pi in 2.62 fixed point.
  std::uint64_t p = std::uint64_t(xi) * twoopi_3;
  p = std::uint64_t(xi) * twoopi_2 + (p >> 32);
  p = (std::uint64_t(xi * twoopi_1) << 32) + p;
  std::uint64_t q = (p + zero_dot_five) >> 62;
  *quadrant = static_cast<std::int32_t>(q);
  p -= q << 62;
  return static_cast<float>(static_cast<double>(static_cast<std::int64_t>(p)) * pio2_62);
}

// psincos_float without FMA: x reduced by y * pi/2 in four parts (y the nearest integer to
// x * 2/pi, by the 1.5 * 2^23 rounding trick), Payne-Hanek beyond huge_th; both polynomials
// evaluated and the quadrant picks one and the sign.
template <bool kSine>
F psincos(F x_in) {
  F x = xsimd::abs(x_in);
  F y = x * F(0.636619746685028076171875f);
  F y_round = y + F(12582912.0f);
  I y_int = as_int(y_round);
  y = y_round - F(12582912.0f);
  const float huge_th = kSine ? 25966.0f : 18838.0f;
  x = pmadd(y, F(-1.5703125f), x);
  x = pmadd(y, F(-0.000483989715576171875f), x);
  x = pmadd(y, F(1.62865035235881805419921875e-07f), x);
  x = pmadd(y, F(5.5644315544167710640977020375430583953857421875e-11f), x);
  if (xsimd::any(F(huge_th) <= xsimd::abs(x_in))) {
    alignas(64) float values[F::size];
    alignas(64) float reduced[F::size];
    alignas(64) std::int32_t quadrants[F::size];
    xsimd::abs(x_in).store_aligned(values);
    x.store_aligned(reduced);
    y_int.store_aligned(quadrants);
    for (std::size_t k = 0; k < F::size; ++k)
      if (values[k] >= huge_th && std::isfinite(values[k])) reduced[k] = trig_reduce_huge(values[k], &quadrants[k]);
    x = F::load_aligned(reduced);
    y_int = I::load_aligned(quadrants);
  }
  const I sign_mask = as_int(bits(0x80000000u));
  I sign_bit = kSine ? (as_int(x_in) ^ (y_int << 30)) : ((y_int + I(1)) << 30);
  sign_bit = sign_bit & sign_mask;
  M poly_mask = to_float(y_int & I(1)) == F(0.0f);
  F x2 = x * x;
  F y1(2.4372266125283204019069671630859375e-05f);
  y1 = pmadd(y1, x2, F(-0.00138865201734006404876708984375f));
  y1 = pmadd(y1, x2, F(0.041666619479656219482421875f));
  y1 = pmadd(y1, x2, F(-0.5f));
  y1 = pmadd(y1, x2, F(1.0f));
  F y2(-0.0001959234114083702898469196984621021329076029360294342041015625f);
  y2 = pmadd(y2, x2, F(0.0083326873655616851693794799871284340042620897293090820312500000f));
  y2 = pmadd(y2, x2, F(-0.1666666203982298255503735617821803316473960876464843750000000000f));
  y2 = y2 * x2;
  y2 = pmadd(y2, x, x);
  F result = kSine ? xsimd::select(poly_mask, y2, y1) : xsimd::select(poly_mask, y1, y2);
  return as_float(as_int(result) ^ sign_bit);
}

// generic_fast_tanh_float (non-FMA clamp): a 13/6 rational in x on [-c, c], c the smallest input
// giving exactly +-1; below 0.0004 in magnitude tanh(x) = x. Eigen uses it for scalars too.
F ptanh(F a_x) {
  const F clamp(7.90531110763549805f);
  F x = pmax(pmin(a_x, clamp), -clamp);
  M tiny_mask = xsimd::abs(a_x) < F(0.0004f);
  F x2 = x * x;
  F p = pmadd(x2, F(-2.76076847742355e-16f), F(2.00018790482477e-13f));
  p = pmadd(x2, p, F(-8.60467152213735e-11f));
  p = pmadd(x2, p, F(5.12229709037114e-08f));
  p = pmadd(x2, p, F(1.48572235717979e-05f));
  p = pmadd(x2, p, F(6.37261928875436e-04f));
  p = pmadd(x2, p, F(4.89352455891786e-03f));
  p = x * p;
  F q = pmadd(x2, F(1.19825839466702e-06f), F(1.18534705686654e-04f));
  q = pmadd(x2, q, F(2.26843463243900e-03f));
  q = pmadd(x2, q, F(4.89352518554385e-03f));
  return xsimd::select(tiny_mask, x, p / q);
}

// generic_fast_erf_float: a 13/8 rational on [-4, 4]; Eigen uses it for scalars too.
F perf(F a_x) {
  F x = pmax(pmin(a_x, F(4.0f)), F(-4.0f));
  F x2 = x * x;
  F p = pmadd(x2, F(-2.72614225801306e-10f), F(2.77068142495902e-08f));
  p = pmadd(x2, p, F(-2.10102402082508e-06f));
  p = pmadd(x2, p, F(-5.69250639462346e-05f));
  p = pmadd(x2, p, F(-7.34990630326855e-04f));
  p = pmadd(x2, p, F(-2.95459980854025e-03f));
  p = pmadd(x2, p, F(-1.60960333262415e-02f));
  p = x * p;
  F q = pmadd(x2, F(-1.45660718464996e-05f), F(-2.13374055278905e-04f));
  q = pmadd(x2, q, F(-1.68282697438203e-03f));
  q = pmadd(x2, q, F(-7.37332916720468e-03f));
  q = pmadd(x2, q, F(-1.42647390514189e-02f));
  return p / q;
}

// scalar_logistic_op<float>::packetOp: exp(x) of x/2 by a degree-5 polynomial and the fast
// ldexp, squared, then e / (1 + e); below -104 exactly 0, above 16.6355324 exactly 1.
F plogistic(F x_in) {
  const F one(1.0f);
  const F half(0.5f);
  M zero_mask = x_in < F(-104.0f);
  F x = pmin(x_in, F(16.6355324f));
  x = x * half;
  F m = pfloor(pmadd(x, F(1.44269504088896341f), half));
  F r = pmadd(m, F(-0.693359375f), x);
  r = pmadd(m, F(2.12194440e-4f), r);
  F r2 = r * r;
  F p_even = pmadd(r2, F(4.1898667812347412109375e-2f), F(0.49999141693115234375f));
  F p_odd = pmadd(r2, F(8.33471305668354034423828125e-3f), F(0.16666877269744873046875f));
  F p_low = r + one;
  F p = pmadd(r, p_odd, p_even);
  p = pmadd(r2, p, p_low);
  F e = pldexp_fast(p, m);
  e = e * e;
  return xsimd::select(zero_mask, F(0.0f), e / (one + e));
}

// TF's Softplus threshold, log(float eps) + 2, computed as TF does (logf at run time).
float softplus_threshold() {
  static const float threshold = std::log(std::numeric_limits<float>::epsilon()) + 2.0f;
  return threshold;
}

constexpr float kSeluScale = 1.0507009873554804934193349852946f;
constexpr float kSeluScaleAlpha = 1.7580993408473768599402175208123f;

/// TF's packet path of one function; a template per function, so the loops below carry no switch.
template <Function kFunction>
F packet(F x) {
  switch (kFunction) {
    case Function::kExp: return pexp(x);
    case Function::kLog: return plog(x);
    case Function::kExpm1: return pexpm1(x);
    case Function::kLog1p: return plog1p(x);
    case Function::kSin: return psincos<true>(x);
    case Function::kCos: return psincos<false>(x);
    case Function::kTanh: return ptanh(x);
    case Function::kSigmoid: return plogistic(x);
    case Function::kErf: return perf(x);
    case Function::kSoftplus: {
      const F threshold(softplus_threshold());
      F features_exp = pexp(x);
      return xsimd::select(x > -threshold, x, xsimd::select(x < threshold, features_exp, plog1p(features_exp)));
    }
    case Function::kElu: return xsimd::select(x < F(0.0f), pexp(x) - F(1.0f), x);
    case Function::kSelu:
      return xsimd::select(x < F(0.0f), F(kSeluScaleAlpha) * (pexp(x) - F(1.0f)), F(kSeluScale) * x);
  }
  return x;
}

// ---- float64: Eigen's pexp_double and plog_double (Cephes), on TF's packets of 4 doubles ----

using D = xsimd::batch<double>;
using L = xsimd::batch<std::int64_t>;
using MD = xsimd::batch_bool<double>;
constexpr std::int64_t kLanesDouble = static_cast<std::int64_t>(D::size);

D dmadd(D a, D b, D c) { return a * b + c; }
D dmin(D a, D b) { return xsimd::select(b < a, b, a); }
D dmax(D a, D b) { return xsimd::select(b > a, b, a); }
D as_double(L i) { return xsimd::bitwise_cast<D>(i); }
L as_int64(D d) { return xsimd::bitwise_cast<L>(d); }
D dbits(std::uint64_t pattern) {
  double value;
  std::memcpy(&value, &pattern, sizeof value);
  return D(value);
}
D dfloor(D x) {
  alignas(64) double lanes[D::size];
  x.store_aligned(lanes);
  for (double& lane : lanes) lane = std::floor(lane);  // roundpd: exact
  return D::load_aligned(lanes);
}

/// pldexp for doubles: a * 2^e in four factors, e clamped to [-2099, 2099].
D dldexp(D a, D exponent) {
  const D max_exponent(2099.0);
  alignas(64) double clamped[D::size];
  dmin(dmax(exponent, -max_exponent), max_exponent).store_aligned(clamped);
  alignas(64) std::int64_t e_lanes[D::size];
  // A NaN exponent (from a NaN x, whose result is NaN whatever e is) takes cvttsd2si's answer:
  // converting NaN is undefined in C++.
  for (std::size_t k = 0; k < D::size; ++k) {
    e_lanes[k] = std::isnan(clamped[k]) ? std::numeric_limits<std::int64_t>::min()
                                        : static_cast<std::int64_t>(std::nearbyint(clamped[k]));
  }
  L e = L::load_aligned(e_lanes);
  L b = e >> 2;
  D c = as_double((b + L(1023)) << 52);
  D out = ((a * c) * c) * c;
  b = ((e - b) - b) - b;
  c = as_double((b + L(1023)) << 52);
  return out * c;
}

/// pfrexp_generic for doubles.
D dfrexp(D a, D& exponent) {
  const D zero(0.0);
  MD is_denormal = xsimd::abs(a) < D(std::numeric_limits<double>::min());
  D normalized = xsimd::select(is_denormal, a * D(9007199254740992.0), a);
  D offset = xsimd::select(is_denormal, D(-1075.0), D(-1022.0));
  alignas(64) std::int64_t biased[D::size];
  (as_int64(xsimd::abs(normalized)) >> 52).store_aligned(biased);
  alignas(64) double biased_double[D::size];
  for (std::size_t k = 0; k < D::size; ++k) biased_double[k] = static_cast<double>(biased[k]);
  exponent = D::load_aligned(biased_double);
  MD zero_or_not_finite = (a == zero) || (exponent == D(2047.0));
  D m = as_double((as_int64(normalized) & as_int64(dbits(0x800fffffffffffffull))) | as_int64(D(0.5)));
  m = xsimd::select(zero_or_not_finite, a, m);
  exponent = xsimd::select(zero_or_not_finite, zero, exponent + offset);
  return m;
}

// pexp_double: Cephes' exp, 2^n * (1 + 2 P(g²) g / (Q(g²) - P(g²) g)) with g = x - n ln 2.
D dexp(D x_in) {
  MD zero_mask = x_in < D(-709.784);
  D x = dmin(x_in, D(709.784));
  D fx = dfloor(dmadd(D(1.4426950408889634073599), x, D(0.5)));
  D tmp = fx * D(0.693145751953125);
  D z = fx * D(1.42860682030941723212e-6);
  x = x - tmp;
  x = x - z;
  D x2 = x * x;
  D px(1.26177193074810590878e-4);
  px = dmadd(px, x2, D(3.02994407707441961300e-2));
  px = dmadd(px, x2, D(9.99999999999999999910e-1));
  px = px * x;
  D qx(3.00198505138664455042e-6);
  qx = dmadd(qx, x2, D(2.52448340349684104192e-3));
  qx = dmadd(qx, x2, D(2.27265548208155028766e-1));
  qx = dmadd(qx, x2, D(2.00000000000000000009e0));
  x = px / (qx - px);
  x = dmadd(D(2.0), x, D(1.0));
  return xsimd::select(zero_mask, D(0.0), dmax(dldexp(x, fx), x_in));
}

// plog_double: Cephes' log, e ln 2 + f - f²/2 + f³ P(f)/Q(f) with f in [sqrt(1/2) - 1, sqrt(2) - 1).
D dlog(D x_in) {
  D e;
  D x = dfrexp(x_in, e);
  MD mask = x < D(0.70710678118654752440E0);
  D tmp = xsimd::select(mask, x, D(0.0));
  x = x - D(1.0);
  e = e - xsimd::select(mask, D(1.0), D(0.0));
  x = x + tmp;
  D x2 = x * x;
  D x3 = x2 * x;
  D y = dmadd(D(1.01875663804580931796E-4), x, D(4.97494994976747001425E-1));
  D y1 = dmadd(D(1.44989225341610930846E1), x, D(1.79368678507819816313E1));
  y = dmadd(y, x, D(4.70579119878881725854E0));
  y1 = dmadd(y1, x, D(7.70838733755885391666E0));
  D y_ = dmadd(y, x3, y1);
  y = dmadd(D(1.0), x, D(1.12873587189167450590E1));
  y1 = dmadd(D(8.29875266912776603211E1), x, D(7.11544750618563894466E1));
  y = dmadd(y, x, D(4.52279145837532221105E1));
  y1 = dmadd(y1, x, D(2.31251620126765340583E1));
  y = dmadd(y, x3, y1);
  y_ = y_ * x3;
  y = y_ / y;
  y = dmadd(D(-0.5), x2, y);
  x = x + y;
  x = dmadd(e, D(0.693147180559945309417232121458176568), x);
  const D infinity(std::numeric_limits<double>::infinity());
  MD invalid = !(x_in >= D(0.0));
  D result = xsimd::select(x_in == infinity, infinity, x);
  result = xsimd::select(invalid, dbits(0xffffffffffffffffull), result);
  return xsimd::select(x_in == D(0.0), -infinity, result);
}

D dlog1p(D x) {
  const D one(1.0);
  D xp1 = x + one;
  MD small_mask = xp1 == one;
  D log1 = dlog(xp1);
  MD inf_mask = xp1 == log1;
  D ratio = log1 / (xp1 - one);
  D log_large = xsimd::select(x == x, x * ratio, ratio);  // a NaN x: as plog1p
  return xsimd::select(small_mask || inf_mask, x, log_large);
}

D dexpm1(D x) {
  const D one(1.0);
  const D neg_one(-1.0);
  D u = dexp(x);
  MD one_mask = u == one;
  D u_minus_one = u - one;
  MD neg_one_mask = u_minus_one == neg_one;
  D logu = dlog(u);
  MD pos_inf_mask = logu == u;
  D expm1 = u_minus_one * (x / logu);
  expm1 = xsimd::select(pos_inf_mask, u, expm1);
  return xsimd::select(one_mask, x, xsimd::select(neg_one_mask, neg_one, expm1));
}

double softplus_threshold_double() {
  static const double threshold = std::log(std::numeric_limits<double>::epsilon()) + 2.0;
  return threshold;
}

/// Whether TF computes the function with its own float64 packets; sin, cos, tanh and erf it
/// computes with the C library everywhere.
constexpr bool has_packet_double(Function function) {
  switch (function) {
    case Function::kExp:
    case Function::kLog:
    case Function::kExpm1:
    case Function::kLog1p:
    case Function::kSigmoid:
    case Function::kSoftplus:
    case Function::kElu:
    case Function::kSelu: return true;
    default: return false;
  }
}

/// The float64 packet path of one function that has one.
template <Function kFunction>
D packet_double(D x) {
  static_assert(has_packet_double(kFunction), "TF computes this function with the C library in float64");
  switch (kFunction) {
    case Function::kExp: return dexp(x);
    case Function::kLog: return dlog(x);
    case Function::kExpm1: return dexpm1(x);
    case Function::kLog1p: return dlog1p(x);
    case Function::kSigmoid: {  // Eigen's generic logistic: e / (1 + e), 1 where e overflows
      D e = dexp(x);
      return xsimd::select(e == D(std::numeric_limits<double>::infinity()), D(1.0), e / (D(1.0) + e));
    }
    case Function::kSoftplus: {
      const D threshold(softplus_threshold_double());
      D features_exp = dexp(x);
      return xsimd::select(x > -threshold, x, xsimd::select(x < threshold, features_exp, dlog1p(features_exp)));
    }
    case Function::kElu: return xsimd::select(x < D(0.0), dexp(x) - D(1.0), x);
    case Function::kSelu:
      return xsimd::select(x < D(0.0), D(1.7580993408473768599402175208123) * (dexp(x) - D(1.0)),
                           D(1.0507009873554804934193349852946) * x);
    default: return x;
  }
}

// ---- whole batches ------------------------------------------------------------------------------
// One loop per function, flattened: every algorithm and xsimd operation is inlined into it, so
// there is no call per batch and the constants can stay in registers across batches, and no
// out-of-line copy of an xsimd function is left in the object file (see the top of this file).

/// y[i] = f(x[i]) for i < n, n a whole number of batches, every element by the packet algorithm.
template <Function kFunction>
[[gnu::flatten]] void packet_loop(const float* x, float* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; i += kLanes) packet<kFunction>(F::load_unaligned(x + i)).store_unaligned(y + i);
}

void packet_loop(Function function, const float* x, float* y, std::int64_t n) {
  switch (function) {
    case Function::kExp: return packet_loop<Function::kExp>(x, y, n);
    case Function::kLog: return packet_loop<Function::kLog>(x, y, n);
    case Function::kExpm1: return packet_loop<Function::kExpm1>(x, y, n);
    case Function::kLog1p: return packet_loop<Function::kLog1p>(x, y, n);
    case Function::kSin: return packet_loop<Function::kSin>(x, y, n);
    case Function::kCos: return packet_loop<Function::kCos>(x, y, n);
    case Function::kTanh: return packet_loop<Function::kTanh>(x, y, n);
    case Function::kSigmoid: return packet_loop<Function::kSigmoid>(x, y, n);
    case Function::kErf: return packet_loop<Function::kErf>(x, y, n);
    case Function::kSoftplus: return packet_loop<Function::kSoftplus>(x, y, n);
    case Function::kElu: return packet_loop<Function::kElu>(x, y, n);
    case Function::kSelu: return packet_loop<Function::kSelu>(x, y, n);
  }
}

/// The float64 form, n a whole number of batches; does nothing for a function without float64
/// packets (has_packet_double).
template <Function kFunction>
[[gnu::flatten]] void packet_loop_double(const double* x, double* y, std::int64_t n) {
  for (std::int64_t i = 0; i < n; i += kLanesDouble)
    packet_double<kFunction>(D::load_unaligned(x + i)).store_unaligned(y + i);
}

void packet_loop_double(Function function, const double* x, double* y, std::int64_t n) {
  switch (function) {
    case Function::kExp: return packet_loop_double<Function::kExp>(x, y, n);
    case Function::kLog: return packet_loop_double<Function::kLog>(x, y, n);
    case Function::kExpm1: return packet_loop_double<Function::kExpm1>(x, y, n);
    case Function::kLog1p: return packet_loop_double<Function::kLog1p>(x, y, n);
    case Function::kSigmoid: return packet_loop_double<Function::kSigmoid>(x, y, n);
    case Function::kSoftplus: return packet_loop_double<Function::kSoftplus>(x, y, n);
    case Function::kElu: return packet_loop_double<Function::kElu>(x, y, n);
    case Function::kSelu: return packet_loop_double<Function::kSelu>(x, y, n);
    default: return;
  }
}

}  // namespace
}  // namespace ag::kernels::tf_float
