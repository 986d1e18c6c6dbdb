// The array ops of ops/api.h added with issue 4. concat, gather (with its dense adjoint) and the
// diagonal ops are primitives with rules in array_grads.cpp; the rest are compositions of recorded
// ops (reshape, strided slices, broadcast_to, where), so their gradients, of every order, are
// those of the pieces: tile's is TF's reduce-over-multiples, pad's is TF's slice of the gradient.
#include <string>
#include <vector>

#include "diag/error.h"
#include "ops/api.h"
#include "ops/array_grads.h"
#include "ops/record.h"

namespace ag::ops {

Tensor concat(const std::vector<Tensor>& inputs, int axis) {
  if (inputs.empty()) throw UserError(ExitCode::kEval, "concat: expected a non-empty list of tensors");
  for (std::size_t i = 1; i < inputs.size(); ++i)
    if (inputs[i].dtype() != inputs[0].dtype())
      throw UserError(ExitCode::kEval, "cannot compute ConcatV2 as input #" + std::to_string(i) + "(zero-based) was expected to be a " +
                                           tf_type_string(inputs[0].dtype()) + " tensor but is a " + tf_type_string(inputs[i].dtype()) +
                                           " tensor [Op:ConcatV2]");
  // TF's Python concat returns identity(values[0]) for a single tensor.
  if (inputs.size() == 1) return identity(inputs[0]);
  Attrs attrs;
  attrs.ints = {axis};
  return record_op(grads::kConcat, inputs, kernels::concat(inputs, axis), std::move(attrs));
}

Tensor gather(const Tensor& params, const Tensor& indices, int axis, int batch_dims) {
  if (params.dtype() == DType::kString)
    return strings_at(params, kernels::gather(string_positions(params), indices, axis, batch_dims));
  Attrs attrs;
  attrs.ints = {axis, batch_dims};
  return record_op(grads::kGather, {params, indices}, kernels::gather(params, indices, axis, batch_dims), std::move(attrs));
}

Tensor gather_grad(const Tensor& updates, const Tensor& indices, int axis, int batch_dims, const Shape& params_shape) {
  Attrs attrs;
  attrs.ints = {axis, batch_dims};
  attrs.shape = params_shape;
  return record_op(grads::kGatherGrad, {updates, indices},
                   kernels::gather_scatter_add(updates, indices, axis, batch_dims, params_shape), std::move(attrs));
}

Tensor expand_dims(const Tensor& x, int axis) {
  Shape shape = x.shape();
  shape.insert(shape.begin() + axis, 1);
  return reshape(x, shape);
}

Tensor squeeze(const Tensor& x, const std::vector<int>& axes) {
  Shape shape;
  for (int i = 0; i < x.rank(); ++i) {
    bool listed = false;
    for (int axis : axes) listed = listed || axis == i;
    bool drop = axes.empty() ? x.shape()[static_cast<std::size_t>(i)] == 1 : listed;
    if (!drop) shape.push_back(x.shape()[static_cast<std::size_t>(i)]);
  }
  return reshape(x, shape);
}

Tensor slice(const Tensor& x, const std::vector<std::int64_t>& begin, const std::vector<std::int64_t>& size) {
  std::vector<kernels::SliceAxis> axes;
  Shape result;
  for (std::size_t i = 0; i < begin.size(); ++i) {
    axes.push_back({begin[i], 1, size[i]});
    result.push_back(size[i]);
  }
  return strided_slice(x, axes, result);
}

Tensor reverse(const Tensor& x, const std::vector<int>& axes) {
  if (axes.empty()) return identity(x);
  std::vector<kernels::SliceAxis> grid;
  for (int i = 0; i < x.rank(); ++i) {
    std::int64_t length = x.shape()[static_cast<std::size_t>(i)];
    bool reversed = false;
    for (int axis : axes) reversed = reversed || axis == i;
    grid.push_back(reversed ? kernels::SliceAxis{length - 1, -1, length} : kernels::SliceAxis{0, 1, length});
  }
  return strided_slice(x, grid, x.shape());
}

Tensor tile(const Tensor& x, const std::vector<std::int64_t>& multiples) {
  Shape spread, tiled, result;
  for (std::size_t i = 0; i < multiples.size(); ++i) {
    std::int64_t length = x.shape()[i];
    spread.push_back(1);
    spread.push_back(length);
    tiled.push_back(multiples[i]);
    tiled.push_back(length);
    result.push_back(multiples[i] * length);
  }
  return reshape(broadcast_to(reshape(x, spread), tiled), result);
}

Tensor pad(const Tensor& x, const std::vector<std::pair<std::int64_t, std::int64_t>>& paddings, const Tensor& constant) {
  Shape padded;
  std::vector<kernels::SliceAxis> interior;
  for (std::size_t i = 0; i < paddings.size(); ++i) {
    std::int64_t length = x.shape()[i];
    padded.push_back(paddings[i].first + length + paddings[i].second);
    interior.push_back({paddings[i].first, 1, length});
  }
  Tensor zero_padded = ops::strided_slice_grad(x, padded, interior);
  if (constant.element_as_double(0) == 0.0 && !dtype_is_complex(constant.dtype())) return zero_padded;
  // The constant gets no gradient (TF's _PadGrad returns None for constant_values).
  Tensor inside = kernels::strided_slice_grad(kernels::fill(DType::kBool, x.shape(), 1.0), padded, interior);
  return where(inside, zero_padded, kernels::broadcast_to(constant, padded));
}

Tensor matrix_diag(const Tensor& diagonal) { return record_op(grads::kMatrixDiag, {diagonal}, kernels::matrix_diag(diagonal)); }

Tensor matrix_diag_part(const Tensor& x) { return record_op(grads::kMatrixDiagPart, {x}, kernels::matrix_diag_part(x)); }

Tensor matrix_set_diag(const Tensor& x, const Tensor& diagonal) {
  check_binary_dtypes(x, diagonal, "MatrixSetDiagV3");
  return record_op(grads::kMatrixSetDiag, {x, diagonal}, kernels::matrix_set_diag(x, diagonal));
}

Tensor matrix_band_part(const Tensor& x, std::int64_t lower, std::int64_t upper) {
  Attrs attrs;
  attrs.ints = {lower, upper};
  return record_op(grads::kMatrixBandPart, {x}, kernels::matrix_band_part(x, lower, upper), std::move(attrs));
}

Tensor eye(DType dtype, std::int64_t rows, std::int64_t columns, const Shape& batch_shape) {
  return kernels::eye(dtype, rows, columns, batch_shape);
}

}  // namespace ag::ops
