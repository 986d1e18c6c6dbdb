// Tests of kernels::matmul: each transpose combination and dtype against a naive loop, batch
// broadcasting, empty operands and TF's error messages.
#include "kernel_test_util.h"

namespace ag::kernels {
namespace {

using namespace testing;
using Z = std::complex<double>;

/// Small integer-valued entries, so every product and sum is exact in every dtype tested.
std::vector<double> entries(std::int64_t n, int seed) {
  std::vector<double> v(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = double((i * 5 + seed * 3) % 7 - 3);
  return v;
}

/// Reference product of one [m,k] x [k,n] pair, reading A and B as stored (maybe transposed).
std::vector<double> naive(const std::vector<double>& a, const std::vector<double>& b, std::int64_t m, std::int64_t k,
                          std::int64_t n, bool ta, bool tb) {
  std::vector<double> c(static_cast<std::size_t>(m * n), 0.0);
  for (std::int64_t i = 0; i < m; ++i)
    for (std::int64_t j = 0; j < n; ++j)
      for (std::int64_t p = 0; p < k; ++p)
        c[i * n + j] += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
  return c;
}

Tensor of_dtype(DType dtype, const Shape& shape, const std::vector<double>& v) {
  return cast(f64(shape, v), dtype);
}

TEST_CASE("kernels: matmul matches a naive loop for every transpose combination and dtype") {
  const std::int64_t m = 3, k = 4, n = 5;
  for (DType dtype : {DType::kFloat32, DType::kFloat64, DType::kInt32, DType::kInt64, DType::kFloat16,
                      DType::kBFloat16, DType::kComplex64, DType::kComplex128}) {
    for (bool ta : {false, true}) {
      for (bool tb : {false, true}) {
        CAPTURE(dtype_name(dtype));
        CAPTURE(ta);
        CAPTURE(tb);
        std::vector<double> a = entries(m * k, 1), b = entries(k * n, 2);
        Shape sa = ta ? Shape{k, m} : Shape{m, k};
        Shape sb = tb ? Shape{n, k} : Shape{k, n};
        Tensor c = matmul(of_dtype(dtype, sa, a), of_dtype(dtype, sb, b), ta, tb);
        CHECK(c.dtype() == dtype);
        CHECK(c.shape() == Shape{m, n});
        CHECK(doubles(c) == naive(a, b, m, k, n, ta, tb));
      }
    }
  }
}

TEST_CASE("kernels: matmul of complex operands uses the complex product") {
  Tensor a = c128({1, 2}, {Z(1, 1), Z(0, 2)});
  Tensor b = c128({2, 1}, {Z(2, -1), Z(1, 0)});
  // (1+i)(2-i) + 2i * 1 = 3 + i + 2i = 3 + 3i
  CHECK(values<Z>(matmul(a, b, false, false)) == std::vector<Z>{Z(3, 3)});
}

TEST_CASE("kernels: matmul broadcasts batch axes") {
  const std::int64_t m = 3, k = 4, n = 2;
  std::vector<double> a = entries(2 * 1 * m * k, 3), b = entries(5 * k * n, 4);
  Tensor c = matmul(f32({2, 1, m, k}, std::vector<float>(a.begin(), a.end())),
                    f32({5, k, n}, std::vector<float>(b.begin(), b.end())), false, false);
  REQUIRE(c.shape() == Shape{2, 5, m, n});
  std::vector<double> expected;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 5; ++j) {
      std::vector<double> ai(a.begin() + i * m * k, a.begin() + (i + 1) * m * k);
      std::vector<double> bj(b.begin() + j * k * n, b.begin() + (j + 1) * k * n);
      std::vector<double> cij = naive(ai, bj, m, k, n, false, false);
      expected.insert(expected.end(), cij.begin(), cij.end());
    }
  }
  CHECK(doubles(c) == expected);
}

TEST_CASE("kernels: matmul of a batch against one matrix, with each transpose") {
  const std::int64_t batch = 3, m = 2, k = 4, n = 5;
  for (bool ta : {false, true}) {
    for (bool tb : {false, true}) {
      CAPTURE(ta);
      CAPTURE(tb);
      std::vector<double> a = entries(batch * m * k, 5), b = entries(k * n, 6);
      Shape sa = ta ? Shape{batch, k, m} : Shape{batch, m, k};
      Shape sb = tb ? Shape{n, k} : Shape{k, n};
      std::vector<double> expected;
      for (int i = 0; i < batch; ++i) {
        std::vector<double> ai(a.begin() + i * m * k, a.begin() + (i + 1) * m * k);
        std::vector<double> ci = naive(ai, b, m, k, n, ta, tb);
        expected.insert(expected.end(), ci.begin(), ci.end());
      }
      CHECK(doubles(matmul(f64(sa, a), f64(sb, b), ta, tb)) == expected);
      CHECK(doubles(matmul(of_dtype(DType::kInt64, sa, a), of_dtype(DType::kInt64, sb, b), ta, tb)) == expected);
      // And one matrix against a batch.
      std::vector<double> expected_left;
      std::vector<double> b_batch = entries(batch * k * n, 7);
      Shape sbb = tb ? Shape{batch, n, k} : Shape{batch, k, n};
      std::vector<double> a0(a.begin(), a.begin() + m * k);
      for (int i = 0; i < batch; ++i) {
        std::vector<double> bi(b_batch.begin() + i * k * n, b_batch.begin() + (i + 1) * k * n);
        std::vector<double> ci = naive(a0, bi, m, k, n, ta, tb);
        expected_left.insert(expected_left.end(), ci.begin(), ci.end());
      }
      Shape sa0 = ta ? Shape{k, m} : Shape{m, k};
      CHECK(doubles(matmul(f64(sa0, a0), f64(sbb, b_batch), ta, tb)) == expected_left);
    }
  }
}

TEST_CASE("kernels: matmul of larger float32 matrices agrees with a double loop") {
  const std::int64_t m = 67, k = 129, n = 33;
  std::vector<double> a(m * k), b(k * n);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::sin(double(i));
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = std::cos(double(i) * 0.7);
  Tensor c = matmul(of_dtype(DType::kFloat32, {m, k}, a), of_dtype(DType::kFloat32, {k, n}, b), false, false);
  // Compare against the product of the float-rounded inputs.
  std::vector<double> ar = doubles(of_dtype(DType::kFloat32, {m, k}, a));
  std::vector<double> br = doubles(of_dtype(DType::kFloat32, {k, n}, b));
  std::vector<double> expected = naive(ar, br, m, k, n, false, false);
  std::vector<double> got = doubles(c);
  for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == doctest::Approx(expected[i]).epsilon(1e-4));
}

TEST_CASE("kernels: matmul with empty dimensions") {
  Tensor zeros = matmul(f32({2, 0}, {}), f32({0, 3}, {}), false, false);
  CHECK(zeros.shape() == Shape{2, 3});
  CHECK(values<float>(zeros) == std::vector<float>(6, 0.0f));
  CHECK(matmul(f32({0, 4}, {}), f32({4, 3}, std::vector<float>(12, 1.0f)), false, false).shape() == Shape{0, 3});
  CHECK(matmul(i32({2, 0, 2, 2}, {}), i32({2, 2}, {1, 2, 3, 4}), false, false).shape() == Shape{2, 0, 2, 2});
}

TEST_CASE("kernels: matmul errors use TF's messages") {
  CHECK(eval_error([] { matmul(f32({4, 1}, {1, 2, 3, 4}), f32({3, 1}, {1, 2, 3}), false, false); }) ==
        "Matrix size-incompatible: In[0]: [4,1], In[1]: [3,1]");
  CHECK(eval_error([] { matmul(f32({4, 1}, {1, 2, 3, 4}), f32({3, 1}, {1, 2, 3}), true, false); }) ==
        "Matrix size-incompatible: In[0]: [4,1], In[1]: [3,1]");
  CHECK(eval_error([] { matmul(f32({4}, {1, 2, 3, 4}), f32({4, 1}, {1, 2, 3, 4}), false, false); }) ==
        "In[0] is not a matrix. Instead it has shape [4]");
  CHECK(eval_error([] { matmul(f32({1, 4}, {1, 2, 3, 4}), f32({4}, {1, 2, 3, 4}), false, false); }) ==
        "In[1] is not a matrix. Instead it has shape [4]");
  CHECK(eval_error([] {
          matmul(f32({2, 1, 1}, {1, 2}), f32({3, 1, 1}, {1, 2, 3}), false, false);
        }) == "In[0] and In[1] must have compatible batch dimensions: [2,1,1] vs. [3,1,1]");
  CHECK(eval_error([] { matmul(boolean({1, 1}, {true}), boolean({1, 1}, {true}), false, false); }).rfind(
            "matmul: dtype bool is not supported", 0) == 0);
}

}  // namespace
}  // namespace ag::kernels
