// Tests of the run-time choice between the builds of TF's element functions (eigen_math.h): every
// variant this CPU runs (AVX2, AVX-512) gives the baseline SSE2 build's bits, NaN payloads
// included, for every function, with denormals kept and flushed, over whole tensors and over the
// short lengths where the split into packets and a scalar tail decides; and that split is TF's.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "kernels/eigen_math.h"
#include "kernels/flush_denormal.h"

namespace ag::kernels::tf_float {
namespace {

constexpr Function kFunctions[] = {Function::kExp,  Function::kLog,     Function::kExpm1, Function::kLog1p,
                                   Function::kSin,  Function::kCos,     Function::kTanh,  Function::kSigmoid,
                                   Function::kErf,  Function::kSoftplus, Function::kElu,  Function::kSelu};

std::string name_of(Function function) {
  static const char* const names[] = {"exp", "log",     "expm1", "log1p",    "sin", "cos",
                                      "tanh", "sigmoid", "erf",   "softplus", "elu", "selu"};
  return names[static_cast<int>(function)];
}

float from_bits(std::uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

std::uint32_t to_bits(float value) {
  std::uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

std::string hex(std::uint64_t bits) {
  std::ostringstream out;
  out << "0x" << std::hex << bits;
  return out.str();
}

/// The wide variants this CPU runs: the ones compared with the baseline.
std::vector<Variant> wide_variants() {
  std::vector<Variant> wide;
  for (Variant variant : supported_variants())
    if (variant != Variant::kSse2) wide.push_back(variant);
  return wide;
}

/// Values where a branch, clamp or reduction of some function changes: each, both signs, and the
/// 300 floats on either side of it.
const float kEdges[] = {
    18838.0f, 25966.0f,             // sin/cos: the Payne-Hanek reduction from here on
    104.0f, 88.723f, 88.72283935546875f,  // exp: 0 below -104, clamp at 88.723, log(FLT_MAX)
    16.6355324f, 15.942385f,        // sigmoid's clamp, softplus's threshold (log(eps) + 2)
    7.90531110763549805f, 0.0004f,  // tanh's clamp and its tiny branch
    4.0f, 1.0f, 0.70710678f, 0.5f,  // erf's clamp; log's mantissa split
    8388608.0f, 12582912.0f, 2147483648.0f, 278.0f, 127.0f, 1e-3f,
    std::numeric_limits<float>::min(), std::numeric_limits<float>::epsilon()};

/// Every special value, and the neighbourhoods of kEdges: about 25,000 floats.
std::vector<float> specials_and_edges() {
  std::vector<float> x;
  const float inf = std::numeric_limits<float>::infinity();
  const float max = std::numeric_limits<float>::max();
  for (float special : {0.0f, -0.0f, inf, -inf, max, -max, from_bits(0x7fc00000u), from_bits(0xffc00000u),
                        from_bits(0x7f800001u), from_bits(0x7fc12345u), from_bits(0xffffffffu), from_bits(0x00000001u),
                        from_bits(0x80000001u), from_bits(0x007fffffu), from_bits(0x807fffffu), from_bits(0x00400000u),
                        1e30f, -1e30f, 1e20f, 1e10f, 65536.0f, 3.14159265f, 1.57079633f})
    x.push_back(special);
  for (float edge : kEdges) {
    for (float sign : {1.0f, -1.0f}) {
      const std::uint32_t center = to_bits(edge);
      for (std::uint32_t step = 0; step <= 600; ++step) x.push_back(sign * from_bits(center - 300 + step));
    }
  }
  return x;
}

/// About 300,000 floats: random bit patterns (every exponent, denormals, NaNs with payloads),
/// uniform over each function's interesting range and over sin/cos's huge arguments, magnitudes
/// from 2^-60 to 2^60, then specials_and_edges().
std::vector<float> sweep() {
  std::vector<float> x;
  std::mt19937 random(20240611);
  for (int i = 0; i < 131072; ++i) x.push_back(from_bits(static_cast<std::uint32_t>(random())));
  auto uniform = [&](float low, float high, int count) {
    std::uniform_real_distribution<float> distribution(low, high);
    for (int i = 0; i < count; ++i) x.push_back(distribution(random));
  };
  uniform(-110.0f, 100.0f, 49152);
  uniform(-8.0f, 8.0f, 16384);
  uniform(-30000.0f, 30000.0f, 32768);
  uniform(-1e7f, 1e7f, 8192);
  std::uniform_int_distribution<int> exponent(-60, 60);
  for (int i = 0; i < 16384; ++i) {
    const float mantissa = (i % 2 ? -1.0f : 1.0f) * (1.0f + static_cast<float>(i) / 16384.0f);
    x.push_back(std::ldexp(mantissa, exponent(random)));
  }
  for (float value : specials_and_edges()) x.push_back(value);
  return x;
}

/// The first index where the two outputs' bits differ, or -1.
template <class T>
std::int64_t first_difference(const std::vector<T>& a, const std::vector<T>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0) return static_cast<std::int64_t>(i);
  return -1;
}

/// Every wide variant against the baseline on x[0, n), n chosen by the caller; describes the first
/// difference. y is preset with a canary, so an element a variant skips is a difference too.
std::string compare_float(Function function, const float* x, std::int64_t n) {
  std::vector<float> expected(static_cast<std::size_t>(n), from_bits(0x7fbadbadu));
  apply_with(Variant::kSse2, function, x, expected.data(), n);
  for (Variant variant : wide_variants()) {
    std::vector<float> actual(static_cast<std::size_t>(n), from_bits(0x7fbadbadu));
    apply_with(variant, function, x, actual.data(), n);
    const std::int64_t at = first_difference(expected, actual);
    if (at >= 0) {
      return name_of(function) + " on " + variant_name(variant) + ", n = " + std::to_string(n) + ": x[" +
             std::to_string(at) + "] = " + hex(to_bits(x[at])) + " gives " + hex(to_bits(actual[at])) + ", sse2 " +
             hex(to_bits(expected[at]));
    }
  }
  return "";
}

TEST_CASE("tf_float: the variants start with the baseline and follow the CPU") {
  std::vector<Variant> variants = supported_variants();
  REQUIRE(!variants.empty());
  CHECK(variants.front() == Variant::kSse2);
#if defined(__x86_64__)
  auto has = [&](Variant variant) {
    for (Variant v : variants)
      if (v == variant) return true;
    return false;
  };
  CHECK(has(Variant::kAvx2) == static_cast<bool>(__builtin_cpu_supports("avx2")));
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl");
  CHECK(has(Variant::kAvx512) == avx512);
#endif
  bool active_supported = false;
  for (Variant v : variants) active_supported = active_supported || v == active_variant();
  CHECK(active_supported);
  for (Variant variant : {Variant::kSse2, Variant::kAvx2, Variant::kAvx512}) {
    Variant parsed = Variant::kSse2;
    CHECK(variant_from_name(variant_name(variant), &parsed));
    CHECK(parsed == variant);
  }
  Variant untouched = Variant::kAvx2;
  CHECK_FALSE(variant_from_name("avx", &untouched));
  CHECK_FALSE(variant_from_name("", &untouched));
  CHECK(untouched == Variant::kAvx2);
  MESSAGE("variants compared with sse2: " << wide_variants().size() << ", active: " << std::string(variant_name(active_variant())));
}

TEST_CASE("tf_float: every variant gives the baseline's bits for every float32 function") {
  const std::vector<float> x = sweep();
  const std::int64_t n = static_cast<std::int64_t>(x.size()) - 3;  // neither a multiple of 8 nor of 16
  REQUIRE(n % 16 != 0);
  REQUIRE(n % 8 != 0);
  for (bool flush : {false, true}) {
    for (Function function : kFunctions) {
      CAPTURE(flush);
      if (flush) {
        ScopedFlushDenormal flushed;
        CHECK_MESSAGE(compare_float(function, x.data(), n) == "", "denormals flushed");
      } else {
        CHECK(compare_float(function, x.data(), n) == "");
      }
    }
  }
}

TEST_CASE("tf_float: every variant gives the baseline's bits for every length up to 40 and at odd offsets") {
  // Every special value and a sample of the edges and of random bit patterns, seen through short
  // windows at every offset: each value lands in a wide batch, a baseline batch and the scalar
  // tail in turn.
  std::vector<float> x;
  const std::vector<float> edges = specials_and_edges();
  for (std::size_t i = 0; i < edges.size(); ++i)
    if (i < 32 || i % 9 == 0) x.push_back(edges[i]);
  std::mt19937 random(20240613);
  for (int i = 0; i < 1000; ++i) x.push_back(from_bits(static_cast<std::uint32_t>(random())));
  for (bool flush : {false, true}) {
    for (Function function : kFunctions) {
      for (std::int64_t n = 1; n <= 40; ++n) {
        for (std::int64_t start = 0; start + n <= static_cast<std::int64_t>(x.size()); start += 1 + n / 2) {
          std::string difference;
          if (flush) {
            ScopedFlushDenormal flushed;
            difference = compare_float(function, x.data() + start, n);
          } else {
            difference = compare_float(function, x.data() + start, n);
          }
          if (!difference.empty()) {
            FAIL_CHECK(difference << " at offset " << start << std::string(flush ? ", denormals flushed" : ""));
            break;
          }
        }
      }
    }
  }
}

TEST_CASE("tf_float: on every variant the last n % 8 elements take the C library, the rest the packets") {
  // A value where the packet algorithm and the C library differ shows which path an element took.
  const std::vector<float> candidates = sweep();
  for (Function function : {Function::kExp, Function::kSin, Function::kCos, Function::kLog}) {
    float value = 0.0f, packet = 0.0f;
    bool found = false;
    for (float candidate : candidates) {
      if (!std::isfinite(candidate)) continue;
      std::vector<float> in(8, candidate), out(8);
      apply_with(Variant::kSse2, function, in.data(), out.data(), 8);
      float library = function == Function::kExp   ? std::exp(candidate)
                      : function == Function::kSin ? std::sin(candidate)
                      : function == Function::kCos ? std::cos(candidate)
                                                   : std::log(candidate);
      if (std::isfinite(library) && to_bits(out[0]) != to_bits(library)) {
        value = candidate;
        packet = out[0];
        found = true;
        break;
      }
    }
    REQUIRE_MESSAGE(found, name_of(function));
    const float library = function == Function::kExp   ? std::exp(value)
                          : function == Function::kSin ? std::sin(value)
                          : function == Function::kCos ? std::cos(value)
                                                       : std::log(value);
    for (Variant variant : supported_variants()) {
      for (std::int64_t n : {1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40, 47, 48, 49, 1001}) {
        std::vector<float> in(static_cast<std::size_t>(n), value), out(static_cast<std::size_t>(n));
        apply_with(variant, function, in.data(), out.data(), n);
        const std::int64_t packed = n - n % kPacketSize;
        bool ok = true;
        for (std::int64_t i = 0; i < n; ++i) ok = ok && to_bits(out[i]) == to_bits(i < packed ? packet : library);
        CHECK_MESSAGE(ok, name_of(function) << " on " << std::string(variant_name(variant)) << ", n = " << n);
      }
    }
  }
}

/// compare_float for float64; also that every variant agrees on whether TF has float64 packets
/// for the function, and leaves y alone where it has none.
std::string compare_double(Function function, const double* x, std::int64_t n) {
  std::vector<double> expected(static_cast<std::size_t>(n), -1.5);
  const bool has_packets = apply_with(Variant::kSse2, function, x, expected.data(), n);
  for (Variant variant : wide_variants()) {
    std::vector<double> actual(static_cast<std::size_t>(n), -1.5);
    if (apply_with(variant, function, x, actual.data(), n) != has_packets)
      return name_of(function) + " on " + variant_name(variant) + ": another answer on float64 packets";
    const std::int64_t at = first_difference(expected, actual);
    if (at >= 0) {
      std::uint64_t in, got, want;
      std::memcpy(&in, &x[at], 8);
      std::memcpy(&got, &actual[at], 8);
      std::memcpy(&want, &expected[at], 8);
      return name_of(function) + " on " + variant_name(variant) + ", n = " + std::to_string(n) + ": x[" +
             std::to_string(at) + "] = " + hex(in) + " gives " + hex(got) + ", sse2 " + hex(want);
    }
  }
  return "";
}

TEST_CASE("tf_float: every variant gives the baseline's bits for every float64 function") {
  std::vector<double> x;
  std::mt19937_64 random(20240612);
  for (int i = 0; i < 65536; ++i) {
    const std::uint64_t bits = random();
    double value;
    std::memcpy(&value, &bits, sizeof value);
    x.push_back(value);
  }
  std::uniform_real_distribution<double> uniform(-760.0, 720.0);
  for (int i = 0; i < 32768; ++i) x.push_back(uniform(random));
  const double inf = std::numeric_limits<double>::infinity();
  for (double special : {0.0, -0.0, inf, -inf, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::max(),
                         std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::denorm_min(),
                         std::numeric_limits<double>::min(), 709.784, -709.784, 709.78, -745.2, 36.7368005696771,
                         -36.7368005696771, 1.0, -1.0, 0.5})
    x.push_back(special);
  const std::int64_t long_n = static_cast<std::int64_t>(x.size()) - 1;
  REQUIRE(long_n % 8 != 0);
  for (bool flush : {false, true}) {
    for (Function function : kFunctions) {
      for (std::int64_t n : {std::int64_t(1), std::int64_t(3), std::int64_t(4), std::int64_t(7), std::int64_t(8),
                             std::int64_t(9), std::int64_t(12), std::int64_t(13), std::int64_t(17), std::int64_t(33), long_n}) {
        const double* start = x.data() + (x.size() - static_cast<std::size_t>(n));  // the specials end every window
        if (flush) {
          ScopedFlushDenormal flushed;
          CHECK_MESSAGE(compare_double(function, start, n) == "", "denormals flushed");
        } else {
          CHECK(compare_double(function, start, n) == "");
        }
      }
    }
  }
}

}  // namespace
}  // namespace ag::kernels::tf_float
