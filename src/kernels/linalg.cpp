// Matrix functions of the last two axes, batched over the leading ones, through LAPACK by way of
// xtensor-blas (xt::linalg): each matrix of the batch is adapted in place as an xtensor view and
// handed to getrf/getri/gesv, which is what numpy and TF's Eigen-based kernels compute too.
#include <xtensor-blas/xlinalg.hpp>
#include <xtensor/xadapt.hpp>
#include <xtensor/xtensor.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "diag/error.h"
#include "kernels/kernels.h"

namespace ag::kernels {
namespace {

/// Rows, columns and batch count of a tensor seen as a batch of matrices.
struct MatrixBatch {
  std::int64_t batch = 1;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
};

MatrixBatch square_batch(const Tensor& x, const char* op) {
  if (x.rank() < 2)
    throw UserError(ExitCode::kEval, std::string(op) + ": input must have rank >= 2, got shape " + tf_shape_str(x.shape()));
  MatrixBatch m;
  m.rows = x.shape()[static_cast<std::size_t>(x.rank() - 2)];
  m.cols = x.shape()[static_cast<std::size_t>(x.rank() - 1)];
  if (m.rows != m.cols)
    throw UserError(ExitCode::kEval, std::string(op) + ": Input matrix must be square, got shape " + tf_shape_str(x.shape()));
  for (int i = 0; i + 2 < x.rank(); ++i) m.batch *= x.shape()[static_cast<std::size_t>(i)];
  return m;
}

void require_float(const Tensor& x, const char* op) {
  if (x.dtype() != DType::kFloat32 && x.dtype() != DType::kFloat64)
    throw UserError(ExitCode::kEval, std::string(op) + ": dtype " + std::string(dtype_name(x.dtype())) +
                                         " is not supported (expected float32 or float64)");
}

template <class T>
auto matrix_view(const T* data, std::int64_t n, std::int64_t m) {
  std::array<std::size_t, 2> shape{static_cast<std::size_t>(n), static_cast<std::size_t>(m)};
  return xt::adapt(data, static_cast<std::size_t>(n * m), xt::no_ownership(), shape);
}

template <class T>
Tensor inverse_impl(const Tensor& x, const MatrixBatch& m) {
  Tensor out = Tensor::allocate(x.dtype(), x.shape());
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    auto a = matrix_view(x.data<T>() + b * size, m.rows, m.cols);
    xt::xtensor<T, 2> inverse;
    try {
      inverse = xt::linalg::inv(a);
    } catch (const std::runtime_error&) {
      throw UserError(ExitCode::kEval, "Input is not invertible.");
    }
    for (std::size_t i = 0; i < inverse.size(); ++i) {
      if (!std::isfinite(static_cast<double>(inverse.data()[i]))) throw UserError(ExitCode::kEval, "Input is not invertible.");
      out.mutable_data<T>()[b * size + static_cast<std::int64_t>(i)] = inverse.data()[i];
    }
  }
  return out;
}

template <class T>
Tensor determinant_impl(const Tensor& x, const MatrixBatch& m) {
  Shape batch_shape(x.shape().begin(), x.shape().end() - 2);
  Tensor out = Tensor::allocate(x.dtype(), batch_shape);
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    // xt::linalg::det wants an owning container it can factor in place.
    xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * size, m.rows, m.cols);
    out.mutable_data<T>()[b] = m.rows == 0 ? T(1) : static_cast<T>(xt::linalg::det(a));
  }
  return out;
}

template <class T>
Tensor solve_impl(const Tensor& a, const Tensor& rhs, const MatrixBatch& m, std::int64_t k) {
  Tensor out = Tensor::allocate(rhs.dtype(), rhs.shape());
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    auto matrix = matrix_view(a.data<T>() + b * size, m.rows, m.cols);
    auto right = matrix_view(rhs.data<T>() + b * m.rows * k, m.rows, k);
    xt::xtensor<T, 2> solution;
    try {
      solution = xt::linalg::solve(matrix, right);
    } catch (const std::runtime_error&) {
      throw UserError(ExitCode::kEval, "Input matrix is not invertible.");
    }
    for (std::int64_t i = 0; i < m.rows; ++i)
      for (std::int64_t j = 0; j < k; ++j)
        out.mutable_data<T>()[b * m.rows * k + i * k + j] = solution(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
  }
  return out;
}

}  // namespace

Tensor matrix_inverse(const Tensor& x) {
  require_float(x, "inv");
  MatrixBatch m = square_batch(x, "inv");
  return x.dtype() == DType::kFloat32 ? inverse_impl<float>(x, m) : inverse_impl<double>(x, m);
}

Tensor matrix_determinant(const Tensor& x) {
  require_float(x, "det");
  MatrixBatch m = square_batch(x, "det");
  return x.dtype() == DType::kFloat32 ? determinant_impl<float>(x, m) : determinant_impl<double>(x, m);
}

Tensor matrix_solve(const Tensor& a, const Tensor& rhs) {
  require_float(a, "solve");
  MatrixBatch m = square_batch(a, "solve");
  if (rhs.dtype() != a.dtype())
    throw UserError(ExitCode::kEval, "solve: matrix and rhs must have the same dtype, got " + std::string(dtype_name(a.dtype())) +
                                         " and " + std::string(dtype_name(rhs.dtype())));
  if (rhs.rank() != a.rank() || !std::equal(a.shape().begin(), a.shape().end() - 1, rhs.shape().begin()))
    throw UserError(ExitCode::kEval, "solve: Input matrix and right-hand side must have the same number of rows and batch "
                                     "dimensions, got " + tf_shape_str(a.shape()) + " and " + tf_shape_str(rhs.shape()));
  std::int64_t k = rhs.shape().back();
  return a.dtype() == DType::kFloat32 ? solve_impl<float>(a, rhs, m, k) : solve_impl<double>(a, rhs, m, k);
}

}  // namespace ag::kernels
