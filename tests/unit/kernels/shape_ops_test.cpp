// Tests of transpose, broadcast_to, strided_slice and strided_slice_grad.
#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;

std::vector<float> iota(std::int64_t n) {
  std::vector<float> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = float(i);
  return v;
}

TEST_CASE("kernels: transpose applies every permutation of a rank-3 tensor") {
  const Shape shape{2, 3, 4};
  Tensor x = f32(shape, iota(24));
  std::vector<std::vector<int>> perms{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
  for (const std::vector<int>& perm : perms) {
    CAPTURE(perm[0] * 100 + perm[1] * 10 + perm[2]);
    Tensor y = transpose(x, perm);
    Shape out{shape[perm[0]], shape[perm[1]], shape[perm[2]]};
    REQUIRE(y.shape() == out);
    std::vector<float> expected;
    std::int64_t index[3];
    for (index[0] = 0; index[0] < out[0]; ++index[0])
      for (index[1] = 0; index[1] < out[1]; ++index[1])
        for (index[2] = 0; index[2] < out[2]; ++index[2]) {
          std::int64_t source[3];
          for (int d = 0; d < 3; ++d) source[perm[d]] = index[d];
          expected.push_back(float(source[0] * 12 + source[1] * 4 + source[2]));
        }
    CHECK(values<float>(y) == expected);
  }
}

/// Checks transpose(x, perm) against index arithmetic for x[i] = i on `shape`.
void check_transpose(const Shape& shape, const std::vector<int>& perm) {
  std::vector<std::int32_t> data(static_cast<std::size_t>(shape_size(shape)));
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::int32_t(i);
  Tensor x = make<std::int32_t>(DType::kInt32, shape, data);
  Tensor y = transpose(x, perm);
  std::vector<std::int64_t> in_strides = shape_strides(shape);
  Shape out(perm.size());
  for (std::size_t d = 0; d < perm.size(); ++d) out[d] = shape[static_cast<std::size_t>(perm[d])];
  REQUIRE(y.shape() == out);
  std::vector<std::int32_t> got = values<std::int32_t>(y);
  std::vector<std::int64_t> index(out.size(), 0);
  for (std::size_t flat = 0; flat < got.size(); ++flat) {
    std::int64_t source = 0;
    for (std::size_t d = 0; d < out.size(); ++d) source += index[d] * in_strides[static_cast<std::size_t>(perm[d])];
    REQUIRE(got[flat] == source);
    for (std::size_t d = out.size(); d-- > 0;) {
      if (++index[d] < out[d]) break;
      index[d] = 0;
    }
  }
}

TEST_CASE("kernels: transpose of shapes larger than one 32 x 32 tile") {
  check_transpose({70, 45}, {1, 0});
  check_transpose({3, 40, 35}, {2, 1, 0});
  check_transpose({3, 40, 35}, {0, 2, 1});
  check_transpose({33, 2, 65}, {2, 0, 1});
  check_transpose({2, 3, 4, 5}, {3, 1, 2, 0});
}

TEST_CASE("kernels: transpose of other dtypes, scalars and size-1 axes") {
  using C = std::complex<double>;
  CHECK(values<C>(transpose(c128({2, 2}, {C(1, 1), C(2, 2), C(3, 3), C(4, 4)}), {1, 0})) ==
        std::vector<C>{C(1, 1), C(3, 3), C(2, 2), C(4, 4)});
  CHECK(bools(transpose(boolean({2, 3}, {true, false, false, true, true, false}), {1, 0})) ==
        std::vector<bool>{true, true, false, true, false, false});
  CHECK(doubles(transpose(f16({3, 2}, {1, 2, 3, 4, 5, 6}), {1, 0})) == std::vector<double>{1, 3, 5, 2, 4, 6});
  CHECK(values<std::int64_t>(transpose(i64({}, {7}), {})) == std::vector<std::int64_t>{7});
  // Moving only size-1 axes keeps the layout: the result shares the input's buffer.
  Tensor row = f32({1, 3}, {1, 2, 3});
  Tensor column = transpose(row, {1, 0});
  CHECK(column.shape() == Shape{3, 1});
  CHECK(column.raw() == row.raw());
  CHECK(transpose(f32({0, 3}, {}), {1, 0}).shape() == Shape{3, 0});
  CHECK(eval_error([] { transpose(f32({2, 2}, {1, 2, 3, 4}), {0}); }) ==
        "transpose expects a vector of size 2. But input(1) is a vector of size 1");
}

TEST_CASE("kernels: broadcast_to repeats along new and size-1 axes") {
  Tensor y = broadcast_to(i32({3, 1}, {1, 2, 3}), {2, 3, 4});
  REQUIRE(y.shape() == Shape{2, 3, 4});
  std::vector<std::int32_t> expected;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 3; ++b)
      for (int c = 0; c < 4; ++c) expected.push_back(b + 1);
  CHECK(values<std::int32_t>(y) == expected);
  CHECK(values<float>(broadcast_to(f32({}, {5}), {3})) == std::vector<float>{5, 5, 5});
  CHECK(broadcast_to(f32({2}, {1, 2}), {1, 2}).shape() == Shape{1, 2});
  CHECK(broadcast_to(f32({1}, {1}), {0, 4}).shape() == Shape{0, 4});
}

TEST_CASE("kernels: broadcast_to errors use TF's messages") {
  CHECK(eval_error([] { broadcast_to(f32({2, 3}, std::vector<float>(6)), {3}); }) ==
        "Rank of input (2) must be no greater than rank of output shape (1).");
  CHECK(eval_error([] { broadcast_to(f32({3}, {1, 2, 3}), {2, 4}); }) == "Incompatible shapes: [3] vs. [2,4]");
  CHECK(eval_error([] { broadcast_to(f32({3, 1}, {1, 2, 3}), {1, 4}); }) ==
        "Unable to broadcast tensor of shape [3,1] to tensor of shape [1,4]");
}

TEST_CASE("kernels: strided_slice with negative steps and its gradient") {
  // x[i, j] = 10 i + j on [4, 5]; slice x[3::-1, 4::-2] -> [4, 3].
  std::vector<float> xs;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 5; ++j) xs.push_back(float(10 * i + j));
  Tensor x = f32({4, 5}, xs);
  std::vector<SliceAxis> axes{{3, -1, 4}, {4, -2, 3}};
  Tensor y = strided_slice(x, axes);
  REQUIRE(y.shape() == Shape{4, 3});
  CHECK(values<float>(y) == std::vector<float>{34, 32, 30, 24, 22, 20, 14, 12, 10, 4, 2, 0});

  Tensor g = f32({4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  Tensor dx = strided_slice_grad(g, {4, 5}, axes);
  REQUIRE(dx.shape() == Shape{4, 5});
  CHECK(values<float>(dx) == std::vector<float>{12, 0, 11, 0, 10,  //
                                                9,  0, 8,  0, 7,   //
                                                6,  0, 5,  0, 4,   //
                                                3,  0, 2,  0, 1});
}

TEST_CASE("kernels: strided_slice with positive steps, counts of 0 and rank 0") {
  Tensor x = i64({2, 6}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(values<std::int64_t>(strided_slice(x, {{1, 1, 1}, {1, 2, 3}})) == std::vector<std::int64_t>{7, 9, 11});
  Tensor empty = strided_slice(x, {{0, 1, 2}, {5, 1, 0}});
  CHECK(empty.shape() == Shape{2, 0});
  Tensor zeros = strided_slice_grad(i64({2, 0}, {}), {2, 6}, {{0, 1, 2}, {5, 1, 0}});
  CHECK(values<std::int64_t>(zeros) == std::vector<std::int64_t>(12, 0));
  CHECK(values<double>(strided_slice(f64({}, {3.5}), {})) == std::vector<double>{3.5});
  using C = std::complex<float>;
  CHECK(values<C>(strided_slice_grad(c64({1}, {C(1, 2)}), {3}, {{1, 1, 1}})) ==
        std::vector<C>{C(0, 0), C(1, 2), C(0, 0)});
}

TEST_CASE("kernels: strided_slice refuses a grid outside the tensor") {
  CHECK(eval_error([] { strided_slice(f32({3}, {1, 2, 3}), {{1, 2, 2}}); }) ==
        "strided_slice: slice of axis 0 is out of bounds for shape [3]");
  CHECK(eval_error([] { strided_slice_grad(f32({2}, {1, 2}), {3}, {{0, -1, 2}}); }) ==
        "strided_slice_grad: slice of axis 0 is out of bounds for shape [3]");
}

}  // namespace
}  // namespace ag::kernels
