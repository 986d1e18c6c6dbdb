// The differentiable ops as C++ functions. Each computes with a kernel and records itself on the
// active tapes; gradient rules are written with these same functions, so a gradient computed
// while an outer tape records is itself recorded (every derivative order comes from this).
// Binary ops take tensors of one dtype; the evaluator converts Python scalars first.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/tensor.h"
#include "kernels/kernels.h"

namespace ag::ops {

// Element-wise arithmetic, with broadcasting.
Tensor add(const Tensor& x, const Tensor& y);
Tensor subtract(const Tensor& x, const Tensor& y);
Tensor multiply(const Tensor& x, const Tensor& y);
Tensor divide(const Tensor& x, const Tensor& y);  ///< TF RealDiv for floats, Div for ints
Tensor floordiv(const Tensor& x, const Tensor& y);
Tensor floormod(const Tensor& x, const Tensor& y);
Tensor pow(const Tensor& x, const Tensor& y);
Tensor maximum(const Tensor& x, const Tensor& y);
Tensor minimum(const Tensor& x, const Tensor& y);
/// Comparisons and logical ops (not differentiable; bool results).
Tensor compare(kernels::BinaryOp op, const Tensor& x, const Tensor& y);
Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y);

/// Element-wise unary ops (negative, exp, sin, tanh, ...).
Tensor unary(kernels::UnaryOp op, const Tensor& x);
Tensor negative(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
Tensor square(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor reciprocal(const Tensor& x);
Tensor sign(const Tensor& x);

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b);
Tensor transpose(const Tensor& x, const std::vector<int>& perm);
Tensor reshape(const Tensor& x, const Shape& shape);
Tensor broadcast_to(const Tensor& x, const Shape& shape);
/// Sums x down to `shape` over broadcast axes (the adjoint of broadcast_to).
Tensor sum_to(const Tensor& x, const Shape& shape);
Tensor reduce(kernels::ReduceOp op, const Tensor& x, const std::vector<int>& axes, bool keepdims);
Tensor reduce_sum(const Tensor& x, const std::vector<int>& axes, bool keepdims);
Tensor reduce_mean(const Tensor& x, const std::vector<int>& axes, bool keepdims);
Tensor cast(const Tensor& x, DType dtype);
Tensor stop_gradient(const Tensor& x);
Tensor identity(const Tensor& x);
/// A strided slice on a regular grid, then a reshape to `result_shape` (new and shrunk axes).
Tensor strided_slice(const Tensor& x, const std::vector<kernels::SliceAxis>& axes, const Shape& result_shape);
/// The adjoint of strided_slice: g scattered into zeros of `shape`.
Tensor strided_slice_grad(const Tensor& g, const Shape& shape, const std::vector<kernels::SliceAxis>& axes);

/// Constants (never recorded).
Tensor zeros(DType dtype, const Shape& shape);
Tensor ones(DType dtype, const Shape& shape);
Tensor zeros_like(const Tensor& x);
Tensor ones_like(const Tensor& x);
/// A 0-d tensor of x's dtype holding `value`.
Tensor scalar_like(const Tensor& x, double value);

/// Axes `axes` (negative allowed) normalised against rank, sorted and unique; empty input with
/// all_if_empty means every axis. Throws TF's error for an axis out of range.
std::vector<int> normalize_axes(const std::vector<std::int64_t>& axes, int rank, const char* op_name);

// ---- Math and nn ops (issue 4: ops/math_api.cpp, ops/nn_api.cpp) ------------------------------

Tensor tanh(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor rsqrt(const Tensor& x);
Tensor sinh(const Tensor& x);
Tensor cosh(const Tensor& x);
Tensor digamma(const Tensor& x);
Tensor atan2(const Tensor& y, const Tensor& x);
Tensor squared_difference(const Tensor& x, const Tensor& y);
/// TF's MulNoNan: x * y, and 0 wherever y is 0 (even if x is inf or NaN).
Tensor multiply_no_nan(const Tensor& x, const Tensor& y);
Tensor polygamma(const Tensor& a, const Tensor& x);
/// Sum of equally shaped tensors, left to right (TF's AddN).
Tensor add_n(const std::vector<Tensor>& inputs);
/// TF's Cumsum/Cumprod along a normalised axis.
Tensor cumsum(const Tensor& x, int axis, bool exclusive, bool reverse);
Tensor cumprod(const Tensor& x, int axis, bool exclusive, bool reverse);
/// ArgMax/ArgMin along a normalised axis (never recorded).
Tensor arg_reduce(bool max, const Tensor& x, int axis, DType index_dtype);

/// TF's fused gradient kernels, recorded with gradients of their own (TanhGrad, SigmoidGrad, ...):
/// y is the forward op's output (x for leaky_relu_grad), g the incoming gradient.
Tensor tanh_grad(const Tensor& y, const Tensor& g);
Tensor sigmoid_grad(const Tensor& y, const Tensor& g);
Tensor sqrt_grad(const Tensor& y, const Tensor& g);
Tensor rsqrt_grad(const Tensor& y, const Tensor& g);
Tensor reciprocal_grad(const Tensor& y, const Tensor& g);
Tensor relu_grad(const Tensor& g, const Tensor& y);
Tensor relu6_grad(const Tensor& g, const Tensor& y);
Tensor elu_grad(const Tensor& g, const Tensor& y);
Tensor selu_grad(const Tensor& g, const Tensor& y);
/// alpha is a 0-d tensor of x's dtype (TF's float attribute, converted).
Tensor leaky_relu_grad(const Tensor& g, const Tensor& x, const Tensor& alpha);

Tensor relu(const Tensor& x);
Tensor relu6(const Tensor& x);
Tensor elu(const Tensor& x);
Tensor selu(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor leaky_relu(const Tensor& x, const Tensor& alpha);
/// x * sigmoid(beta * x) with TF's custom gradient (nn.silu / nn.swish); beta a 0-d tensor.
Tensor swish(const Tensor& x, const Tensor& beta);
/// Softmax and log-softmax over the last axis (TF's kernels).
Tensor softmax(const Tensor& logits);
Tensor log_softmax(const Tensor& logits);
/// TF's SoftmaxCrossEntropyWithLogits on [batch, classes]: the loss [batch]. Its backprop output
/// (softmax - labels) is a recorded op of its own, so second derivatives work.
Tensor softmax_cross_entropy(const Tensor& logits, const Tensor& labels);
Tensor softmax_cross_entropy_backprop(const Tensor& logits, const Tensor& labels);
/// The sparse form: labels [batch] of int32/int64 class indices.
Tensor sparse_softmax_cross_entropy(const Tensor& logits, const Tensor& labels);
Tensor sparse_softmax_cross_entropy_backprop(const Tensor& logits, const Tensor& labels);
Tensor l2_loss(const Tensor& x);

// ---- complex parts (ops/dtypes_complex.cpp) ---------------------------------------------------
/// tf.math.conj: the complex conjugate, recorded (d = conj(g)); a real tensor is returned as is.
/// Gradient rules apply it to their partial derivatives: TF's convention for complex inputs is
/// grad * conj(df/dx).
Tensor conj(const Tensor& x);

// ---- linalg (ops/linalg_api.cpp): square matrices in the last two axes, batched -------------
/// The transpose of the last two axes (tf.linalg.matrix_transpose for real tensors).
Tensor matrix_transpose(const Tensor& x);
Tensor matrix_inverse(const Tensor& x);
Tensor matrix_determinant(const Tensor& x);
/// x with a @ x = rhs.
Tensor matrix_solve(const Tensor& a, const Tensor& rhs);

// ---- Array ops of issue 4 (ops/array_api.cpp; rules in ops/array_grads.cpp) -----------------
// Axes are normalised (0 <= axis < rank) by the callers, which report TF's errors.

/// TF's ConcatV2: inputs of one dtype and rank, equal except along `axis`.
Tensor concat(const std::vector<Tensor>& inputs, int axis);
/// TF's GatherV2 (0 <= batch_dims <= axis); its gradient is the dense scatter-add below.
Tensor gather(const Tensor& params, const Tensor& indices, int axis, int batch_dims);
/// gather's adjoint: the slices of `updates` summed into zeros of `params_shape` at `indices`.
Tensor gather_grad(const Tensor& updates, const Tensor& indices, int axis, int batch_dims, const Shape& params_shape);
/// x with a size-1 axis inserted at `axis` (0 <= axis <= rank), or removed from `axes`.
Tensor expand_dims(const Tensor& x, int axis);
Tensor squeeze(const Tensor& x, const std::vector<int>& axes);
/// x[begin : begin + size] on every axis (sizes already resolved).
Tensor slice(const Tensor& x, const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size);
/// x reversed along each of `axes`.
Tensor reverse(const Tensor& x, const std::vector<int>& axes);
/// x repeated multiples[i] times along axis i (a broadcast of x with interleaved unit axes).
Tensor tile(const Tensor& x, const std::vector<std::int64_t>& multiples);
/// CONSTANT padding by (before, after) per axis with a 0-d `constant` of x's dtype.
Tensor pad(const Tensor& x, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings, const Tensor& constant);
/// TF's einsum: one or more operands, subscripts with an optional "->" and "...".
Tensor einsum(const std::string& equation, const std::vector<Tensor>& inputs);
/// Batched diagonal ops of tf.linalg (last two axes), each the others' adjoint.
Tensor matrix_diag(const Tensor& diagonal);
Tensor matrix_diag_part(const Tensor& x);
Tensor matrix_set_diag(const Tensor& x, const Tensor& diagonal);
Tensor matrix_band_part(const Tensor& x, std::int64_t lower, std::int64_t upper);

// ---- linalg ops of issue 4 (ops/linalg_api.cpp; rules in ops/linalg_grads.cpp) --------------

/// TF's LogMatrixDeterminant: {sign, log|det|}; only log|det| is differentiable.
std::pair<Tensor, Tensor> log_matrix_determinant(const Tensor& x);
Tensor cholesky(const Tensor& x);
/// Solves a @ x = rhs (adjoint: aᵀ @ x = rhs) reading the lower (or upper) triangle of a.
Tensor matrix_triangular_solve(const Tensor& a, const Tensor& rhs, bool lower, bool adjoint);
/// {q, r}. Multi-output decompositions record one node whose output packs every result
/// (flattened, along the last axis); the results are recorded slices of it, so one rule sees the
/// gradients of all of them together, as TF's rules do.
std::pair<Tensor, Tensor> qr(const Tensor& x, bool full_matrices);
/// {e, v}: ascending eigenvalues and eigenvectors of symmetric matrices (lower triangle read).
std::pair<Tensor, Tensor> self_adjoint_eig(const Tensor& x);
/// {s, u, v} with x = u diag(s) vᵀ.
struct Svd {
  Tensor s, u, v;
};
Svd svd(const Tensor& x, bool full_matrices);
/// Identity matrices of dtype (never recorded).
Tensor eye(DType dtype, std::int64_t rows, std::int64_t columns, const Shape& batch_shape);

}  // namespace ag::ops
