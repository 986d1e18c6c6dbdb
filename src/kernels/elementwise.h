// Private to src/kernels: the broadcasting loop shared by the binary, comparison and select
// kernels, with fast paths for equal shapes and scalar operands.
#pragma once

#include <array>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/kernels.h"
#include "kernels/parallel.h"
#include "kernels/strided_loop.h"

namespace ag::kernels {

/// The arithmetic half of binary() (binary.cpp) and the comparison/logical half (compare.cpp);
/// both get inputs whose dtypes were checked and the broadcast result shape.
Tensor binary_arithmetic(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape);
Tensor binary_comparison(BinaryOp op, const Tensor& x, const Tensor& y, const Shape& shape);

/// out[i] = f(x[i'], y[i'']) over the broadcast shape of out. The three common layouts (equal
/// shapes, scalar right, scalar left) are single flat loops the compiler can vectorise; anything
/// else walks the simplified strided space, whose inner runs have strides 0 or 1 only.
template <class In, class Out, class F>
void broadcast_binary_loop(const Tensor& x, const Tensor& y, Tensor& out, F f) {
  const In* px = x.data<In>();
  const In* py = y.data<In>();
  Out* po = out.mutable_data<Out>();
  const std::int64_t n = out.size();
  if (n == 0) return;
  if (n == 1) {  // scalars, the ops of a long chain: no loop to set up
    po[0] = f(px[0], py[0]);
    return;
  }
  // The flat layouts split across threads for large n; each element is computed as serially.
  if (x.size() == n && y.size() == n) {
    parallel_for(n, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) po[i] = f(px[i], py[i]);
    });
    return;
  }
  if (x.size() == n && y.size() == 1) {
    const In b = py[0];
    parallel_for(n, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) po[i] = f(px[i], b);
    });
    return;
  }
  if (x.size() == 1 && y.size() == n) {
    const In a = px[0];
    parallel_for(n, 16, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t i = begin; i < end; ++i) po[i] = f(a, py[i]);
    });
    return;
  }
  const Shape& shape = out.shape();
  StridedSpace<3> space = make_strided_space<3>(
      shape, {shape_strides(shape), broadcast_strides(x.shape(), shape), broadcast_strides(y.shape(), shape)});
  for_each_run(space, [&](const std::array<std::int64_t, 3>& at, std::int64_t length,
                          const std::array<std::int64_t, 3>& step) {
    Out* o = po + at[0];
    const In* a = px + at[1];
    const In* b = py + at[2];
    // The output is contiguous, so its inner stride is 1; the inputs' are 1 or 0 (broadcast).
    if (step[1] == 1 && step[2] == 1) {
      for (std::int64_t i = 0; i < length; ++i) o[i] = f(a[i], b[i]);
    } else if (step[1] == 1 && step[2] == 0) {
      const In bv = *b;
      for (std::int64_t i = 0; i < length; ++i) o[i] = f(a[i], bv);
    } else if (step[1] == 0 && step[2] == 1) {
      const In av = *a;
      for (std::int64_t i = 0; i < length; ++i) o[i] = f(av, b[i]);
    } else {
      for (std::int64_t i = 0; i < length; ++i) o[i * step[0]] = f(a[i * step[1]], b[i * step[2]]);
    }
  });
}

}  // namespace ag::kernels
