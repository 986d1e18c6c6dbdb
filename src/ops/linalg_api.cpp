// The linalg ops of ops/api.h and their gradient rules (TF's linalg_grad.py), written with the
// recorded ops so that second and higher derivatives of det, inv and solve work.
#include <numeric>

#include "ops/api.h"
#include "ops/array_grads.h"
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

// ---- linalg ops of issue 4 (rules in linalg_grads.cpp) -------------------------------------

namespace ag::ops {
namespace {

/// Concatenates the parts, each flattened behind the batch shape, along a new last axis
/// (not recorded: the packed tensor is the output the decomposition's node records).
Tensor pack(const std::vector<Tensor>& parts, const Shape& batch) {
  std::vector<Tensor> flat;
  for (const Tensor& part : parts) {
    Shape shape = batch;
    std::int64_t tail = 1;
    for (std::size_t i = batch.size(); i < part.shape().size(); ++i) tail *= part.shape()[i];
    shape.push_back(tail);
    flat.push_back(part.reshaped(shape));
  }
  return kernels::concat(flat, static_cast<int>(batch.size()));
}

Shape batch_of(const Tensor& x) { return Shape(x.shape().begin(), x.shape().end() - 2); }

Shape tail_of(const Tensor& part, std::size_t batch_rank) { return Shape(part.shape().begin() + static_cast<std::ptrdiff_t>(batch_rank), part.shape().end()); }

/// Records `primitive` on x with the packed parts as its output and returns the recorded slices
/// of it; without an active tape the kernel's results are returned as they are.
std::vector<Tensor> record_packed(const Primitive& primitive, const Tensor& x, const std::vector<Tensor>& parts, Attrs attrs) {
  if (active_tapes().empty()) return parts;
  Shape batch = batch_of(x);
  std::vector<Shape> tails;
  for (const Tensor& part : parts) tails.push_back(tail_of(part, batch.size()));
  Tensor packed = record_op(primitive, {x}, pack(parts, batch), std::move(attrs));
  return unpack_last_axis(packed, tails);
}

Attrs matrix_attrs(const Tensor& x, bool full_matrices) {
  Attrs attrs;
  attrs.ints = {x.shape()[x.shape().size() - 2], x.shape().back()};
  attrs.flag_a = full_matrices;
  return attrs;
}

}  // namespace

std::vector<Tensor> unpack_last_axis(const Tensor& packed, const std::vector<Shape>& tails) {
  Shape batch(packed.shape().begin(), packed.shape().end() - 1);
  std::vector<Tensor> parts;
  std::int64_t offset = 0;
  for (const Shape& tail : tails) {
    std::vector<std::int64_t> begin(packed.shape().size(), 0);
    begin.back() = offset;
    std::vector<std::int64_t> size(batch.begin(), batch.end());
    size.push_back(shape_size(tail));
    Shape shape = batch;
    shape.insert(shape.end(), tail.begin(), tail.end());
    parts.push_back(reshape(slice(packed, begin, size), shape));
    offset += shape_size(tail);
  }
  return parts;
}

std::pair<Tensor, Tensor> log_matrix_determinant(const Tensor& x) {
  auto [sign, log_abs] = kernels::log_matrix_determinant(x);
  return {sign, record_op(grads::kLogMatrixDeterminant, {x}, log_abs)};
}

Tensor cholesky(const Tensor& x) { return record_op(grads::kCholesky, {x}, kernels::cholesky(x)); }

Tensor matrix_triangular_solve(const Tensor& a, const Tensor& rhs, bool lower, bool adjoint) {
  check_binary_dtypes(a, rhs, "MatrixTriangularSolve");
  Attrs attrs;
  attrs.flag_a = lower;
  attrs.flag_b = adjoint;
  return record_op(grads::kMatrixTriangularSolve, {a, rhs}, kernels::matrix_triangular_solve(a, rhs, lower, adjoint), std::move(attrs));
}

std::pair<Tensor, Tensor> qr(const Tensor& x, bool full_matrices) {
  auto [q, r] = kernels::qr(x, full_matrices);
  std::vector<Tensor> parts = record_packed(grads::kQr, x, {q, r}, matrix_attrs(x, full_matrices));
  return {parts[0], parts[1]};
}

std::pair<Tensor, Tensor> self_adjoint_eig(const Tensor& x) {
  auto [e, v] = kernels::self_adjoint_eig(x);
  std::vector<Tensor> parts = record_packed(grads::kSelfAdjointEig, x, {e, v}, matrix_attrs(x, false));
  return {parts[0], parts[1]};
}

Svd svd(const Tensor& x, bool full_matrices) {
  kernels::SvdResult result = kernels::svd(x, full_matrices);
  std::vector<Tensor> parts = record_packed(grads::kSvd, x, {result.s, result.u, result.v}, matrix_attrs(x, full_matrices));
  return {parts[0], parts[1], parts[2]};
}

}  // namespace ag::ops
