// Tests of the comparison and logical kernels and of select (where_v2).
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
const float kNanF = std::numeric_limits<float>::quiet_NaN();

TEST_CASE("kernels: comparisons give bool and treat NaN as unordered") {
  Tensor x = f32({4}, {1, 2, 3, kNanF});
  Tensor y = f32({}, {2});
  CHECK(bools(binary(BinaryOp::kLess, x, y)) == std::vector<bool>{true, false, false, false});
  CHECK(bools(binary(BinaryOp::kLessEqual, x, y)) == std::vector<bool>{true, true, false, false});
  CHECK(bools(binary(BinaryOp::kGreater, x, y)) == std::vector<bool>{false, false, true, false});
  CHECK(bools(binary(BinaryOp::kGreaterEqual, x, y)) == std::vector<bool>{false, true, true, false});
  CHECK(bools(binary(BinaryOp::kEqual, x, y)) == std::vector<bool>{false, true, false, false});
  CHECK(bools(binary(BinaryOp::kNotEqual, x, y)) == std::vector<bool>{true, false, true, true});
  CHECK(binary(BinaryOp::kLess, x, y).dtype() == DType::kBool);
}

TEST_CASE("kernels: comparisons broadcast and cover ints, bool, complex and float16") {
  Tensor z = binary(BinaryOp::kEqual, i64({3, 1}, {1, 2, 3}), i64({2}, {2, 3}));
  CHECK(z.shape() == Shape{3, 2});
  CHECK(bools(z) == std::vector<bool>{false, false, true, false, false, true});
  CHECK(bools(binary(BinaryOp::kEqual, boolean({2}, {true, false}), boolean({}, {false}))) ==
        std::vector<bool>{false, true});
  using C = std::complex<double>;
  CHECK(bools(binary(BinaryOp::kNotEqual, c128({2}, {C(1, 2), C(1, 3)}), c128({}, {C(1, 2)}))) ==
        std::vector<bool>{false, true});
  CHECK(bools(binary(BinaryOp::kGreater, f16({2}, {0.5f, 2}), f16({}, {1}))) == std::vector<bool>{false, true});
  CHECK(eval_error([] { binary(BinaryOp::kLess, c64({}, {1}), c64({}, {1})); }) ==
        "less: dtype complex64 is not supported (expected one of bfloat16, float16, float32, float64, int8, int16, "
        "int32, int64, uint8, uint16, uint32, uint64)");
  CHECK(eval_error([] { binary(BinaryOp::kGreater, boolean({}, {true}), boolean({}, {true})); }).rfind(
            "greater: dtype bool is not supported", 0) == 0);
}

TEST_CASE("kernels: logical ops require bool and broadcast") {
  Tensor x = boolean({2, 1}, {true, false});
  Tensor y = boolean({2}, {true, false});
  CHECK(bools(binary(BinaryOp::kLogicalAnd, x, y)) == std::vector<bool>{true, false, false, false});
  CHECK(bools(binary(BinaryOp::kLogicalOr, x, y)) == std::vector<bool>{true, true, true, false});
  CHECK(eval_error([] { binary(BinaryOp::kLogicalOr, i32({}, {1}), i32({}, {0})); }) ==
        "logical_or: dtype int32 is not supported (expected one of bool)");
}

TEST_CASE("kernels: select broadcasts condition, x and y together") {
  Tensor condition = boolean({2, 1}, {true, false});
  Tensor x = f32({3}, {1, 2, 3});
  Tensor y = f32({}, {-1});
  Tensor z = select(condition, x, y);
  CHECK(z.shape() == Shape{2, 3});
  CHECK(values<float>(z) == std::vector<float>{1, 2, 3, -1, -1, -1});
  // Same shapes take the flat path; complex128 elements move whole.
  using C = std::complex<double>;
  CHECK(values<C>(select(boolean({2}, {false, true}), c128({2}, {C(1, 1), C(2, 2)}), c128({2}, {C(3, 3), C(4, 4)}))) ==
        std::vector<C>{C(3, 3), C(2, 2)});
  CHECK(values<std::uint16_t>(select(boolean({}, {true}), f16({2}, {1, 2}), f16({2}, {3, 4}))) ==
        std::vector<std::uint16_t>{float_to_half(1), float_to_half(2)});
}

TEST_CASE("kernels: select reports shapes as TF's SelectV2 does") {
  CHECK(eval_error([] { select(boolean({}, {true}), f32({2}, {1, 2}), f32({3}, {1, 2, 3})); }) ==
        "then [2] and else [3] must be broadcastable");
  CHECK(eval_error([] { select(boolean({4}, {true, true, true, true}), f32({2}, {1, 2}), f32({2}, {1, 2})); }) ==
        "condition [4], then [2], and else [2] must be broadcastable");
  CHECK(eval_error([] { select(f32({}, {1}), f32({}, {1}), f32({}, {2})); }) ==
        "where: dtype float32 is not supported (expected one of bool)");
}

}  // namespace
}  // namespace ag::kernels
