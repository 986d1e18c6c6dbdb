// Private to src/kernels: walks a row-major index space in which each operand has its own element
// strides (0 for a broadcast axis), handing the caller long inner runs instead of single indices.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/shape.h"

namespace ag::kernels {

/// The index space after simplification: size-1 axes are dropped and neighbouring axes that are
/// contiguous for every operand are merged, so e.g. a same-shape or scalar-broadcast binary op
/// becomes a single run and [4,1] against [3] becomes 4 runs of 3.
template <std::size_t N>
struct StridedSpace {
  std::vector<std::int64_t> shape;                   ///< outer to inner
  std::vector<std::array<std::int64_t, N>> strides;  ///< per axis, per operand
  bool empty = false;                                ///< some axis has size 0
};

/// strides[k] lists operand k's element strides for every axis of shape.
template <std::size_t N>
StridedSpace<N> make_strided_space(const Shape& shape, const std::array<std::vector<std::int64_t>, N>& strides) {
  StridedSpace<N> space;
  for (std::size_t axis = 0; axis < shape.size(); ++axis) {
    std::int64_t size = shape[axis];
    if (size == 0) space.empty = true;
    if (size == 1) continue;
    std::array<std::int64_t, N> axis_strides;
    for (std::size_t k = 0; k < N; ++k) axis_strides[k] = strides[k][axis];
    if (!space.shape.empty()) {
      // Merge into the previous axis when stepping the previous axis once equals stepping this
      // axis `size` times, for every operand (true for contiguous and for broadcast axes alike).
      bool mergeable = true;
      const std::array<std::int64_t, N>& outer = space.strides.back();
      for (std::size_t k = 0; k < N; ++k) mergeable = mergeable && outer[k] == axis_strides[k] * size;
      if (mergeable) {
        space.shape.back() *= size;
        space.strides.back() = axis_strides;
        continue;
      }
    }
    space.shape.push_back(size);
    space.strides.push_back(axis_strides);
  }
  return space;
}

/// Calls run(offsets, length, inner_strides) once per innermost run; offsets are element offsets
/// of the run's first element for each operand. Nothing is called for an empty space; a space
/// with no axes (all sizes 1) is one run of length 1.
template <std::size_t N, class F>
void for_each_run(const StridedSpace<N>& space, F&& run) {
  std::array<std::int64_t, N> offsets{};
  if (space.empty) return;
  if (space.shape.empty()) {
    run(offsets, std::int64_t{1}, offsets);
    return;
  }
  const std::size_t inner = space.shape.size() - 1;
  const std::int64_t length = space.shape[inner];
  const std::array<std::int64_t, N> inner_strides = space.strides[inner];
  std::int64_t outer_count = 1;
  for (std::size_t axis = 0; axis < inner; ++axis) outer_count *= space.shape[axis];
  std::vector<std::int64_t> index(inner, 0);
  for (std::int64_t o = 0; o < outer_count; ++o) {
    run(offsets, length, inner_strides);
    // Odometer step over the outer axes, keeping the offsets incrementally.
    for (std::size_t axis = inner; axis-- > 0;) {
      for (std::size_t k = 0; k < N; ++k) offsets[k] += space.strides[axis][k];
      if (++index[axis] < space.shape[axis]) break;
      for (std::size_t k = 0; k < N; ++k) offsets[k] -= space.strides[axis][k] * space.shape[axis];
      index[axis] = 0;
    }
  }
}

}  // namespace ag::kernels
