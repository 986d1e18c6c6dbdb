// Tests of kernels::cast: truncation and saturation to integers, bool rules, complex parts and
// rounding between float widths.
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
const float kNanF = std::numeric_limits<float>::quiet_NaN();
const float kInfF = std::numeric_limits<float>::infinity();
constexpr std::int32_t kIntMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kIntMax = std::numeric_limits<std::int32_t>::max();

TEST_CASE("kernels: cast float to int truncates toward zero and saturates out of range") {
  Tensor x = f32({8}, {-1.7f, 1.7f, -0.5f, 2.5f, 3e9f, -3e9f, kNanF, kInfF});
  CHECK(values<std::int32_t>(cast(x, DType::kInt32)) ==
        std::vector<std::int32_t>{-1, 1, 0, 2, kIntMax, kIntMin, 0, kIntMax});
  CHECK(values<std::uint8_t>(cast(f64({4}, {-1, 255.9, 256, 3.99}), DType::kUInt8)) ==
        std::vector<std::uint8_t>{0, 255, 255, 3});
  CHECK(values<std::int64_t>(cast(f64({3}, {9.3e18, -9.3e18, 9223372036854775808.0}), DType::kInt64)) ==
        std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min(),
                                  std::numeric_limits<std::int64_t>::max()});
}

TEST_CASE("kernels: cast between integer widths wraps") {
  CHECK(values<std::int32_t>(cast(i64({3}, {(std::int64_t{1} << 32) + 5, -1, std::int64_t{1} << 31}), DType::kInt32)) ==
        std::vector<std::int32_t>{5, -1, kIntMin});
  CHECK(values<std::uint8_t>(cast(i32({2}, {-1, 256}), DType::kUInt8)) == std::vector<std::uint8_t>{255, 0});
  CHECK(values<float>(cast(make<std::uint64_t>(DType::kUInt64, {}, {~std::uint64_t{0}}), DType::kFloat32)) ==
        std::vector<float>{18446744073709551616.0f});
}

TEST_CASE("kernels: cast to and from bool") {
  CHECK(bools(cast(i32({3}, {0, 3, -1}), DType::kBool)) == std::vector<bool>{false, true, true});
  CHECK(bools(cast(f32({4}, {0, -0.0f, kNanF, 0.5f}), DType::kBool)) == std::vector<bool>{false, false, true, true});
  CHECK(bools(cast(c64({2}, {{0, 0}, {0, 1}}), DType::kBool)) == std::vector<bool>{false, true});
  CHECK(values<float>(cast(boolean({2}, {true, false}), DType::kFloat32)) == std::vector<float>{1, 0});
  CHECK(values<std::complex<float>>(cast(boolean({1}, {true}), DType::kComplex64)) ==
        std::vector<std::complex<float>>{{1, 0}});
  CHECK(doubles(cast(boolean({1}, {true}), DType::kFloat16)) == std::vector<double>{1});
}

TEST_CASE("kernels: cast from complex keeps the real part") {
  using Z = std::complex<double>;
  CHECK(values<double>(cast(c128({2}, {Z(1.5, 2), Z(-3, -4)}), DType::kFloat64)) == std::vector<double>{1.5, -3});
  CHECK(values<std::int32_t>(cast(c64({1}, {{-2.7f, 5}}), DType::kInt32)) == std::vector<std::int32_t>{-2});
  CHECK(values<Z>(cast(c64({1}, {{0.5f, -0.25f}}), DType::kComplex128)) == std::vector<Z>{Z(0.5, -0.25)});
  CHECK(values<Z>(cast(i32({1}, {3}), DType::kComplex128)) == std::vector<Z>{Z(3, 0)});
}

TEST_CASE("kernels: cast between float widths rounds to nearest even") {
  // 1 + 2^-24 is halfway between floats: ties to even (1); 1 + 3 * 2^-24 rounds up to 1 + 2^-22.
  CHECK(values<float>(cast(f64({3}, {0.1, 1 + std::ldexp(1.0, -24), 1 + 3 * std::ldexp(1.0, -24)}),
                           DType::kFloat32)) == std::vector<float>{0.1f, 1.0f, 1.0f + std::ldexp(1.0f, -22)});
  // float64 -> float16 rounds once: 1 + 2^-11 + 2^-30 is above the halfway point 1 + 2^-11. (Going
  // through float would round it to exactly halfway first, then to even: 1.)
  CHECK(doubles(cast(f64({1}, {1 + std::ldexp(1.0, -11) + std::ldexp(1.0, -30)}), DType::kFloat16)) ==
        std::vector<double>{1.0009765625});
  CHECK(doubles(cast(i32({2}, {65504, 70000}), DType::kFloat16)) ==
        std::vector<double>{65504, std::numeric_limits<double>::infinity()});
  CHECK(doubles(cast(f32({2}, {1 + std::ldexp(1.0f, -8), 3}), DType::kBFloat16)) == std::vector<double>{1, 3});
  CHECK(doubles(cast(bf16({1}, {1.0078125f}), DType::kFloat16)) == std::vector<double>{1.0078125});
  CHECK(values<float>(cast(f16({1}, {0.333251953125f}), DType::kFloat32)) == std::vector<float>{0.333251953125f});
}

TEST_CASE("kernels: cast to the same dtype shares the buffer; non-numeric dtypes are refused") {
  Tensor x = f32({2}, {1, 2});
  CHECK(cast(x, DType::kFloat32).raw() == x.raw());
  CHECK(eval_error([&] { cast(x, DType::kString); }).rfind("cast: dtype string is not supported", 0) == 0);
}

}  // namespace
}  // namespace ag::kernels
