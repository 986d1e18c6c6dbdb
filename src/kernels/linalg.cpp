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
#include <tuple>

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

/// Writes a 2-D xtensor expression (any layout) row-major into `out`.
template <class E, class T>
void store_matrix(const E& m, T* out) {
  const std::size_t rows = m.shape()[0], cols = m.shape()[1];
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) out[i * cols + j] = static_cast<T>(m(i, j));
}

/// Batch shape of x with two trailing matrix axes replaced by `tail`.
Shape with_matrix_tail(const Tensor& x, std::initializer_list<std::int64_t> tail) {
  Shape shape(x.shape().begin(), x.shape().end() - 2);
  shape.insert(shape.end(), tail.begin(), tail.end());
  return shape;
}

/// Rows, columns and batch count of any (not necessarily square) batch of matrices.
MatrixBatch matrix_batch(const Tensor& x, const char* op) {
  if (x.rank() < 2)
    throw UserError(ExitCode::kEval, std::string(op) + ": input must have rank >= 2, got shape " + tf_shape_str(x.shape()));
  MatrixBatch m;
  m.rows = x.shape()[static_cast<std::size_t>(x.rank() - 2)];
  m.cols = x.shape()[static_cast<std::size_t>(x.rank() - 1)];
  for (int i = 0; i + 2 < x.rank(); ++i) m.batch *= x.shape()[static_cast<std::size_t>(i)];
  return m;
}

template <class T>
std::pair<Tensor, Tensor> log_determinant_impl(const Tensor& x, const MatrixBatch& m) {
  Shape batch_shape(x.shape().begin(), x.shape().end() - 2);
  Tensor sign = Tensor::allocate(x.dtype(), batch_shape);
  Tensor log_abs = Tensor::allocate(x.dtype(), batch_shape);
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    T s = T(1), l = T(0);
    if (m.rows > 0) {
      xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * size, m.rows, m.cols);
      std::tie(s, l) = xt::linalg::slogdet(a);
    }
    sign.mutable_data<T>()[b] = s;
    log_abs.mutable_data<T>()[b] = l;
  }
  return {sign, log_abs};
}

template <class T>
Tensor cholesky_impl(const Tensor& x, const MatrixBatch& m) {
  Tensor out = Tensor::allocate(x.dtype(), x.shape());
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    if (m.rows == 0) break;
    xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * size, m.rows, m.cols);
    try {
      store_matrix(xt::linalg::cholesky(a), out.mutable_data<T>() + b * size);
    } catch (const std::runtime_error&) {
      // potrf stops at the first pivot that is not positive (TF's Eigen LLT does the same).
      throw UserError(ExitCode::kEval, "Cholesky decomposition was not successful. The input might not be valid.");
    }
  }
  return out;
}

// xtensor-blas declares the CBLAS functions itself (xflens/cxxblas/drivers/cblas.h), so OpenBLAS's
// <cblas.h> cannot be included beside it.
void trsm(bool lower, bool adjoint, std::int64_t n, std::int64_t k, const float* a, float* b) {
  cblas_strsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, adjoint ? CblasTrans : CblasNoTrans, CblasNonUnit,
              static_cast<CBLAS_INT>(n), static_cast<CBLAS_INT>(k), 1.0f, a, static_cast<CBLAS_INT>(std::max<std::int64_t>(1, n)), b,
              static_cast<CBLAS_INT>(std::max<std::int64_t>(1, k)));
}
void trsm(bool lower, bool adjoint, std::int64_t n, std::int64_t k, const double* a, double* b) {
  cblas_dtrsm(CblasRowMajor, CblasLeft, lower ? CblasLower : CblasUpper, adjoint ? CblasTrans : CblasNoTrans, CblasNonUnit,
              static_cast<CBLAS_INT>(n), static_cast<CBLAS_INT>(k), 1.0, a, static_cast<CBLAS_INT>(std::max<std::int64_t>(1, n)), b,
              static_cast<CBLAS_INT>(std::max<std::int64_t>(1, k)));
}

template <class T>
Tensor triangular_solve_impl(const Tensor& a, const Tensor& rhs, const MatrixBatch& m, std::int64_t k, bool lower, bool adjoint) {
  Tensor out = Tensor::allocate(rhs.dtype(), rhs.shape());
  std::copy(rhs.data<T>(), rhs.data<T>() + rhs.size(), out.mutable_data<T>());
  if (m.rows == 0 || k == 0) return out;
  for (std::int64_t b = 0; b < m.batch; ++b)
    trsm(lower, adjoint, m.rows, k, a.data<T>() + b * m.rows * m.rows, out.mutable_data<T>() + b * m.rows * k);
  return out;
}

template <class T>
std::pair<Tensor, Tensor> qr_impl(const Tensor& x, const MatrixBatch& m, bool full_matrices) {
  const std::int64_t k = std::min(m.rows, m.cols);
  const std::int64_t q_cols = full_matrices ? m.rows : k;
  Tensor q = Tensor::allocate(x.dtype(), with_matrix_tail(x, {m.rows, q_cols}));
  Tensor r = Tensor::allocate(x.dtype(), with_matrix_tail(x, {q_cols, m.cols}));
  std::fill(q.mutable_data<T>(), q.mutable_data<T>() + q.size(), T(0));
  std::fill(r.mutable_data<T>(), r.mutable_data<T>() + r.size(), T(0));
  for (std::int64_t b = 0; b < m.batch; ++b) {
    if (k == 0) break;
    xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * m.rows * m.cols, m.rows, m.cols);
    auto [qm, rm] = xt::linalg::qr(a, full_matrices ? xt::linalg::qrmode::complete : xt::linalg::qrmode::reduced);
    store_matrix(qm, q.mutable_data<T>() + b * m.rows * q_cols);
    store_matrix(rm, r.mutable_data<T>() + b * q_cols * m.cols);
  }
  return {q, r};
}

template <class T>
std::pair<Tensor, Tensor> eigh_impl(const Tensor& x, const MatrixBatch& m) {
  Tensor e = Tensor::allocate(x.dtype(), Shape(x.shape().begin(), x.shape().end() - 1));
  Tensor v = Tensor::allocate(x.dtype(), x.shape());
  const std::int64_t size = m.rows * m.cols;
  for (std::int64_t b = 0; b < m.batch; ++b) {
    if (m.rows == 0) break;
    xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * size, m.rows, m.cols);
    bool finite = true;
    for (T value : a) finite = finite && std::isfinite(static_cast<double>(value));
    if (!finite) throw UserError(ExitCode::kEval, "Self-adjoint eigen decomposition was not successful. The input might not be valid.");
    auto [w, vectors] = xt::linalg::eigh(a, 'L');
    for (std::int64_t i = 0; i < m.rows; ++i) e.mutable_data<T>()[b * m.rows + i] = w(static_cast<std::size_t>(i));
    store_matrix(vectors, v.mutable_data<T>() + b * size);
  }
  return {e, v};
}

template <class T>
SvdResult svd_impl(const Tensor& x, const MatrixBatch& m, bool full_matrices) {
  const std::int64_t k = std::min(m.rows, m.cols);
  const std::int64_t u_cols = full_matrices ? m.rows : k;
  const std::int64_t v_cols = full_matrices ? m.cols : k;
  Shape s_shape(x.shape().begin(), x.shape().end() - 2);
  s_shape.push_back(k);
  SvdResult out{Tensor::allocate(x.dtype(), s_shape), Tensor::allocate(x.dtype(), with_matrix_tail(x, {m.rows, u_cols})),
                Tensor::allocate(x.dtype(), with_matrix_tail(x, {m.cols, v_cols}))};
  std::fill(out.u.mutable_data<T>(), out.u.mutable_data<T>() + out.u.size(), T(0));
  std::fill(out.v.mutable_data<T>(), out.v.mutable_data<T>() + out.v.size(), T(0));
  for (std::int64_t b = 0; b < m.batch; ++b) {
    if (k == 0) break;
    xt::xtensor<T, 2> a = matrix_view(x.data<T>() + b * m.rows * m.cols, m.rows, m.cols);
    bool finite = true;
    for (T value : a) finite = finite && std::isfinite(static_cast<double>(value));
    if (!finite) throw UserError(ExitCode::kEval, "SVD decomposition was not successful. The input might not be valid.");
    auto [u, s, vt] = xt::linalg::svd(a, full_matrices, true);
    for (std::int64_t i = 0; i < k; ++i) out.s.mutable_data<T>()[b * k + i] = s(static_cast<std::size_t>(i));
    store_matrix(u, out.u.mutable_data<T>() + b * m.rows * u_cols);
    store_matrix(xt::transpose(vt), out.v.mutable_data<T>() + b * m.cols * v_cols);
  }
  return out;
}

}  // namespace

std::pair<Tensor, Tensor> log_matrix_determinant(const Tensor& x) {
  require_float(x, "slogdet");
  MatrixBatch m = square_batch(x, "slogdet");
  return x.dtype() == DType::kFloat32 ? log_determinant_impl<float>(x, m) : log_determinant_impl<double>(x, m);
}

Tensor cholesky(const Tensor& x) {
  require_float(x, "cholesky");
  MatrixBatch m = square_batch(x, "cholesky");
  return x.dtype() == DType::kFloat32 ? cholesky_impl<float>(x, m) : cholesky_impl<double>(x, m);
}

Tensor matrix_triangular_solve(const Tensor& a, const Tensor& rhs, bool lower, bool adjoint) {
  require_float(a, "triangular_solve");
  MatrixBatch m = square_batch(a, "triangular_solve");
  if (rhs.dtype() != a.dtype())
    throw UserError(ExitCode::kEval, "triangular_solve: matrix and rhs must have the same dtype, got " +
                                         std::string(dtype_name(a.dtype())) + " and " + std::string(dtype_name(rhs.dtype())));
  if (rhs.rank() != a.rank() || !std::equal(a.shape().begin(), a.shape().end() - 1, rhs.shape().begin()))
    throw UserError(ExitCode::kEval, "triangular_solve: Input matrix and right-hand side must have the same number of rows and "
                                     "batch dimensions, got " + tf_shape_str(a.shape()) + " and " + tf_shape_str(rhs.shape()));
  std::int64_t k = rhs.shape().back();
  return a.dtype() == DType::kFloat32 ? triangular_solve_impl<float>(a, rhs, m, k, lower, adjoint)
                                      : triangular_solve_impl<double>(a, rhs, m, k, lower, adjoint);
}

std::pair<Tensor, Tensor> qr(const Tensor& x, bool full_matrices) {
  require_float(x, "qr");
  MatrixBatch m = matrix_batch(x, "qr");
  return x.dtype() == DType::kFloat32 ? qr_impl<float>(x, m, full_matrices) : qr_impl<double>(x, m, full_matrices);
}

std::pair<Tensor, Tensor> self_adjoint_eig(const Tensor& x) {
  require_float(x, "eigh");
  MatrixBatch m = square_batch(x, "eigh");
  return x.dtype() == DType::kFloat32 ? eigh_impl<float>(x, m) : eigh_impl<double>(x, m);
}

SvdResult svd(const Tensor& x, bool full_matrices) {
  require_float(x, "svd");
  MatrixBatch m = matrix_batch(x, "svd");
  return x.dtype() == DType::kFloat32 ? svd_impl<float>(x, m, full_matrices) : svd_impl<double>(x, m, full_matrices);
}

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
