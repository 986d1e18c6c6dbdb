// Tests of the large-product kernel choice (kernels/blas_kernels.h): products on either side of
// the size threshold agree with a double-precision reference, and a product below it gives the
// same bits as before any large product switched kernels.
#include <cmath>
#include <cstring>
#include <string>

#include "kernel_test_util.h"
#include "kernels/blas_kernels.h"

namespace ag::kernels {
namespace {

using namespace testing;

Tensor filled(std::int64_t rows, std::int64_t cols, float scale) {
  Tensor t = Tensor::allocate(DType::kFloat32, {rows, cols});
  float* p = t.mutable_data<float>();
  for (std::int64_t i = 0; i < rows * cols; ++i) p[i] = std::sin(static_cast<float>(i) * scale) * 0.5f;
  return t;
}

/// max |a @ b - reference| / max |reference|, the reference in double.
double relative_error(const Tensor& a, const Tensor& b, const Tensor& c) {
  const std::int64_t m = a.shape()[0], k = a.shape()[1], n = b.shape()[1];
  double worst = 0, largest = 0;
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (std::int64_t p = 0; p < k; ++p) sum += double(a.data<float>()[i * k + p]) * b.data<float>()[p * n + j];
      worst = std::max(worst, std::fabs(sum - c.data<float>()[i * n + j]));
      largest = std::max(largest, std::fabs(sum));
    }
  return worst / largest;
}

TEST_CASE("matmul: both sides of the fast-kernel threshold are accurate; small products keep their bits") {
  MESSAGE("large products use OpenBLAS core: " << std::string(fast_gemm_core() ? fast_gemm_core() : "(the default)"));
  Tensor a_small = filled(16, 24, 0.37f), b_small = filled(24, 8, 0.11f);
  Tensor before = matmul(a_small, b_small, false, false);
  // 128^3 multiply-adds: exactly the threshold.
  static_assert(kFastGemmMinMacs == std::int64_t{128} * 128 * 128, "the test sizes follow the threshold");
  Tensor a_large = filled(128, 128, 0.013f), b_large = filled(128, 128, 0.029f);
  Tensor large = matmul(a_large, b_large, false, false);
  CHECK(relative_error(a_large, b_large, large) < 1e-5);
  Tensor a_below = filled(127, 128, 0.013f);
  CHECK(relative_error(a_below, b_large, matmul(a_below, b_large, false, false)) < 1e-5);
  Tensor after = matmul(a_small, b_small, false, false);
  CHECK(std::memcmp(before.raw(), after.raw(), static_cast<std::size_t>(before.size()) * 4) == 0);
  CHECK(relative_error(a_small, b_small, after) < 1e-5);
}

TEST_CASE("matmul: matrix-vector products on both sides of their fast-kernel threshold") {
  static_assert(kFastGemvMinMacs == std::int64_t{1} << 15, "the test sizes follow the threshold");
  for (std::int64_t rows : {127, 128, 200}) {  // 127 x 256 is below the threshold, 128 x 256 at it
    Tensor a = filled(rows, 256, 0.017f);
    Tensor v = filled(256, 1, 0.031f);
    CHECK(relative_error(a, v, matmul(a, v, false, false)) < 1e-5);
  }
}

TEST_CASE("matmul: one output column (the matrix-vector path), every transpose flag") {
  Tensor a = filled(5, 7, 0.3f);         // [m, k]
  Tensor a_t = filled(7, 5, 0.3f);       // [k, m], used transposed
  Tensor column = filled(7, 1, 0.7f);    // [k, 1]
  Tensor row = column.reshaped({1, 7});  // [1, k], used transposed
  for (bool transpose_a : {false, true}) {
    for (bool transpose_b : {false, true}) {
      const Tensor& left = transpose_a ? a_t : a;
      Tensor c = matmul(left, transpose_b ? row : column, transpose_a, transpose_b);
      REQUIRE(c.shape() == Shape{5, 1});
      for (std::int64_t i = 0; i < 5; ++i) {
        double sum = 0;
        for (std::int64_t p = 0; p < 7; ++p) {
          double lhs = transpose_a ? a_t.data<float>()[p * 5 + i] : a.data<float>()[i * 7 + p];
          sum += lhs * column.data<float>()[p];
        }
        CHECK(c.data<float>()[i] == doctest::Approx(sum).epsilon(1e-6));
      }
    }
  }
}

}  // namespace
}  // namespace ag::kernels
