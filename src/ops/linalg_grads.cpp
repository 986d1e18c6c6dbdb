// Gradient rules of the linalg primitives of issue 4, as TF's linalg_grad.py defines them, for real
// matrices. They are written with the recorded ops of ops/api.h, so each gradient can be
// differentiated again; the decompositions read their outputs and incoming gradients from the
// packed tensor (ops::unpack_last_axis), so one rule sees every output's gradient at once.
#include "ops/array_grads.h"

#include <string>

#include "diag/error.h"
#include "ops/api.h"

namespace ag::grads {
namespace {

Tensor c(const Tensor& like, double value) { return ops::scalar_like(like, value); }
Tensor adjoint(const Tensor& x) { return ops::matrix_transpose(x); }

/// The last axis of x from `begin`, `count` long.
Tensor last_axis(const Tensor& x, std::int64_t begin, std::int64_t count) {
  std::vector<std::int64_t> start(x.shape().size(), 0);
  start.back() = begin;
  std::vector<std::int64_t> size(x.shape().begin(), x.shape().end());
  size.back() = count;
  return ops::slice(x, start, size);
}

/// x / (x² + 1e-20): a reciprocal that stays finite at 0 (TF's Lorentz broadening).
Tensor safe_reciprocal(const Tensor& x) {
  return ops::multiply(x, ops::reciprocal(ops::add(ops::multiply(x, x), c(x, 1e-20))));
}

/// f[i, j] = safe_reciprocal(d[j] - d[i]) off the diagonal, 0 on it.
Tensor difference_reciprocals(const Tensor& d) {
  Tensor row = ops::expand_dims(d, d.rank() - 1);  // [..., 1, n]
  Tensor column = ops::expand_dims(d, d.rank());    // [..., n, 1]
  return ops::matrix_set_diag(safe_reciprocal(ops::subtract(row, column)), ops::zeros_like(d));
}

// log|det A|: g · inv(Aᵀ), g broadcast over each matrix               (TF: _LogMatrixDeterminantGrad)
Grads grad_log_matrix_determinant(const GradArgs& a) {
  Shape kept = a.output.shape();
  kept.push_back(1);
  kept.push_back(1);
  return {ops::multiply(ops::reshape(a.grad, kept), ops::matrix_inverse(adjoint(a.x(0))))};
}

// L = cholesky(A): ½ (S + Sᵀ), S = L⁻ᵀ Φ(Lᵀ g) L⁻¹, Φ the lower triangle with the diagonal halved
//                                                                      (TF: _CholeskyGrad)
Grads grad_cholesky(const GradArgs& a) {
  const Tensor& l = a.output;
  Shape batch(l.shape().begin(), l.shape().end() - 2);
  std::int64_t n = l.shape().back();
  Tensor l_inverse = ops::matrix_triangular_solve(l, ops::eye(l.dtype(), n, n, batch), true, false);
  Tensor middle = ops::matmul(l, a.grad, true, false);
  middle = ops::matrix_set_diag(middle, ops::multiply(c(middle, 0.5), ops::matrix_diag_part(middle)));
  middle = ops::matrix_band_part(middle, -1, 0);
  Tensor grad_a = ops::matmul(ops::matmul(l_inverse, middle, true, false), l_inverse, false, false);
  grad_a = ops::add(grad_a, adjoint(grad_a));
  return {ops::multiply(grad_a, c(grad_a, 0.5))};
}

// x = A⁻¹ b (A triangular): gb = A⁻ᵀ g, gA = -gb xᵀ on A's triangle     (TF: _MatrixTriangularSolveGrad)
Grads grad_matrix_triangular_solve(const GradArgs& a) {
  bool lower = a.attrs.flag_a;
  bool adjoint_a = a.attrs.flag_b;
  Tensor grad_b = ops::matrix_triangular_solve(a.x(0), a.grad, lower, !adjoint_a);
  Grads out(2);
  if (a.needs(0)) {
    Tensor grad_a = adjoint_a ? ops::negative(ops::matmul(a.output, grad_b, false, true))
                              : ops::negative(ops::matmul(grad_b, a.output, false, true));
    out[0] = lower ? ops::matrix_band_part(grad_a, -1, 0) : ops::matrix_band_part(grad_a, 0, -1);
  }
  if (a.needs(1)) out[1] = grad_b;
  return out;
}

/// x R⁻ᵀ for upper triangular R, by a triangular solve (TF's _TriangularSolve in _QrGrad).
Tensor solve_upper_right(const Tensor& x, const Tensor& r) {
  return adjoint(ops::matrix_triangular_solve(r, adjoint(x), false, false));
}

/// The QR gradient for m >= n (and reduced q).
Tensor qr_grad_deep(const Tensor& q, const Tensor& r, const Tensor& dq, const Tensor& dr) {
  Tensor qdq = ops::matmul(q, dq, true, false);
  Tensor qdq_ = ops::subtract(qdq, adjoint(qdq));
  Tensor rdr = ops::matmul(r, dr, false, true);
  Tensor rdr_ = ops::subtract(rdr, adjoint(rdr));
  Tensor tril = ops::matrix_band_part(ops::add(qdq_, rdr_), -1, 0);
  Tensor grad_a = ops::matmul(q, ops::add(dr, solve_upper_right(tril, r)), false, false);
  Tensor grad_b = solve_upper_right(ops::subtract(dq, ops::matmul(q, qdq, false, false)), r);
  return ops::add(grad_a, grad_b);
}

// A = QR: the square-and-deep formula; for m < n, A = [X, Y] and R = [U, V] reduce it to the
// square case                                                           (TF: _QrGrad)
Grads grad_qr(const GradArgs& a) {
  const std::int64_t m = a.attrs.ints[0];
  const std::int64_t n = a.attrs.ints[1];
  const std::int64_t k = std::min(m, n);
  const std::int64_t q_cols = a.attrs.flag_a ? m : k;
  if (a.attrs.flag_a && m > n)
    throw UserError(ExitCode::kEval, "QrGrad not implemented when nrows > ncols and full_matrices is true.");
  std::vector<Shape> tails = {{m, q_cols}, {q_cols, n}};
  std::vector<Tensor> out = ops::unpack_last_axis(a.output, tails);
  std::vector<Tensor> grad = ops::unpack_last_axis(a.grad, tails);
  const Tensor &q = out[0], &r = out[1], &dq = grad[0], &dr = grad[1];
  if (m >= n) return {qr_grad_deep(q, r, dq, dr)};
  Tensor y = last_axis(a.x(0), m, n - m);
  Tensor u = last_axis(r, 0, m);
  Tensor dv = last_axis(dr, m, n - m);
  Tensor du = last_axis(dr, 0, m);
  Tensor dy = ops::matmul(q, dv, false, false);
  Tensor dx = qr_grad_deep(q, u, ops::add(dq, ops::matmul(y, dv, false, true)), du);
  return {ops::concat({dx, dy}, dx.rank() - 1)};
}

// A = V diag(e) Vᵀ: V (diag(ge) + F ∘ Vᵀ gv) Vᵀ, symmetrised into the lower triangle that the
// forward op reads, the diagonal halved                                (TF: _SelfAdjointEigV2Grad)
Grads grad_self_adjoint_eig(const GradArgs& a) {
  const std::int64_t n = a.attrs.ints[0];
  std::vector<Shape> tails = {{n}, {n, n}};
  std::vector<Tensor> out = ops::unpack_last_axis(a.output, tails);
  std::vector<Tensor> grad = ops::unpack_last_axis(a.grad, tails);
  const Tensor &e = out[0], &v = out[1], &ge = grad[0], &gv = grad[1];
  Tensor f = difference_reciprocals(e);
  Tensor inner = ops::add(ops::matrix_diag(ge), ops::multiply(f, ops::matmul(v, gv, true, false)));
  Tensor grad_a = ops::matmul(v, ops::matmul(inner, v, false, true), false, false);
  grad_a = ops::matrix_band_part(ops::add(grad_a, adjoint(grad_a)), -1, 0);
  return {ops::matrix_set_diag(grad_a, ops::multiply(c(grad_a, 0.5), ops::matrix_diag_part(grad_a)))};
}

// A = U diag(s) Vᵀ: the formulas of Giles and Townsend that TF uses; a tall A is handled as its
// transpose                                                             (TF: _SvdGrad)
Grads grad_svd(const GradArgs& a) {
  std::int64_t m = a.attrs.ints[0];
  std::int64_t n = a.attrs.ints[1];
  const bool full = a.attrs.flag_a;
  const std::int64_t k = std::min(m, n);
  std::vector<Shape> tails = {{k}, {m, full ? m : k}, {n, full ? n : k}};
  std::vector<Tensor> out = ops::unpack_last_axis(a.output, tails);
  std::vector<Tensor> grad = ops::unpack_last_axis(a.grad, tails);
  Tensor s = out[0], u = out[1], v = out[2], gs = grad[0], gu = grad[1], gv = grad[2];
  const bool use_adjoint = m > n;
  if (use_adjoint) {
    std::swap(m, n);
    std::swap(u, v);
    std::swap(gu, gv);
  }
  if (full && n - m > 1)
    throw UserError(ExitCode::kEval, "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True");
  Tensor s_mat = ops::matrix_diag(s);
  Tensor f = difference_reciprocals(ops::square(s));
  Tensor s_inv_mat = ops::matrix_diag(safe_reciprocal(s));
  Tensor v1 = last_axis(v, 0, m);
  Tensor gv1 = last_axis(gv, 0, m);
  Tensor f_u = ops::multiply(f, ops::matmul(u, gu, true, false));
  Tensor f_v = ops::multiply(f, ops::matmul(v1, gv1, true, false));
  Tensor term1_nouv = ops::add(ops::add(ops::matrix_diag(gs), ops::matmul(ops::add(f_u, adjoint(f_u)), s_mat, false, false)),
                               ops::matmul(s_mat, ops::add(f_v, adjoint(f_v)), false, false));
  Tensor grad_a = ops::matmul(u, ops::matmul(term1_nouv, v1, false, true), false, false);
  if (m != n) {
    Tensor gv1t = adjoint(gv1);
    Tensor term2_nous = ops::subtract(gv1t, ops::matmul(ops::matmul(gv1t, v1, false, false), v1, false, true));
    if (full) {
      Tensor v2 = last_axis(v, m, n - m);
      Tensor gv2 = last_axis(gv, m, n - m);
      term2_nous = ops::subtract(term2_nous, ops::matmul(ops::matmul(v1, gv2, true, false), v2, false, true));
    }
    grad_a = ops::add(grad_a, ops::matmul(ops::matmul(u, s_inv_mat, false, false), term2_nous, false, false));
  }
  return {use_adjoint ? adjoint(grad_a) : grad_a};
}

}  // namespace

const Primitive kLogMatrixDeterminant{"LogMatrixDeterminant", grad_log_matrix_determinant};
const Primitive kCholesky{"Cholesky", grad_cholesky};
const Primitive kMatrixTriangularSolve{"MatrixTriangularSolve", grad_matrix_triangular_solve};
const Primitive kQr{"Qr", grad_qr};
const Primitive kSelfAdjointEig{"SelfAdjointEigV2", grad_self_adjoint_eig};
const Primitive kSvd{"Svd", grad_svd};

}  // namespace ag::grads
