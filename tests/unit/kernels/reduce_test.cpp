// Tests of kernels::reduce: every axis set of a rank-3 and rank-4 tensor against a naive loop,
// keepdims, empty reductions, NaN, integer mean, float accuracy and dtype errors.
#include <algorithm>
#include <functional>
#include <limits>

#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

/// Reference reduction by visiting every element: out[index with reduced axes dropped].
std::vector<double> naive_reduce(const Shape& shape, const std::vector<double>& in, const std::vector<int>& axes,
                                 double init, const std::function<double(double, double)>& combine) {
  std::vector<std::int64_t> out_dims;
  for (std::size_t a = 0; a < shape.size(); ++a)
    if (std::find(axes.begin(), axes.end(), int(a)) == axes.end()) out_dims.push_back(shape[a]);
  std::vector<double> out(static_cast<std::size_t>(shape_size(out_dims)), init);
  std::vector<std::int64_t> index(shape.size(), 0);
  for (std::size_t flat = 0; flat < in.size(); ++flat) {
    std::int64_t o = 0;
    for (std::size_t a = 0; a < shape.size(); ++a)
      if (std::find(axes.begin(), axes.end(), int(a)) == axes.end()) o = o * shape[a] + index[a];
    out[static_cast<std::size_t>(o)] = combine(out[static_cast<std::size_t>(o)], in[flat]);
    for (std::size_t a = shape.size(); a-- > 0;) {
      if (++index[a] < shape[a]) break;
      index[a] = 0;
    }
  }
  return out;
}

std::vector<std::vector<int>> all_axis_sets(int rank) {
  std::vector<std::vector<int>> sets;
  for (int mask = 1; mask < (1 << rank); ++mask) {
    std::vector<int> axes;
    for (int a = 0; a < rank; ++a)
      if (mask & (1 << a)) axes.push_back(a);
    sets.push_back(axes);
  }
  return sets;
}

void check_all_axis_sets(const Shape& shape) {
  std::vector<double> data(static_cast<std::size_t>(shape_size(shape)));
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = double(int(i * 7 % 11) - 5);
  Tensor x = f64(shape, data);
  std::vector<std::int32_t> ints(data.begin(), data.end());
  Tensor xi = i32(shape, ints);
  for (const std::vector<int>& axes : all_axis_sets(int(shape.size()))) {
    std::string axes_text;
    for (int a : axes) axes_text += std::to_string(a) + " ";
    CAPTURE(axes_text);
    std::int64_t count = 1;
    for (int a : axes) count *= shape[static_cast<std::size_t>(a)];
    auto plus = [](double a, double b) { return a + b; };
    std::vector<double> sums = naive_reduce(shape, data, axes, 0, plus);
    CHECK(doubles(reduce(ReduceOp::kSum, x, axes, false)) == sums);
    CHECK(doubles(reduce(ReduceOp::kSum, xi, axes, false)) == sums);
    std::vector<double> means = sums;
    for (double& m : means) m /= double(count);
    CHECK(doubles(reduce(ReduceOp::kMean, x, axes, false)) == means);
    if (count <= 20)  // products of up to 20 values in [-5, 5] are exact in double, in any order
      CHECK(doubles(reduce(ReduceOp::kProd, x, axes, false)) ==
            naive_reduce(shape, data, axes, 1, [](double a, double b) { return a * b; }));
    CHECK(doubles(reduce(ReduceOp::kMax, xi, axes, false)) ==
          naive_reduce(shape, data, axes, -kInf, [](double a, double b) { return std::max(a, b); }));
    CHECK(doubles(reduce(ReduceOp::kMin, x, axes, false)) ==
          naive_reduce(shape, data, axes, kInf, [](double a, double b) { return std::min(a, b); }));
    Shape kept = shape, dropped;
    for (std::size_t a = 0; a < shape.size(); ++a) {
      if (std::find(axes.begin(), axes.end(), int(a)) != axes.end()) {
        kept[a] = 1;
      } else {
        dropped.push_back(shape[a]);
      }
    }
    CHECK(reduce(ReduceOp::kSum, x, axes, true).shape() == kept);
    CHECK(reduce(ReduceOp::kSum, x, axes, false).shape() == dropped);
  }
}

TEST_CASE("kernels: reduce over every axis set of [2,3,4] and [2,3,4,5] matches a naive loop") {
  check_all_axis_sets({2, 3, 4});
  check_all_axis_sets({2, 3, 4, 5});
  check_all_axis_sets({3, 1, 4, 1});  // size-1 axes are skipped when planning
  check_all_axis_sets({300, 3});      // rows long enough for the pairwise recursion
}

TEST_CASE("kernels: reduce with no axes returns the input unchanged") {
  Tensor x = i32({2}, {3, 4});
  Tensor y = reduce(ReduceOp::kMean, x, {}, false);
  CHECK(y.shape() == Shape{2});
  CHECK(values<std::int32_t>(y) == std::vector<std::int32_t>{3, 4});
}

TEST_CASE("kernels: reduce integer mean truncates toward zero") {
  CHECK(values<std::int32_t>(reduce(ReduceOp::kMean, i32({3, 2}, {-3, 1, 3, 4, -7, 0}), {1}, false)) ==
        std::vector<std::int32_t>{-1, 3, -3});
  // The sum is taken in 64 bits, so a sum that overflows int8 still averages correctly.
  CHECK(values<std::int8_t>(reduce(ReduceOp::kMean, make<std::int8_t>(DType::kInt8, {2}, {100, 100}), {0}, false)) ==
        std::vector<std::int8_t>{100});
  CHECK(values<std::int32_t>(
            reduce(ReduceOp::kSum, i32({2}, {std::numeric_limits<std::int32_t>::max(), 1}), {0}, false)) ==
        std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min()});
  CHECK(values<std::int32_t>(reduce(ReduceOp::kProd, i32({2}, {65536, 65536}), {0}, false)) ==
        std::vector<std::int32_t>{0});
}

TEST_CASE("kernels: reduce over an empty axis gives the identity") {
  Tensor x = f32({0, 3}, {});
  CHECK(doubles(reduce(ReduceOp::kMax, x, {0}, false)) == std::vector<double>{-kInf, -kInf, -kInf});
  CHECK(doubles(reduce(ReduceOp::kMin, x, {0}, true)) == std::vector<double>{kInf, kInf, kInf});
  CHECK(reduce(ReduceOp::kMin, x, {0}, true).shape() == Shape{1, 3});
  CHECK(doubles(reduce(ReduceOp::kSum, x, {0}, false)) == std::vector<double>{0, 0, 0});
  CHECK(doubles(reduce(ReduceOp::kProd, x, {0}, false)) == std::vector<double>{1, 1, 1});
  CHECK(same_doubles(doubles(reduce(ReduceOp::kMean, x, {0, 1}, false)), {kNan}));
  CHECK(values<std::int32_t>(reduce(ReduceOp::kMax, i32({0}, {}), {0}, false)) ==
        std::vector<std::int32_t>{std::numeric_limits<std::int32_t>::min()});
  CHECK(bools(reduce(ReduceOp::kAll, boolean({0}, {}), {0}, false)) == std::vector<bool>{true});
  CHECK(bools(reduce(ReduceOp::kAny, boolean({0}, {}), {0}, false)) == std::vector<bool>{false});
  CHECK(reduce(ReduceOp::kSum, f32({2, 0}, {}), {0}, false).shape() == Shape{0});
}

TEST_CASE("kernels: reduce max and min propagate NaN") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(same_doubles(doubles(reduce(ReduceOp::kMax, f32({2, 3}, {1, nan, 3, nan, 5, 6}), {1}, false)), {kNan, kNan}));
  CHECK(same_doubles(doubles(reduce(ReduceOp::kMin, f32({2, 3}, {1, nan, 3, nan, 5, 6}), {0}, false)), {kNan, kNan, 3}));
}

TEST_CASE("kernels: reduce all and any") {
  Tensor x = boolean({2, 2}, {true, false, true, true});
  CHECK(bools(reduce(ReduceOp::kAll, x, {1}, false)) == std::vector<bool>{false, true});
  CHECK(bools(reduce(ReduceOp::kAny, x, {1}, false)) == std::vector<bool>{true, true});
  CHECK(bools(reduce(ReduceOp::kAll, x, {0}, false)) == std::vector<bool>{true, false});
  CHECK(bools(reduce(ReduceOp::kAny, boolean({2, 2}, {false, false, false, true}), {0, 1}, false)) ==
        std::vector<bool>{true});
}

TEST_CASE("kernels: reduce float32 sums stay accurate for long rows and columns") {
  // float(0.1) * 10^6 = 100000.0014901...; adding left to right in float drifts to about 100958
  // (relative error 1e-2); pairwise and blocked sums stay within a few units of 1e-7.
  Tensor row = f32({1000000}, std::vector<float>(1000000, 0.1f));
  CHECK(std::abs(values<float>(reduce(ReduceOp::kSum, row, {0}, false))[0] - 100000.0015) < 0.05);
  Tensor columns = f32({100000, 3}, std::vector<float>(300000, 0.1f));
  for (float v : values<float>(reduce(ReduceOp::kSum, columns, {0}, false))) CHECK(std::abs(v - 10000.00015) < 0.005);
  CHECK(std::abs(values<float>(reduce(ReduceOp::kMean, row, {0}, false))[0] - 0.1) < 1e-7);
}

TEST_CASE("kernels: reduce complex, float16 and bfloat16") {
  using C = std::complex<double>;
  CHECK(values<C>(reduce(ReduceOp::kSum, c128({3}, {C(1, 1), C(2, -1), C(3, 3)}), {0}, false)) ==
        std::vector<C>{C(6, 3)});
  CHECK(values<C>(reduce(ReduceOp::kMean, c128({2}, {C(1, 1), C(2, -2)}), {0}, false)) ==
        std::vector<C>{C(1.5, -0.5)});
  CHECK(values<C>(reduce(ReduceOp::kProd, c128({2}, {C(0, 1), C(0, 1)}), {0}, false)) == std::vector<C>{C(-1, 0)});
  // Accumulated in float: 2048 + 1 + 1 = 2050 (a float16 accumulator would stall at 2048).
  CHECK(doubles(reduce(ReduceOp::kSum, f16({3}, {2048, 1, 1}), {0}, false)) == std::vector<double>{2050});
  CHECK(reduce(ReduceOp::kSum, f16({3}, {2048, 1, 1}), {0}, false).dtype() == DType::kFloat16);
  CHECK(doubles(reduce(ReduceOp::kMax, bf16({3}, {-1, 4, 2}), {0}, false)) == std::vector<double>{4});
}

TEST_CASE("kernels: reduce rejects dtypes TF has no kernel for") {
  CHECK(eval_error([] { reduce(ReduceOp::kMax, c64({1}, {1}), {0}, false); }) ==
        "reduce_max: dtype complex64 is not supported (expected one of bfloat16, float16, float32, float64, int8, "
        "int16, int32, int64, uint8, uint16, uint32, uint64)");
  CHECK(eval_error([] { reduce(ReduceOp::kSum, boolean({1}, {true}), {0}, false); }).rfind(
            "reduce_sum: dtype bool is not supported", 0) == 0);
  CHECK(eval_error([] { reduce(ReduceOp::kAll, f32({1}, {1}), {0}, false); }) ==
        "reduce_all: dtype float32 is not supported (expected one of bool)");
}

}  // namespace
}  // namespace ag::kernels
