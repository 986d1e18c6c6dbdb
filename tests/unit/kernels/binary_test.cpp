// Tests of kernels::binary arithmetic: broadcasting, integer semantics, float16 rounding, errors.
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
constexpr std::int32_t kIntMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kIntMax = std::numeric_limits<std::int32_t>::max();
const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

TEST_CASE("kernels: binary add broadcasts [4,1] against [3]") {
  Tensor z = binary(BinaryOp::kAdd, f32({4, 1}, {0, 10, 20, 30}), f32({3}, {1, 2, 3}));
  CHECK(z.dtype() == DType::kFloat32);
  CHECK(z.shape() == Shape{4, 3});
  CHECK(values<float>(z) == std::vector<float>{1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33});
}

TEST_CASE("kernels: binary incompatible shapes use TF's message") {
  CHECK(eval_error([] { binary(BinaryOp::kAdd, f32({4, 2}, std::vector<float>(8)), f32({3}, {1, 2, 3})); }) ==
        "Incompatible shapes: [4,2] vs. [3]");
  CHECK(eval_error([] { binary(BinaryOp::kLess, i32({2}, {1, 2}), i32({3, 1, 3}, std::vector<std::int32_t>(9))); }) ==
        "Incompatible shapes: [2] vs. [3,1,3]");
}

TEST_CASE("kernels: binary broadcasts scalars, leading axes and middle axes") {
  SUBCASE("scalar on either side") {
    CHECK(values<double>(binary(BinaryOp::kSubtract, f64({}, {10}), f64({3}, {1, 2, 3}))) ==
          std::vector<double>{9, 8, 7});
    CHECK(values<double>(binary(BinaryOp::kSubtract, f64({3}, {1, 2, 3}), f64({1, 1}, {10}))) ==
          std::vector<double>{-9, -8, -7});
    CHECK(binary(BinaryOp::kSubtract, f64({3}, {1, 2, 3}), f64({1, 1}, {10})).shape() == Shape{1, 3});
    Tensor scalar = binary(BinaryOp::kMultiply, i64({}, {6}), i64({}, {7}));
    CHECK(scalar.shape() == Shape{});
    CHECK(values<std::int64_t>(scalar) == std::vector<std::int64_t>{42});
  }
  SUBCASE("[2,1,3] against [4,1]") {
    std::vector<float> xs, ys;
    for (int i = 0; i < 2; ++i)
      for (int k = 0; k < 3; ++k) xs.push_back(float(100 * i + k));
    for (int j = 0; j < 4; ++j) ys.push_back(float(10 * j));
    Tensor z = binary(BinaryOp::kAdd, f32({2, 1, 3}, xs), f32({4, 1}, ys));
    REQUIRE(z.shape() == Shape{2, 4, 3});
    std::vector<float> expected;
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 4; ++j)
        for (int k = 0; k < 3; ++k) expected.push_back(float(100 * i + 10 * j + k));
    CHECK(values<float>(z) == expected);
  }
  SUBCASE("[2,3,4] minus [2,1,4] (broadcast middle axis)") {
    std::vector<std::int32_t> xs(24), ys(8);
    for (int i = 0; i < 24; ++i) xs[i] = i * i;
    for (int i = 0; i < 8; ++i) ys[i] = 3 * i;
    Tensor z = binary(BinaryOp::kSubtract, i32({2, 3, 4}, xs), i32({2, 1, 4}, ys));
    std::vector<std::int32_t> expected;
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 3; ++b)
        for (int c = 0; c < 4; ++c) expected.push_back(xs[a * 12 + b * 4 + c] - ys[a * 4 + c]);
    CHECK(values<std::int32_t>(z) == expected);
  }
  SUBCASE("empty operands give an empty result of the broadcast shape") {
    Tensor z = binary(BinaryOp::kAdd, f32({0, 3}, {}), f32({3}, {1, 2, 3}));
    CHECK(z.shape() == Shape{0, 3});
    CHECK(z.size() == 0);
  }
}

TEST_CASE("kernels: binary integer floordiv and floormod follow Python's floor semantics") {
  Tensor x = i32({7}, {7, -7, 7, -7, 0, kIntMin, kIntMin});
  Tensor y = i32({7}, {2, 2, -2, -2, 3, -1, 1});
  // INT_MIN // -1 wraps to INT_MIN (x86 would trap on the division).
  CHECK(values<std::int32_t>(binary(BinaryOp::kFloorDiv, x, y)) ==
        std::vector<std::int32_t>{3, -4, -4, 3, 0, kIntMin, kIntMin});
  CHECK(values<std::int32_t>(binary(BinaryOp::kFloorMod, x, y)) == std::vector<std::int32_t>{1, 1, -1, -1, 0, 0, 0});
  CHECK(values<std::uint8_t>(binary(BinaryOp::kFloorMod, make<std::uint8_t>(DType::kUInt8, {2}, {200, 7}),
                                    make<std::uint8_t>(DType::kUInt8, {2}, {7, 200}))) ==
        std::vector<std::uint8_t>{4, 7});
}

TEST_CASE("kernels: binary integer divide truncates toward zero") {
  Tensor z = binary(BinaryOp::kDivide, i32({5}, {7, -7, 7, -7, kIntMin}), i32({5}, {2, 2, -2, -2, -1}));
  CHECK(values<std::int32_t>(z) == std::vector<std::int32_t>{3, -3, -3, 3, kIntMin});
}

TEST_CASE("kernels: binary integer division by zero is TF's error") {
  for (BinaryOp op : {BinaryOp::kDivide, BinaryOp::kFloorDiv, BinaryOp::kFloorMod}) {
    CAPTURE(op_name(op));
    CHECK(eval_error([&] { binary(op, i32({2}, {1, 2}), i32({2}, {1, 0})); }) == "Integer division by zero");
    CHECK(eval_error([&] {
            binary(op, make<std::uint8_t>(DType::kUInt8, {}, {1}), make<std::uint8_t>(DType::kUInt8, {}, {0}));
          }) == "Integer division by zero");
    // Nothing is divided when the result is empty, so TF reports nothing either.
    CHECK(eval_error([&] { binary(op, i32({0}, {}), i32({1}, {0})); }) == "");
  }
}

TEST_CASE("kernels: binary integer pow squares repeatedly, wraps, and rejects negative exponents") {
  CHECK(values<std::int32_t>(binary(BinaryOp::kPow, i32({6}, {2, 3, -2, 0, 5, 2}), i32({6}, {10, 3, 3, 0, 0, 31}))) ==
        std::vector<std::int32_t>{1024, 27, -8, 1, 1, kIntMin});
  CHECK(values<std::int64_t>(binary(BinaryOp::kPow, i64({}, {3}), i64({}, {40}))) ==
        std::vector<std::int64_t>{-6289078614652622815});
  CHECK(eval_error([] { binary(BinaryOp::kPow, i32({2}, {2, 2}), i32({2}, {1, -1})); }) ==
        "Integers to negative integer powers are not allowed");
}

TEST_CASE("kernels: binary integer overflow wraps") {
  CHECK(values<std::int32_t>(binary(BinaryOp::kAdd, i32({}, {kIntMax}), i32({}, {1}))) ==
        std::vector<std::int32_t>{kIntMin});
  CHECK(values<std::int32_t>(binary(BinaryOp::kSubtract, i32({}, {kIntMin}), i32({}, {1}))) ==
        std::vector<std::int32_t>{kIntMax});
  CHECK(values<std::uint8_t>(binary(BinaryOp::kAdd, make<std::uint8_t>(DType::kUInt8, {}, {200}),
                                    make<std::uint8_t>(DType::kUInt8, {}, {100}))) == std::vector<std::uint8_t>{44});
  CHECK(values<std::uint16_t>(binary(BinaryOp::kMultiply, make<std::uint16_t>(DType::kUInt16, {}, {65535}),
                                     make<std::uint16_t>(DType::kUInt16, {}, {65535}))) ==
        std::vector<std::uint16_t>{1});
  CHECK(values<std::int8_t>(binary(BinaryOp::kMultiply, make<std::int8_t>(DType::kInt8, {}, {-128}),
                                   make<std::int8_t>(DType::kInt8, {}, {-1}))) == std::vector<std::int8_t>{-128});
}

TEST_CASE("kernels: binary float floordiv and floormod") {
  CHECK(same_doubles(doubles(binary(BinaryOp::kFloorDiv, f32({5}, {7, -7, 7, -7, 7.5f}), f32({5}, {2, 2, -2, -2, 0}))),
                     {3, -4, -4, 3, kInf}));
  CHECK(same_doubles(doubles(binary(BinaryOp::kFloorMod, f64({5}, {7, -7, 7, -7, 5.5}), f64({5}, {2, 2, -2, -2, 2}))),
                     {1, 1, -1, -1, 1.5}));
}

TEST_CASE("kernels: binary maximum and minimum propagate NaN") {
  Tensor x = f32({3}, {float(kNan), 1, 2});
  Tensor y = f32({3}, {1, float(kNan), 1});
  CHECK(same_doubles(doubles(binary(BinaryOp::kMaximum, x, y)), {kNan, kNan, 2}));
  CHECK(same_doubles(doubles(binary(BinaryOp::kMinimum, x, y)), {kNan, kNan, 1}));
  CHECK(values<std::int64_t>(binary(BinaryOp::kMaximum, i64({3}, {-5, 4, 0}), i64({}, {1}))) ==
        std::vector<std::int64_t>{1, 4, 1});
}

TEST_CASE("kernels: binary float pow, divide and atan2") {
  CHECK(same_doubles(doubles(binary(BinaryOp::kPow, f64({4}, {4, -8, 2, 0}), f64({4}, {0.5, 1.0 / 3, 10, 0}))),
                     {2, kNan, 1024, 1}));
  CHECK(same_doubles(doubles(binary(BinaryOp::kDivide, f64({3}, {1, -1, 0}), f64({}, {0}))), {kInf, -kInf, kNan}));
  CHECK(values<double>(binary(BinaryOp::kAtan2, f64({}, {1}), f64({}, {1}))) ==
        std::vector<double>{0.7853981633974483});
}

TEST_CASE("kernels: binary float16 and bfloat16 compute in float and round to nearest even") {
  // 1 + 2^-11 is halfway between two halves: it rounds to the even one, 1.
  CHECK(doubles(binary(BinaryOp::kAdd, f16({3}, {1, 1, 65504}), f16({3}, {0.00048828125f, 0.0009765625f, 32}))) ==
        std::vector<double>{1, 1.0009765625, kInf});
  CHECK(doubles(binary(BinaryOp::kAdd, bf16({2}, {1, 1}), bf16({2}, {0.00390625f, 0.0078125f}))) ==
        std::vector<double>{1, 1.0078125});
  CHECK(binary(BinaryOp::kMultiply, f16({}, {3}), f16({}, {0.5f})).dtype() == DType::kFloat16);
}

TEST_CASE("kernels: binary complex arithmetic") {
  using C = std::complex<float>;
  CHECK(values<C>(binary(BinaryOp::kMultiply, c64({}, {C(1, 2)}), c64({}, {C(3, -1)}))) == std::vector<C>{C(5, 5)});
  CHECK(values<C>(binary(BinaryOp::kDivide, c64({}, {C(1, 2)}), c64({}, {C(1, 1)}))) == std::vector<C>{C(1.5f, 0.5f)});
  using Z = std::complex<double>;
  CHECK(values<Z>(binary(BinaryOp::kSubtract, c128({2}, {Z(1, 1), Z(0, 3)}), c128({}, {Z(1, -1)}))) ==
        std::vector<Z>{Z(0, 2), Z(-1, 4)});
}

TEST_CASE("kernels: binary rejects dtypes TF has no kernel for") {
  CHECK(eval_error([] { binary(BinaryOp::kLogicalAnd, f32({}, {1}), f32({}, {1})); }) ==
        "logical_and: dtype float32 is not supported (expected one of bool)");
  CHECK(eval_error([] { binary(BinaryOp::kFloorDiv, c64({}, {1}), c64({}, {1})); }) ==
        "floordiv: dtype complex64 is not supported (expected one of bfloat16, float16, float32, float64, int8, "
        "int16, int32, int64, uint8, uint16, uint32, uint64)");
  CHECK(eval_error([] { binary(BinaryOp::kAdd, boolean({}, {true}), boolean({}, {true})); }) ==
        "add: dtype bool is not supported (expected one of bfloat16, float16, float32, float64, int8, int16, int32, "
        "int64, uint8, uint16, uint32, uint64, complex64, complex128)");
  CHECK(eval_error([] { binary(BinaryOp::kAtan2, i32({}, {1}), i32({}, {1})); }) ==
        "atan2: dtype int32 is not supported (expected one of bfloat16, float16, float32, float64)");
  CHECK(eval_error([] { binary(BinaryOp::kAdd, f32({}, {1}), i32({}, {1})); }) ==
        "add: both inputs must have the same dtype, got float32 and int32");
}

}  // namespace
}  // namespace ag::kernels
