// The differentiable ops as C++ functions. Each computes with a kernel and records itself on the
// active tapes; gradient rules are written with these same functions, so a gradient computed
// while an outer tape records is itself recorded (every derivative order comes from this).
// Binary ops take tensors of one dtype; the evaluator converts Python scalars first.
#pragma once

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

}  // namespace ag::ops
