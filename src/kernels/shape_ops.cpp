// Data movement without arithmetic: transpose and broadcast_to (through xtensor's strided views
// of the adapted buffers), strided slices and their gradient scatter.
#include <cstring>
#include <string>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <xtensor/xadapt.hpp>
#include <xtensor/xbroadcast.hpp>
#include <xtensor/xmanipulation.hpp>
#pragma GCC diagnostic pop

#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/strided_loop.h"

namespace ag::kernels {
namespace {

using XShape = std::vector<std::size_t>;

XShape to_xshape(const Shape& shape) { return XShape(shape.begin(), shape.end()); }

template <class S>
void transpose_into(const Tensor& x, Tensor& out, const std::vector<int>& perm) {
  auto in = xt::adapt(x.data<S>(), static_cast<std::size_t>(x.size()), xt::no_ownership(), to_xshape(x.shape()));
  auto result = xt::adapt(out.mutable_data<S>(), static_cast<std::size_t>(out.size()), xt::no_ownership(),
                          to_xshape(out.shape()));
  result = xt::transpose(in, XShape(perm.begin(), perm.end()));
}

template <class S>
void broadcast_into(const Tensor& x, Tensor& out) {
  auto in = xt::adapt(x.data<S>(), static_cast<std::size_t>(x.size()), xt::no_ownership(), to_xshape(x.shape()));
  auto result = xt::adapt(out.mutable_data<S>(), static_cast<std::size_t>(out.size()), xt::no_ownership(),
                          to_xshape(out.shape()));
  result = xt::broadcast(in, to_xshape(out.shape()));
}

/// Copies between a contiguous buffer and a strided grid of another, in either direction:
/// `to_grid` scatters contiguous -> grid (the gradient), otherwise gathers grid -> contiguous.
template <class S>
void grid_copy(const S* from, S* to, const Shape& grid_shape, const std::vector<std::int64_t>& grid_strides,
               std::int64_t grid_base, bool to_grid) {
  StridedSpace<2> space = make_strided_space<2>(grid_shape, {shape_strides(grid_shape), grid_strides});
  for_each_run(space, [&](const std::array<std::int64_t, 2>& at, std::int64_t length,
                          const std::array<std::int64_t, 2>& step) {
    const std::int64_t dense = at[0];
    const std::int64_t sparse = grid_base + at[1];
    const std::int64_t stride = step[1];
    if (to_grid) {
      for (std::int64_t i = 0; i < length; ++i) to[sparse + i * stride] = from[dense + i];
    } else {
      for (std::int64_t i = 0; i < length; ++i) to[dense + i] = from[sparse + i * stride];
    }
  });
}

/// Checks the slice stays inside `shape` and returns the grid's element strides and base offset.
void slice_geometry(const char* op, const Shape& shape, const std::vector<SliceAxis>& axes, Shape& grid,
                    std::vector<std::int64_t>& strides, std::int64_t& base) {
  if (axes.size() != shape.size())
    throw UserError(ExitCode::kEval, std::string(op) + ": expected " + std::to_string(shape.size()) +
                                         " slice axes, got " + std::to_string(axes.size()));
  std::vector<std::int64_t> dense = shape_strides(shape);
  grid.assign(axes.size(), 0);
  strides.assign(axes.size(), 0);
  base = 0;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    const SliceAxis& axis = axes[i];
    if (axis.count < 0 || (axis.step == 0 && axis.count > 1))
      throw UserError(ExitCode::kEval, std::string(op) + ": invalid slice of axis " + std::to_string(i) +
                                           " (step " + std::to_string(axis.step) + ", count " +
                                           std::to_string(axis.count) + ")");
    grid[i] = axis.count;
    strides[i] = axis.step * dense[i];
    if (axis.count == 0) continue;
    std::int64_t last = axis.start + (axis.count - 1) * axis.step;
    if (axis.start < 0 || axis.start >= shape[i] || last < 0 || last >= shape[i])
      throw UserError(ExitCode::kEval, std::string(op) + ": slice of axis " + std::to_string(i) +
                                           " is out of bounds for shape " + tf_shape_str(shape));
    base += axis.start * dense[i];
  }
}

}  // namespace

Tensor transpose(const Tensor& x, const std::vector<int>& perm) {
  require_dtype("transpose", x.dtype(), kAllSet);
  if (static_cast<int>(perm.size()) != x.rank())
    throw UserError(ExitCode::kEval, "transpose expects a vector of size " + std::to_string(x.rank()) +
                                         ". But input(1) is a vector of size " + std::to_string(perm.size()));
  Shape shape(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) shape[i] = x.shape()[static_cast<std::size_t>(perm[i])];
  // When the axes longer than 1 keep their order, the row-major layout is unchanged: no copy.
  int previous = -1;
  bool same_layout = true;
  for (int axis : perm) {
    if (x.shape()[static_cast<std::size_t>(axis)] == 1) continue;
    same_layout = same_layout && axis > previous;
    previous = axis;
  }
  if (same_layout) return x.reshaped(shape);
  Tensor out = Tensor::allocate(x.dtype(), shape);
  if (out.size() == 0) return out;
  visit_dtype(x.dtype(), [&](auto traits) { transpose_into<typename decltype(traits)::Storage>(x, out, perm); });
  return out;
}

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
  require_dtype("broadcast_to", x.dtype(), kAllSet);
  const Shape& from = x.shape();
  if (from.size() > shape.size())
    throw UserError(ExitCode::kEval, "Rank of input (" + std::to_string(from.size()) +
                                         ") must be no greater than rank of output shape (" +
                                         std::to_string(shape.size()) + ").");
  if (broadcast_pair(from, shape) != shape)  // throws "Incompatible shapes" first, as TF's BCast
    throw UserError(ExitCode::kEval, "Unable to broadcast tensor of shape " + tf_shape_str(from) +
                                         " to tensor of shape " + tf_shape_str(shape));
  if (x.size() == shape_size(shape)) return x.reshaped(shape);
  Tensor out = Tensor::allocate(x.dtype(), shape);
  if (out.size() == 0) return out;
  visit_dtype(x.dtype(), [&](auto traits) { broadcast_into<typename decltype(traits)::Storage>(x, out); });
  return out;
}

Tensor strided_slice(const Tensor& x, const std::vector<SliceAxis>& axes) {
  require_dtype("strided_slice", x.dtype(), kAllSet);
  Shape grid;
  std::vector<std::int64_t> strides;
  std::int64_t base = 0;
  slice_geometry("strided_slice", x.shape(), axes, grid, strides, base);
  Tensor out = Tensor::allocate(x.dtype(), grid);
  visit_dtype(x.dtype(), [&](auto traits) {
    using S = typename decltype(traits)::Storage;
    grid_copy<S>(x.data<S>(), out.mutable_data<S>(), grid, strides, base, false);
  });
  return out;
}

Tensor strided_slice_grad(const Tensor& g, const Shape& shape, const std::vector<SliceAxis>& axes) {
  require_dtype("strided_slice_grad", g.dtype(), kAllSet);
  Shape grid;
  std::vector<std::int64_t> strides;
  std::int64_t base = 0;
  slice_geometry("strided_slice_grad", shape, axes, grid, strides, base);
  if (g.size() != shape_size(grid))
    throw UserError(ExitCode::kEval, "strided_slice_grad: gradient of shape " + tf_shape_str(g.shape()) +
                                         " does not fit the slice " + tf_shape_str(grid));
  Tensor out = Tensor::allocate(g.dtype(), shape);
  // All-zero bytes are zero in every numeric dtype (IEEE +0, false, 0 + 0i). Grid positions are
  // distinct (steps are non-zero), so scattering needs no accumulation.
  std::memset(out.raw_mutable(), 0, static_cast<std::size_t>(out.size()) * storage_element_size(g.dtype()));
  visit_dtype(g.dtype(), [&](auto traits) {
    using S = typename decltype(traits)::Storage;
    grid_copy<S>(g.data<S>(), out.mutable_data<S>(), grid, strides, base, true);
  });
  return out;
}

}  // namespace ag::kernels
