// The linalg ops of ops/api.h and their gradient rules (TF's linalg_grad.py), written with the
// recorded ops so that second and higher derivatives of det, inv and solve work.
#include <numeric>

#include "ops/api.h"
#include "ops/record.h"

namespace ag::ops {
namespace {

// d inv(A) = -inv(A)ᵀ g inv(A)ᵀ                                     (TF: _MatrixInverseGrad)
Grads grad_matrix_inverse(const GradArgs& a) {
  Tensor inverse_t = matrix_transpose(a.output);
  return {negative(matmul(inverse_t, matmul(a.grad, inverse_t, false, false), false, false))};
}

// d det(A) = g · det(A) · inv(A)ᵀ, g and det broadcast over each matrix  (TF: _MatrixDeterminantGrad)
Grads grad_matrix_determinant(const GradArgs& a) {
  const Tensor& x = a.x(0);
  Shape kept = a.output.shape();
  kept.push_back(1);
  kept.push_back(1);
  Tensor multipliers = reshape(multiply(a.grad, a.output), kept);
  return {multiply(multipliers, matrix_transpose(matrix_inverse(x)))};
}

// x = solve(A, b): gb = solve(Aᵀ, g), gA = -gb xᵀ                    (TF: _MatrixSolveGrad)
Grads grad_matrix_solve(const GradArgs& a) {
  Tensor grad_rhs = matrix_solve(matrix_transpose(a.x(0)), a.grad);
  Grads out(2);
  if (a.needs(0)) out[0] = negative(matmul(grad_rhs, a.output, false, true));
  if (a.needs(1)) out[1] = grad_rhs;
  return out;
}

const Primitive kMatrixInverse{"MatrixInverse", grad_matrix_inverse};
const Primitive kMatrixDeterminant{"MatrixDeterminant", grad_matrix_determinant};
const Primitive kMatrixSolve{"MatrixSolve", grad_matrix_solve};

}  // namespace

Tensor matrix_transpose(const Tensor& x) {
  std::vector<int> perm(static_cast<std::size_t>(x.rank()));
  std::iota(perm.begin(), perm.end(), 0);
  if (x.rank() >= 2) std::swap(perm[perm.size() - 1], perm[perm.size() - 2]);
  return transpose(x, perm);
}

Tensor matrix_inverse(const Tensor& x) { return record_op(kMatrixInverse, {x}, kernels::matrix_inverse(x)); }
Tensor matrix_determinant(const Tensor& x) { return record_op(kMatrixDeterminant, {x}, kernels::matrix_determinant(x)); }
Tensor matrix_solve(const Tensor& a, const Tensor& rhs) {
  check_binary_dtypes(a, rhs, "MatrixSolve");
  return record_op(kMatrixSolve, {a, rhs}, kernels::matrix_solve(a, rhs));
}

}  // namespace ag::ops
