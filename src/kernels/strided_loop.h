// Private to src/kernels: walks a row-major index space in which each operand has its own element
// strides (0 for a broadcast axis), handing the caller long inner runs instead of single indices.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/shape.h"
#include "kernels/parallel.h"

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

/// out (contiguous, of `shape`) = in[base + sum index_i * in_strides[i]], for transposes,
/// broadcasts and slices alike. Runs that are contiguous or broadcast in the input become copies
/// and fills; when the input is contiguous along an outer axis instead of the innermost one (a
/// transpose), the two axes are walked in 32 x 32 tiles so that both sides stay in cache.
template <class S>
void gather_strided(const S* in, std::int64_t base, const std::vector<std::int64_t>& in_strides, S* out,
                    const Shape& shape) {
  StridedSpace<2> space = make_strided_space<2>(shape, {shape_strides(shape), in_strides});
  if (space.empty) return;
  const std::size_t rank = space.shape.size();
  const std::int64_t inner_step = rank > 0 ? space.strides[rank - 1][1] : 0;
  std::size_t tile_axis = rank;
  if (rank >= 2 && inner_step != 0 && inner_step != 1) {
    for (std::size_t axis = 0; axis + 1 < rank; ++axis)
      if (space.strides[axis][1] == 1) tile_axis = axis;
  }
  if (rank == 1 && (inner_step == 0 || inner_step == 1)) {
    // One long copy or fill (a broadcast scalar, a flattening): shared among threads when large.
    const S* i = in + base;
    parallel_for(space.shape[0], 16, [&](std::int64_t begin, std::int64_t end) {
      if (inner_step == 1) {
        std::copy(i + begin, i + end, out + begin);
      } else {
        std::fill(out + begin, out + end, *i);
      }
    });
    return;
  }
  if (tile_axis == rank) {
    for_each_run(space, [&](const std::array<std::int64_t, 2>& at, std::int64_t length,
                            const std::array<std::int64_t, 2>& step) {
      S* o = out + at[0];
      const S* i = in + base + at[1];
      if (step[1] == 1) {
        std::copy(i, i + length, o);
      } else if (step[1] == 0) {
        std::fill(o, o + length, *i);
      } else {
        for (std::int64_t k = 0; k < length; ++k) o[k] = i[k * step[1]];
      }
    });
    return;
  }
  // The remaining axes index whole tiles' worth of planes.
  Shape outer_shape;
  std::array<std::vector<std::int64_t>, 2> outer_strides;
  for (std::size_t axis = 0; axis + 1 < rank; ++axis) {
    if (axis == tile_axis) continue;
    outer_shape.push_back(space.shape[axis]);
    outer_strides[0].push_back(space.strides[axis][0]);
    outer_strides[1].push_back(space.strides[axis][1]);
  }
  const std::int64_t rows = space.shape[tile_axis];
  const std::int64_t row_step = space.strides[tile_axis][0];  // output stride; the input's is 1
  const std::int64_t columns = space.shape[rank - 1];         // output stride 1, input inner_step
  constexpr std::int64_t kTile = 32;
  StridedSpace<2> outer = make_strided_space<2>(outer_shape, outer_strides);
  for_each_run(outer, [&](const std::array<std::int64_t, 2>& at, std::int64_t length,
                          const std::array<std::int64_t, 2>& step) {
    for (std::int64_t t = 0; t < length; ++t) {
      S* plane_out = out + at[0] + t * step[0];
      const S* plane_in = in + base + at[1] + t * step[1];
      for (std::int64_t r0 = 0; r0 < rows; r0 += kTile) {
        const std::int64_t r1 = std::min(rows, r0 + kTile);
        for (std::int64_t c0 = 0; c0 < columns; c0 += kTile) {
          const std::int64_t c1 = std::min(columns, c0 + kTile);
          for (std::int64_t r = r0; r < r1; ++r) {
            S* o = plane_out + r * row_step;
            const S* i = plane_in + r;
            for (std::int64_t c = c0; c < c1; ++c) o[c] = i[c * inner_step];
          }
        }
      }
    }
  });
}

}  // namespace ag::kernels
